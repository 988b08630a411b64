"""Timelines (#13): date filters, event kinds, one entry per fact, the reply's script,
and the chronology picture."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from typing import Any

import pytest

from adapters import discord_render, slack_render
from bot.chart import PICTURE_ABOVE, _label, chronology_png
from bot.core import CorpusBot
from bot.datefilter import admits, extract
from bot.grammar import parse
from bot.ingest.dates import find_events
from bot.ingest.store import article_from_dict, dumps
from bot.models import (
    Article,
    Command,
    Event,
    EventKind,
    Field,
    Kind,
    Provenance,
    Role,
    TimelineEntry,
    Turn,
)
from bot.search.index import EventRecord
from bot.search.passage_store import head_of
from bot.textfold import Folder
from bot.timeline import Fact, group_reports, is_headline, merge_events, read_fact, topic_text
from tests import fake_discord as fd
from tests.conftest import DATA, ROOT
from tests.test_discord import command as discord_command
from tests.test_discord import connect as discord_connect
from tests.test_discord import followups as discord_followups
from tests.test_discord import mention as discord_mention
from tests.test_slack import button as slack_button
from tests.test_slack import mention as slack_mention
from tests.test_slack import slash as slack_slash
from tests.test_slack import socket as slack_socket

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
        ("2023年底", D(2023, 10, 1), D(2023, 12, 31), ""),
        ("Meta 2025年初", D(2025, 1, 1), D(2025, 3, 31), "Meta"),
        ("2025年上半年", D(2025, 1, 1), D(2025, 6, 30), ""),
        ("2025年第一季度", D(2025, 1, 1), D(2025, 3, 31), ""),
        ("Q3 2024", D(2024, 7, 1), D(2024, 9, 30), ""),
        ("2024年冬天", D(2024, 12, 1), D(2025, 2, 28), ""),
        ("2022年秋天以来", D(2022, 9, 1), None, ""),
        ("2024年初到2025年底", D(2024, 1, 1), D(2025, 12, 31), ""),
        ("2016年左右 Scale AI", D(2016, 1, 1), D(2016, 12, 31), "Scale AI"),
        ("2025年初创公司", D(2025, 1, 1), D(2025, 12, 31), "初创公司"),  # start-ups
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


def test_the_reply_names_the_dates_in_words() -> None:
    labels = {
        typed: parse(f"/timeline {typed}").dates.label  # type: ignore[union-attr]
        for typed in ("2016", "2024-2025", "2024年以来", "2025年初", "before 2024", "2025-01")
    }
    assert labels == {
        "2016": "in 2016",
        "2024-2025": "from 2024 to 2025",
        "2024年以来": "since 2024",
        "2025年初": "in early 2025",
        "before 2024": "before 2024",
        "2025-01": "in 2025-01",
    }


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


# ---- the bundled corpus: filters, one entry per fact, kinds, script ----------------------


def test_a_year_alone_lists_that_year_of_the_whole_corpus(bot: CorpusBot) -> None:
    reply = bot.ask("/timeline 2016")
    assert reply.events and all(e.date.startswith("2016") for e in reply.events)
    reply = bot.ask("/timeline 2024-2025")
    points = {e.date[:4] for e in reply.events if e.kind is not EventKind.SPAN}
    assert points == {"2024", "2025"}
    # A span is in when it runs through the range: 從2022年秋天以來 (published 2025-02).
    assert [e.when for e in reply.events if e.kind is EventKind.SPAN] == ["2022–2025-02"]


def test_a_topic_with_dates_keeps_only_its_events_within_them(bot: CorpusBot) -> None:
    everything = bot.ask("/timeline Scale AI")
    assert {e.date[:4] for e in everything.events} > {"2025"}
    reply = bot.ask("/timeline Scale AI 2025")
    assert reply.events and all(e.date.startswith("2025") for e in reply.events)
    since = bot.ask("时间线 Scale AI 2024年以来")
    assert since.events and all(e.date >= "2024" for e in since.events)
    before = bot.ask("/timeline Scale AI 2024年之前")
    assert before.events and all(e.date < "2024" for e in before.events)


def test_an_empty_filter_result_says_so(bot: CorpusBot) -> None:
    reply = bot.ask("/timeline Scale AI 2030")
    assert not reply.events
    assert reply.message == (
        "I found dated events about “Scale AI”, but none in 2030. "
        "Try other dates, or leave them out to see all."
    )
    assert bot.ask("/timeline 1950年").message == "No event in the corpus is dated in 1950."
    assert "no dated events about" in (bot.ask("/timeline 巧克力蛋糕 2016").message or "")


def test_one_founding_entry_with_every_source_and_both_wordings(bot: CorpusBot) -> None:
    reply = bot.ask("/timeline Scale AI")
    founding = [e for e in reply.events if e.date == "2016"]
    assert len(founding) == 1
    assert {s.article_id[:3] for s in founding[0].sources} == {"002", "003"}
    assert "创立了Scale AI" in founding[0].text and "Scale AI成立于2016年" in founding[0].text


def test_conflicting_dates_are_still_shown(bot: CorpusBot) -> None:
    by_date = {e.date: e for e in bot.ask("/timeline 白手起家 亿万富翁").events}
    assert by_date["2021"].conflicts == ("2022",)
    assert by_date["2022"].conflicts == ("2021",)
    # A date filter keeps the note although the other date is filtered out.
    only = bot.ask("/timeline 白手起家 亿万富翁 2021").events
    assert [(e.date, e.conflicts) for e in only] == [("2021", ("2022",))]


def test_forecasts_are_marked_and_spans_show_both_ends(bot: CorpusBot) -> None:
    from adapters.console import render_text

    reply = bot.ask("/timeline since 2025")
    kinds = {e.date: e.kind for e in reply.events}
    assert kinds["2029"] is EventKind.FORECAST  # 我們力求在2029年之前推出
    text = render_text(reply)
    assert "[forecast or plan]" in next(line for line in text.splitlines() if "2029年" in line)
    chatgpt = bot.ask("/timeline ChatGPT")
    span = next(e for e in chatgpt.events if e.kind is EventKind.SPAN)
    assert (span.date, span.end, span.when) == ("2022", "2025-02", "2022–2025-02")
    assert "2022–2025-02  " in render_text(chatgpt)
    dates = [e.date for e in reply.events]
    assert dates == sorted(dates)  # marked in place: the chronology stays in order


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("時間線 Meta", "成立於2016年"),  # Traditional command word, Latin topic
        ("时间线 Meta", "成立于2016年"),
        ("/timeline Meta 2016", "成立于2016年"),  # no Han that tells: as stored
        ("時間線 Meta 2016年", "成立於2016年"),
    ],
)
def test_the_reply_script_follows_the_whole_input(
    bot: CorpusBot, typed: str, fragment: str
) -> None:
    assert any(fragment in e.text for e in bot.ask(typed).events)


def test_whosaid_follows_the_command_word_too(bot: CorpusBot) -> None:
    reply = bot.ask("誰說 Scale AI")
    assert reply.results and bot.display.script_of(reply.results[0].text).value != "simplified"


def test_json_carries_kind_and_end(bot: CorpusBot) -> None:
    from bot.replyjson import reply_to_json

    events = reply_to_json(bot.ask("/timeline ChatGPT"))["events"]
    assert {"kind": "span", "end": "2025-02"}.items() <= events[0].items()


# ---- merging, on small texts of our own -------------------------------------------------


def _records(*reports: tuple[str, str, str]) -> list[EventRecord]:
    """(article id, date, sentence) -> event records of tiny one-event articles."""
    records = []
    for article_id, date, text in reports:
        expression = date[:4] + "年"
        event = Event(date, expression, text, 1)
        article = Article(
            id=article_id,
            source_file=f"{article_id}.txt",
            title=Field(f"《{article_id}》", Provenance.TEXT),
            source_url=Field(None, Provenance.NONE),
            published=Field("2023-01", Provenance.TEXT),
            script=Field("simplified", Provenance.TEXT),
            interviewee=Field(None, Provenance.NONE),
            speakers={},
            turns=(Turn(1, None, Role.NARRATION, Kind.TEXT, text),),
            events=(event,),
            passages=(),
        )
        records.append(EventRecord(event, head_of(article), None, text))
    return records


def _merge(folder: Folder, *reports: tuple[str, str, str]) -> list[TimelineEntry]:
    return merge_events(_records(*reports), lambda t: read_fact(folder.fold(t), []), str)


def test_one_fact_in_other_words_is_one_entry(folder: Folder) -> None:
    entries = _merge(
        folder,
        ("a", "2019", "2019年，李明创办了青禾科技。"),
        ("b", "2019", "青禾科技成立于2019年，总部位于杭州。"),
        ("c", "2019", "2019年，李明从清华大学毕业后创办了青禾科技。"),
        ("b", "2020", "2020年，青禾科技发布了第一款产品。"),
    )
    assert [(e.date, len(e.sources)) for e in entries] == [("2019", 3), ("2020", 1)]
    assert entries[0].text == "2019年，李明创办了青禾科技。 ／ 青禾科技成立于2019年"


def test_another_party_founded_the_same_year_stays_apart(folder: Folder) -> None:
    entries = _merge(
        folder,
        ("a", "2019", "2019年，李明创办了青禾科技。"),
        ("b", "2019", "2019年，红杉资本成立了新基金。"),
        ("c", "2019", "Acme was founded in 2019 by two engineers."),
        ("d", "2019", "In 2019 Acme Robotics raised its first round."),
    )
    assert len(entries) == 4


def test_the_same_fact_with_two_dates_is_two_entries_naming_each_other(folder: Folder) -> None:
    entries = _merge(
        folder,
        ("a", "2021", "2021年，王芳成为公司最年轻的合伙人。"),
        ("b", "2022", "2022年，王芳成为公司最年轻的合伙人。"),
    )
    assert [(e.date, e.conflicts) for e in entries] == [("2021", ("2022",)), ("2022", ("2021",))]


def _grouped_one_by_one(
    records: list[EventRecord], fact_of: Any
) -> list[list[tuple[EventRecord, Fact]]]:
    """The grouping ``group_reports`` looks up, done by reading every group in turn."""
    groups: list[list[tuple[EventRecord, Fact]]] = []
    for record in records:
        fact = fact_of(record.event.text)
        for group in groups:
            head, head_fact = group[0]
            if head.article.id == record.article.id and head.event.text == record.event.text:
                continue
            shared = len(fact.bigrams & head_fact.bigrams)
            similar = (
                bool(fact.bigrams and head_fact.bigrams)
                and shared / min(len(fact.bigrams), len(head_fact.bigrams)) >= 0.6
            )
            if similar or any(
                m.event.date == record.event.date
                and fact.actions & f.actions
                and fact.same_party(f)
                for m, f in group
            ):
                group.append((record, fact))
                break
        else:
            groups.append([(record, fact)])
    return groups


def test_looked_up_groups_are_the_groups_read_one_by_one(bot: CorpusBot, folder: Folder) -> None:
    """Reports of the bundled corpus, and new sentences made of halves of two of them
    under other dates, copied by other articles: the indexes find every group."""
    import dataclasses
    import random

    base = list(bot.index.events())
    rng = random.Random(5)
    records = list(base)
    for i in range(600):
        one, two = rng.choice(base).event.text, rng.choice(base).event.text
        record = rng.choice(base)
        text = one if rng.random() < 0.3 else one[: len(one) // 2] + two[len(two) // 2 :]
        date = rng.choice([record.event.date, f"{rng.randint(2014, 2024)}"])
        event = dataclasses.replace(record.event, text=text, date=date)
        article = dataclasses.replace(record.article, id=f"{record.article.id}-{i % 50}")
        records.append(dataclasses.replace(record, event=event, article=article))
    names = [form.replace(" ", "") for form in bot.index.name_forms]

    def fact_of(text: str) -> Fact:
        return read_fact(folder.fold(text), names)

    expected = _grouped_one_by_one(records, fact_of)
    assert group_reports(records, fact_of) == expected
    assert len(expected) > 50  # many groups, some of many reports
    assert max(map(len, expected)) > 10


# ---- the chronology picture ---------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n"


def test_a_picture_for_more_than_a_handful_of_events(bot: CorpusBot) -> None:
    many = bot.ask("時間線 Scale AI")
    assert len(many.events) > PICTURE_ABOVE
    png = chronology_png(many)
    assert png is not None and png.startswith(PNG)
    few = bot.ask("/timeline 华盛顿邮报 广告")
    assert len(few.events) <= PICTURE_ABOVE and chronology_png(few) is None
    assert chronology_png(bot.ask("/quote 数据墙")) is None


def test_the_picture_labels_each_event_with_the_clause_of_its_date(bot: CorpusBot) -> None:
    labels = {e.date: _label(e) for e in bot.ask("/timeline Scale AI").events}
    assert labels["2024-11"].startswith("并于同年11月与Meta合作开发")
    assert labels["2025-04"] in (
        "今年4月,《The Information》报道称",
        "截至2025年4月,他的净资产为36亿美元。",
    )


async def test_slack_attaches_the_picture_in_the_thread_with_the_text_unchanged(
    slack_adapter, slack_fake, bot
) -> None:
    await slack_socket(slack_adapter, slack_mention("<@UBOT> timeline Scale AI", "Ev71"))
    await slack_fake.wait_for(lambda: slack_fake.of("files.completeUploadExternal"))
    post = slack_fake.of("chat.postMessage")[0]
    expected = slack_render.render(bot.ask("timeline Scale AI"), command_text="timeline Scale AI")
    blocks = post["blocks"]
    assert (json.loads(blocks) if isinstance(blocks, str) else blocks) == expected["blocks"]
    assert "forecast or plan" in json.dumps(expected["blocks"], ensure_ascii=False)
    upload = slack_fake.of("files.getUploadURLExternal")[0]
    assert upload["filename"] == "timeline.png"
    done = slack_fake.of("files.completeUploadExternal")[0]
    assert (done["channel_id"], done["thread_ts"]) == ("C1", "1700000001.000200")
    (png,) = slack_fake.uploads.values()
    assert png.startswith(PNG) and int(upload["length"]) == len(png)


async def test_slack_sends_no_picture_for_a_few_events_or_a_private_answer(
    slack_adapter, slack_fake
) -> None:
    await slack_socket(slack_adapter, slack_mention("<@UBOT> timeline 华盛顿邮报 广告", "Ev72"))
    await slack_socket(slack_adapter, slack_slash(slack_fake, "/timeline", "Scale AI"))
    await slack_fake.wait_for(
        lambda: slack_fake.of("chat.postMessage") and slack_fake.of("response/r1")
    )
    assert not slack_fake.of("files.getUploadURLExternal")  # Slack has no private files


async def test_slack_post_to_channel_brings_the_picture(slack_adapter, slack_fake) -> None:
    value = slack_render.button_value("/timeline Scale AI", 0)
    await slack_socket(slack_adapter, slack_button(slack_fake, slack_render.POST_ACTION, value))
    await slack_fake.wait_for(lambda: slack_fake.of("files.completeUploadExternal"))
    assert slack_fake.of("response/r1")[0]["response_type"] == "in_channel"
    assert slack_fake.of("files.completeUploadExternal")[0]["channel_id"] == "C1"


async def test_discord_attaches_the_picture_to_the_private_answer(bot, discord_fake) -> None:
    adapter = await discord_connect(bot)
    try:
        adapter.client._connection.parse_interaction_create(
            discord_command("9701", "timeline", "topic", "Scale AI")
        )
        await discord_fake.wait_for(lambda: discord_followups(discord_fake))
        body = discord_followups(discord_fake)[0]
        assert body["flags"] & 64  # still private
        assert [a["filename"] for a in body["attachments"]] == ["timeline.png"]
        assert body["_uploads"]["timeline.png"].startswith(PNG)
        expected = discord_render.render(bot.ask("/timeline Scale AI"))
        assert body["embeds"] == [e.to_dict() for e in expected.embeds]  # text unchanged
        assert "*(forecast or plan)*" in body["embeds"][0]["description"]
        adapter.client._connection.parse_interaction_create(
            discord_command("9702", "timeline", "topic", "华盛顿邮报 广告")
        )
        await discord_fake.wait_for(lambda: len(discord_followups(discord_fake)) == 2)
        assert "_uploads" not in discord_followups(discord_fake)[1]
    finally:
        await adapter.close()


async def test_discord_attaches_the_picture_to_a_mention_answer(bot, discord_fake) -> None:
    adapter = await discord_connect(bot)
    try:
        adapter.client._connection.parse_message_create(
            discord_mention("8701", fd.CHANNEL_ID, f"<@{fd.BOT_ID}> 時間線 Scale AI")
        )
        await discord_fake.wait_for(lambda: discord_fake.posts(r"channels/\d+/messages"))
        body = discord_fake.posts(r"channels/\d+/messages")[0]
        assert body["_uploads"]["timeline.png"].startswith(PNG)
        assert "成立於2016年" in body["embeds"][0]["description"]  # Traditional, as asked
    finally:
        await adapter.close()


async def test_discord_without_attach_files_sends_the_text_alone(bot, discord_fake) -> None:
    adapter = await discord_connect(bot)
    try:
        guild = fd.guild()
        everyone = guild["roles"][0]
        everyone["permissions"] = str(int(everyone["permissions"]) & ~(1 << 15))  # Attach Files
        adapter.client._connection.parse_guild_create(guild)
        adapter.client._connection.parse_message_create(
            discord_mention("8702", fd.CHANNEL_ID, f"<@{fd.BOT_ID}> timeline Scale AI")
        )
        await discord_fake.wait_for(lambda: discord_fake.posts(r"channels/\d+/messages"))
        body = discord_fake.posts(r"channels/\d+/messages")[0]
        assert "_uploads" not in body and "2016" in body["embeds"][0]["description"]
    finally:
        await adapter.close()


def test_without_matplotlib_pictures_are_off_with_one_log_line() -> None:
    # A machine without the chart extra: matplotlib cannot be imported.
    script = """
