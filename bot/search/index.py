"""The searchable corpus: passages and events, indexed, saved, loaded and kept in step
with the articles.

The saved index's manifest holds a key of everything that changes every token (index
format, tokenizer version, segmenter and its version, engine, configured words) and,
per article, a hash of its file and the speaker names it brings. ``sync_index`` compares
that with the articles on disk: a changed key (or no index) rebuilds everything; changed,
added or removed articles are updated in place, one article at a time, together with
the articles whose text holds a name that came or went (a name is a user word of the
segmenter and an alias of its speaker, so it changes their tokens). ``python -m bot
ingest`` calls it after writing articles, with a process pool when there is much to
tokenize; opening an index calls it too, as a fallback.

Names are folded to canonical names on both sides (documents and queries), so
"亚历山大·王", "Alex" and "Alexandr Wang" find the same passages: the speakers of the
articles and everyone in config/speakers.toml, speaker or not ("小扎", "扎克伯格").
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import json
import logging
import math
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from bot.config import CorpusSettings, SearchSettings
from bot.errors import IndexWriteError, SourceFileError
from bot.ingest.store import article_from_dict
from bot.models import Article, Passage
from bot.progress import ProgressBar
from bot.query.aliases import AliasTable, folded_forms
from bot.query.lexicon import LEXICON_VERSION, Lexicon, build_lexicon
from bot.query.terms import Interpretation
from bot.search.engines import ENGINES, Clause, Doc, Engine, EngineName, EngineType
from bot.search.passage_store import FILE as PASSAGE_STORE
from bot.search.passage_store import (
    EventRecord,
    PassageStore,
    PassageWriter,
    StoreRows,
    event_records,
    readable,
    store_rows,
)
from bot.search.tokenize import (
    HAN_BIGRAM,
    TOKENIZER_VERSION,
    Tokenizer,
    dictionary_frequencies,
    fold_words,
    segmenter_version,
    write_dictionary,
    write_pruned_dictionary,
)
from bot.textfold import HAN_RE, Folder

R = TypeVar("R")  # what a document key resolves to: a passage or an event record

log = logging.getLogger(__name__)
# 5: the passages kept beside the index (passage_store.py); 6: and the events
INDEX_FORMAT = 6
# Below this many passages to tokenize, one process beats starting a pool.
POOL_ABOVE = 3000
# tantivy: rebuild once the documents deleted since the last build pass this share.
DELETED_SHARE = 0.1
LOCK = ".lock"
MANIFEST = "manifest.json"  # written last: names the key of a complete index
DICTIONARY = "jieba.dict"
LEXICON = "lexicon.json"  # the query steps' knowledge of this corpus (bot/query/lexicon.py)


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


# What the index can be asked with: what a person typed, tokens already analysed, or
# the query stage's interpretation (weighted terms in groups of alternatives).
Searchable = str | Sequence[str] | Interpretation


class ArticleStore(Mapping[str, Article]):
    """The articles by id, each read from its file the first time it is asked for, so a
    bot on a large corpus starts without reading it all (a search needs only the
    articles of its hits). Safe to share between threads."""

    def __init__(self, files: Mapping[str, Path], loaded: Iterable[Article] = ()) -> None:
        self._files = dict(sorted(files.items()))
        self._loaded: dict[str, Article] = {a.id: a for a in loaded}
        self._lock = threading.Lock()
        self.rank = {aid: n for n, aid in enumerate(self._files)}  # reading order

    def __getitem__(self, article_id: str) -> Article:
        article = self._loaded.get(article_id)
        if article is None:
            path = self._files[article_id]  # KeyError for an id not in the corpus
            article = _load_article(path)
            with self._lock:
                article = self._loaded.setdefault(article_id, article)
        return article

    def get_or_none(self, article_id: str) -> Article | None:
        """The article, or None when its file is gone or broken: an index being
        replaced by a reload may be asked about an article removed since it opened."""
        if article_id not in self.rank:
            return None
        try:
            return self[article_id]
        except SourceFileError as err:
            log.warning("article %s is gone since the index opened: %s", article_id, err.reason)
            return None

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    @property
    def loaded(self) -> Mapping[str, Article]:
        """The articles read so far (or given), by id."""
        return self._loaded

    def present(self, article_id: str) -> bool:
        """Whether the article is in the corpus and its file still there (not read)."""
        if article_id in self._loaded:
            return True
        path = self._files.get(article_id)
        return path is not None and os.path.exists(path)


class _AllPassages(Sequence[Passage]):
    """Every passage in reading order: counted from the manifest, read only when
    something walks through them (the digest's pool, Discord's topic words)."""

    def __init__(self, store: ArticleStore, count: int) -> None:
        self._store = store
        self._count = count
        self._all: tuple[Passage, ...] | None = None

    def _passages(self) -> tuple[Passage, ...]:
        if self._all is None:
            articles = (self._store.get_or_none(aid) for aid in self._store)
            self._all = tuple(p for a in articles if a is not None for p in a.passages)
        return self._all

    def __len__(self) -> int:
        return self._count if self._all is None else len(self._all)

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self._passages()[index]

    def __iter__(self) -> Iterator[Passage]:
        return iter(self._passages())


class SearchIndex:
    """The corpus as callers see it: passages and events to search, passages by id,
    the fold used for matching, and the corpus's speakers and frequent words. The
    engines and the tokenizer stay inside ``bot/search``. Articles are read from their
    files when first needed (``ArticleStore``)."""

    def __init__(
        self,
        articles: Sequence[Article] | ArticleStore,
        tokenizer: Tokenizer,
        passage_engine: Engine,
        event_engine: Engine | Callable[[], Engine],
        aliases: Sequence[AliasForm],
        lexicon: Lexicon | None = None,
        names: AliasTable | None = None,
        passages: int | None = None,
        version: str = "",
        passage_store: PassageStore | None = None,
    ) -> None:
        if not isinstance(articles, ArticleStore):
            loaded = list(articles)
            articles = ArticleStore({a.id: Path(a.id) for a in loaded}, loaded)
            passages = sum(len(a.passages) for a in loaded)
        self.articles: ArticleStore = articles
        self.passages: Sequence[Passage] = _AllPassages(articles, passages or 0)
        self._tokenizer = tokenizer
        self._passage_engine = passage_engine
        # A loader is called at the first timeline: start-up serves /quote without it.
        self._events_loader = event_engine if callable(event_engine) else None
        self._event_engine_loaded = None if callable(event_engine) else event_engine
        self._aliases = aliases
        # For the query steps: the corpus lexicon, and everyone's names (speaker or not).
        self.lexicon = lexicon or Lexicon.empty()
        self.names = names or AliasTable.build(
            [self.articles[a].speakers for a in self.articles],
            self.folder,
            speakers={n for a in self.articles for n in self.articles[a].speakers},
        )
        self._tokens_of = cache(tokenizer.tokens)
        self._speakers: list[str] | None = None
        # Which corpus this is: the same articles give the same version in any process
        # (paging buttons carry it across a live reload and a restart); "" is unknown.
        self.version = version
        # Hits' passages by id (None: read from the article files).
        self._store = passage_store

    @property
    def speakers(self) -> list[str]:
        """Every speaker of a passage, sorted (reads every article once)."""
        if self._speakers is None:
            self._speakers = sorted({p.speaker for p in self.passages if p.speaker})
        return self._speakers

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

    def words(self, text: str, hmm: bool = False) -> list[str]:
        """The dictionary words of ``text``, folded (no bigrams); ``hmm``: with words
        outside the dictionary guessed, as the engines' tokens are."""
        return self._tokenizer.words(text, hmm)

    def tokens(self, text: str) -> list[str]:
        """The tokens of ``text`` alone (no names added): what one query term searches."""
        return list(self._tokens_of(text))

    def doc_freq(self, token: str) -> int:
        """How many passages hold the token."""
        return self._passage_engine.doc_freq(token)

    def rarity(self, token: str) -> float:
        """BM25's idf of a token among passages: how much finding it says."""
        n, df = len(self.passages), self._passage_engine.doc_freq(token)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def event_context(self, record: EventRecord) -> str:
        """The event sentence with its paragraph and speaker: what it was indexed by."""
        return " ".join(_event_texts(record))

    def engine_query(self, query: Searchable) -> Sequence[str] | list[Clause]:
        """What the engines are asked: tokens, or weighted groups of alternatives (the
        benchmark times these as they are)."""
        return self._engine_query(query)

    def _engine_query(self, query: Searchable) -> Sequence[str] | list[Clause]:
        if isinstance(query, str):
            return self.analyze(query)
        if not isinstance(query, Interpretation):
            return query
        groups: dict[int, list[tuple[Counter[str], float]]] = {}
        for term in query.searched:
            counts = Counter(self._tokens_of(term.text))
            if counts:
                groups.setdefault(term.group, []).append((counts, term.weight))
        clauses: list[Clause] = []
        for alternatives in groups.values():
            # Alternatives are weighed as if they had as many tokens as the shortest, so
            # the best one wins and not the longest (马克·扎克伯格 over 扎克伯格).
            fewest = min(sum(c.values()) for c, _ in alternatives)
            clauses.append(
                [
                    {t: n * w * fewest / sum(c.values()) for t, n in c.items()}
                    for c, w in alternatives
                ]
            )
        return clauses

    def search_passages(self, query: Searchable, k: int) -> list[Hit]:
        found = self._passage_engine.search(self._engine_query(query), k)
        stored = self._stored([key for key, _ in found])

        def lookup(key: str) -> Passage | None:
            # Not in the store's answer: the store was asked already, read the article.
            return stored.get(key) or self._passage_in_article(key)

        return [Hit(p, score) for p, score in self._resolved(found, lookup)]

    def _stored(self, keys: Sequence[str]) -> dict[str, Passage]:
        """The passages of ``keys`` from the passage store, one query for all, where
        their article is still there (an article removed since the index opened drops
        its hits, as ``_passage_or_none`` does)."""
        if self._store is None or not keys:
            return {}
        found = self._store.get_many(keys)
        present = {a: self.articles.present(a) for a in {p.article_id for p in found.values()}}
        return {k: p for k, p in found.items() if present[p.article_id]}

    def _resolved(
        self, found: list[tuple[str, float]], lookup: Callable[[str], R | None]
    ) -> list[tuple[R, float]]:
        """Engine hits best first, ties in reading order, each key looked up; a key whose
        article is gone (removed since the index was saved) is dropped."""
        found.sort(key=lambda hit: (-hit[1], *self._order(hit[0])))
        return [(item, score) for key, score in found if (item := lookup(key)) is not None]

    def _order(self, key: str) -> tuple[int, int]:
        """Reading order of a document key ("article#3", "article#e3"): ties rank by it."""
        article, _, n = key.rpartition("#")
        return self.articles.rank.get(article, 0), int(n.lstrip("e") or 0)

    def _passage_or_none(self, key: str) -> Passage | None:
        if self._store is not None and key.rpartition("#")[0] not in self.articles.loaded:
            stored = self._stored([key]).get(key)
            if stored is not None:
                return stored
        return self._passage_in_article(key)

    def _passage_in_article(self, key: str) -> Passage | None:
        """The passage ``key`` read from its article (None: the article or the passage
        is gone)."""
        article_id, _, n = key.rpartition("#")
        article = self.articles.get_or_none(article_id)
        if article is None:
            return None
        passages = article.passages
        position = int(n) if n.isdigit() else -1
        if 0 <= position < len(passages) and passages[position].id == key:
            return passages[position]
        return next((p for p in passages if p.id == key), None)

    def _event_engine(self) -> Engine:
        if self._event_engine_loaded is None and self._events_loader is not None:
            self._event_engine_loaded = self._events_loader()
        assert self._event_engine_loaded is not None
        return self._event_engine_loaded

    def search_events(self, query: Searchable, k: int) -> list[EventHit]:
        found = self._event_engine().search(self._engine_query(query), k)
        stored = self._stored_events([key for key, _ in found])

        def lookup(key: str) -> EventRecord | None:
            # Not in the store's answer: the store was asked already, read the article.
            return stored.get(key) or self._event_in_article(key)

        return [EventHit(r, score) for r, score in self._resolved(found, lookup)]

    def _stored_events(self, keys: Sequence[str]) -> dict[str, EventRecord]:
        """The events of ``keys`` from the store, one query for all, where their
        article is still there (as ``_stored``)."""
        if self._store is None or not keys:
            return {}
        found = self._store.events_many(keys)
        present = {a: self.articles.present(a) for a in {r.article.id for r in found.values()}}
        return {k: r for k, r in found.items() if present[r.article.id]}

    def _event_in_article(self, key: str) -> EventRecord | None:
        article_id, _, n = key.rpartition("#e")
        article = self.articles.get_or_none(article_id)
        if article is None or not n.isdigit():
            return None
        records = _event_records([article])
        return records[int(n)][1] if int(n) < len(records) else None

    def events(self) -> tuple[EventRecord, ...]:
        """Every dated event of the corpus, in reading order (a timeline of dates only):
        from the store, and from its file for an article the store lacks."""
        stored = self._store.all_events() if self._store is not None else None
        by_article, held = stored or ({}, set())
        out: list[EventRecord] = []
        for aid in self.articles:
            if aid in held and self.articles.present(aid):
                out += by_article.get(aid, ())
            elif aid not in held and (article := self.articles.get_or_none(aid)) is not None:
                out += (r for _, r in event_records(article))
        return tuple(out)

    def passage(self, passage_id: str) -> Passage:
        """Raises KeyError for an id not in the corpus."""
        found = self._passage_or_none(passage_id)
        if found is None:
            raise KeyError(passage_id)
        return found

    def frequent_words(self, limit: int = 300) -> list[str]:
        """Words of two or more characters by the number of passages holding them, leaving
        out those in more than 30% of passages (too common to narrow anything down)."""
        df: Counter[str] = Counter()
        for p in self.passages:
            df.update({w for w in self._tokenizer.words(p.text) if len(w) >= 2})
        common = 0.3 * max(1, len(self.passages))
        return [w for w, n in df.most_common() if n <= common][:limit]


