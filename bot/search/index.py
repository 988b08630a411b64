"""The searchable corpus: passages and events, indexed, saved and loaded.

The saved index is keyed by a hash of the normalised articles, the search settings
and the tokenizer version; when any of them changes the index is rebuilt on load.
Speaker aliases are folded to canonical names on both sides (documents and queries),
so "亚历山大·王", "Alex" and "Alexandr Wang" find the same passages.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.config import SearchSettings
from bot.errors import IndexWriteError
from bot.models import Article, Event, Passage
from bot.progress import ProgressBar
from bot.search.engines import ENGINES, Engine, EngineName
from bot.search.tokenize import (
    TOKENIZER_VERSION,
    Tokenizer,
    fold_words,
    write_pruned_dictionary,
)
from bot.textfold import Folder

log = logging.getLogger(__name__)
INDEX_FORMAT = 1
MANIFEST = "manifest.json"  # written last: names the key of a complete index
DICTIONARY = "jieba.dict"


@dataclass(frozen=True)
class EventRecord:
    event: Event
    article: Article
    speaker: str | None


@dataclass(frozen=True)
class Hit:
    """A passage and its BM25 score for one query (in the spirit of bm25s's ``Results``)."""

    passage: Passage
    score: float


@dataclass(frozen=True)
class EventHit:
    record: EventRecord
    score: float


@dataclass(frozen=True)
class AliasForm:
    folded: str
    canonical_tokens: tuple[str, ...]


# What the index can be asked with: what a person typed, or tokens already analysed.
Searchable = str | Sequence[str]


class SearchIndex:
    """The corpus as callers see it: passages and events to search, passages by id,
    the fold used for matching, and the corpus's speakers and frequent words. The
    engines and the tokenizer stay inside ``bot/search``."""

    def __init__(
        self,
        articles: Sequence[Article],
        tokenizer: Tokenizer,
        passage_engine: Engine,
        event_engine: Engine,
        aliases: Sequence[AliasForm],
    ) -> None:
        self.articles: Mapping[str, Article] = {a.id: a for a in articles}
        self.passages: tuple[Passage, ...] = tuple(_all_passages(articles))
        self.speakers = sorted({p.speaker for p in self.passages if p.speaker})
        self._by_id = {p.id: p for p in self.passages}
        self._events = _event_records(articles)
        self._tokenizer = tokenizer
        self._passage_engine = passage_engine
        self._event_engine = event_engine
        self._aliases = aliases

    @property
    def engine_name(self) -> EngineName:
        return self._passage_engine.name

    @property
    def folder(self) -> Folder:
        """The fold of the search key (script, width, case), for matching and display."""
        return self._tokenizer.folder

    @property
    def name_forms(self) -> tuple[str, ...]:
        """Every folded name and alias of a speaker, longest first."""
        return tuple(form.folded for form in self._aliases)

    def analyze(self, text: str) -> list[str]:
        """The search tokens of ``text``, exactly as the engines see them."""
        return _analyze(text, self._tokenizer, self._aliases)

    def words(self, text: str) -> list[str]:
        """The dictionary words of ``text``, folded (no bigrams)."""
        return self._tokenizer.words(text)

    def search_passages(self, query: Searchable, k: int) -> list[Hit]:
        tokens = self.analyze(query) if isinstance(query, str) else query
        return [Hit(self.passages[i], s) for i, s in self._passage_engine.search(tokens, k)]

    def search_events(self, query: Searchable, k: int) -> list[EventHit]:
        tokens = self.analyze(query) if isinstance(query, str) else query
        return [EventHit(self._events[i], s) for i, s in self._event_engine.search(tokens, k)]

    def events(self) -> tuple[EventRecord, ...]:
        """Every dated event of the corpus, in reading order (a timeline of dates only)."""
        return tuple(self._events)

    def passage(self, passage_id: str) -> Passage:
        """Raises KeyError for an id not in the corpus."""
        return self._by_id[passage_id]

    def frequent_words(self, limit: int = 300) -> list[str]:
        """Words of two or more characters by the number of passages holding them, leaving
        out those in more than 30% of passages (too common to narrow anything down)."""
        df: Counter[str] = Counter()
        for p in self.passages:
            df.update({w for w in self._tokenizer.words(p.text) if len(w) >= 2})
        common = 0.3 * max(1, len(self.passages))
        return [w for w, n in df.most_common() if n <= common][:limit]


# ---- building and loading -------------------------------------------------------------


def open_index(
    articles: Sequence[Article],
    articles_dir: Path,
    settings: SearchSettings,
    folder: Folder,
    user_words: Sequence[str],
    engine: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> SearchIndex:
    """Load the saved index for these articles (read from ``articles_dir``), or build
    and save it. The index carries its own pruned jieba dictionary."""
    if (engine or settings.engine) == "auto":
        many = sum(len(a.passages) for a in articles) > settings.tantivy_above
        name = EngineName.TANTIVY if many else EngineName.RANK_BM25
    else:
        name = EngineName(engine or settings.engine)
    key = _index_key(articles_dir, fold_words(folder, user_words), name, settings.segmenter)
    directory = settings.index_dir / name
    manifest = directory / MANIFEST
    engine_cls = ENGINES[name]
    if manifest.is_file():
        try:
            saved = json.loads(manifest.read_text(encoding="utf-8"))
            if saved.get("key") == key and _same_segmenter(saved, settings.segmenter):
                tokenizer = Tokenizer(
                    folder, user_words, directory / DICTIONARY, settings.segmenter
                )
                aliases = _alias_forms(articles, tokenizer)
                return SearchIndex(
                    articles,
                    tokenizer,
                    engine_cls.load(directory / "passages"),
                    engine_cls.load(directory / "events"),
                    aliases,
                )
            log.info("index at %s is stale; rebuilding", directory)
        except (OSError, ValueError, KeyError) as err:
            log.warning("index at %s unreadable (%s); rebuilding", directory, err)
    try:
        return _build_and_save(
            articles, directory, name, key, folder, user_words, settings.segmenter, progress
        )
    except OSError as err:
        raise IndexWriteError(
            f"cannot write the search index in {settings.index_dir} ({err.strerror or err}); "
            "set search.index_dir to a writable folder"
        ) from None


def _build_and_save(
    articles: Sequence[Article],
    directory: Path,
    name: EngineName,
    key: str,
    folder: Folder,
    user_words: Sequence[str],
    segmenter: str,
    progress: Callable[[str], None] | None,
) -> SearchIndex:
    passages = list(_all_passages(articles))
    manifest = directory / MANIFEST
    dictionary = directory / DICTIONARY
    engine_cls = ENGINES[name]
    started = time.monotonic()
    report = progress or _stderr_progress(len(passages))
    report(f"indexing {len(passages)} passages with {name}")
    manifest.unlink(missing_ok=True)  # never leave a manifest naming half an index
    if segmenter == "jieba":  # rjieba loads the full dictionary as fast
        texts = [t.text for a in articles for t in a.turns]
        texts += [a.title.value or "" for a in articles] + list(user_words)
        write_pruned_dictionary(texts, folder, dictionary)
    tokenizer = Tokenizer(folder, user_words, dictionary, segmenter)
    aliases = _alias_forms(articles, tokenizer)
    records = _event_records(articles)
    bar = ProgressBar(len(passages) + len(records), f"indexing for {name}")
    passage_docs = []
    for n, p in enumerate(passages):
        passage_docs.append(_analyze(p.text, tokenizer, aliases))
        bar.update(n)
    event_docs = []
    for n, r in enumerate(records, len(passages)):
        event_docs.append(_event_tokens(r, tokenizer, aliases))
        bar.update(n)
    bar.close()
    built = SearchIndex(
        articles,
        tokenizer,
        engine_cls.build(passage_docs, directory / "passages"),
        engine_cls.build(event_docs, directory / "events"),
        aliases,
    )
    recorded = {"key": key, "engine": name, "segmenter": tokenizer.segmenter.name}
    recorded["segmenter_version"] = tokenizer.segmenter.version
    manifest.write_text(json.dumps(recorded), encoding="utf-8")
    report(f"indexed in {time.monotonic() - started:.1f}s")
    return built


def _index_key(
    articles_dir: Path, user_words: Sequence[str], name: EngineName, segmenter: str
) -> str:
    """Also names the segmenter and its version: an index cut by another one (or
    another release of it) is rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(articles_dir.glob("*.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    version = importlib.metadata.version(segmenter)
    parts = [INDEX_FORMAT, TOKENIZER_VERSION, segmenter, version, name, list(user_words)]
    digest.update(json.dumps(parts, ensure_ascii=False).encode())
    return digest.hexdigest()


def _same_segmenter(saved: dict[str, str], segmenter: str) -> bool:
    return saved.get("segmenter") == segmenter and saved.get(
        "segmenter_version"
    ) == importlib.metadata.version(segmenter)


def _stderr_progress(size: int) -> Callable[[str], None]:
    # A line for a person only when it will take more than a moment; the bar does the rest.
    if size < 2000 or not sys.stderr.isatty():
        return lambda message: log.info(message)
    return lambda message: print(message, file=sys.stderr, flush=True)


# ---- documents ------------------------------------------------------------------------


def _alias_forms(articles: Sequence[Article], tokenizer: Tokenizer) -> list[AliasForm]:
    forms: dict[str, tuple[str, ...]] = {}
    for article in articles:
        for canonical, aliases in article.speakers.items():
            tokens = tuple(tokenizer.tokens(canonical))
            for form in (canonical, *aliases):
                folded = tokenizer.folder.fold(form)
                # One-character short forms ("王") are only safe inside their article.
                if len(folded) >= 2:
                    forms.setdefault(folded, tokens)
    return [AliasForm(f, t) for f, t in sorted(forms.items(), key=lambda x: (-len(x[0]), x[0]))]


def _alias_tokens(folded: str, aliases: Sequence[AliasForm]) -> list[str]:
    out: list[str] = []
    for form in aliases:
        if form.folded in folded and not set(form.canonical_tokens) <= set(out):
            out.extend(form.canonical_tokens)
    return out


def _analyze(text: str, tokenizer: Tokenizer, aliases: Sequence[AliasForm]) -> list[str]:
    """Queries and passages alike: folded, tokenized, and speaker aliases added as the
    canonical name's tokens."""
    folded = tokenizer.folder.fold(text)
    return tokenizer.tokens_of_folded(folded) + _alias_tokens(folded, aliases)


def _all_passages(articles: Sequence[Article]) -> Iterator[Passage]:
    for article in articles:
        yield from article.passages


def _event_records(articles: Sequence[Article]) -> list[EventRecord]:
    records = []
    for article in articles:
        speaker_of = {t.paragraph: t.speaker for t in article.turns if t.speaker}
        for event in article.events:
            records.append(EventRecord(event, article, speaker_of.get(event.paragraph)))
    return records


def _event_tokens(r: EventRecord, tokenizer: Tokenizer, aliases: Sequence[AliasForm]) -> list[str]:
    """The sentence counts twice; the paragraph around it and its speaker give the
    subject an event sentence leaves to "他" or "该公司"."""
    paragraph = "".join(t.text for t in r.article.turns if t.paragraph == r.event.paragraph)
    sentence = tokenizer.folder.fold(r.event.text)
    context = tokenizer.folder.fold(paragraph + " " + (r.speaker or ""))
    tokens = tokenizer.tokens_of_folded(sentence) * 2 + tokenizer.tokens_of_folded(context)
    return tokens + _alias_tokens(sentence + " " + context, aliases)