import logging, sys
sys.modules["matplotlib"] = None
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
from bot.chart import chronology_png
from bot.models import Command, Reply, SourceRef, TimelineEntry
source = (SourceRef("a", "A", None, None),)
events = tuple(TimelineEntry(f"20{n:02d}", "事件", "a", source) for n in range(10, 18))
reply = Reply(Command.TIMELINE, "x", events=events)
print(chronology_png(reply), chronology_png(reply))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "None None"
    lines = [line for line in done.stderr.splitlines() if "pictures are off" in line]
    assert lines == [
        "WARNING timeline pictures are off: matplotlib is not installed (pip install -e '.[chart]')"
    ]


# ---- whosaid: words found in narration, with nobody named for them -----------------------


def test_whosaid_finds_unattributed_words_but_names_no_one(bot: CorpusBot) -> None:
    reply = bot.ask("/whosaid Meta 将支付接近 150 亿美元的资金")  # 003's narration
    assert reply.message is not None and "not who said them" in reply.message
    assert reply.results and all(r.speaker is None for r in reply.results)
    assert "将支付接近 150 亿美元的资金" in reply.results[0].text
    assert reply.results[0].article_id.startswith("003")
    assert reply.results[0].context is None  # the turn before could read as the speaker


def test_whosaid_names_no_one_for_narration_a_turn_only_shares_words_with(
    bot: CorpusBot,
) -> None:
    # 003's narration; an interviewer's turn also has 可能 and 亿美元, enough for the floor.
    reply = bot.ask("/whosaid 投资金额可能超过 100 亿美元")
    assert reply.results and all(r.speaker is None for r in reply.results)
    assert reply.message is not None and "not who said them" in reply.message


