"""Bad input of every kind, end to end through the real slack-bolt and discord.py code,
against fakes that refuse what Slack and Discord refuse (their documented limits): the
asker gets a short, clear answer, the operator a log line, and nothing crashes."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Callable

import discord
import pytest

from adapters import discord_render, slack_render
from adapters.discord_adapter import PageButton
from adapters.text import Audience, PageAction
from bot import messages
from bot.core import CorpusBot
from bot.grammar import parse
from bot.models import Command, Reply, Result, SourceRef, TimelineEntry
from tests import fake_discord as fd
from tests import fake_slack
from tests.fake_slack import rendered_texts
from tests.test_discord import _result as discord_result
from tests.test_discord import command, connect
from tests.test_discord import mention as discord_mention
from tests.test_slack import mention, slash, socket

# What people type that is not a query, and what the bot says back (None: it searches).
BAD = {
    "empty": ("", messages.EMPTY_QUERY),
    "blank": (" \t\n  ", messages.EMPTY_QUERY),
    "controls": ("\x00\x07\x1b\x7f", messages.EMPTY_QUERY),
    "punctuation": ("？！。，…——!?.", messages.NOTHING_SEARCHABLE),
    "emoji": ("🎉🎉🎉", messages.NOTHING_SEARCHABLE),
    "invisible": ("\u200b\u200e\u2060", messages.NOTHING_SEARCHABLE),
    "common words": ("的 了 是", messages.ONLY_COMMON_WORDS),
    "huge": ("数据" * 5000, messages.QUERY_TRUNCATED.format(limit=500)),
    "lines": ("数据墙\n\n谁说\n", None),
    "pings": ("<!channel> @everyone <@&1> 数据", None),
}
# A short message: the answer to bad input is a sentence or two, never the input back.
SHORT = 400


def _said(kind: str, texts: list[str], escape: Callable[[str], str]) -> None:
    """``texts`` (what the platform shows, as its renderer escaped it) are a clear,
    short answer to the BAD input ``kind``."""
    expected = BAD[kind][1]
    shown = "\n".join(texts)
    assert escape(messages.INTERNAL_ERROR) not in shown, kind
    if expected is not None:
        assert escape(expected) in shown, (kind, shown[:300])
    if expected is not None and kind != "huge":
        assert max(map(len, texts)) < SHORT, (kind, shown[:300])


def _logged(caplog: pytest.LogCaptureFixture) -> None:
    """The operator's log has a line for each refused input."""
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.core"]
    assert any("rejected input ''" in line for line in lines)
    for kind in ("punctuation", "common words"):
        assert any(BAD[kind][0] in line for line in lines), kind


# ---- Slack --------------------------------------------------------------------------------


async def test_slack_answers_bad_input_briefly_within_its_limits(
    slack_adapter, slack_fake, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="bot.core")
    for n, (kind, (text, _)) in enumerate(BAD.items()):
        await socket(slack_adapter, slash(slack_fake, "/quote", text, response=f"bad{n}"))
        await socket(slack_adapter, mention(f"<@UBOT> {text}", event_id=f"EvBad{n}"))
        await slack_fake.wait_for(lambda n=n: slack_fake.of(f"response/bad{n}"))
        await slack_fake.wait_for(lambda n=n: len(slack_fake.of("chat.postMessage")) > n)
        for body in (slack_fake.of(f"response/bad{n}")[0], slack_fake.of("chat.postMessage")[n]):
            _said(kind, rendered_texts(body).split("\n"), slack_render.escape)
    assert slack_fake.refused == []
    assert not slack_fake.of("chat.postEphemeral")  # no fallback was needed
    _logged(caplog)


async def test_slack_pages_a_question_asked_over_several_lines(slack_adapter, slack_fake) -> None:
    # A question with more than a page of hits above the relevance floor.
    await socket(slack_adapter, mention("<@UBOT> 数据\n\n公司", event_id="EvLines"))
    await slack_fake.wait_for(lambda: slack_fake.of("chat.postMessage"))
    blocks = slack_fake.of("chat.postMessage")[0]["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    value = next(
        e["value"]
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == slack_render.MORE_ACTION
    )
    # (query, offset, corpus version)
    assert slack_render.parse_button_value(value)[:2] == ("数据\n\n公司", 3)


