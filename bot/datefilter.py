"""Date words in a timeline query -> a ``DateFilter``, and the test an event passes.

What a person types after ``/timeline``, besides the topic:

- a year, a month or a day: ``2016``, ``2016年``, ``2025年1月``, ``2025-01``, ``March 2024``,
  ``2025-01-20`` (``in 2016`` / ``在2016年`` too);
- a range: ``2024-2025``, ``2024到2025年``, ``从2024年至2025年``, ``2025年1月-3月``,
  ``between 2020 and 2022``, ``2020 to 2022``;
- an open end: ``since 2024``, ``from 2024``, ``2024以来``, ``2024年起``, ``自2024年`` (from
  the start of 2024 on); ``until 2024``, ``through 2024``, ``截至2024年``, ``到2024年为止``
  (up to the end of 2024); ``after 2024``, ``2024年之后`` (from 2025 on); ``before 2024``,
  ``2024年之前``, ``2024年以前`` (up to the end of 2023).

The first date expression found is the filter; the rest of the text is the topic.
An event passes when it certainly lies within the filter: a dated point at its own
precision ("2025" is some day of 2025, so it is not "in 2025-01"), a span when any part
of it falls within.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from bot.calendar_words import MONTH_PATTERN, month_number
from bot.models import DateFilter

_Y = r"(?:19|20)\d{2}"
_EN_MONTH = MONTH_PATTERN


# Parts of a year, typed after "YYYY年" or before "YYYY": (first month, last month,
# English words); a last month past 12 runs into the next year (winter).
_PARTS: dict[str, tuple[int, int, str]] = {
    "初": (1, 3, "early {y}"),
    "年初": (1, 3, "early {y}"),
    "底": (10, 12, "late {y}"),
    "年底": (10, 12, "late {y}"),
    "末": (10, 12, "late {y}"),
    "年末": (10, 12, "late {y}"),
    "上半年": (1, 6, "the first half of {y}"),
    "下半年": (7, 12, "the second half of {y}"),
    "春": (3, 5, "spring {y}"),
    "夏": (6, 8, "summer {y}"),
    "秋": (9, 11, "autumn {y}"),
    "冬": (12, 14, "winter {y}"),
    "一季度": (1, 3, "Q1 {y}"),
    "二季度": (4, 6, "Q2 {y}"),
    "三季度": (7, 9, "Q3 {y}"),
    "四季度": (10, 12, "Q4 {y}"),
    "q1": (1, 3, "Q1 {y}"),
    "q2": (4, 6, "Q2 {y}"),
    "q3": (7, 9, "Q3 {y}"),
    "q4": (10, 12, "Q4 {y}"),
    "early": (1, 4, "early {y}"),
    "mid": (5, 8, "mid-{y}"),
    "late": (9, 12, "late {y}"),
}
# A one-character part must end the date words: "2025年初创公司" is about start-ups.
_ZH_PART = (
    r"上半年|下半年|第?[一二三四]季度?"
    r"|(?:[初底末]|[春夏秋冬](?:天|季)?)(?=$|[^\u3400-\u9fff]|[的以之前后後起至到开開迄])"
)
_EN_PART = r"early|mid-?|late|q[1-4]"


def _date(name: str) -> str:
    """One date at year, month or day precision, or a part of a year: "2025",
    "2025年1月20日", "2025-01", "2025/1/20", "March 2024", "2025年初", "Q1 2025"; its
    parts in groups named after ``name``."""
    return (
        rf"(?:(?P<{name}em>{_EN_MONTH})\.?\s+(?P<{name}ey>{_Y})"
        rf"|(?P<{name}ep>{_EN_PART})\s*(?P<{name}py>{_Y})"
        rf"|(?P<{name}y>{_Y})(?:\s*年(?:(?P<{name}zp>{_ZH_PART})"
        rf"|\s*(?P<{name}m>\d{{1,2}})\s*月(?:\s*(?P<{name}d>\d{{1,2}})\s*[日号號])?)?"
        rf"|[-/.](?P<{name}m2>\d{{1,2}})(?!\d)(?:[-/.](?P<{name}d2>\d{{1,2}})(?!\d))?)?)"
    )


_START = r"(?<![0-9A-Za-z])"
_W = r"(?<![A-Za-z])"  # an English word starts here
_END = r"(?![0-9A-Za-z])"
_RANGE_SEP = r"\s*(?:-|–|—|~|～|〜|到|至|to|till|until|through|and)\s*"
_SINCE_WORDS = r"以来|以來|起|开始|開始|至今|迄今|到现在|到現在|到今天|onwards?"
_AFTER_WORDS = r"之后|之後|以后|以後|后|後"
_UNTIL_WORDS = r"为止|為止"
_BEFORE_WORDS = r"之前|以前|前(?![后後])"

# Tried in order; each a full pattern over the query with the named date groups a, b.
_SOURCES: tuple[tuple[str, str], ...] = (
    (
        "range",
        rf"(?:(?:从|從|自|{_W}from|{_W}between)\s*)?{_START}{_date('a')}{_RANGE_SEP}"
        rf"(?:{_date('b')}|(?P<bm_only>\d{{1,2}})\s*月){_END}\s*(?:之间|之間)?",
    ),
    ("after", rf"{_W}after\s+{_START}{_date('a')}{_END}"),
    ("after", rf"{_START}{_date('a')}\s*(?:{_AFTER_WORDS})"),
    ("before", rf"{_W}(?:before|prior\s+to)\s+{_START}{_date('a')}{_END}"),
    ("before", rf"{_START}{_date('a')}\s*(?:{_BEFORE_WORDS})"),
    (
        "until",
        rf"(?:{_W}until|{_W}till|{_W}through|{_W}up\s+to|截至|截止|到)\s*{_START}{_date('a')}{_END}"
        rf"\s*(?:{_UNTIL_WORDS})?",
    ),
    ("until", rf"{_START}{_date('a')}\s*(?:{_UNTIL_WORDS})"),
    (
        "since",
        rf"(?:{_W}since|{_W}from|自|从|從)\s*{_START}{_date('a')}{_END}\s*(?:{_SINCE_WORDS})?",
    ),
    ("since", rf"{_START}{_date('a')}\s*(?:{_SINCE_WORDS})(?![A-Za-z])"),
    (
        "on",
        rf"(?:(?:{_W}in|{_W}during|{_W}around|在|于|於)\s*)?{_START}{_date('a')}{_END}"
        r"\s*(?:左右|前后|前後)?",
    ),
)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Compiled at the first timeline query, not at start-up (about 50 ms)."""
    return tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _SOURCES)


