"""Timelines (#13): date filters, event kinds, one entry per fact, the reply's script,
and the chronology picture."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from bot.core import CorpusBot
from bot.datefilter import admits, extract
from bot.grammar import parse
from bot.ingest.dates import find_events
from bot.ingest.store import article_from_dict, dumps
from bot.models import Command, EventKind, Kind, Role, Turn
from tests.conftest import DATA

D = dt.date


# ---- date filters in the grammar -------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "start", "end", "topic"),
    [
        ("2016", D(2016, 1, 1), D(2016, 12, 31), ""),
        ("2024年", D(2024, 1, 1), D(2024, 12, 31), ""),
        ("Meta 2025", D(2025, 1, 1), D(2025, 12, 31), "Meta"),
        ("Meta in 2024", D(2024, 1, 1), D(2024, 12, 31), "Meta"),
        ("2025年1月", D(2025, 1, 1), D(2025, 1, 31), ""),
        ("2025-01", D(2025, 1, 1), D(2025, 1, 31), ""),
        ("2024年2月", D(2024, 2, 1), D(2024, 2, 29), ""),
        ("March 2024 Scale AI", D(2024, 3, 1), D(2024, 3, 31), "Scale AI"),
        ("2025-01-20", D(2025, 1, 20), D(2025, 1, 20), ""),
        ("2025/6/12", D(2025, 6, 12), D(2025, 6, 12), ""),
        ("2024-2025", D(2024, 1, 1), D(2025, 12, 31), ""),
        ("2025-2024", D(2024, 1, 1), D(2025, 12, 31), ""),
        ("从2020年到2022年 招聘", D(2020, 1, 1), D(2022, 12, 31), "招聘"),
        ("between 2020 and 2022", D(2020, 1, 1), D(2022, 12, 31), ""),
        ("2025年1月-3月", D(2025, 1, 1), D(2025, 3, 31), ""),
        ("since 2024", D(2024, 1, 1), None, ""),
        ("2024年以来 Meta", D(2024, 1, 1), None, "Meta"),
        ("1987年到现在", D(1987, 1, 1), None, ""),
        ("2024 onwards", D(2024, 1, 1), None, ""),
        ("after 2024", D(2025, 1, 1), None, ""),
        ("2016年之后", D(2017, 1, 1), None, ""),
        ("until 2024", None, D(2024, 12, 31), ""),
        ("截至2025年4月", None, D(2025, 4, 30), ""),
        ("Meta 2024年之前", None, D(2023, 12, 31), "Meta"),
        ("before 2024", None, D(2023, 12, 31), ""),
    ],
)
def test_date_words_become_a_filter_and_the_rest_is_the_topic(
    typed: str, start: dt.date | None, end: dt.date | None, topic: str
) -> None:
    query = parse(f"/timeline {typed}")
    assert query.dates is not None, typed
    assert (query.dates.start, query.dates.end, query.topic) == (start, end, topic)


@pytest.mark.parametrize(
    "typed", ["Scale AI founded", "GPT-4", "Llama 3.1", "140亿美元", "2025-13", "Top2016"]
)
def test_words_that_are_not_dates_stay_the_topic(typed: str) -> None:
    query = parse(f"/timeline {typed}")
    assert (query.dates, query.topic) == (None, typed)


def test_only_timeline_reads_dates() -> None:
    assert parse("/quote 2016").dates is None
    assert parse("/quote 2016").search_text == "2016"


def test_the_command_word_is_kept_as_typed() -> None:
    assert parse("時間線 Meta").word == "時間線"
    assert parse("/timeline Meta").word == "timeline"
    assert parse("谁说竞争").word == "谁说"
    assert parse("数据墙").word == ""


def test_a_filter_admits_points_within_it_and_spans_that_overlap_it() -> None:
    dates, _ = extract("2025年1月")
    assert dates is not None
    assert admits(dates, "2025-01-20")
    assert admits(dates, "2025-01")
    assert not admits(dates, "2025")  # some day of 2025: not certainly in January
    assert not admits(dates, "2024-12-31")
    assert admits(dates, "2022", end="2025-02")  # a span running through January 2025
    since, _ = extract("since 2024")
    assert since is not None
    assert admits(since, "2024") and admits(since, "2029")
    assert not admits(since, "2023-12")
    assert parse("/timeline 2016").command is Command.TIMELINE


# ---- event kinds at ingest -------------------------------------------------------------

KIND_CASES = [
    json.loads(line) for line in (DATA / "event_kinds.jsonl").read_text("utf-8").splitlines()
]


@pytest.mark.parametrize("case", KIND_CASES, ids=[c["text"][:16] for c in KIND_CASES])
def test_event_kind_golden_case(case: dict[str, Any]) -> None:
    turn = Turn(1, None, Role.NARRATION, Kind.TEXT, case["text"])
    events = find_events([turn], case["published"])
    assert [[e.date, e.kind.value, e.end] for e in events] == case["expected"]


def test_the_bundled_corpus_keeps_forecasts_and_spans_apart(bot: CorpusBot) -> None:
    kinds = {
        (a.id[:3], e.date, e.kind, e.end) for a in bot.index.articles.values() for e in a.events
    }
    assert ("001", "2029", EventKind.FORECAST, None) in kinds  # 我們力求在2029年之前推出
    assert ("001", "2022", EventKind.SPAN, "2025-02") in kinds  # 從2022年秋天以來
    assert ("004", "2025", EventKind.FORECAST, None) in kinds  # 到 2025 年,AI 智能体将
    assert ("003", "2016", EventKind.HAPPENED, None) in kinds  # 成立于2016年


def test_event_kinds_survive_the_article_json(bot: CorpusBot) -> None:
    for article in bot.index.articles.values():
        assert article_from_dict(json.loads(dumps(article))).events == article.events
