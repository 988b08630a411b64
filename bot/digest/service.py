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
import hashlib
import logging
import random
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from bot import messages
from bot.config import DigestTarget
from bot.core import CorpusBot
from bot.digest.ledger import Claim, Departure, Ledger, LedgerRow, PostState
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
POLL_S = 0.25  # how often a waiting `digest post` looks at another process's claim


@dataclass(frozen=True)
class PostKey:
    """Names one post (target, local date) to the platform, so that after a crash the
    platform can be asked whether it already has it."""

    target: str
    local_date: str

    @property
    def id(self) -> str:
        """25 characters at most (Discord's nonce limit), the same in every process."""
        digest = hashlib.sha256(f"corpusbot/{self.target}/{self.local_date}".encode())
        return digest.hexdigest()[:25]


class Seen(StrEnum):
    """What a platform says about a post that may have been sent before a crash."""

    POSTED = "posted"
    ABSENT = "absent"
    UNKNOWN = "unknown"  # the platform cannot be asked (no such API, or no permission)


@dataclass(frozen=True)
class Sighting:
    """What a platform says about a post, and the message's id when it is there (so a
    post found in the channel is recorded as fully as one sent now)."""

    seen: Seen
    message_id: str | None = None


class Sender(Protocol):
    """An adapter's way of posting a reply to a channel (no Slack or Discord types).
    ``send`` returns the platform's message id when it gives one; it raises on failure
    so the digest retries."""

    async def send(self, channel: str, reply: Reply, key: PostKey | None = None) -> str | None: ...


@runtime_checkable
class Checkable(Protocol):
    """A sender that can tell whether a post with this key is already in the channel."""

    async def find(self, channel: str, key: PostKey, since: float) -> Sighting: ...


@runtime_checkable
class Idempotent(Protocol):
    """A sender whose platform drops a second send with the same key for
    ``resend_window_s`` seconds (Discord: a message nonce with enforce_nonce)."""

    resend_window_s: float


class PostStep(StrEnum):
    """The points between the ledger's writes and the platform's send; a checkpoint
    is called at each (tests stop a process there, as kill -9 would)."""

    CLAIMED = "claimed"  # the ledger says claimed; nothing sent
    SENDING = "sending"  # the ledger says sent; the platform has not been called
    DELIVERED = "delivered"  # the platform took it; the ledger still says sent
    CONFIRMED = "confirmed"


@dataclass(frozen=True)
class PoolRound:
    """A target's pool: its size, which round of it this is, what this round used."""

    size: int
    cycle: int
    used: frozenset[str]

    @property
    def left(self) -> int:
        return self.size - len(self.used)