# ---- building, updating and loading ---------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """What the tokens of a text depend on besides the text: the segmenter's user words
    and the speaker aliases folded to canonical tokens."""

    user_words: tuple[str, ...]
    aliases: tuple[AliasForm, ...]

    def terms(self) -> dict[str, Any]:
        """Each term with what it stands for, to compare two vocabularies."""
        out: dict[str, Any] = {w: "word" for w in self.user_words}
        for form in self.aliases:
            out[form.folded] = (out.get(form.folded), form.canonical_tokens)
        return out


@dataclass
class SyncReport:
    """What ``sync_index`` did: "loaded", "updated" or "built", with counts."""

    action: str = "loaded"
    added: int = 0
    changed: int = 0
    removed: int = 0
    affected: int = 0
    passages: int = 0
    seconds: float = 0.0
    lexicon_seconds: float = 0.0  # the query lexicon, built by ingest after the index
    lexicon_cpu_seconds: float = 0.0  # its CPU time, its pool's workers included
    engine: str = ""
    articles: dict[str, Any] = field(default_factory=dict, repr=False)  # the manifest's

    def render(self) -> str:
        if self.action == "loaded":
            return "index: up to date"
        if self.action == "built":
            return f"index: built, {self.passages} passages in {self.seconds:.1f}s"
        parts = [
            f"{n} {what}"
            for n, what in (
                (self.added, "added"),
                (self.changed, "changed"),
                (self.removed, "removed"),
                (self.affected, "re-cut for a new name"),
            )
            if n
        ]
        return (
            f"index: updated ({', '.join(parts)} articles; {self.passages} passages) "
            f"in {self.seconds:.1f}s"
        )


def configured_words(corpus: CorpusSettings) -> list[str]:
    """The configured user words and every configured speaker name and alias; the names
    found in articles are added per article (see ``sync_index``)."""
    names = {n for name, aliases in corpus.speakers.items() for n in (name, *aliases)}
    return [*corpus.user_words, *sorted(names)]


def engine_for(settings: SearchSettings, passages: int, engine: str | None = None) -> EngineName:
    if (engine or settings.engine) == "auto":
        return EngineName.TANTIVY if passages > settings.tantivy_above else EngineName.RANK_BM25
    return EngineName(engine or settings.engine)


def open_index(
    articles: Sequence[Article] | None,
    articles_dir: Path,
    settings: SearchSettings,
    folder: Folder,
    configured: Sequence[str],
    engine: str | None = None,
    progress: Callable[[str], None] | None = None,
    people: Mapping[str, Sequence[str]] | None = None,
) -> SearchIndex:
    """Open the saved index for the articles in ``articles_dir``, first bringing it in
    step with them (``sync_index``): normally ``ingest`` has done that already and this
    only loads. ``articles``: already read (None: each is read when first needed).
    ``people``: every configured name and its aliases (config/speakers.toml), for the
    query steps, speaker or not."""
    arguments = (articles, articles_dir, settings, folder, configured, engine, progress, people)
    try:
        return _load_index(*arguments)
    except (ValueError, KeyError) as err:
        # A saved file that is not what a build wrote (cut short, overwritten, edited):
        # rebuilt once, as an unreadable manifest is; failing again, it is a bug.
        why = f"{type(err).__name__}: {err}"
        log.warning("index in %s unreadable (%s); rebuilding it", settings.index_dir, why)
        for name in EngineName:
            (settings.index_dir / name / MANIFEST).unlink(missing_ok=True)
        return _load_index(*arguments)


def _events_or_rebuilt(
    engine_cls: EngineType, directory: Path, docs: Callable[[], Iterable[Doc]]
) -> Engine:
    """The saved events engine, loaded at the first timeline (after ``open_index``'s
    rebuild-once has passed): one that is damaged is rebuilt from the articles, with a
    warning, so a damaged file costs one slow timeline, not every timeline."""
    try:
        return engine_cls.load(directory)
    except (OSError, ValueError) as err:
        log.warning("events index in %s unreadable (%s); rebuilding it", directory, err)
        return engine_cls.build(docs(), directory)


def _load_index(
    articles: Sequence[Article] | None,
    articles_dir: Path,
    settings: SearchSettings,
    folder: Folder,
    configured: Sequence[str],
    engine: str | None,
    progress: Callable[[str], None] | None,
    people: Mapping[str, Sequence[str]] | None,
) -> SearchIndex:
    if articles is not None and engine in (None, "auto") and settings.engine == "auto":
        engine = engine_for(settings, sum(len(a.passages) for a in articles))
    tokenizer, report = sync_index(
        articles_dir, settings, folder, configured, engine, progress, loaded=articles, people=people
    )
    name = EngineName(report.engine)
    directory = settings.index_dir / name
    engine_cls = ENGINES[name]
    passages = engine_cls.load(directory / "passages")
    # rank-bm25 builds its statistics from the saved tokens: loaded at the first
    # timeline. tantivy opens (maps) its files now: an update or rebuild after this
    # point may delete them, and an index a reload is replacing must still answer.
    files = {aid: articles_dir / f"{aid}.json" for aid in report.articles}
    store = ArticleStore(files, articles or ())
    aliases = _aliases_of_entries(report.articles, tokenizer, people)

    def event_docs() -> Iterator[Doc]:
        for key, record in _event_records([store[a] for a in store]):
            yield Doc(key, record.article.id, " ".join(_event_tokens(record, tokenizer, aliases)))

    events: Engine | Callable[[], Engine] = (
        engine_cls.load(directory / "events")
        if name is EngineName.TANTIVY
        else partial(_events_or_rebuilt, engine_cls, directory / "events", event_docs)
    )
    lexicon = _lexicon(directory, report.articles, lambda: (store[a] for a in store), tokenizer)
    with _collector_paused():
        tables = [report.articles[a]["speakers"] for a in sorted(report.articles)]
        return SearchIndex(
            store,
            tokenizer,
            passages,
            events,
            aliases,
            lexicon,
            AliasTable.build(
                [people or {}, *tables],
                folder,
                speakers={person for table in tables for person in table},
            ),
            sum(e["passages"] for e in report.articles.values()),
            corpus_version(report.articles),
            PassageStore.open(directory),
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a saved index is read: the manifest, the
    lexicon and the names are hundreds of thousands of new objects, none in a cycle,
    and at 100 MB of text the collector's passes over them were a tenth of the first
    query's second (#14). Never around a build (its garbage may hold cycles). Another
    thread that pauses it meanwhile leaves it as it found it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def corpus_version(entries: Mapping[str, Any]) -> str:
    """A short id of the article set (ids and file hashes, from the manifest)."""
    return hashlib.sha256(json.dumps(_shas(entries)).encode()).hexdigest()[:10]


def _shas(entries: Mapping[str, Any]) -> list[tuple[str, str]]:
    return sorted((aid, e["sha"]) for aid, e in entries.items())


def prepare_lexicon(
    articles_dir: Path,
    settings: SearchSettings,
    tokenizer: Tokenizer,
    report: SyncReport,
    workers: int | None = None,
) -> None:
    """Build (or find up to date) the query lexicon saved beside the index that
    ``sync_index`` just brought in step: ingest does it, so the first query only loads
    it. ``workers``: processes reading the texts (default: every core, when there is
    enough to read)."""
    files = {aid: articles_dir / f"{aid}.json" for aid in sorted(report.articles)}

    def articles() -> Iterator[Article]:
        # One article at a time, none kept: a large corpus is never all in memory.
        return (_load_article(path) for path in files.values())

    from bot.search.lexicon_pool import build_pooled  # not on the serving path

    n = workers if workers is not None else (os.cpu_count() or 1)
    passages = sum(e["passages"] for e in report.articles.values())
    pooled = n > 1 and len(files) > 1 and (workers is not None or passages >= POOL_ABOVE)
    _lexicon(
        settings.index_dir / report.engine,
        report.articles,
        articles,
        tokenizer,
        (lambda: build_pooled(list(files.values()), _load_article, tokenizer, n))
        if pooled
        else None,
    )


def _lexicon(
    directory: Path,
    entries: Mapping[str, Any],
    read_all: Callable[[], Iterable[Article]],
    tokenizer: Tokenizer,
    pooled: Callable[[], Lexicon] | None = None,
) -> Lexicon:
    """The saved lexicon when it was built from these very articles (``entries``: the
    manifest's, as ``sync_index`` just wrote or found them), else built now (about two
    seconds for the bundled corpus; ``pooled``: the same build over a pool) and saved:
    start-up only loads it."""
    shas = _shas(entries)
    key = hashlib.sha256(json.dumps([LEXICON_VERSION, shas]).encode()).hexdigest()
    path = directory / LEXICON
    try:
        with _collector_paused():
            return Lexicon.load(path, key)
    except (OSError, ValueError, KeyError):
        pass
    titles: list[str] = []

    def texts() -> Iterator[str]:
        """Every passage (only when the corpus changed since the last build), read
        article by article; ``titles`` fills as they are read."""
        for article in read_all():
            yield from (p.text for p in article.passages)
            titles.append(article.title.value or "")

    if pooled is not None:
        lexicon = pooled()
    else:
        lexicon = build_lexicon(texts(), tokenizer.folder, tokenizer.words, titles)
    try:
        lexicon.save(path, key)
    except OSError as err:
        log.warning("cannot save the query lexicon at %s (%s)", path, err)
    return lexicon


def sync_index(
    articles_dir: Path,
    settings: SearchSettings,
    folder: Folder,
    configured_words: Sequence[str],
    engine: EngineName | str | None = None,
    progress: Callable[[str], None] | None = None,
    loaded: Sequence[Article] | None = None,
    workers: int | None = None,
    people: Mapping[str, Sequence[str]] | None = None,
) -> tuple[Tokenizer, SyncReport]:
    """Bring the saved index in step with the article files: nothing, an update of the
    changed articles, or a full build. ``loaded``: the articles already in memory (the
    others are read from their files). ``workers``: processes for tokenizing (default:
    every core, when there is enough to tokenize). ``people``: the configured names and
    their aliases (config/speakers.toml), folded like the articles' speakers."""
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        lock = (settings.index_dir / LOCK).open("a")
    except OSError as err:
        raise IndexWriteError(
            f"cannot write the search index in {settings.index_dir} ({err.strerror or err}); "
            "set search.index_dir to a writable folder"
        ) from None
    with lock:
        # One process at a time (ingest, a serving bot's reload): the second finds the
        # index the first left, usually up to date.
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _sync_locked(
            articles_dir,
            settings,
            folder,
            configured_words,
            engine,
            progress,
            loaded,
            workers,
            dict(people or {}),
        )


