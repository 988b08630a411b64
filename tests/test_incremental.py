"""The index follows the articles one article at a time, and ends where a full
rebuild would: the same top results for every dev query, on both engines."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from bot.app import build_bot
from bot.config import Settings
from bot.core import CorpusBot
from bot.evaluate import load_queries
from bot.search.index import configured_words, sync_index
from bot.textfold import Folder
from tests.conftest import DATA, ROOT, SHARED_EVAL

ENGINES = ("rank-bm25", "tantivy")


def _settings(settings: Settings, articles: Path, index: Path) -> Settings:
    return dataclasses.replace(
        settings,
        corpus=dataclasses.replace(settings.corpus, articles_dir=articles),
        search=dataclasses.replace(settings.search, index_dir=index),
    )


def _sync(settings: Settings, folder: Folder, engine: str):  # type: ignore[no-untyped-def]
    search = settings.search
    words = configured_words(settings.corpus)
    people = settings.corpus.speakers
    return sync_index(settings.corpus.articles_dir, search, folder, words, engine, people=people)[1]


def _top(bot: CorpusBot) -> list[tuple[str, list[str]]]:
    asks = [q["ask"] for q in load_queries(DATA / "dev.jsonl")]
    if SHARED_EVAL.is_file():
        asks += [q["ask"] for q in load_queries(SHARED_EVAL)]
    out = []
    for ask in asks:
        reply = bot.ask(ask)
        out.append((ask, [r.passage_id for r in reply.results] or [e.text for e in reply.events]))
    return out


@pytest.mark.parametrize("engine", ENGINES)
def test_adding_changing_and_removing_one_article_equals_a_full_rebuild(
    settings: Settings, folder: Folder, tmp_path: Path, engine: str
) -> None:
    seeds = sorted((ROOT / "seeds" / "articles").glob("*.json"))
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in seeds[:-1]:
        shutil.copy(path, articles)
    live = _settings(settings, articles, tmp_path / "live")
    assert _sync(live, folder, engine).action == "built"

    shutil.copy(seeds[-1], articles)  # add one
    report = _sync(live, folder, engine)
    assert (report.action, report.added) == ("updated", 1)
    fresh = _settings(settings, articles, tmp_path / "fresh")
    assert _top(build_bot(live, engine, folder=folder)) == _top(
        build_bot(fresh, engine, folder=folder)
    )

    # Change one: drop its last passage, as a re-ingest of an edited file would.
    changed = articles / seeds[0].name
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["passages"] = data["passages"][:-1]
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    # Remove one.
    (articles / seeds[1].name).unlink()
    report = _sync(live, folder, engine)
    if engine == "rank-bm25":
        assert (report.action, report.changed, report.removed) == ("updated", 1, 1)
    else:  # a third of the passages deleted: tantivy's statistics would drift, so it rebuilds
        assert report.action == "built"
    again = _settings(settings, articles, tmp_path / "again")
    live_bot, fresh_bot = (
        build_bot(live, engine, folder=folder),
        build_bot(again, engine, folder=folder),
    )
    assert len(live_bot.index.passages) == len(fresh_bot.index.passages)
    assert _top(live_bot) == _top(fresh_bot)
    assert _sync(live, folder, engine).action == "loaded"  # nothing left to do


def test_a_new_speaker_name_reindexes_the_articles_that_hold_it(
    settings: Settings, folder: Folder, tmp_path: Path
) -> None:
    seeds = sorted((ROOT / "seeds" / "articles").glob("*.json"))
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in seeds:
        shutil.copy(path, articles)
    live = _settings(settings, articles, tmp_path / "live")
    _sync(live, folder, "tantivy")
    # An article that names a new speaker: the name becomes a user word, so every
    # article whose text holds it is cut anew.
    data = json.loads(seeds[0].read_text(encoding="utf-8"))
    data["id"] = "999_new_speaker"
    for p in data["passages"]:
        p["id"] = p["id"].replace(seeds[0].stem, "999_new_speaker")
    data["speakers"] = {**data["speakers"], "扎克伯格先生": ["马克先生"]}
    (articles / "999_new_speaker.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    report = _sync(live, folder, "tantivy")
    assert report.action == "updated" and report.added == 1
    fresh = _settings(settings, articles, tmp_path / "fresh")
    assert _top(build_bot(live, "tantivy", folder=folder)) == _top(
        build_bot(fresh, "tantivy", folder=folder)
    )
