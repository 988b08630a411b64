"""Dates in real news of the shapes a team's own documents have (#11): relative years,
day and month ranges, weekdays around the publication day, in English and Chinese.
Each file under tests/data/dates/ is ingested with no configuration and its events
compared with the golden ones in expected.jsonl, written by reading the text before the
code ran on it (date, kind, a span's end, and the words that say the date)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.ingest.dates import Stamp, find_dated, find_events
from bot.ingest.metadata import file_date, find_metadata
from bot.ingest.pipeline import Ingestor
from bot.ingest.sentences import split_sentences
from bot.models import Kind, Role, Turn
from bot.textfold import Folder
from tests.conftest import DATA

CASES = [
    json.loads(line)
    for line in (DATA / "dates" / "expected.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_news_article_events(
    case: dict[str, Any], tmp_settings: Settings, folder: Folder, tmp_path: Path
) -> None:
    src = tmp_path / case["file"]
    src.write_text((DATA / "dates" / case["file"]).read_text("utf-8"), encoding="utf-8")
    article = Ingestor(tmp_settings.corpus, folder).build(src)
    got = [[e.date, e.kind.value, e.end, e.expression] for e in article.events]
    assert got == case["events"]


def _events(text: str, published: str | None) -> list[tuple[str, str, str | None]]:
    turn = Turn(1, None, Role.NARRATION, Kind.TEXT, text)
    return [(e.date, e.kind.value, e.end) for e in find_events([turn], published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A year said relative to publication, at its precision; a day of it.
        ("It opens on Friday, June 24 of next year.", [("2022-06-24", "forecast", None)]),
        (
            "Sales fell last year, and will rise next year.",
            [("2020", "happened", None), ("2022", "forecast", None)],
        ),
        ("It was founded two years ago.", [("2019", "happened", None)]),
        ("It will list in three years.", [("2024", "forecast", None)]),
        ("It grew in June last year.", [("2020-06", "happened", None)]),
        ("It was the year before last.", [("2019", "happened", None)]),
        # …or to the date just before: an explicit year in the sentence.
        (
            "He joined in 2015 and left the following year.",
            [("2015", "happened", None), ("2016", "happened", None)],
        ),
        (
            "In 2015 he joined; two years later he left.",
            [("2015", "happened", None), ("2017", "happened", None)],
        ),
        ("The following year he left.", []),  # nothing before it: not guessed
        # Durations are no dates.
        ("Over the last year and the next year we grew.", []),
        # Months merely mentioned are no event; with a year a range is a span.
        ("The rains come between June and October.", []),
        ("The vote may come in June or July.", []),
        ("It rained from June to October 2020.", [("2020-06", "span", "2020-10")]),
        ("It rained between June and October 2020.", [("2020-06", "span", "2020-10")]),
        (
            "He met them in June and July 2020.",
            [("2020-06", "happened", None), ("2020-07", "happened", None)],
        ),
        ("He will decide in June or July next year.", [("2022", "forecast", None)]),
        ("6月至10月是雨季。", []),
        ("2020年6月至10月，连降大雨。", [("2020-06", "span", "2020-10")]),
        ("今年1月20日至22日，他在北京。", [("2021-01-20", "span", "2021-01-22")]),
        ("2020年6月或7月，他去了北京。", [("2020", "happened", None)]),
        (
            "2019年他来到北京，次年3月离开。",
            [("2019", "happened", None), ("2020-03", "happened", None)],
        ),
    ],
)
def test_relative_years_and_ranges(text: str, expected: list) -> None:
    assert _events(text, "2021-02-07") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本周三他说", "2021-02-03"),  # the Wednesday of the publication's week
        ("上周四他说", "2021-01-28"),  # the Thursday of the week before
        ("下周一开会", "2021-02-08"),
        ("星期一他说", "2021-02-01"),  # the latest Monday
        ("他将在星期一视察灾区", "2021-02-08"),  # a plan: the next Monday
        ("这个星期的访问", "2021-02"),
        ("上月他说", "2021-01"),
    ],
)
def test_weeks_around_a_sunday_publication(text: str, expected: str) -> None:
    found = find_dated(text, None, Stamp(2021, 2, 7), None)  # a Sunday
    assert [d.stamp.render() for d in found] == [expected]


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("美国之音记者林枫2005年9月7日报道：布什总统说，", "2005-09-07"),
        ("（新华社北京2020年1月20日电）国务院宣布，", "2020-01-20"),
        ("(路透社北京9月7日电)中国宣布，", None),  # no year: no publication date
    ],
)
def test_a_dateline_dates_an_article_without_metadata(text: str, published: str | None) -> None:
    assert find_metadata(f"标题\n{text}…\n").published == published


@pytest.mark.parametrize(
    ("raw", "published"),
    [
        # The shapes of tests/data/speakers/voa_*.md and tw_press_tea_*.md (web copies).
        ("# 美国之音 | 美英欧加联手制裁\n\n2021-03-23\n\n星期一(3月22日)…", "2021-03-23"),
        ("# 2016-11-16 徐發言人及唐政委與記者茶敘\n\n### 徐國勇：\n大家…", "2016-11-16"),
        ("Robot Team Builds a Structure\n\nMarch 23, 2021\n\nResearchers…", "2021-03-23"),
        ("Robot Team Builds a Structure\n**23 Sept. 2021**\nResearchers…", "2021-09-23"),
        ("标题\n2021年3月23日\n正文", "2021-03-23"),
        # A date inside a sentence, a year alone, a date far below the top: none.
        ("标题\n\n正文说2021年3月23日发生了什么\n", None),
        ("# 2021 年度报告\n正文\n", None),
        ("标题\n一\n二\n三\n四\n2021-03-23\n", None),
        ("标题\n\n2021-02-30\n", None),
    ],
)
def test_a_date_alone_under_the_title_is_the_publication_date(
    raw: str, published: str | None
) -> None:
    assert find_metadata(raw).published == published


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("voa_sanctions_2021-03-23", "2021-03-23"),
        ("2021-03-23-briefing", "2021-03-23"),
        ("report_2021", None),
        ("x_2021-13-01", None),
        ("id_12021-03-230", None),
    ],
)
def test_a_file_name_dates_an_article_last(name: str, day: str | None) -> None:
    assert file_date(name) == day


def test_a_dateline_without_a_year_takes_the_publication_year() -> None:
    found = find_dated("(路透社北京9月7日电)中国宣布，", None, Stamp(2005, 9, 7))
    assert [(d.expression, d.stamp.render()) for d in found] == [("9月7日", "2005-09-07")]


def test_back_in_a_month_looks_back_whatever_the_clause_says() -> None:
    text = "I will note that he used similar language in the call they had back in November."
    found = find_dated(text, None, Stamp(2022, 7, 28))
    assert [d.stamp.render() for d in found] == ["2021-11"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He came in 2021. Then he left.", ["He came in 2021.", "Then he left."]),
        ("1. The first point. 2. The second.", ["1. The first point.", "2. The second."]),
        (
            "Version 3.1 is out. It cost $3.5 billion.",
            ["Version 3.1 is out.", "It cost $3.5 billion."],
        ),
    ],
)
def test_a_number_ends_an_english_sentence_unless_it_opens_one(text: str, expected: list) -> None:
    assert split_sentences(text) == expected


def test_a_day_without_a_year() -> None:
    """The year of the date just before when it was written; otherwise the year that
    puts the day nearest the publication, as news writes this year's days."""

    def days(*texts: str, published: str) -> list[str]:
        turns = [Turn(i, None, Role.NARRATION, Kind.TEXT, t) for i, t in enumerate(texts)]
        return [e.date for e in find_events(turns, published)]

    assert days("The vote was on December 30.", published="2021-01-05") == ["2020-12-30"]
    assert days("In 2019 he moved.", "On June 5 he left.", published="2021-02-07") == [
        "2019",
        "2019-06-05",
    ]
    # "back in November" takes its year from the publication: no anchor for "July 4th".
    assert days(
        "They spoke back in November.", "They met on July 4th.", published="2022-07-28"
    ) == ["2021-11", "2022-07-04"]