def test_slack_never_sends_an_empty_or_over_long_block() -> None:
    reply = Reply(
        Command.QUOTE,
        "q",
        results=tuple(_result("数据" * 2000, context="前文" * 2000) for _ in range(30)),
        message="m" * 5000,
        notices=("n" * 4000,),
        next_offset=30,
        total=90,
    )
    for audience in Audience:
        payload = slack_render.render(
            reply, command_text="/quote " + "q" * 5000, audience=audience, shared_by="U1"
        )
        assert fake_slack.message_problem(payload) is None


@pytest.mark.parametrize("text", ["谁说 " + "数据" * 1500, "/quote " + '"数\\' * 1000])
def test_a_slack_button_for_a_huge_mention_asks_what_was_searched(text: str) -> None:
    value = slack_render.button_value(text, 3)
    assert len(value) <= slack_render.BUTTON_VALUE_LIMIT
    pressed, offset, _corpus = slack_render.parse_button_value(value) or ("", 0, "")
    assert (parse(pressed).text, offset) == (parse(text).text, 3)


@pytest.mark.parametrize("event_text", ["事" * 2970, "事" * 2900 + "&" * 200, "<@U1> & " * 600])
def test_slack_cuts_between_escapes_and_links_never_inside_one(event_text: str) -> None:
    source = SourceRef("a", "Title", "https://e.com/a?x=1", None)
    reply = Reply(
        Command.TIMELINE, "q", events=(TimelineEntry("2025", event_text, "a", (source,)),)
    )
    payload = slack_render.render(reply, command_text="/timeline q")
    assert fake_slack.message_problem(payload) is None
    for block in payload["blocks"]:
        text = block.get("text", {}).get("text", "")
        head = text.removesuffix(messages.SLACK_SECTION_CUT).rstrip("\n")
        assert not re.search(r"&[a-z]*$|<[^<>]*$", head), head[-40:]


# ---- Discord ------------------------------------------------------------------------------


@pytest.fixture
async def discord_adapter(bot: CorpusBot, discord_fake):  # type: ignore[no-untyped-def]
    adapter = await connect(bot)
    yield adapter
    await adapter.close()


def _shown(body: dict) -> list[str]:
    texts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        texts += [embed.get("title") or "", embed.get("description") or ""]
    return texts


async def test_discord_answers_bad_input_briefly_within_its_limits(
    discord_adapter, discord_fake, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="bot.core")
    state = discord_adapter.client._connection
    for n, (text, _) in enumerate(BAD.values()):
        state.parse_interaction_create(command(f"96{n:02d}", "quote", "query", text))
        state.parse_message_create(
            discord_mention(f"86{n:02d}", fd.CHANNEL_ID, f"<@{fd.BOT_ID}> {text}")
        )
        await discord_fake.wait_for(
            lambda n=n: (
                len(discord_fake.posts(r"webhooks/\d+/[^/]+")) > n
                and len(discord_fake.posts(r"channels/\d+/messages")) > n
            )
        )
    followups = discord_fake.posts(r"webhooks/\d+/[^/]+")
    threads = discord_fake.posts(r"channels/\d+/messages/\d+/threads")
    in_threads = discord_fake.posts(r"channels/\d+/messages")
    assert discord_fake.refused == []
    assert len(threads) == len(BAD)  # every mention got its thread, named or not
    answers = {b["content"] or "" for b in followups}
    for kind in BAD:
        # (the answers come back in the order the searches finish)
        assert any(_fits(kind, _shown(b)) for b in followups), kind
        assert any(_fits(kind, _shown(b)) for b in in_threads), kind
    assert not any(messages.INTERNAL_ERROR in a for a in answers)
    _logged(caplog)


def _fits(kind: str, texts: list[str]) -> bool:
    try:
        _said(kind, texts, discord_render.safe)
    except AssertionError:
        return False
    return BAD[kind][1] is not None or any(texts)


