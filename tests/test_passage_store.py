"""The passage store beside the index (#14): a hit's passage is read from it, not from
its whole article file, so it must hold exactly the articles' passages after a build,
after every kind of update, and a store that is gone must bring a rebuild."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from bot.app import build_bot
from bot.config import Settings
from bot.core import CorpusBot
from bot.ingest.store import load_articles
from bot.search.passage_store import FILE, PassageStore
from tests.conftest import Deployment

ENGINE = "rank-bm25"  # the store is the same for both engines; this one updates in place


def _assert_store_holds_the_articles(directory: Path, articles: Path) -> None:
    expected = {p.id: p for a in load_articles(articles) for p in a.passages}
    store = PassageStore.open(directory)
    assert store is not None
    assert store.get_many(list(expected)) == expected
    with sqlite3.connect(directory / FILE) as db:
        assert db.execute("SELECT count(*) FROM passages").fetchone()[0] == len(expected)


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

    # Change one (its last passage dropped) and remove another.
    changed = articles / seeds[0].name
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["passages"] = data["passages"][:-1]
    data["passages"][-1]["text"] += "（改）"
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
