"""Dated events: every sentence with a date, at the date's own precision.

Absolute dates ("2016年", "2024年3月", "2025/6/12", "2025-06-12") are taken as
written. Relative ones are resolved against the date just before in the text
("同年11月" after "2024年3月" -> 2024-11; "第二天" after 2025-01-20 -> 2025-01-21) or
against the publication date ("今年1月20日" published 2025-06-12 -> 2025-01-20).
News words for the days around publication resolve against it, at their precision:
"本周", "日前", "近日" -> the publication month; "上周" -> a week before; "周二" -> the
Tuesday of the publication week (a day). English is read the same way: "this week",
"last month" at the month's precision, and a month without a year ("back in March",
"in mid-June") is the latest such month not after publication (or the next one, when
the clause speaks of the future); a year written beside a day ("January 5th and 6th of
2020") is never replaced by the publication's. Years said in words are read at the
year's precision as 明年/去年/次年 are: "next year", "last year", "two years ago", "in two
years" from the publication, "the following year", "the year before", "two years later"
from the date just before; "June 24 of next year" is that day of the publication's year
plus one. Weekdays go by the calendar week of the publication day ("上周二", "下周一",
"本周三"); a bare "星期一" is the latest one, or the next one in a clause about the
future ("布什将在星期一视察").

Two months or days joined as a range ("2024年6月至10月", "1月20日至22日", "between June and
October 2020", "September 25-26") are the two ends of a span; joined as a list ("3月和5月",
"June and July 2020") two events; "或"/"or" one event at the precision both share. Months
merely mentioned, with no year ("6月至10月", "between June and October", "in June or
July"), are no event.

A news article's headline, when it holds no date, is an event of its publication date. A
date only reads as a date when the calendar allows it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from bot.calendar_words import CAP_MONTH_PATTERN, MONTH_PATTERN, month_number
from bot.ingest.event_kinds import FORECAST_WORDS, classify, clause_around
from bot.ingest.sentences import split_sentences
from bot.models import Event, EventKind, Kind, Role, Turn

_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# News words for the weeks and months around publication (resolved in _around).
_LAST_WEEK = ("上周", "上週", "上个星期", "上個星期", "上星期", "上个礼拜", "上個禮拜")
_NEXT_WEEK = ("下周", "下週", "下个星期", "下個星期", "下星期", "下个礼拜", "下個禮拜")
_LAST_MONTH = ("上月", "上个月", "上個月")
_AROUND = (
    *("本周", "本週", "这周", "這週", "这个星期", "這個星期", "本星期", "这星期", "這星期"),
    *("这个礼拜", "這個禮拜", "这礼拜", "這禮拜"),
    *_LAST_WEEK,
    *_NEXT_WEEK,
    *("日前", "近日", "本月"),
    *_LAST_MONTH,
)
_CAP_MONTHS = CAP_MONTH_PATTERN
_MONTHS = MONTH_PATTERN
# An ordinal's ending and a second day ("5th", "5th and 6th", "5-6"), then where a year
# may follow the day ("…, 2020", "… of 2020").


def _ord(n: int) -> str:
    """An ordinal's ending and maybe a second day, its joiner and day named by ``n``."""
    return (
        rf"(?:st|nd|rd|th)?(?:\s*(?P<ej{n}>and|&|-|–|to)\s*(?P<edd{n}>\d{{1,2}})"
        r"(?:st|nd|rd|th)?)?"
    )


def _year_after(n: int) -> str:
    """A year written after a day or month ("…, 2020", "… of 2020"), or a year said
    relative to publication ("June 24 of next year", "in June this year")."""
    return rf"(?:,?\s+(?:of\s+)?(?:(?P<ey{n}>(?:19|20)\d{{2}})|(?P<eyr{n}>next|last|this)\s+year))?"