def _sync_locked(
    articles_dir: Path,
    settings: SearchSettings,
    folder: Folder,
    configured_words: Sequence[str],
    engine: EngineName | str | None,
    progress: Callable[[str], None] | None,
    loaded: Sequence[Article] | None,
    workers: int | None,
    people: Mapping[str, Sequence[str]],
) -> tuple[Tokenizer, SyncReport]:
    started = time.monotonic()
    report = SyncReport()
    files = _article_files(articles_dir)
    in_memory = {a.id: a for a in loaded or ()}
    with _collector_paused():
        saved_manifest = _read_manifest(settings, engine)
        diff = _diff(files, saved_manifest, in_memory)
    passages = sum(e["passages"] for e in diff.entries.values())
    name = EngineName(engine) if engine and engine != "auto" else engine_for(settings, passages)
    if saved_manifest is not None and saved_manifest.get("engine") != name:
        saved_manifest = _read_manifest(settings, name)  # auto moved to the other engine
        diff = _diff(files, saved_manifest, in_memory)
    configured = fold_words(folder, configured_words)
    names = sorted({n for e in diff.entries.values() for n in e["names"]})
    corpus = _Corpus(
        files,
        in_memory,
        diff.entries,
        _index_key(configured, name, settings.segmenter, people),
        name,
        settings.index_dir / name,
        folder,
        tuple(sorted({*configured, *fold_words(folder, names)})),
        settings.segmenter,
        workers,
        people,
    )
    changed, added, removed = diff.changed, diff.added, diff.removed
    fresh = (
        saved_manifest is None
        or saved_manifest.get("key") != corpus.key
        or saved_manifest.get("engine") != name
        or not _same_segmenter(saved_manifest, settings.segmenter)
    )
    store = corpus.directory / PASSAGE_STORE
    if not fresh and not (changed or added or removed) and store.is_file():
        tokenizer = corpus.tokenizer(corpus.directory / DICTIONARY)
        report.engine, report.articles = name, corpus.entries
        return tokenizer, report
    # An index whose passage store is gone is rebuilt whole (an update would leave the
    # rows of every article it does not touch missing), and so is one whose store cannot
    # be read, which an update would fail to write into. A store that cannot be read
    # with nothing to update is left to the readers, who read the article files.
    fresh = fresh or not store.is_file() or not readable(corpus.directory)
    try:
        # tantivy counts deleted documents in its statistics until their segments merge:
        # past a share of them, a rebuild keeps scores those of a fresh index.
        deleted = (saved_manifest or {}).get("deleted", 0)
        deleted += sum(diff.old_entries[a]["passages"] for a in (*changed, *removed))
        drift = name == EngineName.TANTIVY and deleted > DELETED_SHARE * max(1, passages)
        if (
            fresh
            or drift
            or settings.segmenter == "jieba"
            or len(changed) + len(added) > len(files) // 2
        ):
            # The jieba reference's pruned dictionary is the corpus's: it is rebuilt whole.
            if saved_manifest is not None:
                log.info("index at %s is stale; rebuilding", corpus.directory)
            tokenizer = _build(corpus, progress, report)
        else:
            assert saved_manifest is not None
            tokenizer = _update(corpus, saved_manifest, diff, report)
    except OSError as err:
        raise IndexWriteError(
            f"cannot write the search index in {settings.index_dir} ({err.strerror or err}); "
            "set search.index_dir to a writable folder"
        ) from None
    report.seconds = round(time.monotonic() - started, 3)
    report.engine, report.articles = name, corpus.entries
    return tokenizer, report


