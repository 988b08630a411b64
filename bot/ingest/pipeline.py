"""``python -m bot ingest``: raw files -> normalised articles in ``seeds/articles/``."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jieba
import jieba.posseg

from bot import messages
from bot.config import CorpusSettings
from bot.errors import SourceFileError
from bot.ingest import repairs
from bot.ingest.dates import find_events
from bot.ingest.decode import read_source
from bot.ingest.metadata import (
    find_metadata,
    interviewee_of,
    resolve_metadata,
    split_front_matter,
)
from bot.ingest.names import NOT_PEOPLE, SURNAMES, TRANSLIT
from bot.ingest.passages import make_passages
from bot.ingest.speakers import build_table
from bot.ingest.store import AtomicWriter, dumps
from bot.ingest.turns import (
    STAND_INS,
    UNNAMED_INTERVIEWEE,
    TurnRules,
    find_turns,
    mark_title,
)
from bot.models import Article, Field, Kind, Provenance
from bot.textfold import HAN, HAN_RE, Folder

log = logging.getLogger(__name__)

SOURCE_SUFFIXES = (".txt", ".md")
_HAN_NAME = re.compile(f"[{HAN}]{{2,4}}")


@dataclass(frozen=True)
class IngestReport:
    path: str
    article_id: str | None = None
    error: str | None = None
    paragraphs: int = 0
    turns_by_speaker: dict[str, int] = field(default_factory=dict)
    events: int = 0
    passages: int = 0
    repairs: dict[str, int] = field(default_factory=dict)
    unrepaired: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    written: bool = False
    removed: bool = False  # the article's raw file is gone, so the article went too
    size: int = 0  # bytes of the source file
    how: dict[str, dict[str, int]] = field(default_factory=dict)  # speaker -> how -> turns
    unattributed_quotes: int = 0
    unresolved_dates: tuple[str, ...] = ()
    seconds: float = 0.0  # time to build the article (reading to passages)

    def render(self) -> str:
        if self.error:
            return f"ERROR {self.path}: {self.error}"
        if self.removed:
            return f"{self.article_id}: removed (its raw file {self.path} is gone)"
        turns = ", ".join(f"{k} {v}" for k, v in self.turns_by_speaker.items()) or "none"
        fixes = ", ".join(f"{k} {v}" for k, v in self.repairs.items()) or "none"
        lines = [
            f"{self.article_id}: {self.paragraphs} paragraphs, {self.passages} passages, "
            f"{self.events} events{'' if self.written else ' (unchanged)'}",
            f"  turns: {turns}",
            f"  repairs: {fixes}",
        ]
        lines += [f"  left unrepaired: {note}" for note in self.unrepaired]
        lines += [f"  warning: {note}" for note in self.warnings]
        return "\n".join(lines)


class Ingestor:
    """Builds articles from raw files; one per bot or test, no shared state."""

    def __init__(self, settings: CorpusSettings, folder: Folder) -> None:
        self.settings = settings
        self.folder = folder
        jieba.setLogLevel(logging.WARNING)
        self._segmenter = jieba.Tokenizer()
        self._segmenter.initialize()
        self._tagger = _tagger(self._segmenter)
        self._people: dict[str, bool] = {}
        rules = repairs.BoilerplateRules(
            lines=tuple(re.compile(p) for p in settings.boilerplate_lines),
            tail_markers=tuple(re.compile(p) for p in settings.boilerplate_tail_markers),
        )
        self.steps = repairs.default_steps(self.word_score, rules, folder)
        self.turn_rules = TurnRules(frozenset(folder.fold(x) for x in settings.not_speakers))

    def preload(self) -> None:
        """Load now every table that building an article loads on first use (OpenCC's
        converters, the s2tw counts, pypinyin's readings, 0.3-0.5 s of CPU). Before a
        pool forks its workers (``bot.ingest.pool``), so they inherit them loaded and
        share their pages, instead of each loading its own."""
        self.folder.preload()
        repairs.load_tables()

    def word_score(self, text: str) -> float:
        """How plausible the Han text is: the log-probability per character of its
        best segmentation under jieba's word frequencies (a unigram language model)."""
        folded = "".join(HAN_RE.findall(self.folder.fold(text)))
        if not folded:
            return float("-inf")
        dag = self._segmenter.get_DAG(folded)
        route: dict[int, tuple[float, int]] = {}
        self._segmenter.calc(folded, dag, route)
        return route[0][0] / len(folded)

    def word_count(self, word: str) -> int:
        """How often jieba's dictionary saw ``word`` (0: not a word of it)."""
        return self._segmenter.FREQ.get(word) or 0

    def is_person(self, text: str) -> bool:
        """Whether Han text of 2-4 characters reads as a person's name: jieba's tagger
        says nr (or a proper noun), or a common surname opens a run of nouns, or an
        unknown word starts with a surname or is all transliteration."""
        known = self._people.get(text)
        if known is not None:
            return known
        folded = self.folder.fold(text)
        answer = False
        if _HAN_NAME.fullmatch(folded) and folded not in NOT_PEOPLE:
            words = list(self._tagger.cut(folded))
            flags = [w.flag for w in words]
            if len(words) == 1:
                flag = flags[0]
                unknown = self._segmenter.FREQ.get(folded) is None
                answer = (
                    flag.startswith("nr")
                    or flag == "nz"
                    or (flag in ("ns", "nt") and folded[0] in SURNAMES)
                    or (unknown and (folded[0] in SURNAMES or all(c in TRANSLIT for c in folded)))
                )
            else:
                answer = (
                    len(folded) <= 3
                    and folded[0] in SURNAMES
                    and all(f[:1] in ("n", "x") for f in flags)
                )
        self._people[text] = answer
        return answer

    def build(self, path: Path) -> Article:
        """read -> repair -> metadata -> cast -> turns -> events and passages."""
        raw, _encoding = read_source(path, self.word_score)
        article_id = path.stem
        overrides = self.settings.articles.get(article_id)
        front, body = split_front_matter(raw)
        found = find_metadata(body, front)
        result = repairs.run_pipeline(body, self.steps)
        paragraphs = [p for p in result.text.split("\n") if p.strip()]
        aliases = (overrides.aliases or {}) if overrides else {}
        table = build_table(self.folder, self.settings.speakers, aliases, paragraphs)
        meta = resolve_metadata(
            article_id,
            found,
            overrides,
            paragraphs,
            self.folder.script_of(result.text),
            table.resolve,
        )
        turns, answerer, cast = find_turns(
            paragraphs,
            table,
            self.turn_rules,
            meta.interviewee.value,
            meta.interviewer,
            is_person=self.is_person,
            word_count=self.word_count,
        )
        turns = mark_title(turns, meta.title.value)
        interviewee = meta.interviewee
        answering = interviewee_of(turns, STAND_INS)
        if interviewee.source is not Provenance.CONFIG and answering:
            interviewee = Field(answering, Provenance.TEXT)  # the labels say who answers
        if interviewee.value is None and answerer not in (None, UNNAMED_INTERVIEWEE):
            # The unnamed stand-in is for the turns, not a name found in the text.
            interviewee = Field(answerer, Provenance.TEXT)
        passages = tuple(make_passages(article_id, turns))
        if not passages:
            dropped = ", ".join(f"{k} {v}" for k, v in result.changes.items())
            reason = messages.NOTHING_TO_SEARCH.format(
                dropped=f" (repairs: {dropped})" if dropped else ""
            )
            raise SourceFileError(str(path), reason)
        mentioned = {t.speaker for t in turns if t.speaker}
        unresolved: list[str] = []
        events = find_events(turns, meta.published.value, meta.title.value, unresolved)
        return Article(
            id=article_id,
            source_file=path.name,
            title=meta.title,
            source_url=meta.source_url,
            published=meta.published,
            script=meta.script,
            interviewee=interviewee,
            author=meta.author,
            speakers={k: v for k, v in table.as_dict().items() if k in mentioned},
            turns=tuple(turns),
            events=tuple(events),
            passages=passages,
            repairs=result.changes,
            unrepaired=result.unresolved,
            links=tuple(u for u in found.links if u != meta.source_url.value),
            warnings=tuple(cast.warnings),
            unresolved_dates=tuple(unresolved),
        )

    def run(self, inputs: Sequence[Path]) -> list[IngestReport]:
        reports: list[IngestReport] = []
        seen: dict[str, Path] = {}
        # Each article is written (atomically) while the next is built; all are in
        # place when the block ends, before anything reads the folder.
        with AtomicWriter() as writer:
            for path in sorted(_source_files(inputs)):
                if path.stem in seen:
                    error = f"same name as {seen[path.stem]}"
                    reports.append(IngestReport(str(path), error=error))
                    continue
                seen[path.stem] = path
                started = time.perf_counter()
                try:
                    article = self.build(path)
                except SourceFileError as err:
                    # The report says so (one ERROR line per file); a log line would repeat it.
                    log.debug("ingest skipped %s: %s", path, err.reason)
                    reports.append(IngestReport(str(path), error=err.reason))
                    continue
                target = self.settings.articles_dir / f"{article.id}.json"
                text = dumps(article)
                unchanged = target.is_file() and target.read_text(encoding="utf-8") == text
                if not unchanged:
                    writer.write(target, text)
                report = _report(path, article, written=not unchanged)
                reports.append(dataclasses.replace(report, seconds=time.perf_counter() - started))
        return reports + remove_stale(self.settings, inputs, fresh_articles(reports))


def _tagger(segmenter: jieba.Tokenizer) -> jieba.posseg.POSTokenizer:
    """jieba's part-of-speech tagger over ``segmenter``. Its constructor reads the
    dictionary file again for a word -> tag table, half a second of every ingest (#14);
    over jieba's own dictionary that table is the one ``jieba.posseg`` read when it was
    imported, so a copy of that is taken instead (a copy: a tagger adds its tokenizer's
    user words to its table)."""
    shared = jieba.posseg.dt
    if segmenter.dictionary != shared.tokenizer.dictionary:
        return jieba.posseg.POSTokenizer(segmenter)
    tagger = object.__new__(jieba.posseg.POSTokenizer)
    tagger.tokenizer = segmenter
    tagger.word_tag_tab = dict(shared.word_tag_tab)
    return tagger


def fresh_articles(reports: Iterable[IngestReport]) -> set[str]:
    """The articles these reports wrote or found unchanged, each from a raw file that is
    there: ``remove_stale`` need not open them."""
    return {r.article_id for r in reports if r.article_id and not r.error and not r.removed}


def remove_stale(
    settings: CorpusSettings, inputs: Sequence[Path], fresh: Collection[str] = ()
) -> list[IngestReport]:
    """When the corpus's raw folder is ingested, an article whose raw file is no longer
    in it (or in the other folders ingested with it) is removed and reported, so it stops
    being searchable; a file that is no article is moved aside (``.json.unreadable``),
    since no index can be built beside it. ``fresh``: articles
    just built from these folders, kept without reading them (at 100 MB, reading every
    article again cost seconds).

    Nothing is removed when other inputs are ingested alone (``ingest ~/new-docs`` adds
    those documents; it says nothing of what the raw folder still holds), nor when the
    folders hold no source file at all: an unmounted disk or a mistyped folder would
    otherwise take every article with it. That case is reported as an error naming the
    folder, with the articles kept."""
    folders = [p for p in inputs if p.is_dir()]
    articles_dir = settings.articles_dir
    if not folders or len(folders) != len(inputs) or not articles_dir.is_dir():
        return []
    if settings.raw_dir.resolve() not in {f.resolve() for f in folders}:
        # Said, since the next ingest of the raw folder sweeps these articles as gone.
        log.warning(messages.OUTSIDE_RAW_DIR.format(raw_dir=settings.raw_dir))
        return []
    present = {p.name for p in _source_files(folders)}
    stale: list[tuple[Path, str]] = []
    unreadable: list[IngestReport] = []
    for path in sorted(articles_dir.glob("*.json")):
        if path.stem in fresh:
            continue
        try:
            source = json.loads(path.read_text(encoding="utf-8"))["source_file"]
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
            # A file no ingest wrote whole (copied in, damaged): the index cannot be
            # built beside it, and re-running ingest would never mend it. Kept, aside.
            unreadable.append(_set_aside(path, f"{type(err).__name__}: {err}"))
            continue
        if isinstance(source, str) and source not in present:
            stale.append((path, source))
    if stale and not present:
        where = ", ".join(str(f) for f in folders)
        log.warning("no source files in %s: kept %d articles", where, len(stale))
        return [IngestReport(where, error=messages.NO_SOURCE_FILES.format(kept=len(stale)))]
    for path, _ in stale:
        path.unlink(missing_ok=True)
    removed = [IngestReport(src, article_id=path.stem, removed=True) for path, src in stale]
    return unreadable + removed


def _set_aside(path: Path, reason: str) -> IngestReport:
    """An unreadable article file renamed out of the articles (``.json.unreadable``)."""
    moved = path.with_name(path.name + ".unreadable")
    try:
        path.replace(moved)
    except OSError as err:
        log.error("%s: not an article (%s), and cannot be moved aside: %s", path, reason, err)
        return IngestReport(str(path), error=f"not an article ({reason})")
    # (the report is printed whole; the log keeps a line of it for the operator)
    log.error("%s: not an article; moved aside to %s", path, moved.name)
    message = messages.UNREADABLE_ARTICLE.format(reason=reason[:200], moved=moved.name)
    return IngestReport(str(path), error=message)


def _source_files(inputs: Iterable[Path]) -> Iterable[Path]:
    for item in inputs:
        if item.is_dir():
            yield from (p for p in item.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES)
        else:
            yield item


def _report(path: Path, article: Article, written: bool) -> IngestReport:
    how: dict[str, dict[str, int]] = {}
    for t in article.turns:
        if t.speaker:
            counts = how.setdefault(t.speaker, {})
            counts[t.how.value] = counts.get(t.how.value, 0) + 1
    return IngestReport(
        size=path.stat().st_size,
        how=how,
        unattributed_quotes=sum(
            len(_QUOTATION.findall(t.text))
            for t in article.turns
            if t.speaker is None and t.kind is Kind.TEXT
        ),
        path=str(path),
        article_id=article.id,
        paragraphs=len({t.paragraph for t in article.turns}),
        turns_by_speaker=count_turns(article),
        events=len(article.events),
        passages=len(article.passages),
        repairs=article.repairs,
        unrepaired=article.unrepaired,
        warnings=article.warnings,
        unresolved_dates=article.unresolved_dates,
        written=written,
    )


_QUOTATION = re.compile(r"“[^“”]{8,}”|「[^「」]{8,}」")


def summarise(reports: Sequence[IngestReport], seconds: float) -> str:
    """The corpus-level summary a person can act on. Speed is bytes over the time spent
    building articles (per core; start-up and the index are not counted)."""
    ok = [r for r in reports if not r.error and not r.removed]
    size = sum(r.size for r in ok)
    building = sum(r.seconds for r in ok) or seconds
    speakers: dict[str, dict[str, int]] = {}
    for r in ok:
        for name, counts in r.how.items():
            mine = speakers.setdefault(name, {})
            for how, n in counts.items():
                mine[how] = mine.get(how, 0) + n
    lines = [
        f"corpus: {len(ok)} articles, {size / 1e6:.2f} MB, built in {building:.2f} s "
        f"({size / 1e6 / max(building, 1e-9):.2f} MB/s; {seconds:.2f} s in all)"
    ]
    ranked = sorted(speakers.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    for name, counts in ranked:
        hows = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        lines.append(f"  speaker {name}: {sum(counts.values())} turns ({hows})")
    quotes = sum(r.unattributed_quotes for r in ok)
    lines.append(f"  quotations left unattributed: {quotes}")
    dates = sum(len(r.unresolved_dates) for r in ok)
    lines.append(f"  dates not resolved (relative, nothing to resolve against): {dates}")
    removed = [r.article_id for r in reports if r.removed]
    if removed:
        lines.append(f"  removed (raw file gone): {', '.join(str(a) for a in removed)}")
    for r in ok:
        lines += [f"  warning {r.article_id}: {w}" for w in r.warnings]
        lines += [f"  unrepaired {r.article_id}: {u}" for u in r.unrepaired]
        if r.unresolved_dates:
            shown = ", ".join(f"'{d}'" for d in dict.fromkeys(r.unresolved_dates))
            lines.append(f"  dates not resolved {r.article_id}: {shown}")
    return "\n".join(lines)


def count_turns(article: Article) -> dict[str, int]:
    """Turns as a reader counts them: a speaker's consecutive paragraphs are one turn;
    narration is not counted."""
    counts: Counter[str] = Counter()
    previous: tuple[str | None, str] | None = None
    for t in article.turns:
        key = (t.speaker, t.role.value)
        if t.kind is Kind.HEADING:
            previous = None
            continue
        if t.speaker and key != previous:
            counts[f"{t.speaker} [{t.role.value}]"] += 1
        previous = key
    return dict(sorted(counts.items()))
