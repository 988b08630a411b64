"""``python -m bot ingest`` on every core: a process pool over the source files, then
the search index brought in step with the articles (see ``bot.search.index``).

Each worker holds its own ``Ingestor`` and runs exactly what ``Ingestor.run`` does for
one file (build, write if changed, report), so the serial and the pooled paths cannot
drift apart; only the check for two files of one name needs every path and stays
here. A small input runs in this process: starting workers (the pool's Ingestor loads
jieba's dictionary and tagger, about a second) only pays off past a few megabytes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from bot.config import CorpusSettings, SearchSettings
from bot.ingest.pipeline import (
    Ingestor,
    IngestReport,
    _source_files,
    fresh_articles,
    remove_stale,
)
from bot.ingest.store import sweep_abandoned
from bot.progress import ProgressBar
from bot.search.index import SyncReport, configured_words, prepare_lexicon, sync_index
from bot.textfold import Folder

POOL_ABOVE_BYTES = 2_000_000
BATCH_FILES = 8  # files a worker takes at a time (fewer when there are few to share)

_WORKER: dict[str, Ingestor] = {}
log = logging.getLogger(__name__)


def ingest(
    settings: CorpusSettings, inputs: Sequence[Path], workers: int | None = None
) -> list[IngestReport]:
    """Every source file under ``inputs`` -> ``settings.articles_dir``, one report per
    file in path order, as ``Ingestor.run`` gives them. ``workers``: processes (default:
    every core once the input passes ``POOL_ABOVE_BYTES``)."""
    for path in sweep_abandoned(settings.articles_dir, time.time()):
        log.warning("removed %s: a temporary file left by an ingest that was killed", path)
    paths = sorted(_source_files(inputs))
    n = workers if workers is not None else (os.cpu_count() or 1)
    small = sum(p.stat().st_size for p in paths if p.is_file()) < POOL_ABOVE_BYTES
    if n <= 1 or len(paths) < 2 or (workers is None and small):
        reports = Ingestor(settings, Folder()).run(paths)
        return reports + remove_stale(settings, inputs, fresh_articles(reports))
    seen: dict[str, Path] = {}
    unique: list[Path] = []
    slots: list[IngestReport | int] = []  # a report, or the index of a unique path
    for path in paths:
        if path.stem in seen:
            slots.append(IngestReport(str(path), error=f"same name as {seen[path.stem]}"))
        else:
            seen[path.stem] = path
            slots.append(len(unique))
            unique.append(path)
    bar = ProgressBar(len(unique), "ingesting")
    built: list[IngestReport] = []
    for reports in _pooled(settings, unique, n):
        built += reports
        bar.update(len(built))
    bar.close()
    reports = [slot if isinstance(slot, IngestReport) else built[slot] for slot in slots]
    return reports + remove_stale(settings, inputs, fresh_articles(reports))


def _pooled(
    settings: CorpusSettings, paths: list[Path], workers: int
) -> Iterator[list[IngestReport]]:
    """Each batch's reports, in order. A worker runs a batch of files as ``Ingestor.run``
    does, so it writes one article while it builds the next."""
    size = max(1, min(BATCH_FILES, len(paths) // (workers * 4)))
    batches = [paths[i : i + size] for i in range(0, len(paths), size)]
    with worker_pool(settings, workers) as pool:
        yield from pool.map(_run_batch, batches)


@contextmanager
def worker_pool(settings: CorpusSettings, workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes, each with an ``Ingestor`` for ``settings``. Where
    workers fork (Linux), the Ingestor is built here, once, before they start: each
    worker inherits it with jieba's dictionary and tagger loaded (about a second of CPU
    a worker otherwise, a quarter of a 10 MB ingest on two cores, #14), and the tables
    an article loads on first use too (``Ingestor.preload``), their pages shared until
    written. An Ingestor holds no state an article depends on (a worker
    already builds many articles with one), so inheriting one changes no output.
    Workers started otherwise build their own."""
    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":
        _WORKER["ingestor"] = ingestor = Ingestor(settings, Folder())
        ingestor.preload()  # the tables first used while building, inherited too
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init, initargs=(settings,)
        ) as pool:
            yield pool
    finally:
        _WORKER.pop("ingestor", None)


def _init(settings: CorpusSettings) -> None:
    if "ingestor" not in _WORKER:  # not inherited from the parent (not forked)
        _WORKER["ingestor"] = Ingestor(settings, Folder())


def _run_batch(paths: list[Path]) -> list[IngestReport]:
    return _WORKER["ingestor"].run(paths)


def update_index(
    corpus: CorpusSettings,
    search: SearchSettings,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    lexicon: bool = True,
) -> SyncReport:
    """The index in step with the articles just written (built, updated or untouched),
    and the query lexicon beside it, so the first query only opens both (``lexicon``:
    False leaves the lexicon to the first query, for the benchmark's largest row)."""
    folder = Folder()
    words = configured_words(corpus)
    tokenizer, report = sync_index(
        corpus.articles_dir, search, folder, words, None, progress, None, workers, corpus.speakers
    )
    if lexicon:
        started, cpu = time.monotonic(), cpu_seconds()
        prepare_lexicon(corpus.articles_dir, search, tokenizer, report, workers)
        report.lexicon_seconds = round(time.monotonic() - started, 3)
        report.lexicon_cpu_seconds = round(cpu_seconds() - cpu, 3)
    return report


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children that have ended (a
    pool's workers, once it shuts down): on a shared machine, the better guide to the
    wall time of a quiet one."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime
