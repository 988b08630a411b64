"""When is a target's excerpt due? Pure functions of ``now`` (an aware datetime).

A target posts once per local date at a local wall-clock time. DST is handled here,
not by the trigger: a time that does not exist that day (02:30 when clocks jump from
02:00 to 03:00) posts at the first instant after the gap; a time that exists twice
(02:30 when clocks fall back) posts at the first of the two. Either way, one post per
local date, never none and never two.

Why not APScheduler's local-time CronTrigger: in 3.x it skips the day at spring-forward
(agronholm/apscheduler#606, #1059) and can loop at fall-back (#1021). The scheduler
ticks in UTC and asks ``due_date`` instead.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.config import DigestTarget

UTC = dt.UTC


def scheduled_instant(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``zone``."""
    local = dt.datetime.combine(day, at, tzinfo=zone)  # fold=0: the first of two
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        # The wall time falls in a gap: post at the first instant after it, which is
        # where the clock jumps to.
        return _end_of_gap(local, zone)
    return instant


def _end_of_gap(local: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    before = local.replace(fold=0).astimezone(UTC)
    after = local.replace(fold=1).astimezone(UTC)
    start, end = sorted((before, after))
    # Walk minutes from the earlier reading until the wall clock is past ``local``.
    instant = start
    while instant <= end:
        if instant.astimezone(zone).replace(tzinfo=None) >= local.replace(tzinfo=None):
            return instant
        instant += dt.timedelta(minutes=1)
    return end


def runs_on(target: DigestTarget, day: dt.date) -> bool:
    return target.weekdays is None or day.weekday() in target.weekdays


def next_run(target: DigestTarget, now: dt.datetime) -> dt.datetime:
    """The first scheduled instant strictly after ``now`` (UTC)."""
    day = now.astimezone(target.timezone).date() - dt.timedelta(days=1)
    for _ in range(15):
        if runs_on(target, day):
            instant = scheduled_instant(day, target.time, target.timezone)
            if instant > now:
                return instant
        day += dt.timedelta(days=1)
    raise ValueError(f"target {target.name} never runs")  # weekdays is never empty


def due_date(target: DigestTarget, now: dt.datetime, grace: dt.timedelta) -> dt.date | None:
    """The local date whose post is due at ``now``: its instant has passed, by no more
    than ``grace``. None when nothing is due (too early, a skipped weekday, or a run
    missed by more than the grace period)."""
    today = now.astimezone(target.timezone).date()
    for day in (today, today - dt.timedelta(days=1)):
        instant = scheduled_instant(day, target.time, target.timezone)
        if instant <= now:
            if runs_on(target, day) and now - instant <= grace:
                return day
            return None
    return None


def missed_dates(
    target: DigestTarget, since: dt.datetime, now: dt.datetime, grace: dt.timedelta
) -> list[dt.date]:
    """Scheduled dates between ``since`` and ``now`` that are past their grace: the
    runs to skip and log when the process was down."""
    out = []
    day = since.astimezone(target.timezone).date()
    while day <= now.astimezone(target.timezone).date():
        instant = scheduled_instant(day, target.time, target.timezone)
        if runs_on(target, day) and since <= instant and now - instant > grace:
            out.append(day)
        day += dt.timedelta(days=1)
    return out
