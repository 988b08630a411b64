"""The passages of the indexed articles, kept beside the index (``passages.sqlite3``).

A query needs the passages it found (their text for the relevance floor and the rerank,
their speaker, role and neighbours for question pairing) and the article only of the
few it shows. Reading each hit's whole article file for that (a JSON file of turns,
events and passages, built into an ``Article``) was a tenth of the first query's
second at 100 MB of text (#14); here a hit is one row looked up by its id.

Written with the index (rows come from the same pass that tokenizes the articles) and
changed with it: a build writes a new file beside the old one and renames it into
place, an update replaces the rows of its articles in one transaction. A reader keeps
its connection: after a rename it goes on reading the file it opened, as a tantivy
searcher goes on reading its segments. A row it lacks (a store from before an article
came) is read from the article file instead (``SearchIndex``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from bot.models import Article, Passage, Role

FILE = "passages.sqlite3"
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
_BY_ARTICLE = "CREATE INDEX IF NOT EXISTS passages_by_article ON passages (article)"


def passage_rows(article: Article) -> list[Row]:
    return [_row(p) for p in article.passages]


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
        self._db.execute(_SCHEMA)
        self._db.execute("BEGIN")
        self._target = target

    def remove(self, articles: Collection[str]) -> None:
        ids = sorted(articles)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            self._db.execute(f"DELETE FROM passages WHERE article IN ({marks})", chunk)

    def add(self, rows: Iterable[Row]) -> None:
        self._db.executemany(_INSERT, rows)

    def commit(self) -> None:
        self._db.execute(_BY_ARTICLE)  # after the rows: one sort instead of many inserts
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
        """The store of ``directory``, or None where there is none (then passages are
        read from the article files)."""
        path = directory / FILE
        if not path.is_file():
            return None
        try:
            uri = path.resolve().as_uri() + "?mode=ro"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            db.execute("SELECT 1 FROM passages LIMIT 1")
        except sqlite3.Error:
            return None
        return cls(db)

    def get_many(self, keys: Sequence[str]) -> dict[str, Passage]:
        """The passages of ``keys`` that the store holds, by id."""
        found: dict[str, Passage] = {}
        unique = list(dict.fromkeys(keys))
        with self._lock:
            for start in range(0, len(unique), CHUNK):
                chunk = unique[start : start + CHUNK]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT {_COLUMNS} FROM passages WHERE id IN ({marks})"
                try:
                    rows = self._db.execute(query, chunk).fetchall()
                except sqlite3.Error:
                    return found  # a store being replaced: the caller reads the articles
                found.update((row[0], _passage(row)) for row in rows)
        return found

    def get(self, key: str) -> Passage | None:
        return self.get_many([key]).get(key)