def first_day(year: int, month: int | None = None, day: int | None = None) -> dt.date:
    return dt.date(year, month or 1, day or 1)


def last_day(year: int, month: int | None = None, day: int | None = None) -> dt.date:
    if month is None:
        return dt.date(year, 12, 31)
    if day is None:
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(year, month, day)


def interval(stamp: str) -> tuple[dt.date, dt.date]:
    """The days a stamp covers: "2025" is 2025-01-01 .. 2025-12-31."""
    parts = [int(p) for p in stamp.split("-")]
    return first_day(*parts), last_day(*parts)


@dataclass(frozen=True)
class _When:
    """A typed date as the days it covers, and its words for the reply."""

    first: dt.date
    last: dt.date
    label: str


def _when(m: re.Match[str], name: str) -> _When | None:
    if m[f"{name}ey"]:
        return _exact(int(m[f"{name}ey"]), month_number(m[f"{name}em"]), None)
    part = m[f"{name}ep"] or m[f"{name}zp"]
    if part:
        year = int(m[f"{name}py"] or m[f"{name}y"])
        key = part.lower().rstrip("-").lstrip("第").removesuffix("天").removesuffix("季")
        key = key if key in _PARTS else key + "季度"
        first_month, last_month, words = _PARTS[key]
        end_year, end_month = year + (last_month - 1) // 12, (last_month - 1) % 12 + 1
        return _When(
            first_day(year, first_month),
            last_day(end_year, end_month),
            words.format(y=year),
        )
    month_text = m[f"{name}m"] or m[f"{name}m2"]
    day_text = m[f"{name}d"] or m[f"{name}d2"]
    exact_month = int(month_text) if month_text else None
    day = int(day_text) if day_text and exact_month else None
    return _exact(int(m[f"{name}y"]), exact_month, day)


def _exact(year: int, month: int | None, day: int | None) -> _When | None:
    try:
        first = first_day(year, month, day)
    except ValueError:
        return None
    return _When(first, last_day(year, month, day), _stamp(year, month, day))


def _stamp(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def extract(text: str) -> tuple[DateFilter | None, str]:
    """(the filter, the text without its words); (None, text) when it names no date."""
    for kind, pattern in _patterns():
        for m in pattern.finditer(text):
            found = _filter(kind, m)
            if found is None:
                continue
            rest = (text[: m.start()] + " " + text[m.end() :]).strip()
            return found, re.sub(r"\s+", " ", rest)
    return None, text


def _filter(kind: str, m: re.Match[str]) -> DateFilter | None:
    a = _when(m, "a")
    if a is None:
        return None
    words = m.group(0).strip()
    if kind == "range":
        if m["bm_only"]:  # "2025年1月-3月": the second month of the first one's year
            if a.label.count("-") != 1:
                return None
            b = _exact(a.first.year, int(m["bm_only"]), None)
        else:
            b = _when(m, "b")
        if b is None:
            return None
        if b.first < a.first:  # "2025-2024": the person means the years between
            a, b = b, a
        return DateFilter(a.first, b.last, words, f"from {a.label} to {b.label}")
    if kind == "since":
        return DateFilter(a.first, None, words, f"since {a.label}")
    if kind == "after":
        return DateFilter(a.last + dt.timedelta(days=1), None, words, f"after {a.label}")
    if kind == "until":
        return DateFilter(None, a.last, words, f"until {a.label}")
    if kind == "before":
        return DateFilter(None, a.first - dt.timedelta(days=1), words, f"before {a.label}")
    return DateFilter(a.first, a.last, words, f"in {a.label}")


def admits(dates: DateFilter, start: str, end: str | None = None) -> bool:
    """Whether an event dated ``start`` (a span when ``end`` is given) passes the filter:
    a point must lie wholly within it; a span must overlap it."""
    first, last = interval(start)
    if end is not None:
        last = interval(end)[1]
        return (dates.start is None or last >= dates.start) and (
            dates.end is None or first <= dates.end
        )
    return (dates.start is None or first >= dates.start) and (
        dates.end is None or last <= dates.end
    )
