"""The passage store beside the index (#14): a hit's passage and a timeline's event are
read from it, not from their whole article file, so it must hold exactly the articles'
passages and events after a build, after every kind of update; a store that is gone or
of an older format must bring a rebuild, and one that cannot be read must leave the
answers as they were, read from the article files."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.app import build_bot
from bot.config import Settings
from bot.core import CorpusBot
from bot.ingest.store import load_articles
from bot.replyjson import reply_to_json
from bot.search.index import MANIFEST
from bot.search.passage_store import FILE, PassageStore, event_records
from tests.conftest import Deployment

ENGINE = "rank-bm25"  # the store is the same for both engines; this one updates in place


def _assert_store_holds_the_articles(directory: Path, articles: Path) -> None:
    """Exactly the articles' passages and events (each with what a timeline reads beside
    it: its paragraph, speaker, and its article's title, link, date and lead)."""
    loaded = load_articles(articles)
    expected = {p.id: p for a in loaded for p in a.passages}
    store = PassageStore.open(directory)
    assert store is not None
    assert store.get_many(list(expected)) == expected
    with sqlite3.connect(directory / FILE) as db:
        assert db.execute("SELECT count(*) FROM passages").fetchone()[0] == len(expected)
    events = {key: record for a in loaded for key, record in event_records(a)}
    assert events  # the bundled articles have dated events
    assert store.events_many(list(events)) == events
    every = store.all_events()
    assert every is not None
    by_article, held = every
    assert held == {a.id for a in loaded}
    assert by_article == {a.id: [r for _, r in event_records(a)] for a in loaded if a.events}


def test_the_store_holds_every_passage_of_the_bundled_corpus(
    bot: CorpusBot, index_settings: Settings
) -> None:
    directory = index_settings.search.index_dir / bot.index.engine_name
    _assert_store_holds_the_articles(directory, index_settings.corpus.articles_dir)
    # And a search answers from it: only the articles of the shown results are read.
    fresh = build_bot(index_settings, folder=bot.index.folder)
    reply = fresh.ask("/quote 数据墙")
    assert reply.results
    shown = {r.article_id for r in reply.results}
    assert set(fresh.index.articles.loaded) == shown


def test_the_store_follows_added_changed_and_removed_articles(deployment: Deployment) -> None:
    articles, seeds = deployment.articles, deployment.seeds
    (articles / seeds[-1].name).unlink()
    directory = deployment.at("live").search.index_dir / ENGINE
    assert deployment.sync(ENGINE).action == "built"
    _assert_store_holds_the_articles(directory, articles)

    shutil.copy(seeds[-1], articles)  # add one
    assert deployment.sync(ENGINE).action == "updated"
    _assert_store_holds_the_articles(directory, articles)

    # Change one (its last passage dropped, its events redated) and remove another.
    changed = articles / seeds[0].name
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["passages"] = data["passages"][:-1]
    data["passages"][-1]["text"] += "（改）"
    assert data["events"]
    data["events"] = [event | {"date": "1999"} for event in data["events"]]
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (articles / seeds[1].name).unlink()
    report = deployment.sync(ENGINE)
    assert (report.action, report.changed, report.removed) == ("updated", 1, 1)
    _assert_store_holds_the_articles(directory, articles)


def test_an_index_without_its_store_is_rebuilt(deployment: Deployment) -> None:
    assert deployment.sync(ENGINE).action == "built"
    assert deployment.sync(ENGINE).action == "loaded"
    directory = deployment.at("live").search.index_dir / ENGINE
    (directory / FILE).unlink()
    assert deployment.sync(ENGINE).action == "built"
    _assert_store_holds_the_articles(directory, deployment.articles)


def test_an_index_from_an_older_format_is_rebuilt_with_its_events(deployment: Deployment) -> None:
    assert deployment.sync(ENGINE).action == "built"
    directory = deployment.at("live").search.index_dir / ENGINE
    # What format 5 left: a store of passages only, named by its manifest.
    with sqlite3.connect(directory / FILE) as db:
        db.execute("DROP TABLE events")
        db.execute("DROP TABLE heads")
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    (directory / MANIFEST).write_text(json.dumps(manifest | {"format": 5}), encoding="utf-8")
    assert deployment.sync(ENGINE).action == "built"
    _assert_store_holds_the_articles(directory, deployment.articles)


def test_an_unreadable_store_is_rebuilt_by_the_next_update(deployment: Deployment) -> None:
    assert deployment.sync(ENGINE).action == "built"
    directory = deployment.at("live").search.index_dir / ENGINE
    (directory / FILE).write_bytes(b"not a database" * 100)
    assert deployment.sync(ENGINE).action == "loaded"  # nothing to write: the readers cope
    (deployment.articles / deployment.seeds[1].name).unlink()
    assert deployment.sync(ENGINE).action == "built"
    _assert_store_holds_the_articles(directory, deployment.articles)


ASKS = (
    "/timeline Meta",
    "/timeline 2021",  # dates only: every event of the corpus
    "时间线 2024年以来",
    "/quote 数据墙",
    "谁说 竞争就是做得更好",
)


@pytest.mark.parametrize("damage", ["corrupt", "no events"])
def test_an_unreadable_store_leaves_the_answers_as_they_were(
    deployment: Deployment, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    live, folder = deployment.at("live"), deployment.folder
    expected = [reply_to_json(build_bot(live, ENGINE, folder=folder).ask(a)) for a in ASKS]
    path = live.search.index_dir / ENGINE / FILE
    if damage == "corrupt":
        path.write_bytes(b"not a database" * 100)
    else:
        with sqlite3.connect(path) as db:
            db.execute("DROP TABLE events")
    with caplog.at_level(logging.WARNING, logger="bot.search.passage_store"):
        damaged = build_bot(live, ENGINE, folder=folder)
    assert f"passage store {path} unreadable" in caplog.text
    assert [reply_to_json(damaged.ask(a)) for a in ASKS] == expected
    assert damaged.index.articles.loaded  # read from the article files


def test_many_keys_are_read_a_chunk_at_a_time_each_once(
    bot: CorpusBot, index_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite caps a statement's parameters, so ``get_many`` and ``events_many`` ask for
    a few keys at a time: every chunk is read, a repeated key counts once, and a key
    the store does not hold is left out."""
    import bot.search.passage_store as passage_store

    monkeypatch.setattr(passage_store, "CHUNK", 3)
    directory = index_settings.search.index_dir / bot.index.engine_name
    loaded = load_articles(index_settings.corpus.articles_dir)
    store = PassageStore.open(directory)
    assert store is not None
    passages = {p.id: p for a in loaded for p in a.passages[:4]}
    events = {key: record for a in loaded for key, record in list(event_records(a))[:4]}
    assert len(passages) > 9 and len(events) > 9
    for keys, read, expected in (
        (list(passages), store.get_many, passages),
        (list(events), store.events_many, events),
    ):
        asked = [*keys, keys[0], "no such key", *keys[:5]]
        assert read(asked) == expected
