"""The daily excerpt: time as a parameter, the pool, exactly-once, a live tick."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import itertools
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from adapters.console import ConsoleSender
from bot.config import DigestTarget
from bot.core import CorpusBot
from bot.digest.ledger import LEASE, Ledger, PostState, this_process
from bot.digest.schedule import due_date, missed_dates, next_run, scheduled_instant
from bot.digest.scheduler import DigestScheduler
from bot.digest.service import DigestService, PostKey, PostStatus, PostStep, Seen, Sighting
from bot.errors import LedgerError
from bot.models import Reply
from tests import postgres
from tests.conftest import ROOT, make_config

postgres_url = postgres.postgres_url  # the shared fixture

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC
HOUR = dt.timedelta(hours=1)


def target(at: str = "09:00", weekdays=None, name: str = "t", topic=None) -> DigestTarget:
    return DigestTarget(
        name, "console", "stdout", dt.time.fromisoformat(at), BERLIN, weekdays, topic
    )


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# ---- time ------------------------------------------------------------------------------


def test_next_run_is_local_time_in_winter_and_summer() -> None:
    t = target("09:00")
    assert next_run(t, utc(2025, 1, 10, 7, 59)) == utc(2025, 1, 10, 8, 0)  # CET = UTC+1
    assert next_run(t, utc(2025, 7, 10, 7, 0)) == utc(2025, 7, 11, 7, 0)  # CEST = UTC+2


def test_spring_forward_gap_posts_at_the_end_of_the_gap() -> None:
    # 2025-03-30: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day.
    t = target("02:30")
    assert scheduled_instant(dt.date(2025, 3, 30), t.time, BERLIN) == utc(2025, 3, 30, 1, 0)
    days = [
        next_run(t, utc(2025, 3, 28, 12)),
        next_run(t, utc(2025, 3, 29, 12)),
        next_run(t, utc(2025, 3, 30, 12)),
    ]
    local = [d.astimezone(BERLIN).date().isoformat() for d in days]
    assert local == ["2025-03-29", "2025-03-30", "2025-03-31"]  # no day skipped


def test_fall_back_repeated_hour_posts_once() -> None:
    # 2025-10-26: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    t = target("02:30")
    first = scheduled_instant(dt.date(2025, 10, 26), t.time, BERLIN)
    assert first == utc(2025, 10, 26, 0, 30)  # the first of the two
    assert due_date(t, first, HOUR) == dt.date(2025, 10, 26)
    assert next_run(t, first) == utc(2025, 10, 27, 1, 30)  # not again an hour later


def test_midnight_belongs_to_the_new_local_day() -> None:
    t = target("00:00")
    now = utc(2025, 6, 30, 22, 5)  # 00:05 CEST on 1 July
    assert due_date(t, now, HOUR) == dt.date(2025, 7, 1)


def test_missed_run_within_grace_is_due_and_later_is_skipped() -> None:
    t = target("09:00")
    assert due_date(t, utc(2025, 6, 2, 7, 0), HOUR) == dt.date(2025, 6, 2)  # on time
    assert due_date(t, utc(2025, 6, 2, 7, 59), HOUR) == dt.date(2025, 6, 2)  # 59 min late
    assert due_date(t, utc(2025, 6, 2, 8, 1), HOUR) is None  # 61 min late: skipped
    assert due_date(t, utc(2025, 6, 2, 6, 59), HOUR) is None  # not yet
    assert missed_dates(t, utc(2025, 6, 1, 0), utc(2025, 6, 2, 9), HOUR) == [
        dt.date(2025, 6, 1),
        dt.date(2025, 6, 2),
    ]


def test_weekday_filter() -> None:
    t = target("09:00", weekdays=frozenset({0, 2, 4}))  # Mon, Wed, Fri
    assert due_date(t, utc(2025, 6, 3, 7, 5), HOUR) is None  # a Tuesday
    assert next_run(t, utc(2025, 6, 3, 7, 5)) == utc(2025, 6, 4, 7, 0)  # Wednesday
    assert next_run(t, utc(2025, 6, 6, 8, 0)) == utc(2025, 6, 9, 7, 0)  # Fri -> Mon


# ---- service -----------------------------------------------------------------------------


class RecordingSender:
    """A fake platform: records sends; can fail the first ``failures`` attempts. With
    ``checkable`` it answers ``find`` from what it holds, as Slack does with message
    metadata; without, it cannot be asked, as the console cannot."""

    def __init__(self, failures: int = 0, checkable: bool = True, late: int = 0) -> None:
        self.failures = failures
        self.late = late  # attempts that post, then time out before the platform answers
        self.sent: list[tuple[str, Reply]] = []
        self.keys: list[str] = []
        self.attempts = 0
        self.checkable = checkable

    async def send(self, channel: str, reply: Reply, key: PostKey | None = None) -> str:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise ConnectionError("platform unavailable")
        self.sent.append((channel, reply))
        self.keys.append(key.id if key else "")
        if self.attempts <= self.failures + self.late:
            raise TimeoutError()  # a slow platform: the post is there, the answer late
        return f"m{len(self.sent)}"

    async def find(self, channel: str, key: PostKey, since: float) -> Sighting:
        if not self.checkable:
            return Sighting(Seen.UNKNOWN)
        if key.id not in self.keys:
            return Sighting(Seen.ABSENT)
        return Sighting(Seen.POSTED, f"m{self.keys.index(key.id) + 1}")


async def _no_sleep(_: float) -> None:
    return None


def service(bot: CorpusBot, ledger: Ledger, sender, targets) -> DigestService:
    return DigestService(bot, ledger, targets, {"console": sender}, HOUR, sleep=_no_sleep)


# Passages of the bundled corpus, by how they begin, that must not be a daily excerpt.
NOT_ALONE = {
    "an interviewer's question": "數據標注這個工作本身現在也面臨被 AI 取代",
    "the host's introduction": "為討論AI的未來前景和變革性潛力",
    "an answer that leans on the question (是的)": "是的,我們與ICT合作",
    "an answer that leans on the question (好的)": "好的。在Scale AI，我们正在打造AI的数据铸造厂",
    "under 80 characters": "我是Scale AI的創始人兼CEO",
    "narration": "「野心塑造現實」是Scale的核心價值觀之一",
    "reported speech (according to, not a quotation)": "数据标注领域的竞争对手SuperAnnotate CEO",
}
# ... and ones that read well alone: an interviewee's whole thought, a quoted person's.
ALONE = ("領導力其實是個非常多面向的課題", "Alexandr Wang在今年3月與前Google CEO")


def test_excerpts_are_worth_reading_alone(bot: CorpusBot, tmp_path: Path) -> None:
    svc = service(bot, Ledger(str(tmp_path / "l.db")), RecordingSender(), [target()])
    pool = {p.id for p in svc.pool(target())}

    def passage(start: str) -> str:
        found = [p.id for p in bot.index.passages if p.text.startswith(start)]
        assert len(found) == 1, start  # the example is still in the corpus, once
        return found[0]

    for why, start in NOT_ALONE.items():
        assert passage(start) not in pool, why
    for start in ALONE:
        assert passage(start) in pool, start


async def test_no_repeats_until_the_pool_is_used_then_a_new_order(
    bot: CorpusBot, tmp_path: Path
) -> None:
    t = target(topic="数据")
    sender = RecordingSender()
    svc = service(bot, Ledger(str(tmp_path / "l.db")), sender, [t])
    size = len(svc.pool(t))
    assert 2 < size < 40
    day = dt.date(2025, 1, 1)
    for n in range(2 * size):
        outcome = await svc.post(t, day + dt.timedelta(days=n), utc(2025, 1, 1))
        assert outcome.posted
    ids = [r.results[0].passage_id for _, r in sender.sent]
    first, second = ids[:size], ids[size:]
    assert len(set(first)) == size and set(first) == set(second)
    assert first != second  # the pool starts again in a new order
    articles = [bot.index.passage(i).article_id for i in ids]
    repeats = sum(a == b for a, b in itertools.pairwise(articles))
    assert repeats < len(ids) // 2  # consecutive days avoid the same article where possible


async def test_a_failed_send_is_retried_and_posted_once(bot: CorpusBot, tmp_path: Path) -> None:
    ledger = Ledger(str(tmp_path / "l.db"))
    sender = RecordingSender(failures=2)
    svc = service(bot, ledger, sender, [target()])
    outcome = await svc.post(target(), dt.date(2025, 5, 5), utc(2025, 5, 5, 7))
    assert outcome.posted and sender.attempts == 3 and len(sender.sent) == 1
    again = await svc.post(target(), dt.date(2025, 5, 5), utc(2025, 5, 5, 7, 5))
    assert not again.posted and "Already posted" in again.message
    assert [r.state for r in ledger.history("t")] == [PostState.CONFIRMED]
    assert ledger.history("t")[0].message_id == "m1"


async def test_a_send_that_timed_out_after_posting_is_not_sent_again(
    bot: CorpusBot, tmp_path: Path
) -> None:
    """A slow Slack took the post and answered after the client's timeout: the service
    asks the platform before retrying, and finds it there (an operator's drill posted
    the excerpt twice)."""
    ledger = Ledger(str(tmp_path / "l.db"))
    sender = RecordingSender(late=1)
    outcome = await service(bot, ledger, sender, [target()]).post(
        target(), dt.date(2025, 5, 5), utc(2025, 5, 5, 7)
    )
    assert outcome.posted and sender.attempts == 1 and len(sender.sent) == 1
    assert [r.state for r in ledger.history("t")] == [PostState.CONFIRMED]
    # A platform that cannot be asked is sent to again: at least once, as documented.
    blind = RecordingSender(late=1, checkable=False)
    other = Ledger(str(tmp_path / "m.db"))
    await service(bot, other, blind, [target()]).post(
        target(), dt.date(2025, 5, 5), utc(2025, 5, 5, 7)
    )
    assert len(blind.sent) == 2


async def test_a_send_that_keeps_failing_releases_its_claim(bot: CorpusBot, tmp_path: Path) -> None:
    ledger = Ledger(str(tmp_path / "l.db"))
    svc = service(bot, ledger, RecordingSender(failures=99), [target()])
    outcome = await svc.post(target(), dt.date(2025, 5, 5), utc(2025, 5, 5, 7))
    assert outcome.status is PostStatus.FAILED and "failed" in outcome.message
    # It may have reached the platform (a timeout looks the same): kept as sent, with
    # no owner, so the next attempt asks the platform before sending again.
    [row] = ledger.history()
    assert row.state is PostState.SENT and not row.owner
    sender = RecordingSender()
    ok = await service(bot, ledger, sender, [target()]).post(
        target(), dt.date(2025, 5, 5), utc(2025, 5, 5, 7, 10)
    )
    assert ok.posted and len(sender.sent) == 1
    assert [r.state for r in ledger.history()] == [PostState.CONFIRMED]


async def test_the_calendars_first_and_last_days_post_without_overflow(
    bot: CorpusBot, tmp_path: Path
) -> None:
    """`digest post --date 9999-12-31` crashed with OverflowError looking for the day
    after (to avoid its article); a date an operator can type must post or say why."""
    ledger = Ledger(str(tmp_path / "l.db"))
    sender = RecordingSender()
    svc = service(bot, ledger, sender, [target()])
    for day in (dt.date.max, dt.date.min):
        assert svc.preview(target(), day).reply is not None
        assert (await svc.post(target(), day, utc(2025, 5, 5, 7))).posted
    again = await svc.post(target(), dt.date.max, utc(2025, 5, 5, 8))
    assert not again.posted and "Already posted" in again.message
    assert len(sender.sent) == 2
    assert sorted(r.local_date for r in ledger.history()) == ["0001-01-01", "9999-12-31"]


def test_preview_does_not_touch_the_ledger(bot: CorpusBot, tmp_path: Path) -> None:
    ledger = Ledger(str(tmp_path / "l.db"))
    svc = service(bot, ledger, RecordingSender(), [target()])
    a = svc.preview(target(), dt.date(2025, 5, 5))
    b = svc.preview(target(), dt.date(2025, 5, 5))
    assert a.reply and a.reply.results[0].passage_id == b.reply.results[0].passage_id
    assert ledger.history() == []


def test_a_corrupt_ledger_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(LedgerError, match="not a readable database"):
        Ledger(str(path))
    assert path.read_bytes() == garbage


async def test_a_locked_ledger_is_reported_and_keeps_its_posts(
    bot: CorpusBot, tmp_path: Path
) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger(str(path), busy_timeout_s=0.2)
    svc = service(bot, ledger, RecordingSender(), [target()])
    assert (await svc.post(target(), dt.date(2025, 5, 5), utc(2025, 5, 5, 7))).posted
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LedgerError, match="locked"):
            await svc.post(target(), dt.date(2025, 5, 6), utc(2025, 5, 6, 7))
    finally:
        holder.rollback()
        holder.close()
    assert [r.local_date for r in ledger.history()] == ["2025-05-05"]


def race_two_posts(config: Path, day: str) -> list[str]:
    """Two real processes post the same target and date; returns their outputs."""
    # Build the index first so both racers start from the same saved index.
    subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--config", str(config), "x"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    command = [
        sys.executable,
        "-m",
        "bot",
        "digest",
        "post",
        "--target",
        "console",
        "--date",
        day,
        "--config",
        str(config),
    ]
    racers = [
        subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in racers]
    assert [p.returncode for p in racers] == [0, 0], outs
    return [out for out, _ in outs]


def digest_history(config: Path) -> str:
    """What `python -m bot digest history` prints, from a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "digest", "history", "--config", str(config)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


