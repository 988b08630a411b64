"""The daily excerpt on a timer: APScheduler's AsyncIOScheduler, one job per target.

Each target's job ticks on a CronTrigger in UTC (every minute by default) and asks the
pure ``due_date`` whether its post is due; the ledger makes a tick that comes twice,
a restart or a second replica harmless. At start-up a run missed within the grace
period is posted by the first tick, and one missed by longer is skipped: recorded in
the ledger and logged once. A stop cancels a tick in mid-post and waits for it to leave
the ledger saying so (``stop``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.config import DigestTarget
from bot.digest.service import DigestService, PostOutcome

log = logging.getLogger(__name__)


def every_minute() -> CronTrigger:
    return CronTrigger(second=0, timezone=dt.UTC)


def missable_since(
    service: DigestService, target: DigestTarget, now: dt.datetime
) -> dt.datetime | None:
    """From when a run of ``target`` can have been missed: its last claim in the ledger
    (the last time a process was up for it), at most two days back. None when the
    ledger has no row for it: a new ledger or a new target has missed nothing, since
    no process was there to miss it."""
    rows = service.history(target.name)
    if not rows:
        return None
    last = max(dt.datetime.fromtimestamp(row.claimed_at, dt.UTC) for row in rows)
    return max(now - dt.timedelta(days=2), last)


class DigestScheduler:
    def __init__(
        self,
        service: DigestService,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        trigger: Callable[[], CronTrigger] = every_minute,
    ) -> None:
        self.service = service
        self.clock = clock
        self.trigger = trigger
        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self.outcomes: list[PostOutcome] = []
        self._ticks: set[asyncio.Task[Any]] = set()
        self._stopping = False

    def start(self) -> None:
        """Call from inside the running event loop."""
        now = self.clock()
        for target in self.service.targets.values():
            since = missable_since(self.service, target, now)
            if since is not None:
                self.service.skip_missed(target, since, now)
            self.scheduler.add_job(
                self._tick,
                self.trigger(),
                args=[target],
                id=f"digest:{target.name}",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=60,
                # At once, to catch up after a restart. APScheduler runs on the real clock
                # whatever ours says (our clock only decides what is due), and given a
                # start in the past it walks every minute up to the real now first.
                next_run_time=dt.datetime.now(dt.UTC),
            )
        self.scheduler.start()
        log.info("digest scheduler started for %s", ", ".join(self.service.targets) or "no targets")

    async def _tick(self, target: DigestTarget) -> None:
        task = asyncio.current_task()
        assert task is not None  # APScheduler runs a coroutine job as a task
        self._ticks.add(task)
        try:
            outcome = await self.service.tick(target, self.clock())
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            # Our own stop: the service has recorded what it interrupted. Ending quietly
            # keeps APScheduler from logging a stop as a failed job.
            return
        finally:
            self._ticks.discard(task)
        if outcome is not None:
            self.outcomes.append(outcome)
            log.info("digest %s %s: %s", target.name, outcome.day, outcome.message)

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def stop(self) -> None:
        """Shut down, cancelling a post in progress and waiting while it records in the
        ledger what the stop interrupted (the next start reads it)."""
        self._stopping = True
        ticks = list(self._ticks)
        self.shutdown()  # cancels the running ticks
        for tick in ticks:
            tick.cancel()
        await asyncio.gather(*ticks, return_exceptions=True)