async def test_discord_pages_a_question_asked_over_several_lines(
    discord_adapter, discord_fake
) -> None:
    state = discord_adapter.client._connection
    state.parse_message_create(
        discord_mention("8690", fd.CHANNEL_ID, f"<@{fd.BOT_ID}> 数据\n\n公司")
    )
    await discord_fake.wait_for(lambda: discord_fake.posts(r"channels/\d+/messages"))
    answer = discord_fake.posts(r"channels/\d+/messages")[0]
    more = next(
        c["custom_id"]
        for row in answer["components"]
        for c in row["components"]
        if c["custom_id"].startswith("cb:more:")
    )
    button = {"type": 2, "style": 2, "label": "More", "custom_id": more}
    msg = fd.message(
        "777", fd.CHANNEL_ID, fd.BOT_USER, {"components": [{"type": 1, "components": [button]}]}
    )
    data = {"custom_id": more, "component_type": 2}
    state.parse_interaction_create(fd.interaction("9690", 3, data, extra={"message": msg}))
    await discord_fake.wait_for(lambda: discord_fake.posts(r"interactions/9690/[^/]+/callback"))
    page = discord_fake.posts(r"interactions/9690/[^/]+/callback")[0]["data"]
    assert page["embeds"][0]["title"].startswith("4.")  # the second page of that question
    assert discord_fake.refused == []


async def test_discord_autocomplete_stays_valid_whatever_was_typed(
    discord_adapter, discord_fake
) -> None:
    state = discord_adapter.client._connection
    state.parse_interaction_create(
        command("9680", "quote", "query", " \t ")
    )  # remembered? never as a choice
    state.parse_interaction_create(command("9681", "quote", "query", "问" * 300))
    await discord_fake.wait_for(lambda: len(discord_fake.posts(r"webhooks/\d+/[^/]+")) == 2)
    for n, typed in enumerate(["", " ", "\x00\x1b", "问" * 300, "🎉", "问"]):
        data = {"id": "1", "name": "quote", "type": 1}
        data["options"] = [{"name": "query", "type": 3, "value": typed, "focused": True}]
        state.parse_interaction_create(fd.interaction(f"967{n}", 4, data))
        await discord_fake.wait_for(
            lambda n=n: discord_fake.posts(rf"interactions/967{n}/[^/]+/callback")
        )
    assert discord_fake.refused == []
    last = discord_fake.posts(r"interactions/9675/[^/]+/callback")[0]["data"]["choices"]
    assert last[0]["name"] == "问" * 100  # the long query, cut to Discord's 100


def _result(text: str, url: str | None = "https://e.com/a", context: str | None = None) -> Result:
    """test_discord's result, with a long title, ``url`` and ``context``."""
    return dataclasses.replace(
        discord_result(text), title="T" * 300, source_url=url, context=context
    )


def test_discord_keeps_the_asked_footer_within_the_6000_characters() -> None:
    reply = Reply(Command.QUOTE, "q", results=tuple(_result("数" * 5000) for _ in range(3)))
    asked = "/quote " + "问" * 490
    out = discord_render.render(reply, asked=asked)
    payload = {"content": out.content, "embeds": [e.to_dict() for e in out.embeds]}
    assert fd.message_problem(payload) is None
    assert discord_render.asked_of(out.embeds[-1].footer.text) == asked


def test_discord_drops_a_link_it_would_refuse() -> None:
    results = (
        _result("甲", "mp.weixin.qq.com/s?__biz=1"),
        _result("乙", "javascript:alert(1)"),
        _result("丙", "https://e.com/a b"),
        _result("丁", "https://e.com/ok"),
    )
    out = discord_render.render(Reply(Command.QUOTE, "q", results=results))
    assert [e.url for e in out.embeds] == [None, None, None, "https://e.com/ok"]
    payload = {"content": out.content, "embeds": [e.to_dict() for e in out.embeds]}
    assert fd.message_problem(payload) is None


async def test_an_expired_interaction_falls_back_within_2000_characters(
    discord_adapter, discord_fake
) -> None:
    discord_fake.expired.add("9670")
    data = command("9670", "quote", "query", "数据") | {
        "member": {**fd.member(), "nick": "名" * 32}
    }
    state = discord_adapter.client._connection
    interaction = discord.Interaction(data=data, state=state)
    rendered = discord_render.render(Reply(Command.QUOTE, "q", message="讯" * 1990))
    await discord_adapter._answer(interaction, rendered, None, Audience.PRIVATE)
    (sent,) = discord_fake.posts(rf"channels/{fd.CHANNEL_ID}/messages")
    assert sent["content"].startswith("名" * 32) and len(sent["content"]) <= 2000
    assert discord_fake.refused == []


def test_page_buttons_match_a_question_with_line_breaks() -> None:
    button = PageButton("more", 3, int(fd.USER_ID), "数据\n铸造厂")
    assert PageButton.__discord_ui_compiled_template__.fullmatch(button.item.custom_id)