class PostStatus(StrEnum):
    """What became of a post; exit codes and the scheduler read this, people read
    ``PostOutcome.message``."""

    POSTED = "posted"
    ALREADY = "already"  # posted before, by this process or another
    IN_PROGRESS = "in-progress"  # another live process is posting it now
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
    message_id: str | None = None  # the platform's, for a post made now

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
        checkpoint: Callable[[PostStep], None] = lambda step: None,
    ) -> None:
        self.bot = bot
        self.ledger = ledger
        self.targets = {t.name: t for t in targets}
        self.senders = senders
        self.grace = grace
        self._sleep = sleep
        self._retry_delays = tuple(retry_delays)
        self._checkpoint = checkpoint
        self._pools: dict[str, list[Passage]] = {}
        # Dates this process knows are done, so a minute tick needs no database read.
        self._done: set[tuple[str, dt.date]] = set()

    def target(self, name: str | None) -> DigestTarget:
        if not self.targets:
            raise UserInputError(messages.DIGEST_NO_TARGETS)
        if name is None:
            if len(self.targets) == 1:
                return next(iter(self.targets.values()))
            raise UserInputError(messages.DIGEST_NAME_ONE.format(targets=", ".join(self.targets)))
        if name not in self.targets:
            raise UserInputError(
                messages.DIGEST_UNKNOWN_TARGET.format(name=name, targets=", ".join(self.targets))
            )
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

    def round_of(self, target: DigestTarget, day: dt.date | None = None) -> PoolRound:
        """Where the target is in its pool: which passages this round has used, in the
        order they were posted (not the order of their dates, so a backfill or a manual
        post of an earlier date counts like any other). The row of ``day`` itself is
        left out, so choosing again for a date gives the same answer."""
        ids = {p.id for p in self.pool(target)}
        rows = [
            r
            for r in self.ledger.history(target.name)
            if r.went_out
            and r.passage_id in ids
            and (day is None or r.local_date != day.isoformat())
        ]
        rows.sort(key=lambda r: (r.posted_at or r.claimed_at, r.local_date))
        used: set[str] = set()
        cycle = 0
        for row in rows:
            used.add(row.passage_id)
            if used >= ids:
                used, cycle = set(), cycle + 1
        return PoolRound(len(ids), cycle, frozenset(used))

    def choose(self, target: DigestTarget, day: dt.date) -> Passage | None:
        """No passage again before the pool is used up, whatever the order in which
        dates are posted; the neighbouring days' articles are avoided where possible."""
        pool = self.pool(target)
        if not pool:
            return None
        now = self.round_of(target, day)
        order = list(pool)
        random.Random(f"{target.name}/{now.cycle}").shuffle(order)
        remaining = [p for p in order if p.id not in now.used]
        near = {r.local_date: r.article_id for r in self.ledger.history(target.name) if r.went_out}
        neighbours = {near.get(d.isoformat()) for d in _days_beside(day)} - {None}
        fresh = [p for p in remaining if p.article_id not in neighbours]
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

    async def post(
        self, target: DigestTarget, day: dt.date, now: dt.datetime, *, wait_s: float = 0.0
    ) -> PostOutcome:
        """Post (target, day) once. ``wait_s``: how long to wait for another live process
        that holds the claim (the command line waits; the scheduler's next tick looks
        again instead)."""
        existing = self.ledger.get(target.name, day)  # a skipped date may be posted by hand
        if existing and existing.state is PostState.CONFIRMED:
            self._done.add((target.name, day))
            return PostOutcome(target.name, day, PostStatus.ALREADY, _already(existing))
        sender = self.senders.get(target.platform)
        if sender is None:
            return PostOutcome(
                target.name,
                day,
                PostStatus.NOT_CONNECTED,
                f"no {target.platform} connection is configured for {target.name}",
            )
        passage = self.choose(target, day)
        if passage is None:
            log.warning("digest %s: nothing eligible to post", target.name)
            return PostOutcome(
                target.name,
                day,
                PostStatus.EMPTY_POOL,
                messages.DIGEST_EMPTY_POOL.format(target=target.name),
            )
        claim = await self._claim(target, day, passage, now, wait_s)
        if isinstance(claim, PostOutcome):
            return claim
        # A claim taken over keeps the passage it had: it may already be in the channel.
        passage = next((p for p in self.pool(target) if p.id == claim.row.passage_id), passage)
        try:
            return await self._deliver(sender, target, day, passage, claim, now)
        except asyncio.CancelledError:  # a clean stop (SIGTERM, Ctrl-C) in mid-post
            self._release_on_stop(target, day, claim.token)
            raise

    async def _deliver(
        self,
        sender: Sender,
        target: DigestTarget,
        day: dt.date,
        passage: Passage,
        claim: Claim,
        now: dt.datetime,
    ) -> PostOutcome:
        """Send what ``claim`` holds, unless a send of an earlier run is in the channel."""
        reply = self.excerpt(passage, day)
        key = PostKey(target.name, day.isoformat())
        self._checkpoint(PostStep.CLAIMED)
        if claim.row.state is PostState.SENT:
            before = messages.DIGEST_LEFT_BY[(claim.left or Departure.CRASHED).value]
            sighting = await self._seen(sender, target, key, claim.row)
            if sighting.seen is Seen.POSTED:
                self.ledger.confirm(target.name, day, claim.token, now, sighting.message_id)
                self._done.add((target.name, day))
                log.warning(
                    "digest %s %s: the excerpt %s is in the channel; recorded as posted",
                    target.name,
                    day,
                    before,
                )
                return PostOutcome(
                    target.name,
                    day,
                    PostStatus.ALREADY,
                    messages.DIGEST_FOUND_IN_CHANNEL.format(
                        target=target.name, date=day, before=before
                    ),
                )
            if sighting.seen is Seen.UNKNOWN and _dedupes(
                sender, now.timestamp() - (claim.row.posted_at or 0)
            ):
                log.info(
                    "digest %s %s: sending again with the same key; %s drops a duplicate",
                    target.name,
                    day,
                    target.platform,
                )
            elif sighting.seen is Seen.UNKNOWN:
                log.warning(
                    "digest %s %s: the excerpt %s may have reached %s, which cannot be asked; "
                    "sending again (at least once: it may appear twice)",
                    target.name,
                    day,
                    before,
                    target.platform,
                )
        else:
            self.ledger.mark_sent(target.name, day, claim.token, now)
        self._checkpoint(PostStep.SENDING)
        message_id = await self._send(sender, target, reply, key, now.timestamp() - 60)
        if isinstance(message_id, PostOutcome):
            self.ledger.release(target.name, day, claim.token)
            return message_id
        self._checkpoint(PostStep.DELIVERED)
        self.ledger.confirm(target.name, day, claim.token, now, message_id)
        self._checkpoint(PostStep.CONFIRMED)
        self._done.add((target.name, day))
        log.info("digest %s: posted %s for %s", target.name, passage.id, day)
        return PostOutcome(
            target.name, day, PostStatus.POSTED, "posted", reply, message_id=message_id
        )

    def _release_on_stop(self, target: DigestTarget, day: dt.date, token: str) -> None:
        """Leave the ledger saying what a clean stop interrupted, for the next start."""
        try:
            row = self.ledger.get(target.name, day)
            self.ledger.release(target.name, day, token, stopped=True)
        except CorpusbotError as err:
            log.error("digest %s %s: stopping, cannot release the claim: %s", target.name, day, err)
            return
        if row is not None and row.state is PostState.SENT:
            log.warning(
                "digest %s %s: stopped while sending to %s; the next start asks whether it "
                "arrived before sending again",
                target.name,
                day,
                target.platform,
            )
        elif row is not None and row.state is PostState.CLAIMED:
            log.info("digest %s %s: stopped before sending; nothing went out", target.name, day)

    async def _claim(
        self, target: DigestTarget, day: dt.date, passage: Passage, now: dt.datetime, wait_s: float
    ) -> Claim | PostOutcome:
        polls = int(wait_s / POLL_S)
        row = None
        for n in range(polls + 1):
            claim = self.ledger.claim(target.name, day, passage.id, passage.article_id, now)
            if claim is not None:
                return claim
            row = self.ledger.get(target.name, day)
            if row is not None and row.state is PostState.CONFIRMED:
                self._done.add((target.name, day))
                return PostOutcome(target.name, day, PostStatus.ALREADY, _already(row))
            if n < polls:
                await self._sleep(POLL_S)
        return PostOutcome(
            target.name,
            day,
            PostStatus.IN_PROGRESS,
            messages.DIGEST_IN_PROGRESS.format(
                target=target.name, date=day, owner=(row.owner if row else None) or "?"
            ),
        )

    async def _seen(
        self, sender: Sender, target: DigestTarget, key: PostKey, row: LedgerRow
    ) -> Sighting:
        return await self._ask(sender, target, key, (row.posted_at or row.claimed_at) - 60)

    async def _ask(
        self, sender: Sender, target: DigestTarget, key: PostKey, since: float
    ) -> Sighting:
        """Whether the post with ``key`` is in the channel, as the platform says."""
        if not isinstance(sender, Checkable):
            return Sighting(Seen.UNKNOWN)
        try:
            return await sender.find(target.channel, key, since)
        except Exception as err:  # cannot ask now: treat as unknown, and say so
            log.warning("digest %s: cannot ask %s: %s", target.name, target.platform, err)
            return Sighting(Seen.UNKNOWN)

    async def _send(
        self, sender: Sender, target: DigestTarget, reply: Reply, key: PostKey, since: float
    ) -> str | PostOutcome | None:
        """Send, retrying a failed attempt; ``since``: when the first attempt may have
        reached the channel (epoch seconds)."""
        day = dt.date.fromisoformat(key.local_date)
        for attempt, delay in enumerate((*self._retry_delays, None), 1):
            try:
                return await sender.send(target.channel, reply, key)
            except Exception as err:  # a platform error of any kind: retry, then give up
                reason = str(err) or type(err).__name__
                log.warning("digest %s: send attempt %d failed: %s", target.name, attempt, reason)
                # A send that timed out may have reached the channel all the same (a slow
                # Slack took the first and answered late): where the platform can be
                # asked, ask before sending again, or the excerpt is posted twice.
                sighting = await self._ask(sender, target, key, since)
                if sighting.seen is Seen.POSTED:
                    log.warning(
                        "digest %s %s: the failed send reached %s; not sending again",
                        target.name,
                        day,
                        target.platform,
                    )
                    return sighting.message_id
                if delay is None:
                    return PostOutcome(
                        target.name,
                        day,
                        PostStatus.FAILED,
                        f"sending to {target.platform} failed: {reason}",
                    )
                await self._sleep(delay)
        raise AssertionError("unreachable")

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

    def skip_missed(
        self, target: DigestTarget, since: dt.datetime, now: dt.datetime
    ) -> list[dt.date]:
        """Runs missed by more than the grace period are skipped: recorded in the ledger
        as skips and said once (a date that has a row, or that another process recorded
        first, is not said again)."""
        missed = [
            d
            for d in missed_dates(target, since, now, self.grace)
            if self.ledger.get(target.name, d) is None and self.ledger.skip(target.name, d, now)
        ]
        for day in missed:
            log.warning(
                "digest %s: missed the run of %s by more than %s; skipped (recorded in the "
                "ledger; `digest post --target %s --date %s` posts it by hand)",
                target.name,
                day,
                self.grace,
                target.name,
                day,
            )
        return missed

    def history(self, target: str | None) -> list[LedgerRow]:
        if target is not None:
            self.target(target)
        return self.ledger.history(target)

    def history_text(self, target: str | None) -> str:
        """Each post with its state, then each target's pool and what is left of it."""
        rows = self.history(target)
        lines = history_lines(rows) if rows else ["nothing posted yet"]
        names = [target] if target else list(self.targets)
        for name in names:
            now = self.round_of(self.targets[name])
            lines.append(
                messages.DIGEST_POOL.format(
                    target=name, size=now.size, left=now.left, round=now.cycle + 1
                )
            )
        return "\n".join(lines)


