"""The passages and events of the indexed articles, kept beside the index
(``passages.sqlite3``).

A query needs the passages it found (their text for the relevance floor and the rerank,
their speaker, role and neighbours for question pairing) and the article only of the
few it shows. Reading each hit's whole article file for that (a JSON file of turns,
events and passages, built into an ``Article``) was a tenth of the first query's
second at 100 MB of text (#14); here a hit is one row looked up by its id. A timeline
hit likewise: its event, the text of its paragraph and the head of its article (title,
link, date, and the lead a headline is read with) are rows; a timeline read its
candidates' article files, 0.4 s of a first /timeline at 100 MB.

Written with the index (rows come from the same pass that tokenizes the articles) and
changed with it: a build writes a new file beside the old one and renames it into
place, an update replaces the rows of its articles in one transaction. A reader keeps
its connection: after a rename it goes on reading the file it opened, as a tantivy
searcher goes on reading its segments. A row it lacks (a store from before an article
came) is read from the article file instead (``SearchIndex``).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.models import Article, Event, EventKind, Field, Kind, Passage, Provenance, Role

log = logging.getLogger(__name__)
FILE = "passages.sqlite3"
# A news headline is read with this many first paragraphs of its article: the headline
# says the fact in few words ("拟入股"), the lead in more ("以换取49%的股权").
LEAD_PARAGRAPHS = 2
# SQLite's limit on parameters per statement is 32766 since 3.32; stay well under it.
CHUNK = 500
# id, article, position, paragraph, speaker, role, text, prev_id, next_id
Row = tuple[str, str, int, int, str | None, str, str, str | None, str | None]
_COLUMNS = "id, article, position, paragraph, speaker, role, text, prev_id, next_id"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS passages (id TEXT PRIMARY KEY, article TEXT NOT NULL, "
    "position INTEGER NOT NULL, paragraph INTEGER NOT NULL, speaker TEXT, role TEXT NOT NULL, "
    "text TEXT NOT NULL, prev_id TEXT, next_id TEXT)"
)
_INSERT = f"INSERT OR REPLACE INTO passages ({_COLUMNS}) VALUES ({','.join('?' * 9)})"
# key ("article#e3"), article, position, date, expression, text, paragraph, kind, end,
# speaker, the paragraph's text
EventRow = tuple[str, str, int, str, str, str, int, str, str | None, str | None, str]
_EVENT_COLUMNS = (
    "key, article, position, date, expression, text, paragraph, kind, end_date, speaker, context"
)
# id, title and its provenance, link and its, date and its, lead
HeadRow = tuple[str, str | None, str, str | None, str, str | None, str, str]
_HEAD_COLUMNS = "id, title, title_from, url, url_from, published, published_from, lead"
_EVENTS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS events (key TEXT PRIMARY KEY, article TEXT NOT NULL, "
    "position INTEGER NOT NULL, date TEXT NOT NULL, expression TEXT NOT NULL, "
    "text TEXT NOT NULL, paragraph INTEGER NOT NULL, kind TEXT NOT NULL, end_date TEXT, "
    "speaker TEXT, context TEXT NOT NULL)"
)
_HEADS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS heads (id TEXT PRIMARY KEY, title TEXT, title_from TEXT NOT NULL, "
    "url TEXT, url_from TEXT NOT NULL, published TEXT, published_from TEXT NOT NULL, "
    "lead TEXT NOT NULL)"
)
_INSERT_EVENT = f"INSERT OR REPLACE INTO events ({_EVENT_COLUMNS}) VALUES ({','.join('?' * 11)})"
_INSERT_HEAD = f"INSERT OR REPLACE INTO heads ({_HEAD_COLUMNS}) VALUES ({','.join('?' * 8)})"
_BY_ARTICLE = (
    "CREATE INDEX IF NOT EXISTS passages_by_article ON passages (article)",
    "CREATE INDEX IF NOT EXISTS events_by_article ON events (article, position)",
)
_SELECT_EVENTS = (
    f"SELECT {', '.join('e.' + c.strip() for c in _EVENT_COLUMNS.split(','))}, "
    f"{', '.join('h.' + c.strip() for c in _HEAD_COLUMNS.split(','))} "
    "FROM events e JOIN heads h ON h.id = e.article"
)


@dataclass(frozen=True)
class ArticleHead:
    """What a timeline reads of an event's article: the id, title, link and date its
    entries name as a source, and the lead a headline is read with (``lead_of``)."""

    id: str
    title: Field
    source_url: Field
    published: Field
    lead: str


@dataclass(frozen=True)
class EventRecord:
    """A dated event as a timeline reads it: the event, its article's head, the speaker
    of its paragraph and that paragraph's text (the event is indexed with both)."""

    event: Event
    article: ArticleHead
    speaker: str | None
    paragraph: str