@dataclass(frozen=True)
class _Corpus:
    """One sync's articles and how their tokens are cut: what a build and an update
    share (and what a worker of the tokenizing pool needs to know)."""

    files: Mapping[str, Path]
    in_memory: Mapping[str, Article]
    entries: dict[str, dict[str, Any]]  # the manifest's articles after the change
    key: str
    name: EngineName
    directory: Path
    folder: Folder
    user_words: tuple[str, ...]
    segmenter: str
    workers: int | None
    people: Mapping[str, Sequence[str]]  # configured names, folded like the speakers'

    def tokenizer(self, dictionary: Path | None, record: bool = False) -> Tokenizer:
        return Tokenizer(self.folder, self.user_words, dictionary, self.segmenter, record)

    def passages(self, ids: Iterable[str]) -> int:
        return sum(self.entries[a]["passages"] for a in ids)


@dataclass
class _Tokenized:
    """What tokenizing articles leaves besides the passage documents (which stream
    into the engine): their event documents, and the dictionary words their texts
    could be cut into (for the pruned dictionary)."""

    events: list[Doc] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    passages: PassageWriter | None = None  # where the passages' rows go


def _tokenize_articles(
    corpus: _Corpus,
    ids: Sequence[str],
    dictionary: Path | None,
    aliases: Sequence[AliasForm],
    out: _Tokenized,
    done: Callable[[int], None] = lambda passages: None,
) -> Iterator[Doc]:
    """The passage documents of the articles ``ids``, in order; events and words go to
    ``out``, and ``done`` hears the passages tokenized so far (a progress bar)."""
    count = 0
    for p_docs, e_docs, cut, rows in _tokenize(corpus, ids, dictionary, aliases):
        yield from p_docs
        out.events.extend(e_docs)
        out.words.update(cut)
        if out.passages is not None:
            out.passages.add(rows)
        count += len(p_docs)
        done(count)


