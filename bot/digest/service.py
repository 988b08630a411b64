"""The daily excerpt: which passage, posted where, exactly once.

Selection is a pure function of the target, the date and the ledger's history, so a
preview, a retry and a second process all pick the same passage. A target's pool is
every passage worth reading alone (an interviewee's or quoted person's words, 80-400
characters, a whole thought), optionally narrowed to a topic. No passage repeats
until the pool is used up; then the pool starts again in a new order. Consecutive
days avoid the same article where the pool allows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot import messages
from bot.config import DigestTarget
from bot.core import CorpusBot
from bot.digest.ledger import Ledger, LedgerRow
from bot.digest.schedule import due_date, missed_dates
from bot.errors import CorpusbotError, UserInputError
from bot.models import Command, Passage, Reply, Role

log = logging.getLogger(__name__)

_WHOLE_END = re.compile(r"[。！？!?」”…]$")
# Openers that make a passage read as the second half of an exchange.
_FRAGMENT_START = re.compile(
    r"^(?:[，,、；;：:)）」”]|是的|对|對|好的|嗯|没错|沒錯|所以|但是|而且|因此|然后|然後)"
)
RETRY_DELAYS_S = (1.0, 4.0, 15.0)


class Sender(Protocol):
    """An adapter's way of posting a reply to a channel (no Slack or Discord types)."""

    async def send(self, channel: str, reply: Reply) -> None: ...


class PostStatus(StrEnum):
    """What became of a post; exit codes and the scheduler read this, people read
    ``PostOutcome.message``."""

    POSTED = "posted"
    ALREADY = "already"  # posted before, by this process or another
    EMPTY_POOL = "empty-pool"
    NOT_CONNECTED = "not-connected"
    FAILED = "failed"
    PREVIEW = "preview"


@dataclass(frozen=True)
class PostOutcome:
    target: str
    day: dt.date
    status: PostStatus
    message: str
    reply: Reply | None = None

    @property
    def posted(self) -> bool:
        return self.status is PostStatus.POSTED

    @property
    def failed(self) -> bool:
        """Nothing went out that should have: worth a non-zero exit."""
        return self.status in (PostStatus.EMPTY_POOL, PostStatus.NOT_CONNECTED, PostStatus.FAILED)


def worth_reading_alone(p: Passage) -> bool:
    return (
        p.speaker is not None
        and p.role in (Role.INTERVIEWEE, Role.QUOTED)
        and 80 <= len(p.text) <= 400
        and bool(_WHOLE_END.search(p.text))
        and not _FRAGMENT_START.match(p.text)
    )