@dataclass(frozen=True)
class StoreRows:
    """What the store keeps of one article: its passages, its events and its head."""

    passages: list[Row]
    events: list[EventRow]
    head: HeadRow


def head_of(article: Article) -> ArticleHead:
    return ArticleHead(
        article.id, article.title, article.source_url, article.published, lead_of(article)
    )


def lead_of(article: Article) -> str:
    """The text of the article's first ``LEAD_PARAGRAPHS`` paragraphs of text (not
    headings): a headline is short, so a topic worded as the article words the fact
    ("股权" for "入股") would miss the very event the article is about."""
    lead: list[int] = []
    for turn in article.turns:
        if turn.kind is Kind.TEXT and turn.paragraph not in lead:
            if len(lead) == LEAD_PARAGRAPHS:
                break
            lead.append(turn.paragraph)
    return " ".join(t.text for t in article.turns if t.paragraph in lead)


def event_records(article: Article) -> Iterator[tuple[str, EventRecord]]:
    """(key, record) of each event of the article; the key is stable across updates
    ("article#e3")."""
    if not article.events:
        return
    head = head_of(article)
    speaker_of = {t.paragraph: t.speaker for t in article.turns if t.speaker}
    texts: dict[int, list[str]] = {}
    for turn in article.turns:
        texts.setdefault(turn.paragraph, []).append(turn.text)
    for n, event in enumerate(article.events):
        paragraph = "".join(texts.get(event.paragraph, ()))
        record = EventRecord(event, head, speaker_of.get(event.paragraph), paragraph)
        yield f"{article.id}#e{n}", record


def store_rows(article: Article) -> StoreRows:
    """The article's rows: from the same pass that tokenizes it."""
    events = [_event_row(key, n, r) for n, (key, r) in enumerate(event_records(article))]
    head = head_of(article)
    return StoreRows(
        [_row(p) for p in article.passages],
        events,
        (
            head.id,
            head.title.value,
            head.title.source.value,
            head.source_url.value,
            head.source_url.source.value,
            head.published.value,
            head.published.source.value,
            head.lead,
        ),
    )


def _event_row(key: str, position: int, r: EventRecord) -> EventRow:
    e = r.event
    return (
        key,
        r.article.id,
        position,
        e.date,
        e.expression,
        e.text,
        e.paragraph,
        e.kind.value,
        e.end,
        r.speaker,
        r.paragraph,
    )


def _head(row: HeadRow) -> ArticleHead:
    key, title, title_from, url, url_from, published, published_from, lead = row
    return ArticleHead(
        key,
        Field(title, Provenance(title_from)),
        Field(url, Provenance(url_from)),
        Field(published, Provenance(published_from)),
        lead,
    )


def _record(row: tuple[object, ...], heads: dict[str, ArticleHead]) -> tuple[str, EventRecord]:
    """(key, record) of a row of ``_SELECT_EVENTS``: the event's columns, then its
    article's head's (one ``ArticleHead`` per article, kept in ``heads``)."""
    event_row: EventRow = row[:11]  # type: ignore[assignment]
    key, article, _, date, expression, text, paragraph, kind, end, speaker, context = event_row
    head = heads.get(article)
    if head is None:
        head = heads[article] = _head(row[11:])  # type: ignore[arg-type]
    event = Event(date, expression, text, paragraph, EventKind(kind), end)
    return key, EventRecord(event, head, speaker, context)


def _row(p: Passage) -> Row:
    return (
        p.id,
        p.article_id,
        p.position,
        p.paragraph,
        p.speaker,
        p.role.value,
        p.text,
        p.prev_id,
        p.next_id,
    )


def _passage(row: Row) -> Passage:
    key, article, position, paragraph, speaker, role, text, prev_id, next_id = row
    return Passage(key, article, position, paragraph, speaker, Role(role), text, prev_id, next_id)


