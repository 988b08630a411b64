"""Live reload: a running bot notices a changed article set and swaps in the new index.

``python -m bot run`` watches the articles folder (``watchfiles``) and reloads on
SIGHUP too. A reload opens the index for the articles now on disk in a worker thread
(``open_index`` brings the saved index in step: usually an update of the changed
articles only) while the old index keeps answering; then the bot's index is swapped
under a gate: an answer in flight finishes on the index it started with, the next one
starts on the new index, so no answer ever mixes the two. A failed reload (an
unreadable article, a full disk) keeps the old index and logs why.

Paging buttons carry their query and offset, not results, so "More" pressed after a
swap asks the new corpus: it still works, from the same offset.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bot.errors import CorpusbotError

if TYPE_CHECKING:
    import asyncio

    from bot.core import CorpusBot
    from bot.search.index import SearchIndex

log = logging.getLogger(__name__)


class SwapGate:
    """Many readers (answers) at once, or one swap; a waiting swap lets no new reader in,
    and lasts only as long as an attribute assignment."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._swapping = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._swapping:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def swapping(self) -> Iterator[None]:
        with self._cond:
            while self._swapping:
                self._cond.wait()
            self._swapping = True
            while self._readers:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._swapping = False
                self._cond.notify_all()


class ReloadOutcome(NamedTuple):
    ok: bool
    message: str


class Reloader:
    """Reloads ``bot``'s index with ``open_new`` (the articles now on disk -> an index)."""

    def __init__(self, bot: CorpusBot, open_new: Callable[[], SearchIndex], watch: Path) -> None:
        self.bot = bot
        self.open_new = open_new
        self.watch_dir = watch
        self._lock = threading.Lock()  # one reload at a time
        self._pending: asyncio.Event | None = None  # set while run() serves

    def reload(self) -> ReloadOutcome:
        """Open the new index and swap it in; on any failure keep the old one."""
        with self._lock:
            old = self.bot.index
            try:
                new = self.open_new()
            except Exception as err:  # whatever went wrong, the bot keeps answering
                message = f"corpus reload failed, still serving the previous index: {err}"
                # (a traceback only for the unforeseen: a file that is no article, a
                # disk error, say what they are in one line)
                expected = isinstance(err, OSError | ValueError | CorpusbotError)
                log.warning(message, exc_info=not expected)
                return ReloadOutcome(False, message)
            self.bot.swap_index(new)
            message = (
                f"corpus reloaded: {len(new.articles)} articles, {len(new.passages)} passages "
                f"(was {len(old.articles)}, {len(old.passages)})"
            )
            log.info(message)
            return ReloadOutcome(True, message)

    def request(self) -> None:
        """Ask for a reload from the event loop (SIGHUP, a file change): coalesced."""
        if self._pending is not None:
            self._pending.set()

    async def run(self) -> None:
        """Serve reload requests until cancelled: file changes and SIGHUP."""
        import asyncio  # the console's ask path never gets here

        self._pending = asyncio.Event()
        loop = asyncio.get_running_loop()
        with suppress(NotImplementedError, RuntimeError, ValueError):  # no signals off-main
            loop.add_signal_handler(signal.SIGHUP, self.request)
        watcher = asyncio.create_task(self._watch())
        try:
            while True:
                await self._pending.wait()
                self._pending.clear()
                await asyncio.to_thread(self.reload)
        finally:
            watcher.cancel()
            with suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGHUP)

    async def _watch(self) -> None:
        from watchfiles import awatch

        def articles_only(_change: object, path: str) -> bool:
            return path.endswith(".json")

        self.watch_dir.mkdir(parents=True, exist_ok=True)
        async for _changes in awatch(self.watch_dir, watch_filter=articles_only, debounce=500):
            self.request()