def history_lines(rows: Sequence[LedgerRow]) -> list[str]:
    """One line per post: date, target, state, passage; what is not yet confirmed says
    what it means."""
    meaning = {
        PostState.CLAIMED: "  (claimed, nothing sent yet)",
        PostState.SENT: "  (handed to the platform, not confirmed: checked before a resend)",
        PostState.CONFIRMED: "",
        PostState.SKIPPED: "  (missed while no process ran; not posted)",
    }
    return [
        f"{r.local_date}  {r.target:<12} {r.status:<9} {r.passage_id}{meaning[r.state]}"
        for r in rows
    ]


def _dedupes(sender: Sender, age_s: float) -> bool:
    return isinstance(sender, Idempotent) and age_s < sender.resend_window_s


def _already(row: LedgerRow) -> str:
    posted = dt.datetime.fromtimestamp(row.posted_at or row.claimed_at, dt.UTC)
    return messages.DIGEST_ALREADY.format(
        target=row.target,
        date=row.local_date,
        passage=row.passage_id,
        when=f"{posted:%Y-%m-%d %H:%M} UTC",
        message=f", message {row.message_id}" if row.message_id else "",
    )


def _days_beside(day: dt.date) -> list[dt.date]:
    """The day before and the day after, where the calendar has them: an operator may
    post for 0001-01-01 or 9999-12-31 by hand, and that must not end in OverflowError."""
    beside = []
    for step in (-1, 1):
        try:
            beside.append(day + dt.timedelta(days=step))
        except OverflowError:
            continue
    return beside