class PassageWriter:
    """Rows into the store of ``directory``. ``fresh``: a new store (a build), written
    beside the saved one and renamed into place by ``commit``; else the saved store,
    changed in one transaction (an update). Nothing is seen before ``commit``."""

    def __init__(self, directory: Path, fresh: bool) -> None:
        self._path = directory / FILE
        self._fresh = fresh
        target = self._path.with_name(FILE + ".tmp") if fresh else self._path
        if fresh:
            target.unlink(missing_ok=True)
        self._db = sqlite3.connect(target, isolation_level=None)
        if fresh:
            # A half-written new file is thrown away (no manifest names it): no journal.
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
        for schema in (_SCHEMA, _EVENTS_SCHEMA, _HEADS_SCHEMA):
            self._db.execute(schema)
        self._db.execute("BEGIN")
        self._target = target

    def remove(self, articles: Collection[str]) -> None:
        ids = sorted(articles)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for table, column in (("passages", "article"), ("events", "article"), ("heads", "id")):
                self._db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)

    def add(self, rows: StoreRows) -> None:
        self._db.executemany(_INSERT, rows.passages)
        self._db.executemany(_INSERT_EVENT, rows.events)
        self._db.execute(_INSERT_HEAD, rows.head)

    def commit(self) -> None:
        for index in _BY_ARTICLE:  # after the rows: one sort instead of many inserts
            self._db.execute(index)
        self._db.execute("COMMIT")
        self._db.close()
        if self._fresh:
            os.replace(self._target, self._path)

    def abandon(self) -> None:
        """Close without committing: a fresh store's file is removed."""
        self._db.close()
        if self._fresh:
            self._target.unlink(missing_ok=True)


class PassageStore:
    """Passages by id from a saved store; safe to share between threads."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._lock = threading.Lock()

    @classmethod
    def open(cls, directory: Path) -> PassageStore | None:
        """The store of ``directory``, or None where there is none or it cannot be read
        (then passages and events are read from the article files, slower but the
        same)."""
        path = directory / FILE
        if not path.is_file():
            log.warning("no passage store at %s: reading hits from the article files", path)
            return None
        try:
            uri = path.resolve().as_uri() + "?mode=ro"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            for table in ("passages", "events", "heads"):
                db.execute(f"SELECT 1 FROM {table} LIMIT 1")
        except sqlite3.Error as err:
            log.warning(
                "passage store %s unreadable (%s): reading hits from the article files", path, err
            )
            return None
        return cls(db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _rows_where_in(self, select: str, keys: Sequence[str]) -> Iterator[Any]:
        """The rows of ``select`` (ending in ``WHERE column``) whose column is one of
        ``keys``, asked CHUNK keys at a time: SQLite caps the parameters of one
        statement. The caller holds the lock and handles ``sqlite3.Error``."""
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), CHUNK):
            chunk = unique[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            yield from self._db.execute(f"{select} IN ({marks})", chunk).fetchall()

    def get_many(self, keys: Sequence[str]) -> dict[str, Passage]:
        """The passages of ``keys`` that the store holds, by id."""
        found: dict[str, Passage] = {}
        with self._lock:
            try:
                for row in self._rows_where_in(f"SELECT {_COLUMNS} FROM passages WHERE id", keys):
                    found[row[0]] = _passage(row)
            except sqlite3.Error:
                pass  # a store being replaced: the caller reads the articles
        return found

    def get(self, key: str) -> Passage | None:
        return self.get_many([key]).get(key)

    def events_many(self, keys: Sequence[str]) -> dict[str, EventRecord]:
        """The events of ``keys`` that the store holds, by key, each with its
        article's head."""
        found: dict[str, EventRecord] = {}
        heads: dict[str, ArticleHead] = {}
        with self._lock:
            try:
                found.update(
                    _record(row, heads)
                    for row in self._rows_where_in(f"{_SELECT_EVENTS} WHERE e.key", keys)
                )
            except sqlite3.Error as err:
                log.warning("passage store: %s; reading events from the article files", err)
        return found

    def all_events(self) -> tuple[dict[str, list[EventRecord]], set[str]] | None:
        """Every event the store holds, by article in reading order, and every article
        it holds (with events or not); None when it cannot be read."""
        heads: dict[str, ArticleHead] = {}
        by_article: dict[str, list[EventRecord]] = {}
        with self._lock:
            try:
                rows = self._db.execute(f"{_SELECT_EVENTS} ORDER BY e.article, e.position")
                for row in rows:
                    _, record = _record(row, heads)
                    by_article.setdefault(record.article.id, []).append(record)
                articles = {key for (key,) in self._db.execute("SELECT id FROM heads")}
            except sqlite3.Error as err:
                log.warning("passage store: %s; reading events from the article files", err)
                return None
        return by_article, articles


def readable(directory: Path) -> bool:
    """Whether the store of ``directory`` is there and can be read (logged when not):
    an update writes into it, and one that cannot be read is rebuilt whole."""
    store = PassageStore.open(directory)
    if store is None:
        return False
    store.close()
    return True