def test_whosaid_words_nobody_wrote_still_say_no_speaker(bot: CorpusBot) -> None:
    reply = bot.ask("/whosaid 我们要在火星上建立一座城市")  # must not change
    assert not reply.results
    assert reply.message is not None and reply.message.startswith("No speaker")


# ---- topics worded otherwise than the event ------------------------------------------------


def test_a_headline_is_matched_with_its_articles_lead(bot: CorpusBot) -> None:
    # 003's headline says 入股; its lead says 股权 and 换取: the headline event is listed.
    events = bot.ask("/timeline Meta 换取 股权").events
    assert ("2025-06-12", True) in [(e.date, e.text.startswith("Meta 拟")) for e in events]


def test_only_a_headline_is_read_with_the_lead(bot: CorpusBot) -> None:
    records = [
        h.record for h in bot.index.search_events(bot.interpret(parse("/timeline Meta")), 50)
    ]
    headline = next(r for r in records if is_headline(r.event))
    other = next(r for r in records if not is_headline(r.event))
    assert "股权" in topic_text(headline, "")
    assert topic_text(other, "context") == "context"


def test_a_taiwan_word_the_corpus_never_uses_finds_the_mainland_one(bot: CorpusBot) -> None:
    # 合約 (contract) is not in the corpus; 003 says 合同: a dictionary sense with a
    # qualifier, "(business) contract", still relates them.
    events = bot.ask("/timeline 國防部合約").events
    assert "2024-03" in [e.date for e in events]


