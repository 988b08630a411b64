"""The passage store beside the index (#14): a hit's passage is read from it, not from
its whole article file, so it must hold exactly the articles' passages after a build,
after every kind of update, and a store that is gone must bring a rebuild."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

from bot.app import build_bot
from bot.config import Settings
from bot.core import CorpusBot
from bot.ingest.store import load_articles
from bot.search.index import configured_words, sync_index
from bot.search.passage_store import FILE, PassageStore
from bot.textfold import Folder
from tests.conftest import ROOT

ENGINE = "rank-bm25"  # the store is the same for both engines; this one updates in place


def _settings(settings: Settings, articles: Path, index: Path) -> Settings:
    return dataclasses.replace(
        settings,
        corpus=dataclasses.replace(settings.corpus, articles_dir=articles),
        search=dataclasses.replace(settings.search, index_dir=index),
    )


def _sync(settings: Settings, folder: Folder):  # type: ignore[no-untyped-def]
    words = configured_words(settings.corpus)
    people = settings.corpus.speakers
    articles, search = settings.corpus.articles_dir, settings.search
    return sync_index(articles, search, folder, words, ENGINE, people=people)[1]


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


def test_the_store_follows_added_changed_and_removed_articles(
    settings: Settings, folder: Folder, tmp_path: Path
) -> None:
    seeds = sorted((ROOT / "seeds" / "articles").glob("*.json"))
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in seeds[:-1]:
        shutil.copy(path, articles)
    live = _settings(settings, articles, tmp_path / "index")
    directory = live.search.index_dir / ENGINE
    assert _sync(live, folder).action == "built"
    _assert_store_holds_the_articles(directory, articles)

    shutil.copy(seeds[-1], articles)  # add one
    assert _sync(live, folder).action == "updated"
    _assert_store_holds_the_articles(directory, articles)

    # Change one (its last passage dropped) and remove another.
    changed = articles / seeds[0].name
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["passages"] = data["passages"][:-1]
    data["passages"][-1]["text"] += "（改）"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (articles / seeds[1].name).unlink()
    report = _sync(live, folder)
    assert (report.action, report.changed, report.removed) == ("updated", 1, 1)
    _assert_store_holds_the_articles(directory, articles)


def test_an_index_without_its_store_is_rebuilt(
    settings: Settings, folder: Folder, tmp_path: Path
) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds" / "articles", articles)
    live = _settings(settings, articles, tmp_path / "index")
    assert _sync(live, folder).action == "built"
    assert _sync(live, folder).action == "loaded"
    (live.search.index_dir / ENGINE / FILE).unlink()
    assert _sync(live, folder).action == "built"
    _assert_store_holds_the_articles(live.search.index_dir / ENGINE, articles)
