"""The index follows the articles one article at a time, and ends where a full
rebuild would: the same top results for every dev query, on both engines."""

from __future__ import annotations

import json
import shutil

import pytest

from bot.app import build_bot
from bot.core import CorpusBot
from bot.evaluate import load_queries
from tests.conftest import DATA, SHARED_EVAL, Deployment

ENGINES = ("rank-bm25", "tantivy")


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
    deployment: Deployment, engine: str
) -> None:
    articles, seeds, folder = deployment.articles, deployment.seeds, deployment.folder
    (articles / seeds[-1].name).unlink()
    live = deployment.at("live")
    assert deployment.sync(engine).action == "built"

    shutil.copy(seeds[-1], articles)  # add one
    report = deployment.sync(engine)
    assert (report.action, report.added) == ("updated", 1)
    fresh = deployment.at("fresh")
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
    report = deployment.sync(engine)
    if engine == "rank-bm25":
        assert (report.action, report.changed, report.removed) == ("updated", 1, 1)
    else:  # a third of the passages deleted: tantivy's statistics would drift, so it rebuilds
        assert report.action == "built"
    again = deployment.at("again")
    live_bot, fresh_bot = (
        build_bot(live, engine, folder=folder),
        build_bot(again, engine, folder=folder),
    )
    assert len(live_bot.index.passages) == len(fresh_bot.index.passages)
    assert _top(live_bot) == _top(fresh_bot)
    assert deployment.sync(engine).action == "loaded"  # nothing left to do


def test_a_new_speaker_name_reindexes_the_articles_that_hold_it(deployment: Deployment) -> None:
    articles, seeds, folder = deployment.articles, deployment.seeds, deployment.folder
    deployment.sync("tantivy")
    # An article that names a new speaker: the name becomes a user word, so every
    # article whose text holds it is cut anew.
    data = json.loads(seeds[0].read_text(encoding="utf-8"))
    data["id"] = "999_new_speaker"
    for p in data["passages"]:
        p["id"] = p["id"].replace(seeds[0].stem, "999_new_speaker")
    data["speakers"] = {**data["speakers"], "扎克伯格先生": ["马克先生"]}
    (articles / "999_new_speaker.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    report = deployment.sync("tantivy")
    assert report.action == "updated" and report.added == 1
    assert _top(build_bot(deployment.at("live"), "tantivy", folder=folder)) == _top(
        build_bot(deployment.at("fresh"), "tantivy", folder=folder)
    )