def _build(
    corpus: _Corpus, progress: Callable[[str], None] | None, report: SyncReport
) -> Tokenizer:
    name, directory = corpus.name, corpus.directory
    passages = corpus.passages(corpus.entries)
    say = progress or _stderr_progress(passages)
    say(f"indexing {passages} passages with {name}")
    started = time.monotonic()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MANIFEST).unlink(missing_ok=True)  # never leave a manifest naming half an index
    dictionary = directory / DICTIONARY
    dictionary.unlink(missing_ok=True)
    if corpus.segmenter == "jieba":  # pruned first, from the texts; rjieba records as it goes
        texts = _dictionary_texts(corpus.files, corpus.in_memory, corpus.user_words)
        write_pruned_dictionary(texts, corpus.folder, dictionary)
    cutter = corpus.tokenizer(dictionary, record=True)
    aliases = _aliases_of_entries(corpus.entries, cutter, corpus.people)
    out = _Tokenized(words=cutter.take_recorded(), passages=PassageWriter(directory, fresh=True))
    bar = ProgressBar(passages, f"indexing for {name}")
    engine_cls = ENGINES[name]
    with _committed(out.passages):
        docs = _tokenize_articles(corpus, list(corpus.files), dictionary, aliases, out, bar.update)
        engine_cls.build(docs, directory / "passages")
        bar.close()
        engine_cls.build(out.events, directory / "events")
    if corpus.segmenter != "jieba":
        write_dictionary(out.words, dictionary)
    tokenizer = corpus.tokenizer(dictionary)
    _write_manifest(directory, corpus.key, name, tokenizer, corpus.entries, aliases)
    report.action, report.added, report.passages = "built", len(corpus.files), passages
    say(f"indexed in {time.monotonic() - started:.1f}s")
    return tokenizer


