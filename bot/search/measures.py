"""Questions that ask for a measure, and the texts that give one.

"多少人", "how many employees" ask for a number of people; "多久", "how long" for a
length of time; "几岁", "how old" for an age. What the asker wants is the measure: a
passage holding every other word of the question but no such measure is about the
topic, not the answer (the quote floor then counts it in part, ``bot.core``). Each
measure is a pair of patterns over folded text: how a question asks it, how a text
gives it; Chinese as its words run together (``rank.unpunctuated``: "18 个月" is
"18个月"), English word by word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.search.rank import unpunctuated

# Chinese numbers: up to three digits (2016年 is a year) or numerals (一年, 十几天, 半年).
_ZH_NUMBER = r"(?<!\d)(?:\d{1,3}(?:\.\d+)?|[一二两三四五六七八九十百千万几数半]+)"
_EN_NUMBER = (
    r"(?:\b\d[\d,.]*|\b(?:a few|several|a couple of|dozens of|hundreds of|thousands of"
    r"|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|hundred|thousand|million))"
)

# People: 50人, 十九名, 数十位, 一百多人; not 很多人 (many), nor 一名 / 一位 ("a", who).
_PEOPLE_EN = r"(?:people|persons|employees|staff|staffers|workers|members|engineers|researchers)"
# Time: 三年, 18个月, 两周, 3天, 2小时, 半年; never 2016年 (a year), 3月 (March) or 20日.
_SPANS_ZH = r"(?:年|个月|周|个星期|星期|天|个小时|小时|个钟头|分钟|秒)"
_SPANS_EN = r"(?:hours?|minutes?|days?|weeks?|months?|years?|decades?)"


@dataclass(frozen=True)
class Measure:
    name: str
    asked_zh: re.Pattern[str]
    asked_en: re.Pattern[str]
    given_zh: re.Pattern[str]
    given_en: re.Pattern[str]

    def asked_in(self, folded: str) -> bool:
        return bool(self.asked_zh.search(folded) or self.asked_en.search(folded))

    def given_in(self, folded: str) -> bool:
        return bool(self.given_zh.search(unpunctuated(folded)) or self.given_en.search(folded))


PEOPLE = Measure(
    "people",
    re.compile(r"(?:多少|几个?)[人位名]"),
    re.compile(r"\bhow many (?:[a-z-]+ )?" + _PEOPLE_EN + r"\b"),
    re.compile(
        r"(?:\d+|[一二两三四五六七八九十百千万几数]*[二两三四五六七八九十百千万])[多余几]?[人位名]"
    ),
    re.compile(_EN_NUMBER + r"\s+(?:[a-z-]+\s+){0,2}?" + _PEOPLE_EN + r"\b"),
)
DURATION = Measure(
    "duration",
    # Not 这几年 / 近几年 ("these few years"), nor 几年内 / 几年后 ("within / after a few
    # years"): they say when, and ask nothing.
    re.compile(
        r"多久|多长时间|多少"
        + _SPANS_ZH
        + r"|(?<![这那前近去最])几"
        + _SPANS_ZH
        + r"(?![内后前来里间])"
    ),
    re.compile(r"\bhow long\b|\bhow many " + _SPANS_EN + r"\b"),
    re.compile(_ZH_NUMBER + r"[多余]?" + _SPANS_ZH),
    re.compile(_EN_NUMBER + r"(?:\s+|-)(?:more\s+)?" + _SPANS_EN + r"\b"),
)
AGE = Measure(
    "age",
    re.compile(r"几岁|多少岁|多大年纪|多大岁数|年龄"),
    re.compile(r"\bhow old\b|\bwhat age\b|\bhow young\b"),
    re.compile(_ZH_NUMBER + r"多?岁"),
    re.compile(r"\b\d{1,3}[- ]years?[- ]old\b|\baged? \d{1,3}\b|\bage of \d{1,3}\b|\bat \d{1,2}\b"),
)
MEASURES = (PEOPLE, DURATION, AGE)


def asked(folded: str) -> tuple[Measure, ...]:
    """The measures a (folded) question asks for."""
    return tuple(m for m in MEASURES if m.asked_in(folded))
