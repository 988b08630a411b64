"""Dates around publication in news ("本周", "日前", "周二", "back in March") and the
headline event."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.dates import Stamp, find_dated, find_events
from bot.ingest.pipeline import Ingestor
from bot.models import Kind, Role, Turn

PUBLISHED = Stamp(2025, 6, 12)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("彭博社本周早些时候报道称", [("本周", "2025-06")]),
        ("日前,Meta宣布", [("日前", "2025-06")]),
        ("近日消息", [("近日", "2025-06")]),
        ("上个月发布", [("上个月", "2025-05")]),
        ("周二,Meta表示", [("周二", "2025-06-10")]),
        ("上周二他说", [("上周二", "2025-06-03")]),
        ("星期天", [("星期天", "2025-06-08")]),
        ("一周一次", []),  # must not change: a frequency, not a weekday
        ("每周一开会", []),
        ("earlier this week, the team", [("earlier this week", "2025-06")]),
        ("as I said last month", [("last month", "2025-05")]),
        ("back in March", [("back in March", "2025-03")]),
        ("in mid-June", [("in mid-June", "2025-06")]),
        ("in July", [("in July", "2024-07")]),  # the latest July not after publication
        ("We will announce it in July.", [("in July", "2025-07")]),  # said of the future
        ("next March", [("next March", "2026-03")]),
        ("Thank you, April.", []),  # must not change: a name, no preposition
        ("I may go in march", []),  # must not change: the month must be capitalised
    ],
)
def test_news_words_resolve_against_publication(text: str, expected: list) -> None:
    found = [(d.expression, d.stamp.render()) for d in find_dated(text, None, PUBLISHED)]
    assert found == expected


def test_weekdays_need_a_publication_day() -> None:
    assert find_dated("周二,Meta表示", None, Stamp(2025, 6)) == []


def _turn(n: int, text: str, role: Role = Role.NARRATION) -> Turn:
    return Turn(n, None, role, Kind.TEXT, text)


def test_a_news_headline_is_an_event_of_its_day() -> None:
    turns = [_turn(0, "彭博社本周早些时候报道称,投资金额可能超过100亿美元。")]
    events = find_events(turns, "2025-06-12", "Meta 拟入股 Scale AI")
    assert (events[0].date, events[0].text) == ("2025-06-12", "Meta 拟入股 Scale AI")


def test_an_interview_headline_is_no_event() -> None:
    turns = [_turn(0, "本周我们请到了他。", Role.INTERVIEWER), _turn(1, "谢谢。")]
    events = find_events(turns, "2025-06-12", "专访")
    assert "专访" not in [e.text for e in events]


def test_a_month_beside_its_year_keeps_that_year() -> None:
    found = find_dated("text messages from January 5th and 6th of 2020", None, Stamp(2022, 7))
    assert [d.stamp.render() for d in found] == ["2020-01-05"]


def test_an_english_briefing_dates_its_news_words(ingestor: Ingestor) -> None:
    article = ingestor.build(Path(__file__).parent / "data/speakers/wh_briefing_2023-07-26.md")
    assert ("2023-07", "last week") in [(e.date, e.expression) for e in article.events]