def _update(
    corpus: _Corpus, saved: Mapping[str, Any], diff: _Diff, report: SyncReport
) -> Tokenizer:
    changed, added, removed = diff.changed, diff.added, diff.removed
    directory = corpus.directory
    dictionary = directory / DICTIONARY
    # Cut with the whole dictionary (the same cuts, exactly, as the pruned one gives the
    # articles it was made from), recording the words the pruned one must gain.
    cutter = corpus.tokenizer(None, record=True)
    aliases = _aliases_of_entries(corpus.entries, cutter, corpus.people)
    out = _Tokenized(words=cutter.take_recorded())
    engine_cls = ENGINES[corpus.name]
    old = Vocabulary(tuple(saved.get("user_words", ())), _aliases_from_json(saved))
    new = Vocabulary(corpus.user_words, tuple(aliases))
    affected: set[str] = set()
    moved = _moved_terms(old, new)
    if moved:
        # Articles whose text holds a name that came or went: their tokens change too.
        engines = [engine_cls.load(directory / "passages"), engine_cls.load(directory / "events")]
        for term in moved:
            probe = _probe_tokens(term, cutter)
            if not probe:
                log.info("name %r cannot be looked up; rebuilding the index", term)
                return _build(corpus, None, report)
            for engine in engines:
                affected |= engine.articles_with_all(probe)
        del engines
    affected = {a for a in affected if a in corpus.files} - set(changed) - set(added)
    redo = [*changed, *added, *sorted(affected)]
    gone = [*removed, *changed, *sorted(affected)]
    out.passages = PassageWriter(directory, fresh=False)
    with _committed(out.passages):
        out.passages.remove(gone)
        p_docs = list(_tokenize_articles(corpus, redo, None, aliases, out))
        (directory / MANIFEST).unlink(missing_ok=True)
        write_dictionary(out.words, dictionary, extend=True)
        tokenizer = corpus.tokenizer(dictionary)
        engine_cls.update(directory / "passages", gone, p_docs)
        engine_cls.update(directory / "events", gone, out.events)
    deleted = saved.get("deleted", 0) + sum(
        saved["articles"][a]["passages"] for a in gone if a in saved["articles"]
    )
    _write_manifest(directory, corpus.key, corpus.name, tokenizer, corpus.entries, aliases, deleted)
    report.action = "updated"
    report.added, report.changed, report.removed = len(added), len(changed), len(removed)
    report.affected, report.passages = len(affected), corpus.passages(redo)
    return tokenizer


@contextmanager
def _committed(writer: PassageWriter | None) -> Iterator[None]:
    """The passage store's rows committed when the block ends well (before the
    manifest that names them is written), thrown away when it fails."""
    try:
        yield
    except BaseException:
        if writer is not None:
            writer.abandon()
        raise
    if writer is not None:
        writer.commit()


@dataclass(frozen=True)
class _Diff:
    entries: dict[str, dict[str, Any]]  # the manifest's articles after the change
    old_entries: dict[str, dict[str, Any]]
    changed: list[str]
    added: list[str]
    removed: list[str]