# ---- every word a renderer shows is in bot/messages.py -------------------------------------

RENDERED_WORDS = (
    "BUTTON_MORE",
    "BUTTON_POST",
    "SHARED_BY",
    "SHARED_BY_ASKING",
    "NARRATION",
    "TIMELINE_TITLE",
    "ASKED_FOOTER",
    "SLACK_SECTION_CUT",
    "SLACK_BLOCKS_CUT",
    "DISCORD_CUT",
)


def test_the_renderers_take_their_words_from_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each label and notice, replaced in ``bot.messages``, changes what Slack, Discord
    and the console show: none is written into an adapter."""
    for name in RENDERED_WORDS:
        marker = f"«{name}»"
        keep = "{who}: {command}" if name == "SHARED_BY_ASKING" else "{who}"
        monkeypatch.setattr(messages, name, marker + (keep if name.startswith("SHARED") else ""))
    narration = dataclasses.replace(discord_result("数" * 5000), speaker=None)
    source = SourceRef("a", "Title", None, None)
    reply = Reply(
        Command.QUOTE,
        "q",
        results=(narration,) * 30,
        events=(TimelineEntry("2025", "事", "a", (source,)),),
        next_offset=3,
        total=30,
    )
    slack = json.dumps(
        slack_render.render(
            reply, command_text="/quote q", audience=Audience.PRIVATE, shared_by="U1"
        ),
        ensure_ascii=False,
    )
    few = dataclasses.replace(reply, results=reply.results[:2])
    discord = discord_render.render(few, shared_by="名", asked="/quote q")
    shown = [discord.content or ""] + [
        json.dumps(e.to_dict(), ensure_ascii=False) for e in discord.embeds
    ]
    shown += [PageButton(action, 3, 1, "q").item.label for action in PageAction]
    everything = slack + "\n".join(shown)
    for name in RENDERED_WORDS:
        assert f"«{name}»" in everything, name


# ---- Discord: over its limits, shortened with a notice, never silently left out -----------


def _payload(out: discord_render.RenderedMessage) -> dict:
    return {"content": out.content, "embeds": [e.to_dict() for e in out.embeds]}


def test_discord_shortens_every_passage_before_leaving_one_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Ten long passages are over the 6000 characters: each is shortened with the cut
    notice, a short one is kept whole, and all ten are there."""
    caplog.set_level(logging.INFO, logger="adapters.discord_render")
    results = (_result("短句"), *(_result("数" * 3000) for _ in range(9)))
    out = discord_render.render(Reply(Command.QUOTE, "q", results=results), asked="/quote q")
    assert fd.message_problem(_payload(out)) is None
    assert len(out.embeds) == 10
    assert out.embeds[0].description == "短句"
    assert all(e.description.endswith(messages.DISCORD_CUT) for e in out.embeds[1:])
    assert all(len(e.description) > discord_render.SHARE_FLOOR for e in out.embeds[1:])
    assert any("descriptions cut" in r.getMessage() for r in caplog.records)
    assert not out.content  # nothing left out, nothing to say


@pytest.mark.parametrize("kind", ["eleven embeds", "no room"])
def test_discord_says_how_many_it_left_out_and_logs_it(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.discord_render")
    source = SourceRef("a", "Title", "https://e.com/a", "2025")
    events = (TimelineEntry("2025", "事", "a", (source,)),)
    if kind == "eleven embeds":  # ten passages and a timeline (two embeds)
        reply = Reply(
            Command.QUOTE,
            "q",
            results=tuple(_result("数据") for _ in range(10)),
            events=events,
            next_offset=10,
            total=40,
        )
        expected = 2
    else:  # titles and speakers at Discord's 256 leave no room for ten passages
        loud = dataclasses.replace(_result("数" * 3000), speaker="名" * 300)
        reply = Reply(Command.QUOTE, "q", results=(loud,) * 10, message="讯" * 2500)
        expected = None
    out = discord_render.render(reply)
    assert fd.message_problem(_payload(out)) is None
    left_out = 10 + 2 * bool(reply.events) - len(out.embeds)
    assert left_out > 0 and (expected is None or left_out == expected)
    notice = discord_render.safe(messages.DISCORD_LEFT_OUT.format(count=left_out))
    assert out.content is not None and out.content.endswith(notice)
    assert any(
        f"{left_out} of" in r.getMessage() for r in caplog.records if r.levelname == "WARNING"
    )