def test_two_processes_post_once(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    outs = race_two_posts(config, "2025-03-30")
    assert sum("Daily excerpt, 2025-03-30" in out for out in outs) == 1, outs
    assert sum("Already posted" in out for out in outs) == 1, outs
    assert digest_history(config).count("2025-03-30") == 1


async def test_live_scheduler_posts_to_the_console(bot: CorpusBot, tmp_path: Path) -> None:
    soon = dt.datetime.now(BERLIN) + dt.timedelta(seconds=2)
    t = DigestTarget(
        "live", "console", "stdout", soon.time().replace(microsecond=0), BERLIN, None, None
    )
    out = io.StringIO()
    svc = DigestService(
        bot, Ledger(str(tmp_path / "l.db")), [t], {"console": ConsoleSender(out)}, HOUR
    )
    scheduler = DigestScheduler(svc, trigger=lambda: CronTrigger(second="*", timezone=UTC))
    scheduler.start()
    try:
        for _ in range(80):
            if any(o.posted for o in scheduler.outcomes):
                break
            await asyncio.sleep(0.1)
    finally:
        scheduler.shutdown()
    assert [o.posted for o in scheduler.outcomes] == [True]
    assert "Daily excerpt" in out.getvalue()


# ---- PostgreSQL, for replicas sharing one ledger -----------------------------------------


def test_postgres_ledger_claims_once(postgres_url: str) -> None:
    ledger = Ledger(postgres_url)
    day, now = dt.date(2025, 7, 1), utc(2025, 7, 1, 7)
    claim = ledger.claim("pg", day, "a#1", "a", now)
    assert claim and ledger.claim("pg", day, "a#2", "a", now) is None
    ledger.mark_sent("pg", day, claim.token, now)
    ledger.confirm("pg", day, claim.token, now, "m1")
    assert [(r.passage_id, r.status) for r in ledger.history("pg")] == [("a#1", "confirmed")]
    ledger.close()


def test_two_processes_post_once_through_postgres(tmp_path: Path, postgres_url: str) -> None:
    ledger = {'ledger = "../var/digest.sqlite3"': f'ledger = "{postgres_url}"'}
    outs = race_two_posts(make_config(tmp_path, ledger), "2025-10-26")
    assert sum("Daily excerpt, 2025-10-26" in out for out in outs) == 1, outs


# ---- crash consistency: a process killed between any two steps -------------------------


class Killed(BaseException):
    """kill -9 at a step: nothing after it runs, nothing is cleaned up or released."""


def dead_process_owner() -> str:
    """The ledger owner of a process on this machine that has exited."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    host, boot, _, start = this_process().split("/")
    return f"{host}/{boot}/{gone.pid}/{start}"


async def crash_then_recover(
    bot: CorpusBot, tmp_path: Path, step: PostStep, sender: RecordingSender
) -> tuple[PostState | None, PostStatus]:
    """Post, killed at ``step``; then post again from a new process. Returns the
    ledger's state between the two and the second post's status."""
    path, day = str(tmp_path / "l.db"), dt.date(2025, 5, 5)

    def kill(at: PostStep) -> None:
        if at is step:
            raise Killed(at)

    crashed = DigestService(
        bot,
        Ledger(path, owner=dead_process_owner()),
        [target()],
        {"console": sender},
        HOUR,
        sleep=_no_sleep,
        checkpoint=kill,
    )
    with pytest.raises(Killed):
        await crashed.post(target(), day, utc(2025, 5, 5, 7))
    ledger = Ledger(path)
    between = ledger.get("t", day)
    again = await service(bot, ledger, sender, [target()]).post(
        target(), day, utc(2025, 5, 5, 7, 1)
    )
    assert [r.state for r in ledger.history()] == [PostState.CONFIRMED]
    return (between.state if between else None), again.status


@pytest.mark.parametrize(
    ("step", "between", "outcome"),
    [
        # Killed after the claim: nothing went out; retried at once, never "already".
        (PostStep.CLAIMED, PostState.CLAIMED, PostStatus.POSTED),
        # Killed after recording the send, before the platform was called: the
        # platform is asked, has nothing, and the excerpt goes out.
        (PostStep.SENDING, PostState.SENT, PostStatus.POSTED),
        # Killed after the platform took it, before the ledger heard: the platform is
        # asked, has it, and it is not sent again.
        (PostStep.DELIVERED, PostState.SENT, PostStatus.ALREADY),
        (PostStep.CONFIRMED, PostState.CONFIRMED, PostStatus.ALREADY),
    ],
)
async def test_a_post_killed_between_steps_is_neither_lost_nor_doubled(
    bot: CorpusBot, tmp_path: Path, step: PostStep, between: PostState, outcome: PostStatus
) -> None:
    sender = RecordingSender()
    assert await crash_then_recover(bot, tmp_path, step, sender) == (between, outcome)
    assert len(sender.sent) == 1
    # Found in the channel or sent now, the post is recorded with its message id.
    assert [r.message_id for r in Ledger(str(tmp_path / "l.db")).history()] == ["m1"]


async def test_where_the_platform_cannot_be_asked_a_resend_is_logged(
    bot: CorpusBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sender = RecordingSender(checkable=False)
    result = await crash_then_recover(bot, tmp_path, PostStep.DELIVERED, sender)
    assert result == (PostState.SENT, PostStatus.POSTED)
    assert len(sender.sent) == 2  # at least once: the documented window
    assert "it may appear twice" in caplog.text


async def test_a_claim_held_by_a_live_process_is_not_reported_as_posted(
    bot: CorpusBot, tmp_path: Path
) -> None:
    path, day = str(tmp_path / "l.db"), dt.date(2025, 5, 5)
    # Another replica, on another machine: its process cannot be looked at, so its
    # claim stands until the lease runs out.
    other = Ledger(path, owner="replica-2/boot/42/1")
    assert other.claim("t", day, "x#1", "x", utc(2025, 5, 5, 7))
    sender = RecordingSender()
    svc = service(bot, Ledger(path), sender, [target()])
    busy = await svc.post(target(), day, utc(2025, 5, 5, 7, 1), wait_s=1)
    assert busy.status is PostStatus.IN_PROGRESS and not busy.failed and not sender.sent
    later = await svc.post(target(), day, utc(2025, 5, 5, 7) + LEASE + dt.timedelta(seconds=1))
    assert later.posted and len(sender.sent) == 1


def test_an_empty_or_foreign_ledger_is_refused_unless_asked_for_a_new_one(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(LedgerError, match=r"empty\.sqlite3 is an empty file.*--new-ledger"):
        Ledger(str(empty))
    assert empty.read_bytes() == b""
    Ledger(str(empty), new_ledger=True).close()
    assert Ledger(str(empty)).history() == []

    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    with pytest.raises(LedgerError, match=r"foreign\.sqlite3 is a database of something else"):
        Ledger(str(foreign))
    Ledger(str(foreign), new_ledger=True).close()
    [aside] = tmp_path.glob("foreign.sqlite3.old-*")
    with sqlite3.connect(aside) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("invoices",)]


def test_a_ledger_from_before_the_states_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE posts (target VARCHAR(200), local_date VARCHAR(10), passage_id "
            "VARCHAR(200) NOT NULL, article_id VARCHAR(200) NOT NULL, status VARCHAR(10) NOT "
            "NULL, claim_token VARCHAR(40) NOT NULL, claimed_at FLOAT NOT NULL, posted_at "
            "FLOAT, PRIMARY KEY (target, local_date))"
        )
        db.execute("INSERT INTO posts VALUES ('t', '2025-01-01', 'a#1', 'a', 'posted', 'x', 1, 2)")
    [row] = Ledger(str(path)).history()
    assert (row.passage_id, row.state) == ("a#1", PostState.CONFIRMED)


def test_digest_history_shows_each_state(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    ledger = Ledger(str(tmp_path / "var" / "digest.sqlite3"), owner="replica-2/boot/42/1")
    now = utc(2025, 5, 5, 7)
    for n, state in enumerate(PostState):
        day = dt.date(2025, 5, 1 + n)
        claim = ledger.claim("console", day, f"a#{n}", "a", now)
        assert claim
        if state is not PostState.CLAIMED:
            ledger.mark_sent("console", day, claim.token, now)
        if state is PostState.CONFIRMED:
            ledger.confirm("console", day, claim.token, now, None)
    lines = digest_history(config).splitlines()
    assert "claimed" in lines[0] and "nothing sent yet" in lines[0]
    assert " sent " in lines[1] and "not confirmed" in lines[1]
    assert "confirmed" in lines[2] and "(" not in lines[2]


async def test_only_runs_after_the_ledger_knew_the_target_are_reported_missed(
    bot: CorpusBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    t = target("09:00")  # 07:00 UTC in summer
    svc = service(bot, Ledger(str(tmp_path / "l.db")), RecordingSender(), [t])

    def start_and_stop(now: dt.datetime) -> list[str]:
        caplog.clear()
        scheduler = DigestScheduler(svc, clock=lambda: now)
        with caplog.at_level(logging.WARNING, logger="bot.digest"):
            scheduler.start()
            scheduler.shutdown()
        return [r.getMessage() for r in caplog.records if "missed the run" in r.getMessage()]

    # A new ledger: no process existed to miss anything.
    assert start_and_stop(utc(2025, 6, 9, 12)) == []
    # Posted on June 7, down until noon on June 9: June 8 and 9 were missed, June 7 not,
    # and nothing before the post.
    await svc.post(t, dt.date(2025, 6, 7), utc(2025, 6, 7, 7, 0))
    missed = start_and_stop(utc(2025, 6, 9, 12))
    assert [m.split("run of ")[1][:10] for m in missed] == ["2025-06-08", "2025-06-09"]
    # Recorded as skips, not posts: a restart neither says them again nor posts them.
    states = {r.local_date: r.state for r in svc.ledger.history("t")}
    assert states == {
        "2025-06-07": PostState.CONFIRMED,
        "2025-06-08": PostState.SKIPPED,
        "2025-06-09": PostState.SKIPPED,
    }
    assert start_and_stop(utc(2025, 6, 9, 12, 30)) == []
    assert start_and_stop(utc(2025, 6, 10, 6, 0)) == []
    assert await svc.tick(t, utc(2025, 6, 9, 12, 31)) is None
    assert "(missed while no process ran; not posted)" in svc.history_text("t")
    assert svc.round_of(t).left == svc.round_of(t).size - 1  # a skip uses no passage
    # An operator may still post a skipped date by hand.
    by_hand = await svc.post(t, dt.date(2025, 6, 8), utc(2025, 6, 10, 6, 5))
    assert by_hand.posted and svc.ledger.get("t", dt.date(2025, 6, 8)).state is PostState.CONFIRMED


# ---- no repeats, whatever the order of dates posted --------------------------------------


async def test_no_repeats_whatever_the_order_of_dates_posted(bot: CorpusBot, tmp_path) -> None:
    t = target(topic="数据")
    sender = RecordingSender()
    svc = service(bot, Ledger(str(tmp_path / "l.db")), sender, [t])
    size = len(svc.pool(t))
    # Today, then backfills of earlier dates and manual posts of later ones, shuffled.
    offsets = [0, -1, 7, -30, 3, -2, 14, -9, 1, -5, 30, -14, 2, -3, 9, -20, 5, -7]
    offsets = (offsets * (size // len(offsets) + 1))[:size]
    offsets = [o + 100 * (n // 18) for n, o in enumerate(offsets)]  # distinct dates
    assert len(set(offsets)) == size
    start = utc(2025, 6, 1, 7)
    for n, offset in enumerate(offsets):
        day = dt.date(2025, 6, 1) + dt.timedelta(days=offset)
        assert (await svc.post(t, day, start + dt.timedelta(minutes=n))).posted
    ids = [r.results[0].passage_id for _, r in sender.sent]
    assert len(set(ids)) == size  # the whole pool, each passage once
    assert svc.round_of(t).left == size  # ... and a new round begins
    assert "0 not yet posted" not in svc.history_text("t")


def test_history_shows_the_pool_and_what_is_left(bot: CorpusBot, tmp_path) -> None:
    t = target(topic="数据")
    svc = service(bot, Ledger(str(tmp_path / "l.db")), RecordingSender(), [t])
    size = len(svc.pool(t))
    assert svc.history_text("t").splitlines() == [
        "nothing posted yet",
        f"pool of t: {size} passages, {size} not yet posted in round 1",
    ]
    asyncio.run(svc.post(t, dt.date(2025, 6, 1), utc(2025, 6, 1, 7)))
    assert (
        svc.history_text("t")
        .splitlines()[-1]
        .endswith(f"{size} passages, {size - 1} not yet posted in round 1")
    )