TOPIC_CASES = [
    json.loads(line) for line in (DATA / "timeline_topics.jsonl").read_text("utf-8").splitlines()
]


@pytest.mark.parametrize("case", TOPIC_CASES, ids=[c["ask"] for c in TOPIC_CASES])
def test_a_timeline_topic_needs_its_content_words_not_only_its_names(
    bot: CorpusBot, tantivy_bot: CorpusBot, folder: Folder, case: dict[str, Any]
) -> None:
    """An event that names the topic's company but holds only a common word of it is no
    answer, nor is one that holds only a word related to the topic's through one
    dictionary sense; names alone, two parties and lone characters answer as before."""
    from bot.evaluate import evaluate

    for engine_bot in (bot, tantivy_bot):
        [outcome] = evaluate(engine_bot, [case], folder)
        assert outcome.ok, (case["why"], outcome)


def test_a_topic_share_counts_half_below_half_of_its_content_words() -> None:
    """Units as ``rank.query_units`` makes them for "Scale AI 收购 公司" over a real event
    sentence: the names and 公司 are there, 收购 is not."""
    from bot.search.rank import Unit, topic_share, unpunctuated
    from bot.timeline import topic_parties

    def share_of(units: list[Unit], event: str) -> float:
        return topic_share(units, event, topic_parties(units))

    units = [
        Unit(("scal",), 1.73, content=False),
        Unit(("ai",), 1.06, content=False),
        Unit(("收购", "买下"), 3.0),
        Unit(("公司", "企业"), 1.2),
    ]
    sentence = "scale ai早早踩对了风口,如今终于一飞冲天了,公司的2024年年化收入预计达到近10亿美元。"
    event = unpunctuated(sentence)
    assert share_of(units, event) < 0.2
    assert share_of(units[:2], event) == 1.0  # the name alone: every event about it
    both = unpunctuated("meta 拟 140 亿美元入股 scale ai")
    parties = [Unit(("meta",), 2.36, content=False), *units[:1], Unit(("收购",), 3.0)]
    assert share_of(parties, both) > 0.5


