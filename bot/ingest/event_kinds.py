"""What a dated sentence reports: something that happened, a forecast or plan, or a
stretch of time. Decided once, at ingest, and stored with the event.

- A span: two dates joined as a range ("从2020年到2022年", "2020-2022", "from 2020 to
  2022") are one event from the first to the second; a date that runs on to the time
  of writing ("2022年秋天以来", "从1987年到现在", "since 2016", "自2016年起") ends at the
  publication date (unknown: left open).
- A forecast or plan: dated after the article was published, or said with a word of
  expectation or intent in the date's clause ("预计", "计划", "力求", "will", "plans
  to"), or "到2025年 … 将/会" ("by 2025 … will"). A date that would run on to the
  time of writing ("从9月14号开始") but starts after it is a plan, not a span. The
  word says the dates of its own verb only: not a date behind a word that opens
  another verb ("since … was obtained in early 2022", "了", "曾"), nor one that a
  nearer date stands between, nor, in a sentence with a past date and a future one
  ("began in 2021 and will end in 2025"), the date before the word.
- Otherwise it happened.

The words are data (the tuples below), matched on the clause around the date: the
clause that holds it, and the next one when the date stands alone ("2016年，他…").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from bot.datefilter import first_day, last_day
from bot.models import EventKind

if TYPE_CHECKING:
    from bot.ingest.dates import Dated, Stamp

# Between two dates: they are the ends of one span.
RANGE_JOINERS = ("到", "至", "-", "–", "—", "~", "～", "to", "until", "through", "till")
# Before the first of two joined dates (optional).
RANGE_OPENERS = ("从", "從", "自", "由", "from", "between")
# Right after a date (a few characters may come between: "2022年秋天以来"): the span
# runs on to the time of writing.
OPEN_SPAN_AFTER = ("以来", "以來", "至今", "迄今", "到现在", "到現在", "到今天", "到如今")
# "自/从 DATE 起/开始": the same, when the sentence says it with a starting word.
OPEN_SPAN_BEFORE = ("自", "从", "從")
OPEN_SPAN_START = ("起", "开始", "開始")
OPEN_SPAN_EN = ("since",)
# Words of expectation or intent in the date's clause.
FORECAST_WORDS = (
    "预计",
    "預計",
    "预期",
    "預期",
    "预测",
    "預測",
    "预估",
    "預估",
    "有望",
    "将会",
    "將會",
    "将要",
    "將要",
    "将于",
    "將於",
    "将在",
    "將在",
    "即将",
    "即將",
    "计划",
    "計劃",
    "计画",
    "計畫",
    "打算",
    "力求",
    "力争",
    "力爭",
    "争取",
    "爭取",
    "目标",
    "目標",
    "届时",
    "屆時",
    "will",
    "plan to",
    "plans to",
    "planned",
    "expected",
    "expects",
    "forecast",
    "projected",
    "aims to",
    "going to",
)
# A forecast word reaches the dates of its own verb, not those of another verb in the
# clause: it stops at a word that opens a clause of its own or marks a verb as past
# ("… will be conducted later this year to follow changes in the jet since the last
# Chandra data was obtained in early 2022": early 2022 happened).
SCOPE_BREAKS = (
    "since",
    "when",
    "because",
    "which",
    "who",
    "while",
    "although",
    "though",
    "whereas",
    "was",
    "were",
    "had",
    "did",
    "ago",
    "了",
    "曾",
    "曾经",
    "曾經",
    "已经",
    "已經",
    "此前",
    "当时",
    "當時",
)
# Between two dates of one list ("2017年和2018年", "June and July"): what the verb says of
# one it says of both.
LIST_JOINERS = ("和", "与", "與", "及", "、", "或", "and", "or")
# "到 DATE … 将/会" (by DATE … will); "到了 DATE" is narrative ("by the time it was").
BY_DATE = ("到", "by")
FUTURE_VERBS = ("将", "將", "会", "會", "要", "will")

_CLAUSE_BREAK = re.compile(r"[,，;；:：、]")


def _words(words: Sequence[str]) -> re.Pattern[str]:
    """Any of ``words``, a Latin one as a whole word ("will", not "goodwill")."""
    parts = [rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in words]
    return re.compile("|".join(parts), re.IGNORECASE)


_FORECAST = _words(FORECAST_WORDS)
_SCOPE_BREAK = _words(SCOPE_BREAKS)
# A sentence that opens with a phrase of time or place before a comma ("During this
# year's summit with …, the President will …"): the phrase belongs to the clause after.
_OPENER = re.compile(
    r"\s*(?:during|in|at|on|by|after|before|since|until|for|from|throughout|over|within)\b",
    re.IGNORECASE,
)
# A date, at most four letters (no punctuation, no digits), then 以来 and the like.
_RUNS_ON = re.compile(r"\s*[^\W\d]{0,4}?(?:" + "|".join(OPEN_SPAN_AFTER) + ")")


@dataclass(frozen=True)
class Classified:
    """One event of a sentence: its first date, its kind, a span's end (None: open or
    no span) and the words that said the date."""

    date: Dated
    kind: EventKind
    expression: str
    end: Stamp | None = None


def classify(sentence: str, found: Sequence[Dated], published: Stamp | None) -> list[Classified]:
    """The events of one sentence from the dates found in it, in order."""
    out: list[Classified] = []
    i = 0
    while i < len(found):
        date = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and _joined(sentence, date, nxt):
            expression = sentence[_opener_start(sentence, date) : nxt.end].strip()
            out.append(Classified(date, EventKind.SPAN, expression, nxt.stamp))
            i += 2
            continue
        if _runs_to_now(sentence, date) and not _after(date.stamp, published):
            out.append(Classified(date, EventKind.SPAN, date.expression, published))
        elif _forecast(sentence, date, found, published):
            out.append(Classified(date, EventKind.FORECAST, date.expression))
        else:
            out.append(Classified(date, EventKind.HAPPENED, date.expression))
        i += 1
    return out


def _joined(sentence: str, a: Dated, b: Dated) -> bool:
    between = sentence[a.end : b.start].strip().lower()
    if not between:  # "from 2020 until 2022": the joiner is part of the second date
        between = b.expression.lower().split()[0]
    if between == "and":  # "between June and October 2020"
        joined = sentence[: a.start].rstrip().lower().endswith("between")
    else:
        joined = between in RANGE_JOINERS
    return joined and _first(a.stamp) <= _first(b.stamp)


def _opener_start(sentence: str, date: Dated) -> int:
    before = sentence[: date.start].rstrip()
    for word in RANGE_OPENERS:
        if before.lower().endswith(word):
            return len(before) - len(word)
    return date.start


def _runs_to_now(sentence: str, date: Dated) -> bool:
    if date.expression.lower().startswith(OPEN_SPAN_EN):
        return True
    if _RUNS_ON.match(sentence, date.end):
        return True
    before = sentence[: date.start].rstrip()
    return before.endswith(OPEN_SPAN_BEFORE) and sentence[date.end :].lstrip().startswith(
        OPEN_SPAN_START
    )


def _after(stamp: Stamp, published: Stamp | None) -> bool:
    """Wholly after publication: "从9月14号开始" in a text of 9月4日 starts later, so it
    is no span running on to the time of writing but a plan."""
    return published is not None and _first(stamp) > _last(published)


def _forecast(sentence: str, date: Dated, found: Sequence[Dated], published: Stamp | None) -> bool:
    if _after(date.stamp, published):
        return True
    first, last = _clause_bounds(sentence, date.start, date.end)
    own = _clause_bounds(sentence, date.start, date.end, reach=False)
    for word in _FORECAST.finditer(sentence, first, last):
        if _governs(sentence, word, date, [d for d in found if first <= d.start < last], own):
            return True
    before = sentence[: date.start].rstrip().lower()
    if before.endswith(BY_DATE) or date.expression.lower().startswith("by "):
        return any(verb in sentence[date.end :].lower() for verb in FUTURE_VERBS)
    return False


def _governs(
    sentence: str,
    word: re.Match[str],
    date: Dated,
    dates: Sequence[Dated],
    own: tuple[int, int],
) -> bool:
    """Whether a forecast word in the date's clause says the date: nothing that opens
    another verb lies between them, nor another date unless the two are one list; and
    a date before the word in the word's own clause is its verb's only when no date
    comes after the word ("met Xi in March and will meet him again in June")."""
    lo, hi = (word.end(), date.start) if word.end() <= date.start else (date.end, word.start())
    if _SCOPE_BREAK.search(sentence, lo, hi):
        return False
    between = sorted((d for d in dates if lo <= d.start and d.end <= hi), key=lambda d: d.start)
    if between and not _one_list(sentence, sorted([date, *between], key=lambda d: d.start)):
        return False
    if date.end <= word.start() and own[0] <= word.start() < own[1]:
        return not any(word.end() <= d.start < own[1] for d in dates)
    return True


def _one_list(sentence: str, dates: Sequence[Dated]) -> bool:
    return all(
        sentence[a.end : b.start].strip().lower() in ("", *LIST_JOINERS) for a, b in pairwise(dates)
    )


def clause_around(sentence: str, start: int, end: int) -> str:
    """The clause holding ``sentence[start:end]`` (a date), and the next one too when
    the date stands alone ("2016年，他…") or in a phrase that opens the sentence
    ("During this year's summit, he will…")."""
    first, last = _clause_bounds(sentence, start, end)
    return sentence[first:last].strip()


def _clause_bounds(sentence: str, start: int, end: int, *, reach: bool = True) -> tuple[int, int]:
    """Where ``clause_around`` begins and ends; ``reach=False``: the date's own clause,
    never the next one."""
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)]
    first = starts[-1] if starts else 0
    ends = [m.start() for m in _CLAUSE_BREAK.finditer(sentence, end)]
    last = ends[0] if ends else len(sentence)
    alone = len(sentence[first:last].strip()) <= end - start + 2
    opener = not starts and _OPENER.match(sentence) and sentence[last : last + 1] == ","
    if reach and (alone or opener):
        last = ends[1] if len(ends) > 1 else len(sentence)
    return first, last


def _first(stamp: Stamp) -> dt.date:
    return first_day(stamp.year, stamp.month, stamp.day)


def _last(stamp: Stamp) -> dt.date:
    return last_day(stamp.year, stamp.month, stamp.day)
