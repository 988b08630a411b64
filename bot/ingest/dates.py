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
2020") is never replaced by the publication's. A news article's headline, when it holds no
date, is an event of its publication date. A date only reads as a date when the
calendar allows it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.calendar_words import CAP_MONTH_PATTERN, MONTH_PATTERN, month_number
from bot.ingest.event_kinds import FORECAST_WORDS, classify, clause_around
from bot.ingest.sentences import split_sentences
from bot.models import Event, Kind, Role, Turn
from bot.textfold import HAN

_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_CAP_MONTHS = CAP_MONTH_PATTERN
_MONTHS = MONTH_PATTERN
# An ordinal's ending and a second day ("5th", "5th and 6th", "5-6"), then where a year
# may follow the day ("…, 2020", "… of 2020").
_ORD = r"(?:st|nd|rd|th)?(?:\s*(?:and|&|-|–|to)\s*\d{1,2}(?:st|nd|rd|th)?)?"
_YEAR_AFTER = r"(?:,?\s+(?:of\s+)?"
_DATE = re.compile(
    r"(?P<iso>(?<!\d)(?P<iy>(?:19|20)\d{2})[-/.](?P<im>\d{1,2})(?:[-/.](?P<id>\d{1,2}))?(?![\d.]))"
    r"|(?P<abs>(?<!\d)(?P<y>(?:19|20)\d{2})\s*年(?:\s*(?P<m>"
    + _NUM
    + r")\s*月(?:\s*(?P<d>"
    + _NUM
    + r")\s*[日号號])?)?)"
    r"|(?P<rel>(?P<ry>今年|去年|前年|明年|同年|当年|當年|本年)(?:\s*(?P<rm>"
    + _NUM
    + r")\s*月(?:\s*(?P<rd>"
    + _NUM
    + r")\s*[日号號])?)?)"
    r"|(?P<md>(?<![\d年])(?P<mm>" + _NUM + r")\s*月\s*(?P<mdd>" + _NUM + r")\s*[日号號])"
    r"|(?P<next>第二天|次日|翌日|隔天)"
    # "周二" is a weekday, "一周一次" / "每周" are not.
    r"|(?P<week>(?<![一二两三四五六七八九十几每数\d])(?P<wlast>上)?(?:周|週|星期|禮拜|礼拜)"
    r"(?P<wday>[一二三四五六日天]))"
    # Not where a month and day follow: "上周5月16日" is that day (see _NEAR_NOW).
    r"|(?P<around>(?:本周|本週|这周|這週|上周|上週|日前|近日|本月|上月|上个月|上個月)"
    r"(?!\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月))"
    # English: "March 2024", "March 5, 2024", "5 March 2024", "in 2016"
    r"|(?P<en>(?:(?P<ed>\d{1,2})\s+)?(?P<emon>" + _MONTHS + r")\.?(?:\s+(?P<ed2>\d{1,2}),?)?\s+"
    r"(?P<ey>(?:19|20)\d{2})\b)"
    r"|(?P<eyear>\b(?:in|since|by|until|from|early|late|mid-?)\s+(?P<ey2>(?:19|20)\d{2})\b)"
    # English day and month, the year maybe after an ordinal or a second day ("on May
    # 10th", "10 May", "January 5th and 6th of 2020", "5th of January, 2020"): the
    # month must be capitalised, so "may 5" is not a date.
    r"|(?P<emd>(?-i:\b(?P<emon2>"
    + _CAP_MONTHS
    + r"))\.?\s+(?P<eday>\d{1,2})"
    + _ORD
    + _YEAR_AFTER
    + r"(?P<ey3>(?:19|20)\d{2}))?\b)"
    r"|(?P<edm>\b(?P<eday2>\d{1,2})"
    + _ORD
    + r"\s+(?:of\s+)?(?-i:(?P<emon3>"
    + _CAP_MONTHS
    + r"))"
    + _YEAR_AFTER
    + r"(?P<ey4>(?:19|20)\d{2}))?\b)"
    # An English month alone after a preposition ("back in March", "in mid-June", "since
    # May"); capitalised, and not where a day or year follows (those are the forms
    # above). Without the preposition "April" is as likely a name ("Go ahead, April").
    r"|(?P<emo>\b(?P<emprep>(?:back\s+)?in|since|until|till|by|during|through|last|this|next)"
    r"\s+(?:the\s+)?(?:(?:early|mid|late|end\s+of|beginning\s+of)[-\s]?)?"
    r"(?-i:(?P<emon4>" + _CAP_MONTHS + r"))\b(?![.,]?\s*\d))"
    # English news words around publication, at the month's precision as 本周/上月 are.
    r"|(?P<enear>\b(?:(?:earlier|later)\s+)?(?P<enw>this|last)\s+(?P<enu>week|month)\b)",
    re.IGNORECASE,
)
# Every match of _DATE holds one of these: a digit, 年 月 日 天 周 週 期 拜 (今年, 5月,
# 日前, 第二天, 周二, 星期二, 禮拜二), a capitalised month or "week"/"month", so a text
# without any holds no date.
_DATE_HINT = re.compile(
    r"[\d年月日天周週期拜]|(?-i:" + _CAP_MONTHS + r")|week|month", re.IGNORECASE
)
# Where a match of _DATE can begin: a digit, the opening of a Chinese form (今年, 五月,
# 第二天, 上周, 星期二, 这周, 日前, 近日 …), a word boundary before a letter outside Han
# (every English form but one opens with \b) or a month's name (the one that does not:
# "March 2024"). Trying _DATE only there finds what its own scan finds, at a third of
# the cost: that scan tried a dozen forms at every character (#14).
_DATE_START = re.compile(
    r"(?=\d|今年|去年|前年|明年|同年|当年|當年|本年|[一二三四五六七八九十]{1,3}\s*月"
    r"|第二天|次日|翌日|隔天|上?(?:周|週|星期|禮拜|礼拜)[一二三四五六日天]"
    r"|本周|本週|这周|這週|上周|上週|日前|近日|本月|上月|上个月|上個月)"
    rf"|\b(?=[^\W{HAN}])"
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
    return Stamp(*parts) if parts else None


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
    for m in _date_matches(text):
        if any(a <= m.start() < b for a, b in titles) or _ISSUE.match(text, m.end()):
            continue
        if m.group("md") and _NEAR_NOW.search(text, 0, m.start()) and published:
            stamp = _near_publication(m, published)
            if _valid(stamp):
                found.append(Dated(m.group(0), stamp, m.start(), m.end()))
                anchor = stamp
            continue
        stamp = _resolve(m, anchor, published, m["emo"] is not None and _future(text, m))
        if stamp is None and unresolved is not None:
            unresolved.append(m.group(0))
        if stamp is not None and _valid(stamp):
            found.append(Dated(m.group(0), stamp, m.start(), m.end()))
            anchor = stamp
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
    return Stamp(year, month, day)


def _month_alone(m: re.Match[str], published: Stamp | None, future: bool) -> Stamp | None:
    """A month named without a year ("back in March", "in mid-June"), anchored to the
    publication as 上月/本周 are. A briefing's months are mostly the recent past, so it
    is the latest such month not after the publication month; "next"/"this" and a
    clause about the future ("will … in June") take the first one not before it (the
    current month in both readings). "last March" is the latest before it. Said with
    no publication date, it is left out: any year would be a guess."""
    if published is None or published.month is None:
        return None
    month, now, word = month_number(m["emon4"]), published.month, m["emprep"].lower()
    if word == "this":
        return Stamp(published.year, month)
    if word == "next" or (future and word != "last"):
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


def _future(text: str, m: re.Match[str]) -> bool:
    """The date's clause says what will be ("will", "plans to", "预计")."""
    clause = clause_around(text, m.start(), m.end()).lower()
    return any(word in clause for word in FORECAST_WORDS)


def _resolve(
    m: re.Match[str], anchor: Stamp | None, published: Stamp | None, future: bool = False
) -> Stamp | None:
    """``future``: the clause around the date speaks of what is to come ("will", "plans
    to"); only a month without a year reads it."""
    if m.group("iso"):
        return Stamp(int(m["iy"]), int(m["im"]), int(m["id"]) if m["id"] else None)
    if m.group("abs"):
        return Stamp(int(m["y"]), _num(m["m"]), _num(m["d"]) if m["m"] else None)
    if m.group("rel"):
        word = m["ry"]
        base = anchor if word in ("同年", "当年", "當年") else published
        if base is None:
            return None
        offset = {"去年": -1, "前年": -2, "明年": 1}.get(word, 0)
        month = _num(m["rm"])
        return Stamp(base.year + offset, month, _num(m["rd"]) if month else None)
    if m.group("md"):
        base = anchor or published
        return Stamp(base.year, _num(m["mm"]), _num(m["mdd"])) if base else None
    if m.group("en"):
        month = month_number(m["emon"])
        day = m["ed"] or m["ed2"]
        return Stamp(int(m["ey"]), month, int(day) if day else None)
    if m.group("eyear"):
        return Stamp(int(m["ey2"]))
    if m.group("emd") or m.group("edm"):
        month = month_number(m["emon2"] or m["emon3"])
        day = int(m["eday"] or m["eday2"])
        year = m["ey3"] or m["ey4"]
        if year:  # written beside it ("January 5th and 6th of 2020"): nothing overrides it
            return Stamp(int(year), month, day)
        base = anchor or published
        return Stamp(base.year, month, day) if base else None
    if m.group("emo"):
        return _month_alone(m, published, future)
    if m.group("enear"):
        return _english_near_now(m, published)
    if m.group("week"):
        if published is None or published.day is None or published.month is None:
            return None
        pub = dt.date(published.year, published.month, published.day)
        wanted = "一二三四五六".find(m["wday"])  # 日/天: -1 -> Sunday
        back = (pub.weekday() - (wanted if wanted >= 0 else 6)) % 7 + (7 if m["wlast"] else 0)
        day = pub - dt.timedelta(days=back)
        return Stamp(day.year, day.month, day.day)
    if m.group("around"):
        if published is None or published.month is None:
            return None
        word = m["around"]
        if word in ("上月", "上个月", "上個月"):
            first = dt.date(published.year, published.month, 1) - dt.timedelta(days=1)
            return Stamp(first.year, first.month)
        if word in ("上周", "上週") and published.day is not None:
            day = dt.date(published.year, published.month, published.day) - dt.timedelta(7)
            return Stamp(day.year, day.month)
        return Stamp(published.year, published.month)
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
    for turn in turns:
        alone = _date_alone(turn.text, anchor, pub)
        if alone is not None:
            line_date, anchor = alone, alone.stamp
            events.append(Event(alone.stamp.render(), alone.expression, turn.text, turn.paragraph))
            continue
        if turn.kind is Kind.HEADING:
            line_date = None
            continue
        if line_date is None and not _DATE_HINT.search(turn.text):
            continue  # no sentence of it holds a date, and none is lent one: no event
        for sentence in split_sentences(turn.text):
            found = find_dated(sentence, anchor, pub, unresolved)
            if not found and line_date is not None:
                found = [Dated(line_date.expression, line_date.stamp, 0, 0)]
            for item in classify(sentence, found, pub):
                events.append(
                    Event(
                        item.date.stamp.render(),
                        item.expression,
                        sentence,
                        turn.paragraph,
                        item.kind,
                        item.end.render() if item.end else None,
                    )
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
