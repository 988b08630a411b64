"""The daily excerpt: time as a parameter, the pool, exactly-once, a live tick."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import itertools
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
from bot.digest.ledger import Ledger
from bot.digest.schedule import due_date, missed_dates, next_run, scheduled_instant
from bot.digest.scheduler import DigestScheduler
from bot.digest.service import DigestService
from bot.errors import LedgerError
from bot.models import Reply
from tests.conftest import ROOT, make_config

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
    """A fake platform: records sends; can fail the first ``failures`` attempts."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.sent: list[tuple[str, Reply]] = []
        self.attempts = 0

    async def send(self, channel: str, reply: Reply) -> None:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise ConnectionError("platform unavailable")
        self.sent.append((channel, reply))


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
}
# ... and ones that read well alone: an interviewee's whole thought, a quoted person's.
ALONE = ("領導力其實是個非常多面向的課題", "数据标注领域的竞争对手SuperAnnotate CEO")


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
    assert [r.status for r in ledger.history("t")] == ["posted"]


async def test_a_send_that_keeps_failing_releases_its_claim(bot: CorpusBot, tmp_path: Path) -> None:
    ledger = Ledger(str(tmp_path / "l.db"))
    svc = service(bot, ledger, RecordingSender(failures=99), [target()])
    outcome = await svc.post(target(), dt.date(2025, 5, 5), utc(2025, 5, 5, 7))
    assert not outcome.posted and "failed" in outcome.message
    assert ledger.history() == []  # a later tick may try again
    ok = await service(bot, ledger, RecordingSender(), [target()]).post(
        target(), dt.date(2025, 5, 5), utc(2025, 5, 5, 7, 10)
    )
    assert ok.posted


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


def test_two_processes_post_once(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    outs = race_two_posts(config, "2025-03-30")
    assert sum("Daily excerpt, 2025-03-30" in out for out in outs) == 1, outs
    assert sum("Already posted" in out for out in outs) == 1, outs
    history = subprocess.run(
        [sys.executable, "-m", "bot", "digest", "history", "--config", str(config)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert history.count("2025-03-30") == 1


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


@pytest.fixture(scope="module")
def postgres_url():
    from tests.postgres import postgres_server

    with postgres_server() as url:
        if url is None:
            pytest.skip("no PostgreSQL server binaries on this machine")
        yield url


def test_postgres_ledger_claims_once(postgres_url: str) -> None:
    ledger = Ledger(postgres_url)
    day, now = dt.date(2025, 7, 1), utc(2025, 7, 1, 7)
    token = ledger.claim("pg", day, "a#1", "a", now)
    assert token and ledger.claim("pg", day, "a#2", "a", now) is None
    ledger.mark_posted("pg", day, token, now)
    assert [(r.passage_id, r.status) for r in ledger.history("pg")] == [("a#1", "posted")]
    ledger.close()


def test_two_processes_post_once_through_postgres(tmp_path: Path, postgres_url: str) -> None:
    ledger = {'ledger = "../var/digest.sqlite3"': f'ledger = "{postgres_url}"'}
    outs = race_two_posts(make_config(tmp_path, ledger), "2025-10-26")
    assert sum("Daily excerpt, 2025-10-26" in out for out in outs) == 1, outs