def test_the_proper_names_are_the_words_cc_cedict_first_glosses_as_a_name(
    bot: CorpusBot,
) -> None:
    """A place or a party a timeline topic names must be in its answer; an act or a
    thing may be worded otherwise by the event (``timeline.unreported``)."""
    names = bot.index.lexicon.proper_names
    assert {"英国", "微软", "国防部", "谷歌"} <= names  # "United Kingdom", "Defense Department"
    assert not {"合同", "完成", "第一轮", "目标", "融资"} & names  # "(business) contract" ...
    assert all(len(word) > 1 for word in names)


def test_the_absent_names_are_names_alone_the_corpus_never_uses(bot: CorpusBot) -> None:
    """A proper noun (capitalised pinyin) glossed by its name alone, and only that; not
    a thing of a name's, a common word too, an acronym of a thing, a day or a month."""
    absent = bot.index.lexicon.absent_name_words()
    assert {"五角大楼", "丰田", "东京", "北约"} <= set(absent)  # Pentagon, Toyota or Toyoda
    not_names = ["美军", "日本人", "联想", "孙子", "取款机", "白条", "周一", "一月"]
    assert not [w for w in not_names if w in absent]  # US army, Lenovo/to associate, ATM
    assert not [w for w in ["春节", "元旦", "英语"] if w in absent]  # a holiday, a language
    assert "美国" not in absent  # the corpus names it
    assert not {"英伟达", "脸书"} & set(absent)  # the corpus writes Nvidia and Facebook