def _diff(
    files: Mapping[str, Path], saved: Mapping[str, Any] | None, in_memory: Mapping[str, Article]
) -> _Diff:
    old_entries = dict(saved.get("articles", {})) if saved else {}
    entries = dict(old_entries)
    # Each file is looked at once (a stat; its bytes only when size or mtime moved).
    stats = {aid: _stat(path) for aid, path in files.items()}
    hashes = {aid: _file_hash(path, entries.get(aid), stats[aid]) for aid, path in files.items()}
    changed = [a for a in files if a in entries and entries[a]["sha"] != hashes[a]]
    added = [a for a in files if a not in entries]
    removed = [a for a in entries if a not in files]
    for aid in (*changed, *added):  # the names and passage counts of the new versions
        article = in_memory.get(aid)
        speakers, passages = (
            (article.speakers, len(article.passages))
            if article
            else _speakers_and_count(files[aid])
        )
        entries[aid] = _entry(speakers, passages, hashes[aid]) | stats[aid]
    for aid in files:
        entry, stat = entries[aid], stats[aid]
        if entry["sha"] == hashes[aid] and any(entry.get(k) != v for k, v in stat.items()):
            entries[aid] = entry | stat
    for aid in removed:
        del entries[aid]
    return _Diff(entries, old_entries, changed, added, removed)


def _moved_terms(old: Vocabulary, new: Vocabulary) -> list[str]:
    before, after = old.terms(), new.terms()
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def _probe_tokens(term: str, tokenizer: Tokenizer) -> list[str]:
    """Tokens every text holding ``term`` has, whatever its dictionary: the term's Han
    bigrams and its Latin or digit words. Empty for a single Han character."""
    tokens = tokenizer.tokens(term)
    return [t for t in tokens if HAN_BIGRAM.fullmatch(t) or not HAN_RE.search(t)]


def _tokenize(
    corpus: _Corpus, ids: Sequence[str], dictionary: Path | None, aliases: Sequence[AliasForm]
) -> Iterator[tuple[list[Doc], list[Doc], set[str], StoreRows]]:
    """The documents of each article (and its rows for the store), in order: in this
    process, or in a pool of every core when there is enough to tokenize (each worker
    reads its articles' files)."""
    # Asked for workers: a pool whatever the size (tests); else every core past POOL_ABOVE.
    workers = corpus.workers
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n <= 1 or len(ids) < 2 or (workers is None and corpus.passages(ids) < POOL_ABOVE):
        tokenizer = corpus.tokenizer(dictionary, record=True)
        for aid in ids:
            a = corpus.in_memory.get(aid) or _load_article(corpus.files[aid])
            yield _article_docs(a, tokenizer, aliases)
        return
    from concurrent.futures import ProcessPoolExecutor  # not on the serving path

    with ProcessPoolExecutor(
        max_workers=n,
        initializer=_worker_init,
        initargs=(list(corpus.user_words), dictionary, corpus.segmenter, list(aliases)),
    ) as pool:
        docs = pool.map(_worker_docs, [str(corpus.files[a]) for a in ids], chunksize=4)
        if corpus.segmenter != "jieba":
            # jieba's word counts, which the pruned dictionary is written from once the
            # pool is done, read while it works: read after, they were a third of a
            # second with every other core idle (#14). The workers are all started.
            dictionary_frequencies()
        yield from docs


_WORKER: dict[str, Any] = {}


def _worker_init(
    user_words: list[str], dictionary: Path | None, segmenter: str, aliases: list[AliasForm]
) -> None:
    _WORKER["tokenizer"] = Tokenizer(Folder(), user_words, dictionary, segmenter, record=True)
    _WORKER["aliases"] = aliases


def _worker_docs(path: str) -> tuple[list[Doc], list[Doc], set[str], StoreRows]:
    passages, events, words, rows = _article_docs(
        _load_article(Path(path)), _WORKER["tokenizer"], _WORKER["aliases"]
    )
    sent: set[str] = _WORKER.setdefault("sent", set())
    words -= sent  # each word crosses the process boundary once per worker
    sent |= words
    return passages, events, words, rows


def _article_docs(
    article: Article, tokenizer: Tokenizer, aliases: Sequence[AliasForm]
) -> tuple[list[Doc], list[Doc], set[str], StoreRows]:
    """The article's passage and event documents, the dictionary words their texts
    could be cut into (for the pruned dictionary), and its rows for the passage store
    (passages, events, head)."""
    passages = [
        Doc(p.id, article.id, " ".join(_analyze(p.text, tokenizer, aliases)))
        for p in article.passages
    ]
    events = [
        Doc(key, article.id, " ".join(_event_tokens(record, tokenizer, aliases)))
        for key, record in _event_records([article])
    ]
    return passages, events, tokenizer.take_recorded(), store_rows(article)


def _load_article(path: Path) -> Article:
    return _read_article(path, article_from_dict)


def _read_article(path: Path, read: Callable[[dict[str, Any]], Any]) -> Any:
    """``read`` of the article file's JSON; a file that is not an article is an error
    naming it, as ``load_articles`` gives."""
    try:
        return read(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as err:
        reason = f"not a normalised article ({type(err).__name__}: {err})"
        raise SourceFileError(str(path), f"{reason}; re-run `python -m bot ingest`") from None


def _article_files(articles_dir: Path) -> dict[str, Path]:
    """The article files by id, sorted: ``sorted(articles_dir.glob("*.json"))`` by name,
    listed with os.scandir (pathlib's glob and Path sorting took 30 ms of the first
    query at 5000 articles, #14)."""
    try:
        with os.scandir(articles_dir) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".json"))
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return {name[: -len(".json")]: articles_dir / name for name in names}


