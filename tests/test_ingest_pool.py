"""Ingest on every core gives what one process gives, and leaves the index built."""

from __future__ import annotations

import dataclasses
import multiprocessing
import shutil
from pathlib import Path

import pytest

from bot.app import build_bot
from bot.config import Settings
from bot.evaluate import load_queries
from bot.ingest import pool
from bot.ingest.pipeline import Ingestor
from bot.textfold import Folder
from tests.conftest import DATA, ROOT


def _settings(settings: Settings, root: Path) -> Settings:
    return dataclasses.replace(
        settings,
        corpus=dataclasses.replace(settings.corpus, articles_dir=root / "articles"),
        search=dataclasses.replace(settings.search, index_dir=root / "index"),
    )


def test_a_pool_of_workers_writes_the_same_articles_and_reports(
    settings: Settings, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "seeds" / "raw", raw)
    shutil.copy(raw / "000_ed35fb0cd7c043ee.txt", raw / "000_ed35fb0cd7c043ee.md")  # a clash
    serial = _settings(settings, tmp_path / "serial")
    pooled = _settings(settings, tmp_path / "pooled")
    one = Ingestor(serial.corpus, Folder()).run([raw])
    two = pool.ingest(pooled.corpus, [raw], workers=2)
    assert [r.render() for r in one] == [r.render() for r in two]
    assert any(r.error and "same name" in r.error for r in two)
    for path in sorted((tmp_path / "serial" / "articles").iterdir()):
        assert path.read_bytes() == (tmp_path / "pooled" / "articles" / path.name).read_bytes()


def test_workers_taking_batches_of_files_write_what_one_process_writes(
    settings: Settings, tmp_path: Path
) -> None:
    """20 files over two workers: batches of two, each written while the next is built."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in sorted((ROOT / "seeds" / "raw").iterdir()):
        for n in range(4):
            shutil.copy(path, raw / f"{path.stem}_{n}{path.suffix}")
    serial = _settings(settings, tmp_path / "serial")
    pooled = _settings(settings, tmp_path / "pooled")
    one = Ingestor(serial.corpus, Folder()).run([raw])
    two = pool.ingest(pooled.corpus, [raw], workers=2)
    assert len(one) == 20
    assert [r.render() for r in one] == [r.render() for r in two]
    written = sorted((tmp_path / "pooled" / "articles").iterdir())
    assert [p.name for p in written] == sorted(f"{p.stem}.json" for p in raw.iterdir())
    for path in written:
        assert path.read_bytes() == (tmp_path / "serial" / "articles" / path.name).read_bytes()


def test_ingest_builds_the_index_so_the_first_query_only_loads_it(
    settings: Settings, folder: Folder, tmp_path: Path
) -> None:
    live = _settings(settings, tmp_path)
    pool.ingest(live.corpus, [ROOT / "seeds" / "raw"])
    report = pool.update_index(live.corpus, live.search, workers=2)  # the pool over articles
    assert report.action == "built" and report.passages > 200
    assert pool.update_index(live.corpus, live.search).action == "loaded"
    opened: list[str] = []
    bot = build_bot(live, progress=opened.append, folder=folder)
    assert not opened, "the first query found the index ingest built"
    reference = build_bot(
        dataclasses.replace(
            live, search=dataclasses.replace(live.search, index_dir=tmp_path / "serial")
        ),
        folder=folder,
    )
    for query in load_queries(DATA / "dev.jsonl"):
        got, want = bot.ask(query["ask"]), reference.ask(query["ask"])
        assert [r.passage_id for r in got.results] == [r.passage_id for r in want.results]


def _ingestor_address() -> int:
    return id(pool._WORKER["ingestor"])


def test_forked_workers_inherit_the_ingestor_built_before_them(settings: Settings) -> None:
    """Where workers fork, the Ingestor (jieba's dictionary and tagger loaded) is built
    once in this process and each worker runs with that object, not one of its own."""
    if multiprocessing.get_context().get_start_method() != "fork":
        pytest.skip("workers are not forked here: each builds its own Ingestor")
    with pool.worker_pool(settings.corpus, 2) as workers:
        here = _ingestor_address()
        assert pool._WORKER["ingestor"].settings == settings.corpus
        there = {workers.submit(_ingestor_address).result() for _ in range(4)}
    assert there == {here}
    assert "ingestor" not in pool._WORKER