def test_a_topic_naming_a_place_the_corpus_never_names_says_so(bot: CorpusBot) -> None:
    reply = bot.ask("/timeline Scale AI 和丰田的合作")
    assert not reply.events
    assert reply.message is not None and "丰田" in reply.message
    assert reply.relevance is not None and reply.relevance.uncovered == ("丰田",)
    # Two parties the corpus names: what passed between them, judged as before.
    two = bot.ask("/timeline 特朗普和扎克伯格在白宫")
    assert two.relevance is not None and not two.relevance.uncovered
    # A party the corpus never writes is none it names; the word is shown as typed.
    latin = bot.ask("/timeline Scale AI 和 Toyota 的合作")
    assert not latin.events and latin.message is not None and "Toyota" in latin.message
    traditional = bot.ask("/timeline Scale AI 和豐田的合作").message
    assert traditional is not None and "豐田" in traditional


def test_an_english_topic_naming_a_place_the_corpus_never_names_says_so(
    bot: CorpusBot,
) -> None:
    """A word capitalised inside the sentence that the corpus never writes and no step
    translated is a name; shown as typed. Not "Department" of "the Department of
    Defense": the dictionary writes it in lower case too, a word of a name."""
    reply = bot.ask("/timeline Scale AI partnership with Toyota")
    assert not reply.events and reply.message is not None and "Toyota" in reply.message
    assert reply.relevance is not None and reply.relevance.uncovered == ("toyota",)
    events = bot.ask("/timeline Scale AI contract with the Department of Defense").events
    assert "2024-03" in [e.date for e in events]


def test_each_distinct_sentence_is_read_once(folder: Folder) -> None:
    """A year of a large corpus repeats its dated sentences: ``group_reports`` reads the
    fact of each distinct one once, and groups as before."""
    reports = [
        ("a", "2021", "2021年,王成为全球最年轻的白手起家亿万富翁。"),
        ("b", "2021", "2021年,王成为全球最年轻的白手起家亿万富翁。"),
        ("c", "2016", "2016年,他从麻省理工辍学后联合创立了Scale AI。"),
    ]
    read: list[str] = []

    def fact_of(text: str) -> Fact:
        read.append(text)
        return read_fact(folder.fold(text), [])

    groups = group_reports(_records(*reports), fact_of)
    assert sorted(read) == sorted({text for _, _, text in reports})
    assert [len(group) for group in groups] == [2, 1]