# A number of years in words or digits ("two years ago", "in 3 years").
_EN_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
_EN_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_EN_COUNTS |= {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_EN_PART = r"(?:(?:early|mid|late)[-\s]?)?"
_DATE = re.compile(
    # English months joined as a range or a list ("between June and October", "from
    # June to October 2020", "in June or July", "June 5-7"): first, so that neither
    # month is read alone. See _pair.
    r"(?P<epair>(?:\b(?P<epprep>between|from|(?:back\s+)?in|during|since|until|till|by|through)"
    r"\s+)?"
    + _EN_PART
    + r"(?-i:\b(?P<epm1>"
    + _CAP_MONTHS
    + r"))\.?(?:\s+(?P<epd1>\d{1,2})(?:st|nd|rd|th)?)?,?\s*"
    r"(?P<epj>to|through|until|till|and|or|-|–|—)\s*"
    + _EN_PART
    + r"(?-i:(?P<epm2>"
    + _CAP_MONTHS
    + r"))\b\.?(?:\s+(?P<epd2>\d{1,2})(?:st|nd|rd|th)?\b)?"
    + _year_after(5)
    + r"(?![\d\w]))"
    r"|(?P<iso>(?<!\d)(?P<iy>(?:19|20)\d{2})[-/.](?P<im>\d{1,2})(?:[-/.](?P<id>\d{1,2}))?(?![\d.]))"
    r"|(?P<abs>(?<!\d)(?P<y>(?:19|20)\d{2})\s*年(?:\s*(?P<m>"
    + _NUM
    + r")\s*月(?:\s*(?P<d>"
    + _NUM
    + r")\s*[日号號])?)?)"
    r"|(?P<rel>(?P<ry>今年|去年|前年|明年|后年|後年|同年|当年|當年|本年|次年|翌年|隔年)(?:\s*(?P<rm>"
    + _NUM
    + r")\s*月(?:\s*(?P<rd>"
    + _NUM
    + r")\s*[日号號])?)?)"
    r"|(?P<md>(?<![\d年])(?P<mm>" + _NUM + r")\s*月\s*(?P<mdd>" + _NUM + r")\s*[日号號])"
    r"|(?P<next>第二天|次日|翌日|隔天)"
    # "周二" is a weekday, "一周一次" / "每周" are not.
    r"|(?P<week>(?<![一二两三四五六七八九十几每数\d])"
    r"(?P<wrel>上个|上個|下个|下個|这个|這個|上|下|本|这|這)?(?:周|週|星期|禮拜|礼拜)"
    r"(?P<wday>[一二三四五六日天]))"
    # Not where a month and day follow: "上周5月16日" is that day (see _NEAR_NOW), nor
    # a weekday ("本周三" is that day, the form above).
    r"|(?P<around>(?:"
    + "|".join(_AROUND)
    + r")(?!\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月)(?![一二三四五六日天]))"
    # English: "March 2024", "March 5, 2024", "5 March 2024", "in 2016"; the month a word
    # of its own ("grammar 2020" is no date)
    r"|(?P<en>(?:(?P<ed>\d{1,2})\s+)?(?<![A-Za-z])(?P<emon>"
    + _MONTHS
    + r")\.?(?:\s+(?P<ed2>\d{1,2}),?)?\s+"
    r"(?P<ey>(?:19|20)\d{2})\b)"
    r"|(?P<eyear>\b(?:in|since|by|until|from|early|late|mid-?)\s+(?P<ey2>(?:19|20)\d{2})\b)"
    # English day and month, the year maybe after an ordinal or a second day ("on May
    # 10th", "10 May", "January 5th and 6th of 2020", "5th of January, 2020"): the
    # month must be capitalised, so "may 5" is not a date.
    r"|(?P<emd>(?-i:\b(?P<emon2>"
    + _CAP_MONTHS
    + r"))\.?\s+(?P<eday>\d{1,2})"
    + _ord(3)
    + _year_after(3)
    + r"\b)"
    r"|(?P<edm>\b(?P<eday2>\d{1,2})"
    + _ord(4)
    + r"\s+(?:of\s+)?(?-i:(?P<emon3>"
    + _CAP_MONTHS
    + r"))"
    + _year_after(4)
    + r"\b)"
    # An English month alone after a preposition ("back in March", "in mid-June", "since
    # May"); capitalised, and not where a day or year follows (those are the forms
    # above). Without the preposition "April" is as likely a name ("Go ahead, April").
    r"|(?P<emo>\b(?P<emprep>(?:back\s+)?in|since|until|till|by|during|through|last|this|next)"
    r"\s+(?:the\s+)?(?:(?:early|mid|late|end\s+of|beginning\s+of)[-\s]?)?"
    r"(?-i:(?P<emon4>" + _CAP_MONTHS + r"))\b(?![.,]?\s*\d)"
    r"(?:\s+(?:of\s+)?(?P<eyr6>next|last|this)\s+year\b)?)"
    # English news words around publication, at the month's precision as 本周/上月 are.
    r"|(?P<enear>\b(?:(?:earlier|later)\s+)?(?P<enw>this|last)\s+(?P<enu>week|month)\b)"
    # English years said relative to publication ("next year", "last year", "this
    # year", "two years ago", "in two years", "the year before last"; not "the last
    # year" or "the next year", which are a stretch of time), or to the date just before
    # ("the following year", "the year before", "two years later", "that same year").
    r"|(?P<eyr>\b(?:(?<!the\s)(?P<eyn>next|last|this)\s+year"
    r"|the\s+year\s+(?P<eyb>before\s+last|after\s+next)"
    r"|(?P<eyago>" + _EN_COUNT + r")\s+years?\s+ago"
    r"|in\s+(?P<eyin>" + _EN_COUNT + r")\s+years?(?:['’]?\s+time)?(?!\s+of\b)"
    r"|(?:the\s+)?(?P<eyf>following|previous|prior)\s+year"
    r"|the\s+year\s+(?P<eyba>before|after)(?=\s*(?:[,.;:!?)]|and\b|$))"
    r"|(?P<eyl>" + _EN_COUNT + r")\s+years?\s+(?P<eylw>later|earlier)"
    r"|(?:that|the)\s+(?P<eys>same\s+)?year(?(eys)|(?<=that\syear)))\b)",
    re.IGNORECASE,
)


# Every match of _DATE holds one of these: a digit, 年 月 日 天 周 週 期 拜 (今年, 5月,
# 日前, 第二天, 周二, 星期二, 禮拜二), a capitalised month or "week"/"month"/"year", so a
# text without any holds no date.
_DATE_HINT = re.compile(
    r"[\d年月日天周週期拜]|(?-i:" + _CAP_MONTHS + r")|week|month|year", re.IGNORECASE
)
# Where a match of _DATE can begin: a digit, the opening of a Chinese form (今年, 五月,
# 第二天, 上周, 星期二, 这周, 日前, 近日 …), a word an English form opens with (every
# English form but one opens with \b and one of _EN_STARTS) or a month's name (the one
# that does not: "March 2024"). Trying _DATE only there finds what its own scan finds, at
# a third of the cost: that scan tried a dozen forms at every character (#14).
_EN_STARTS = (
    *("between", "from", "back", "in", "during", "since", "until", "till", "by", "through"),
    *("early", "mid", "late", "earlier", "later", "last", "this", "next", "the", "that"),
    *("following", "previous", "prior", "a", "an", "one", "two", "three", "four", "five"),
    *("six", "seven", "eight", "nine", "ten"),
)
_DATE_START = re.compile(
    r"(?=\d|今年|去年|前年|明年|后年|後年|同年|当年|當年|本年|次年|翌年|隔年"
    r"|[一二三四五六七八九十]{1,3}\s*月|第二天|次日|翌日|隔天"
    r"|(?:上个|上個|下个|下個|这个|這個|上|下|本|这|這)?(?:周|週|星期|禮拜|礼拜)[一二三四五六日天]"
    r"|" + "|".join(_AROUND) + r")"
    r"|\b(?=(?:" + "|".join(_EN_STARTS) + r")\b)"
    r"|(?=jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)
# A book, paper or programme title is not an event ("《2019年中國肺炎患者…》"), nor is an
# issue number ("《求是》2020年第4期").
_TITLE = re.compile(r"《[^《》]{0,80}》")
_ISSUE = re.compile(r"\s*第\s*\d{1,4}\s*[期号號卷]")
# Words that tie a month and day to the publication date: "上周5月16日".
_NEAR_NOW = re.compile(
    r"(?:上周|上週|本周|本週|这周|這週|下周|下週|上月|昨天|前天|日前|近日|今天|本月)\s*$"
)
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Stamp:
    year: int
    month: int | None = None
    day: int | None = None
    # The year is the publication's, not written ("back in March", "周二", "July 4th"):
    # such a date is no anchor for the year of a later day (see _year_of_day).
    inferred: bool = field(default=False, compare=False)

    def render(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def parse_stamp(text: str | None) -> Stamp | None:
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    if not parts:
        return None
    month = parts[1] if len(parts) > 1 else None
    day = parts[2] if len(parts) > 2 else None
    return Stamp(parts[0], month, day)


def _num(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS.get(text[1:], 0) if len(text) > 1 else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 0) * 10 + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS.get(text)


def _valid(stamp: Stamp) -> bool:
    if not 1900 <= stamp.year <= 2100:
        return False
    if stamp.month is None:
        return True
    if not 1 <= stamp.month <= 12:
        return False
    if stamp.day is None:
        return True
    try:
        dt.date(stamp.year, stamp.month, stamp.day)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Dated:
    """A date found in a text: what was written, where, and the day(s) it means."""

    expression: str
    stamp: Stamp
    start: int
    end: int


def find_dated(
    text: str,
    anchor: Stamp | None,
    published: Stamp | None,
    unresolved: list[str] | None = None,
) -> list[Dated]:
    """Every date in text, in order; ``anchor`` is the date mentioned last before this
    text, and is what "同年" and "第二天" refer to. A relative date with nothing to
    resolve it against ("第二天" with no date before it, "今年" with no publication
    date) is left out, and its words are added to ``unresolved`` when one is given."""
    found: list[Dated] = []
    if not _DATE_HINT.search(text):  # one cheap scan: most sentences hold no date
        return found
    titles = [(t.start(), t.end()) for t in _TITLE.finditer(text)] if "《" in text else []
    taken = 0  # the end of a month or day already read as the second of a pair
    for m in _date_matches(text):
        if m.start() < taken:
            continue
        if any(a <= m.start() < b for a, b in titles) or _ISSUE.match(text, m.end()):
            continue
        if m["epair"]:
            pair = _pair(m, anchor, published)
            found += pair
            anchor = pair[-1].stamp if pair else anchor
            continue
        if m.group("md") and _NEAR_NOW.search(text, 0, m.start()) and published:
            near = _near_publication(m, published)
            if _valid(near):
                found.append(Dated(m.group(0), near, m.start(), m.end()))
                anchor = near
            continue
        future = (m["emo"] is not None or m["week"] is not None) and _future(text, m)
        stamp = _resolve(m, anchor, published, future)
        if stamp is None and unresolved is not None:
            unresolved.append(m.group(0))
        if stamp is None or not _valid(stamp):
            continue
        first = Dated(m.group(0), stamp, m.start(), m.end())
        more = _day_range(m, first) if m["emd"] or m["edm"] else _cn_second(text, first)
        found += more
        anchor = more[-1].stamp
        taken = more[-1].end
    return found


def _date_matches(text: str) -> Iterator[re.Match[str]]:
    """``_DATE.finditer(text)``: the same matches, ``_DATE`` tried only where
    ``_DATE_START`` says one can begin (its lookbehinds still see the text before)."""
    end = 0
    for candidate in _DATE_START.finditer(text):
        at = candidate.start()
        if at < end:  # inside the last match
            continue
        m = _DATE.match(text, at)
        if m is not None:
            yield m
            end = m.end()


def _later(first: Stamp, month: int, day: int | None) -> Stamp:
    """The second date of a pair, in the first's year or the next when it would fall
    before the first ("2024年11月至2月", "November to February 2021" read backwards)."""
    later = (month, day or 0) < (first.month or 0, first.day or 0)
    return Stamp(first.year + later, month, day)


def _or_list(first: Dated, second: Dated, start: int, end: int, expression: str) -> Dated:
    """ "in June or July 2020", "2024年6月或7月": one of two, so one event at the
    precision they share (the year, or the month for two days of it)."""
    a, b = first.stamp, second.stamp
    stamp = Stamp(a.year, a.month) if (a.year, a.month) == (b.year, b.month) else Stamp(a.year)
    if a.year != b.year:
        stamp = Stamp(min(a.year, b.year))
    return Dated(expression, stamp, start, end)


# After a Chinese date with a month: a second month or day joined to it as a range
# ("2024年6月至10月", "1月20日至22日") or a list ("3月和5月", "6月或7月").
_CN_SECOND = re.compile(
    r"\s*(?P<j>至|到|-|–|—|~|～|和|与|與|及|、|或)\s*(?:(?P<m>"
    + _NUM
    + r")\s*月)?(?:(?P<d>"
    + _NUM
    + r")\s*[日号號])?"
)


def _cn_second(text: str, first: Dated) -> list[Dated]:
    """The date and, when a second month or day is joined to it, that one too: in the
    same year (or the next), so that a range is a span and a list two events; "或" (one
    of the two) is one event at the precision both share."""
    stamp = first.stamp
    m = _CN_SECOND.match(text, first.end) if stamp.month is not None else None
    if m is None or not (m["m"] or m["d"]) or (m["d"] and not m["m"] and stamp.day is None):
        return [first]
    month = _num(m["m"]) if m["m"] else stamp.month
    second = _later(stamp, month or 0, _num(m["d"]) if m["d"] else None)
    if not _valid(second):
        return [first]
    start = m.start("m") if m["m"] else m.start("d")
    two = Dated(text[start : m.end()], second, start, m.end())
    if m["j"] == "或":
        return [_or_list(first, two, first.start, m.end(), text[first.start : m.end()])]
    return [first, two]


def _day_range(m: re.Match[str], first: Dated) -> list[Dated]:
    """ "September 25-26", "25 to 26 September": a span from the first day to the
    second (days joined by "and" stay one event, the first day's)."""
    n = 3 if m["emd"] else 4
    joiner, day = m[f"ej{n}"], m[f"edd{n}"]
    if not day or joiner.lower() in ("and", "&") or first.stamp.day is None:
        return [first]
    second = Stamp(first.stamp.year, first.stamp.month, int(day))
    if not _valid(second) or int(day) <= first.stamp.day:
        return [first]
    # The first date ends before the joiner, the second starts at its day, so the
    # timeline reads them as a range (event_kinds._joined).
    cut = m.start(f"ej{n}")
    return [
        Dated(m.group(0), first.stamp, first.start, cut),
        Dated(m.group(0)[cut - m.start() :], second, m.start(f"edd{n}"), first.end),
    ]


def _relative_year(word: str | None, published: Stamp | None) -> int | None:
    """The year of "next year", "last year", "this year" said in a text published in
    ``published`` (None when it was not said or nothing anchors it)."""
    if word is None or published is None:
        return None
    return published.year + {"next": 1, "last": -1, "this": 0}[word.lower()]


def _pair(m: re.Match[str], anchor: Stamp | None, published: Stamp | None) -> list[Dated]:
    """English months joined as a range ("between June and October 2020", "from June
    to October", "June 5-7") or a list ("in June or July", "June and July 2020"), read
    as the Chinese "2024年6月至10月" is: with a year (written, or "next year"), a range
    is a span and a list of "and" two events, "or" one event of the year; without a
    year, months merely mentioned ("between June and October") are no event."""
    year = int(m["ey5"]) if m["ey5"] else _relative_year(m["eyr5"], published)
    if year is None:
        return []
    m1, m2 = month_number(m["epm1"]), month_number(m["epm2"])
    d1, d2 = (int(m["epd1"]) if m["epd1"] else None), (int(m["epd2"]) if m["epd2"] else None)
    second = Stamp(year, m2, d2)
    first = Stamp(year - ((m1, d1 or 0) > (m2, d2 or 0)), m1, d1)
    if not (_valid(first) and _valid(second)):
        return []
    end1 = m.end("epd1") if d1 else m.end("epm1")
    one = Dated(m.string[m.start() : end1], first, m.start("epm1"), end1)
    two = Dated(m.string[m.start("epm2") : m.end()], second, m.start("epm2"), m.end())
    if m["epj"].lower() == "or":
        return [_or_list(one, two, m.start(), m.end(), m.group(0))]
    return [one, two]


def find_dates(text: str, anchor: Stamp | None, published: Stamp | None) -> list[tuple[str, Stamp]]:
    """(expression, stamp) for every date in text, in order."""
    return [(d.expression, d.stamp) for d in find_dated(text, anchor, published)]


def _near_publication(m: re.Match[str], published: Stamp) -> Stamp:
    """A month and day said relative to now ("上周5月16日"): the publication's year, or
    the year before when that would put the day after publication."""
    month, day = _num(m["mm"]) or 0, _num(m["mdd"]) or 0
    year = published.year
    if published.month is not None and (month, day) > (published.month, published.day or 31):
        year -= 1
    return Stamp(year, month, day, inferred=True)


def _month_alone(m: re.Match[str], published: Stamp | None, future: bool) -> Stamp | None:
    """A month named without a year ("back in March", "in mid-June"), anchored to the
    publication as 上月/本周 are. A briefing's months are mostly the recent past, so it
    is the latest such month not after the publication month; "next"/"this" and a
    clause about the future ("will … in June") take the first one not before it (the
    current month in both readings). "last March" is the latest before it, and "back
    in March" never looks ahead. Said with no publication date, it is left out: any
    year would be a guess."""
    if published is None or published.month is None:
        return None
    month, now, word = month_number(m["emon4"]), published.month, m["emprep"].lower()
    if word == "this":
        return Stamp(published.year, month)
    # "back in March" looks back whatever else the clause says ("I will note that …
    # the conversation they had back in November").
    if word == "next" or (future and word != "last" and not word.startswith("back")):
        return Stamp(published.year + (month < now), month)
    later = month > now or (word == "last" and month == now)
    return Stamp(published.year - later, month)


def _english_near_now(m: re.Match[str], published: Stamp | None) -> Stamp | None:
    """ "this week", "earlier this month", "last week", "last month": the publication's
    month, or the month before for "last month" (a week before for "last week"), as
    本周/上月/上周 are resolved."""
    if published is None or published.month is None:
        return None
    first = dt.date(published.year, published.month, 1)
    if m["enw"].lower() == "last" and m["enu"].lower() == "month":
        first -= dt.timedelta(days=1)
    elif m["enw"].lower() == "last" and published.day is not None:
        first = dt.date(published.year, published.month, published.day) - dt.timedelta(7)
    return Stamp(first.year, first.month)


def _inferred(stamp: Stamp | None) -> Stamp | None:
    return replace(stamp, inferred=True) if stamp is not None else None


def _year_of_day(
    month: int, day: int, anchor: Stamp | None, published: Stamp | None
) -> Stamp | None:
    """A month and day written without a year ("July 4th", "9月14号"): the year of the
    date just before when that year was written ("In 2019 … On June 5"); otherwise, as
    news writes the current year's days without it, the year that puts the day nearest
    the publication ("December 30" in a text of 5 January is the year before)."""
    if anchor is not None and not anchor.inferred:
        return Stamp(anchor.year, month, day)
    if published is None:
        return None
    if published.month is None:
        return Stamp(published.year, month, day, inferred=True)
    pub = dt.date(published.year, published.month, published.day or 15)
    years = (published.year - 1, published.year, published.year + 1)
    valid = [y for y in years if _valid(Stamp(y, month, day))]
    if not valid:
        return Stamp(published.year, month, day)  # no such day: _valid drops it
    year = min(valid, key=lambda y: (abs((dt.date(y, month, day) - pub).days), y != published.year))
    return Stamp(year, month, day, inferred=True)


def _english_year(m: re.Match[str], anchor: Stamp | None, published: Stamp | None) -> Stamp | None:
    """A year said in words, at the year's precision: "next year", "two years ago", "in
    two years", "the year before last" from the publication (as 明年, 去年, 前年 are);
    "the following year", "the year before", "two years later", "that same year" from
    the date just before (an explicit year earlier in the sentence, else the last date
    of the text so far), as 次年 and 同年 are."""
    count = m["eyago"] or m["eyin"] or m["eyl"]
    n = (int(count) if count.isdigit() else _EN_COUNTS[count.lower()]) if count else 1
    if m["eyn"] or m["eyb"] or m["eyago"] or m["eyin"]:
        if published is None:
            return None
        if m["eyn"]:
            return Stamp(_relative_year(m["eyn"], published) or published.year)
        if m["eyb"]:
            return Stamp(published.year + (2 if m["eyb"].lower().startswith("after") else -2))
        return Stamp(published.year + (n if m["eyin"] else -n))
    if anchor is None:
        return None
    if m["eyf"]:
        return Stamp(anchor.year + (1 if m["eyf"].lower() == "following" else -1))
    if m["eyba"]:
        return Stamp(anchor.year + (1 if m["eyba"].lower() == "after" else -1))
    if m["eyl"]:
        return Stamp(anchor.year + (n if m["eylw"].lower() == "later" else -n))
    return Stamp(anchor.year)  # "that year", "the same year"


def _weekday(m: re.Match[str], published: Stamp | None, future: bool) -> Stamp | None:
    """A weekday, by the calendar week (Monday first) of the publication day: "上周二"
    is the Tuesday of the week before, "下周二" of the week after, "本周二" of this one;
    a bare "周二" is the latest Tuesday not after publication, or the first not before
    it when its clause speaks of what is to come ("布什将在星期一视察")."""
    if published is None or published.day is None or published.month is None:
        return None
    pub = dt.date(published.year, published.month, published.day)
    wanted = "一二三四五六".find(m["wday"])
    wanted = 6 if wanted < 0 else wanted  # 日/天: Sunday
    monday = pub - dt.timedelta(days=pub.weekday())
    word = (m["wrel"] or "")[:1]
    if word in ("上", "下", "本", "这", "這"):
        weeks = {"上": -1, "下": 1}.get(word, 0)
        day = monday + dt.timedelta(days=7 * weeks + wanted)
    elif future:
        day = pub + dt.timedelta(days=(wanted - pub.weekday()) % 7)
    else:
        day = pub - dt.timedelta(days=(pub.weekday() - wanted) % 7)
    return Stamp(day.year, day.month, day.day)


def _around(word: str, published: Stamp | None) -> Stamp | None:
    """本周, 日前, 近日, 本月: the publication's month; 上月: the month before; 上周 / 下周:
    the month of the day a week before / after."""
    if published is None or published.month is None:
        return None
    if word in _LAST_MONTH:
        first = dt.date(published.year, published.month, 1) - dt.timedelta(days=1)
        return Stamp(first.year, first.month)
    if word in _LAST_WEEK + _NEXT_WEEK and published.day is not None:
        week = dt.timedelta(7) * (1 if word in _NEXT_WEEK else -1)
        day = dt.date(published.year, published.month, published.day) + week
        return Stamp(day.year, day.month)
    return Stamp(published.year, published.month)


def _future(text: str, m: re.Match[str]) -> bool:
    """The date's clause says what will be ("will", "plans to", "预计")."""
    clause = clause_around(text, m.start(), m.end()).lower()
    return any(word in clause for word in FORECAST_WORDS)


def _resolve(
    m: re.Match[str], anchor: Stamp | None, published: Stamp | None, future: bool = False
) -> Stamp | None:
    """``future``: the clause around the date speaks of what is to come ("will", "plans
    to", "将"); only a month without a year and a weekday read it."""
    if m.group("iso"):
        return Stamp(int(m["iy"]), int(m["im"]), int(m["id"]) if m["id"] else None)
    if m.group("abs"):
        return Stamp(int(m["y"]), _num(m["m"]), _num(m["d"]) if m["m"] else None)
    if m.group("rel"):
        word = m["ry"]
        # 同年 / 次年 follow the date just before; 今年 / 明年 the publication.
        base = anchor if word in ("同年", "当年", "當年", "次年", "翌年", "隔年") else published
        if base is None:
            return None
        offset = {"去年": -1, "前年": -2, "明年": 1, "后年": 2, "後年": 2}.get(word, 0)
        offset += word in ("次年", "翌年", "隔年")
        month = _num(m["rm"])
        return Stamp(base.year + offset, month, _num(m["rd"]) if month else None)
    if m.group("md"):
        return _year_of_day(_num(m["mm"]) or 0, _num(m["mdd"]) or 0, anchor, published)
    if m.group("en"):
        month = month_number(m["emon"])
        day = m["ed"] or m["ed2"]
        return Stamp(int(m["ey"]), month, int(day) if day else None)
    if m.group("eyr"):
        return _english_year(m, anchor, published)
    if m.group("eyear"):
        return Stamp(int(m["ey2"]))
    if m.group("emd") or m.group("edm"):
        month = month_number(m["emon2"] or m["emon3"])
        day = int(m["eday"] or m["eday2"])
        year = m["ey3"] or m["ey4"]
        if year:  # written beside it ("January 5th and 6th of 2020"): nothing overrides it
            return Stamp(int(year), month, day)
        said = m["eyr3"] or m["eyr4"]  # "June 24 of next year": the publication's, plus one
        if said:
            relative = _relative_year(said, published)
            return Stamp(relative, month, day) if relative is not None else None
        return _year_of_day(month, day, anchor, published)
    if m.group("emo"):
        if m["eyr6"]:  # "in June next year"
            relative = _relative_year(m["eyr6"], published)
            return Stamp(relative, month_number(m["emon4"])) if relative is not None else None
        return _inferred(_month_alone(m, published, future))
    if m.group("enear"):
        return _inferred(_english_near_now(m, published))
    if m.group("week"):
        return _inferred(_weekday(m, published, future))
    if m.group("around"):
        return _inferred(_around(m["around"], published))
    if m.group("next"):
        if anchor is None or anchor.day is None or anchor.month is None:
            return None
        day = dt.date(anchor.year, anchor.month, anchor.day) + dt.timedelta(days=1)
        return Stamp(day.year, day.month, day.day)
    return None


def find_events(
    turns: Iterable[Turn],
    published: str | None,
    headline: str | None = None,
    unresolved: list[str] | None = None,
) -> list[Event]:
    """``headline``: the article's title; for a news report published on a known day,
    a headline without a date of its own is an event of that day. ``unresolved``
    collects relative dates that had nothing to resolve against."""
    turns = list(turns)
    pub = parse_stamp(published)
    anchor: Stamp | None = None
    events: list[Event] = []
    line_date: Dated | None = None  # a date alone on its line dates the items below it
    in_body = False  # past the title and its date line
    # Dates alone on their lines, more than one: a chronicle's sections, each lent on.
    chronicle = sum(1 for t in turns if _date_alone(t.text, None, pub) is not None) > 1
    for turn in turns:
        alone = _date_alone(turn.text, anchor, pub)
        if alone is not None and not in_body and alone.stamp == pub and not chronicle:
            # The publication date under the title ("# 标题" / "2021-03-23") dates the
            # article, not the items below it: the headline event stands for it.
            anchor = alone.stamp
            continue
        if alone is not None:
            line_date, anchor = alone, alone.stamp
            events.append(Event(alone.stamp.render(), alone.expression, turn.text, turn.paragraph))
            continue
        if turn.kind is Kind.HEADING:
            line_date = None
            continue
        in_body = in_body or turn.text != headline
        if line_date is None and not _DATE_HINT.search(turn.text):
            continue  # no sentence of it holds a date, and none is lent one: no event
        for sentence in split_sentences(turn.text):
            found = find_dated(sentence, anchor, pub, unresolved)
            if not found and line_date is not None:
                found = [Dated(line_date.expression, line_date.stamp, 0, 0)]
            said: set[tuple[str, str | None, EventKind]] = set()
            for item in classify(sentence, found, pub):
                date, end = item.date.stamp.render(), item.end.render() if item.end else None
                if (date, end, item.kind) in said:
                    continue  # "星期一(3月22日)": two names of one day are one event
                said.add((date, end, item.kind))
                events.append(
                    Event(date, item.expression, sentence, turn.paragraph, item.kind, end)
                )
            if found:
                anchor = found[-1].stamp
    if headline and pub is not None and _headline_is_news(headline, turns, events, pub):
        paragraph = next((t.paragraph for t in turns if t.text == headline), 0)
        events.insert(0, Event(pub.render(), "", headline, paragraph))
    return events


def _date_alone(text: str, anchor: Stamp | None, published: Stamp | None) -> Dated | None:
    """The date when a line is nothing but a date ("2020年1月20日", "June 5, 2023:")."""
    line = text.strip().strip("：:,，.。 ")
    if not line or len(line) > 24:
        return None
    found = find_dated(line, anchor, published)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(line):
        return found[0]
    return None


def _headline_is_news(headline: str, turns: list[Turn], events: list[Event], pub: Stamp) -> bool:
    """A news report published on a known day: no interviewer, something in it dated
    in that month, and no date in the headline itself."""
    if pub.day is None or find_dated(headline, None, pub):
        return False
    month = Stamp(pub.year, pub.month).render()
    return not any(t.role is Role.INTERVIEWER for t in turns) and any(
        e.date.startswith(month) for e in events
    )
