"""Live reload: a changed article set is swapped in while the bot answers, no answer
fails during a swap, a failed reload keeps the old index, and SIGHUP or a file change
starts one."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import shutil
import signal
import threading
from pathlib import Path

import pytest

from bot import messages
from bot.app import build_bot, build_reloader
from bot.config import Settings
from bot.evaluate import load_queries
from bot.models import Command
from bot.session import Session
from bot.textfold import Folder
from tests.conftest import DATA, ROOT

SEEDS = sorted((ROOT / "seeds" / "articles").glob("*.json"))


def _live(settings: Settings, tmp_path: Path, engine: str, first: int) -> Settings:
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in SEEDS[:first]:
        shutil.copy(path, articles)
    return dataclasses.replace(
        settings,
        corpus=dataclasses.replace(settings.corpus, articles_dir=articles),
        search=dataclasses.replace(settings.search, index_dir=tmp_path / "index", engine=engine),
    )


@pytest.mark.parametrize("engine", ["rank-bm25", "tantivy"])
def test_swaps_under_queries_never_fail_an_answer(
    settings: Settings, folder: Folder, tmp_path: Path, engine: str
) -> None:
    live = _live(settings, tmp_path, engine, first=3)
    bot = build_bot(live, folder=folder)
    reloader = build_reloader(bot, live)
    asks = [q["ask"] for q in load_queries(DATA / "dev.jsonl")]
    failures: list[str] = []
    answered = 0
    stop = threading.Event()

    def ask_forever() -> None:
        nonlocal answered
        while not stop.is_set():
            for ask in asks:
                for offset in (0, 3):  # a first page and a "More"
                    try:
                        reply = bot.ask(ask, offset)
                    except Exception as err:  # a crash is a failed answer too
                        failures.append(f"{ask}: {type(err).__name__}: {err}")
                        continue
                    if reply.command is Command.ERROR:
                        failures.append(f"{ask}: {reply.message}")
                    answered += 1
                    # A pause as chat traffic has: without it two askers hold the GIL
                    # and each swap takes ten times as long, with no more overlap.
                    stop.wait(0.01)

    askers = [threading.Thread(target=ask_forever) for _ in range(2)]
    for t in askers:
        t.start()
    try:
        sizes = []
        # Add the other two articles, then remove one, then put it back: three swaps.
        for step in range(3):
            articles = live.corpus.articles_dir
            if step == 0:
                for path in SEEDS[3:]:
                    shutil.copy(path, articles)
            elif step == 1:
                (articles / SEEDS[0].name).unlink()
            else:
                shutil.copy(SEEDS[0], articles)
            outcome = reloader.reload()
            assert outcome.ok, outcome.message
            sizes.append(len(bot.index.articles))
    finally:
        stop.set()
        for t in askers:
            t.join()
    assert sizes == [5, 4, 5]
    assert answered > 0 and not failures, failures[:5]


def test_a_failed_reload_keeps_the_old_index_and_says_why(
    settings: Settings, folder: Folder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    live = _live(settings, tmp_path, "rank-bm25", first=5)
    bot = build_bot(live, folder=folder)
    before = bot.index
    (live.corpus.articles_dir / "broken.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="bot.reload"):
        outcome = build_reloader(bot, live).reload()
    assert not outcome.ok
    assert "broken.json" in outcome.message and "previous index" in outcome.message
    assert "corpus reload failed" in caplog.text
    assert "Traceback" not in caplog.text  # a known fault, said in one line
    assert bot.index is before
    assert bot.ask("/quote 数据铸造厂").results  # still answering


def test_paging_after_a_swap_still_answers(
    settings: Settings, folder: Folder, tmp_path: Path
) -> None:
    live = _live(settings, tmp_path, "rank-bm25", first=5)
    bot = build_bot(live, folder=folder)
    first = bot.ask("/quote 数据")
    assert first.results
    (live.corpus.articles_dir / SEEDS[0].name).unlink()
    assert build_reloader(bot, live).reload().ok
    more = bot.ask("/quote 数据", offset=3)  # the More button pressed before the swap
    assert more.command is Command.QUOTE
    assert all(r.article_id != SEEDS[0].stem for r in more.results)


def test_a_page_asked_before_a_swap_says_the_corpus_changed(
    settings: Settings, folder: Folder, tmp_path: Path
) -> None:
    live = _live(settings, tmp_path, "tantivy", first=4)
    bot = build_bot(live, folder=folder)
    session = Session(bot)
    first = session.ask("/quote 数据").reply
    assert first.corpus and first.next_offset is not None
    same = bot.ask("/quote 数据", offset=3, corpus=first.corpus)  # no reload: no notice
    assert messages.CORPUS_CHANGED not in same.notices and same.corpus == first.corpus
    shutil.copy(SEEDS[4], live.corpus.articles_dir)
    assert build_reloader(bot, live).reload().ok
    more = session.ask("more").reply  # the console's `more`, as a button would page
    assert more.command is Command.QUOTE and more.results  # still served
    assert more.notices[0] == messages.CORPUS_CHANGED
    assert more.corpus == bot.index.version != first.corpus
    # The version is the article set's: a restart on the same articles keeps it.
    assert build_bot(live, folder=folder).index.version == more.corpus
    # A button made before versions (none carried) pages without a notice.
    assert messages.CORPUS_CHANGED not in bot.ask("/quote 数据", offset=3).notices


async def test_a_file_change_and_sighup_each_reload(
    settings: Settings, folder: Folder, tmp_path: Path
) -> None:
    live = _live(settings, tmp_path, "rank-bm25", first=4)
    bot = build_bot(live, folder=folder)
    task = asyncio.create_task(build_reloader(bot, live).run())
    try:
        await asyncio.sleep(0.5)  # the watcher is up
        shutil.copy(SEEDS[4], live.corpus.articles_dir)  # as ingest would write it
        await _until(lambda: len(bot.index.articles) == 5)
        (live.corpus.articles_dir / SEEDS[4].name).unlink()
        await _until(lambda: len(bot.index.articles) == 4)
        # SIGHUP: a reload even when nothing was seen to change (here: the same set).
        index = bot.index
        os.kill(os.getpid(), signal.SIGHUP)
        await _until(lambda: bot.index is not index)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def _until(condition, limit: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    waited = 0.0
    while not condition():
        assert waited < limit, "no reload happened"
        await asyncio.sleep(0.1)
        waited += 0.1