def _file_hash(path: Path, entry: Mapping[str, Any] | None, stat: Mapping[str, int]) -> str:
    """The file's SHA-256; read only when its size or mtime (``stat``, as ``_stat``
    gives it) differ from the manifest's."""
    if entry and entry.get("size") == stat["size"] and entry.get("mtime_ns") == stat["mtime_ns"]:
        return str(entry["sha"])
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stat(path: Path) -> dict[str, int]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _entry(speakers: Mapping[str, Sequence[str]], passages: int, sha: str) -> dict[str, Any]:
    return {
        "sha": sha,
        "passages": passages,
        "names": sorted({n for k, v in speakers.items() for n in (k, *v)}),
        "speakers": {k: list(v) for k, v in speakers.items()},
    }


def _speakers_and_count(path: Path) -> tuple[dict[str, list[str]], int]:
    """What the manifest keeps of an article, read without building it (the pool
    workers build it when they tokenize it)."""
    return _read_article(
        path, lambda data: (dict(data.get("speakers", {})), len(data.get("passages", ())))
    )


def _dictionary_texts(
    files: Mapping[str, Path], in_memory: Mapping[str, Article], user_words: Sequence[str]
) -> Iterator[str]:
    for aid, path in files.items():
        a = in_memory.get(aid) or _load_article(path)
        yield from (t.text for t in a.turns)
        yield a.title.value or ""
    yield from user_words


def _read_manifest(
    settings: SearchSettings, engine: EngineName | str | None
) -> dict[str, Any] | None:
    names = [engine] if engine and engine != "auto" else list(EngineName)
    for name in names:
        path = settings.index_dir / str(name) / MANIFEST
        if path.is_file():
            try:
                saved = json.loads(path.read_text(encoding="utf-8"))
                if saved.get("format") == INDEX_FORMAT and isinstance(saved.get("articles"), dict):
                    return saved
                log.info("index at %s has another format; rebuilding", path.parent)
            except (OSError, ValueError) as err:
                log.warning("index at %s unreadable (%s); rebuilding", path.parent, err)
    return None


def _write_manifest(
    directory: Path,
    key: str,
    name: EngineName,
    tokenizer: Tokenizer,
    entries: Mapping[str, Any],
    aliases: Sequence[AliasForm],
    deleted: int = 0,
) -> None:
    manifest = {
        "format": INDEX_FORMAT,
        "key": key,
        "engine": str(name),
        "segmenter": tokenizer.segmenter.name,
        "segmenter_version": tokenizer.segmenter.version,
        "user_words": list(tokenizer.user_words),
        "aliases": [[a.folded, list(a.canonical_tokens)] for a in aliases],
        "articles": dict(sorted(entries.items())),
        "deleted": deleted,  # passages deleted since the last full build
    }
    tmp = directory / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    tmp.replace(directory / MANIFEST)


def _aliases_from_json(saved: Mapping[str, Any]) -> tuple[AliasForm, ...]:
    return tuple(AliasForm(f, tuple(t)) for f, t in saved.get("aliases", ()))


def _index_key(
    user_words: Sequence[str],
    name: EngineName,
    segmenter: str,
    people: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """Everything that changes every token: format, tokenizer, the segmenter and its
    version (an index cut by another one, or another release of it, is rebuilt), the
    engine, the configured words and whose name each configured alias is."""
    version = segmenter_version(segmenter)
    parts = [INDEX_FORMAT, TOKENIZER_VERSION, segmenter, version, str(name), list(user_words)]
    if people:
        parts.append(sorted([k, sorted(v)] for k, v in people.items()))
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _same_segmenter(saved: Mapping[str, Any], segmenter: str) -> bool:
    return saved.get("segmenter") == segmenter and saved.get(
        "segmenter_version"
    ) == segmenter_version(segmenter)


def _stderr_progress(size: int) -> Callable[[str], None]:
    # A line for a person only when it will take more than a moment; the bar does the rest.
    if size < 2000 or not sys.stderr.isatty():
        return lambda message: log.info(message)
    return lambda message: print(message, file=sys.stderr, flush=True)


# ---- documents ------------------------------------------------------------------------


def _aliases_of_entries(
    entries: Mapping[str, Any],
    tokenizer: Tokenizer,
    people: Mapping[str, Sequence[str]] | None = None,
) -> list[AliasForm]:
    """The articles' speakers first (a form two people share is the speaker's), then
    everyone configured, speaker or not."""
    tables = [entries[a]["speakers"] for a in sorted(entries)]
    return _aliases_of_tables([*tables, people or {}], tokenizer)


def _aliases_of_tables(
    tables: Iterable[Mapping[str, Sequence[str]]], tokenizer: Tokenizer
) -> list[AliasForm]:
    """Each person's name forms, longest first, with the canonical name's tokens."""
    tables = list(tables)
    # Every canonical name is cut, even one whose forms another took: a recording
    # tokenizer's pruned dictionary keeps its words.
    canonicals = dict.fromkeys(c for table in tables for c in table)
    tokens = {c: tuple(tokenizer.tokens(c)) for c in canonicals}
    forms = folded_forms(tables, tokenizer.folder)
    ordered = sorted(forms.items(), key=lambda x: (-len(x[0]), x[0]))
    return [AliasForm(f, tokens[c]) for f, c in ordered]


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


def _event_records(articles: Sequence[Article]) -> list[tuple[str, EventRecord]]:
    """(key, record): the key is stable across updates ("article#e3")."""
    return [item for article in articles for item in event_records(article)]


def _event_texts(r: EventRecord) -> tuple[str, str]:
    """The sentence, and the paragraph around it with its speaker."""
    return r.event.text, r.paragraph + " " + (r.speaker or "")


def _event_tokens(r: EventRecord, tokenizer: Tokenizer, aliases: Sequence[AliasForm]) -> list[str]:
    """The sentence counts twice; the paragraph around it and its speaker give the
    subject an event sentence leaves to "他" or "该公司"."""
    sentence, context = (tokenizer.folder.fold(t) for t in _event_texts(r))
    tokens = tokenizer.tokens_of_folded(sentence) * 2 + tokenizer.tokens_of_folded(context)
    return tokens + _alias_tokens(sentence + " " + context, aliases)