class DigestService:
    def __init__(
        self,
        bot: CorpusBot,
        ledger: Ledger,
        targets: Sequence[DigestTarget],
        senders: Mapping[str, Sender],
        grace: dt.timedelta,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        retry_delays: Sequence[float] = RETRY_DELAYS_S,
    ) -> None:
        self.bot = bot
        self.ledger = ledger
        self.targets = {t.name: t for t in targets}
        self.senders = senders
        self.grace = grace
        self._sleep = sleep
        self._retry_delays = tuple(retry_delays)
        self._pools: dict[str, list[Passage]] = {}
        # Dates this process knows are done, so a minute tick needs no database read.
        self._done: set[tuple[str, dt.date]] = set()

    def target(self, name: str | None) -> DigestTarget:
        if name is None:
            if len(self.targets) == 1:
                return next(iter(self.targets.values()))
            raise UserInputError(
                f"several targets are configured: name one ({', '.join(self.targets)})"
            )
        if name not in self.targets:
            known = ", ".join(self.targets) or "none"
            raise UserInputError(f"no digest target named {name!r} (configured: {known})")
        return self.targets[name]

    # ---- selection ----------------------------------------------------------------------

    def pool(self, target: DigestTarget) -> list[Passage]:
        if target.name not in self._pools:
            passages = [p for p in self.bot.index.passages if worth_reading_alone(p)]
            if target.topic:
                ids = {p.id for p in self.bot.passages_about(target.topic)}
                passages = [p for p in passages if p.id in ids]
            self._pools[target.name] = sorted(passages, key=lambda p: p.id)
        return self._pools[target.name]

    def choose(self, target: DigestTarget, day: dt.date) -> Passage | None:
        pool = self.pool(target)
        if not pool:
            return None
        ids = {p.id for p in pool}
        history = [
            r
            for r in self.ledger.history(target.name)
            if r.local_date < day.isoformat() and r.status == "posted"
        ]
        used: set[str] = set()
        cycle = 0
        for row in history:
            if row.passage_id in ids:
                used.add(row.passage_id)
                if used >= ids:
                    used, cycle = set(), cycle + 1
        order = list(pool)
        random.Random(f"{target.name}/{cycle}").shuffle(order)
        remaining = [p for p in order if p.id not in used]
        yesterday = history[-1].article_id if history else None
        fresh = [p for p in remaining if p.article_id != yesterday]
        return (fresh or remaining)[0]

    def excerpt(self, passage: Passage, day: dt.date) -> Reply:
        reply = self.bot.passage_reply(passage)
        return Reply(
            Command.DIGEST,
            query="",
            results=reply.results,
            message=messages.DIGEST_HEADER.format(date=day.isoformat()),
        )

    # ---- commands -----------------------------------------------------------------------

    def preview(self, target: DigestTarget, day: dt.date) -> PostOutcome:
        passage = self.choose(target, day)
        if passage is None:
            return PostOutcome(
                target.name,
                day,
                PostStatus.EMPTY_POOL,
                messages.DIGEST_EMPTY_POOL.format(target=target.name),
            )
        return PostOutcome(
            target.name, day, PostStatus.PREVIEW, "preview", self.excerpt(passage, day)
        )

    async def post(self, target: DigestTarget, day: dt.date, now: dt.datetime) -> PostOutcome:
        existing = self.ledger.get(target.name, day)
        if existing and existing.status == "posted":
            self._done.add((target.name, day))
            return PostOutcome(target.name, day, PostStatus.ALREADY, _already(existing))
        passage = self.choose(target, day)
        if passage is None:
            log.warning("digest %s: nothing eligible to post", target.name)
            return PostOutcome(
                target.name,
                day,
                PostStatus.EMPTY_POOL,
                messages.DIGEST_EMPTY_POOL.format(target=target.name),
            )
        token = self.ledger.claim(target.name, day, passage.id, passage.article_id, now)
        if token is None:
            row = self.ledger.get(target.name, day)
            self._done.add((target.name, day))
            return PostOutcome(
                target.name, day, PostStatus.ALREADY, _already(row) if row else "claimed elsewhere"
            )
        reply = self.excerpt(passage, day)
        sender = self.senders.get(target.platform)
        if sender is None:
            self.ledger.release(target.name, day, token)
            return PostOutcome(
                target.name,
                day,
                PostStatus.NOT_CONNECTED,
                f"no {target.platform} connection is configured for {target.name}",
            )
        for attempt, delay in enumerate((*self._retry_delays, None), 1):
            try:
                await sender.send(target.channel, reply)
                break
            except Exception as err:  # a platform error of any kind: retry, then give up
                log.warning("digest %s: send attempt %d failed: %s", target.name, attempt, err)
                if delay is None:
                    self.ledger.release(target.name, day, token)
                    return PostOutcome(
                        target.name,
                        day,
                        PostStatus.FAILED,
                        f"sending to {target.platform} failed: {err}",
                    )
                await self._sleep(delay)
        self.ledger.mark_posted(target.name, day, token, now)
        self._done.add((target.name, day))
        log.info("digest %s: posted %s for %s", target.name, passage.id, day)
        return PostOutcome(target.name, day, PostStatus.POSTED, "posted", reply)

    async def tick(self, target: DigestTarget, now: dt.datetime) -> PostOutcome | None:
        """Called by the scheduler: post if a run is due and not yet done."""
        day = due_date(target, now, self.grace)
        if day is None or (target.name, day) in self._done:
            return None
        try:
            return await self.post(target, day, now)
        except CorpusbotError as err:
            log.error("digest %s: %s", target.name, err)
            return None

    def log_missed(
        self, target: DigestTarget, since: dt.datetime, now: dt.datetime
    ) -> list[dt.date]:
        """Runs missed by more than the grace period are skipped: say so once."""
        missed = [
            d
            for d in missed_dates(target, since, now, self.grace)
            if self.ledger.get(target.name, d) is None
        ]
        for day in missed:
            log.warning(
                "digest %s: missed the run of %s by more than %s; skipped",
                target.name,
                day,
                self.grace,
            )
        return missed

    def history(self, target: str | None) -> list[LedgerRow]:
        if target is not None:
            self.target(target)
        return self.ledger.history(target)


def _already(row: LedgerRow) -> str:
    return messages.DIGEST_ALREADY.format(
        target=row.target, date=row.local_date, passage=row.passage_id
    )
