"""What a dated sentence reports: something that happened, a forecast or plan, or a
stretch of time. Decided once, at ingest, and stored with the event.

- A span: two dates joined as a range ("从2020年到2022年", "2020-2022", "from 2020 to
  2022") are one event from the first to the second; a date that runs on to the time
  of writing ("2022年秋天以来", "从1987年到现在", "since 2016", "自2016年起") ends at the
  publication date (unknown: left open).
- A forecast or plan: dated after the article was published, or said with a word of
  expectation or intent in the date's clause ("预计", "计划", "力求", "will", "plans
  to"), or "到2025年 … 将/会" ("by 2025 … will"). A date that would run on to the
  time of writing ("从9月14号开始") but starts after it is a plan, not a span.
- Otherwise it happened.

The words are data (the tuples below), matched on the clause around the date: the
clause that holds it, and the next one when the date stands alone ("2016年，他…").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
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
# "到 DATE … 将/会" (by DATE … will); "到了 DATE" is narrative ("by the time it was").
BY_DATE = ("到", "by")
FUTURE_VERBS = ("将", "將", "会", "會", "要", "will")

_CLAUSE_BREAK = re.compile(r"[,，;；:：、]")
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
        elif _forecast(sentence, date, published):
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


def _forecast(sentence: str, date: Dated, published: Stamp | None) -> bool:
    if _after(date.stamp, published):
        return True
    clause = clause_around(sentence, date.start, date.end)
    if any(word in clause.lower() for word in FORECAST_WORDS):
        return True
    before = sentence[: date.start].rstrip().lower()
    if before.endswith(BY_DATE) or date.expression.lower().startswith("by "):
        return any(verb in sentence[date.end :].lower() for verb in FUTURE_VERBS)
    return False


def clause_around(sentence: str, start: int, end: int) -> str:
    """The clause holding ``sentence[start:end]`` (a date), and the next one too when
    the date stands alone ("2016年，他…") or in a phrase that opens the sentence
    ("During this year's summit, he will…")."""
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)]
    first = starts[-1] if starts else 0
    ends = [m.start() for m in _CLAUSE_BREAK.finditer(sentence, end)]
    last = ends[0] if ends else len(sentence)
    alone = len(sentence[first:last].strip()) <= end - start + 2
    if alone or (not starts and _OPENER.match(sentence) and sentence[last : last + 1] == ","):
        last = ends[1] if len(ends) > 1 else len(sentence)
    return sentence[first:last].strip()


def _first(stamp: Stamp) -> dt.date:
    return first_day(stamp.year, stamp.month, stamp.day)


def _last(stamp: Stamp) -> dt.date:
    return last_day(stamp.year, stamp.month, stamp.day)
