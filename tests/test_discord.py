"""The Discord adapter on real discord.py, against a loopback fake of Discord's REST API."""

from __future__ import annotations

import dataclasses
import logging
import shutil
from pathlib import Path

import discord
import pytest

from adapters import discord_render
from adapters.discord_adapter import DiscordAdapter, DiscordEnv, custom_id, mention_text
from bot.app import build_bot, build_reloader
from bot.config import Settings
from bot.core import CorpusBot
from bot.digest.service import PostKey
from bot.errors import ConfigError, PlatformUnreachableError
from bot.models import Command, Reply, Result, Role, SourceRef, TimelineEntry
from bot.textfold import Folder
from tests import fake_discord as fd
from tests.conftest import ROOT

TOKEN = "x" * 24 + ".abc.def"


@pytest.fixture
def fake(discord_fake: fd.FakeDiscord) -> fd.FakeDiscord:
    return discord_fake


async def connect(bot: CorpusBot, guild_id: int | None = int(fd.GUILD_ID)) -> DiscordAdapter:
    adapter = DiscordAdapter(bot, DiscordEnv(TOKEN, guild_id))
    await adapter.client.login(TOKEN)  # runs setup_hook: translator, guild sync
    adapter.client._connection.parse_guild_create(fd.guild())
    return adapter


@pytest.fixture
async def adapter(bot: CorpusBot, fake):
    adapter = await connect(bot)
    yield adapter
    await adapter.close()


def command(iid: str, name: str, option: str, value: str, uid: str = fd.USER_ID) -> dict:
    return fd.interaction(
        iid,
        2,
        {
            "id": "1",
            "name": name,
            "type": 1,
            "options": [{"name": option, "type": 3, "value": value}],
        },
        uid,
    )


def press(iid: str, cid: str, uid: str = fd.USER_ID) -> dict:
    # Discord sends the message the button is on, with its components.
    button = {"type": 2, "style": 2, "label": "More", "custom_id": cid}
    msg = fd.message(
        "777", fd.CHANNEL_ID, fd.BOT_USER, {"components": [{"type": 1, "components": [button]}]}
    )
    return fd.interaction(iid, 3, {"custom_id": cid, "component_type": 2}, uid, {"message": msg})


def followups(fake: fd.FakeDiscord) -> list[dict]:
    return fake.posts(r"webhooks/\d+/[^/]+")


def text_of(body: dict) -> str:
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [
            embed.get("title", ""),
            embed.get("description", ""),
            (embed.get("author") or {}).get("name", ""),
        ]
    return "\n".join(parts)


# ---- login, sync, commands -------------------------------------------------------------


async def test_login_syncs_localised_commands_to_the_dev_guild(adapter, fake) -> None:
    synced = [c for c in fake.calls if c.method == "PUT"]
    assert [c.path for c in synced] == [f"applications/{fd.APP_ID}/guilds/{fd.GUILD_ID}/commands"]
    commands = {c["name"]: c for c in synced[0].body}
    assert set(commands) == {"quote", "whosaid", "timeline"}
    assert commands["whosaid"]["name_localizations"] == {"zh-CN": "谁说", "zh-TW": "誰說"}
    assert commands["quote"]["description_localizations"]["zh-TW"].startswith("最相關")
    assert commands["timeline"]["options"][0]["autocomplete"] is True


async def test_no_sync_without_a_dev_guild(bot, fake) -> None:
    adapter = await connect(bot, guild_id=None)
    try:
        assert not [c for c in fake.calls if c.method == "PUT"]
        assert await adapter.sync_global() == 3  # only when asked: python -m bot discord-sync
        assert [c.path for c in fake.calls if c.method == "PUT"] == [
            f"applications/{fd.APP_ID}/commands"
        ]
    finally:
        await adapter.close()


@pytest.mark.parametrize(
    ("name", "option", "value", "expected"),
    [
        ("quote", "query", "數據鑄造廠", "數據鑄造廠"),
        ("whosaid", "phrase", "你的输入是什么", "Aditya Agarwal"),
        ("timeline", "topic", "华盛顿邮报 广告", "2025-01-21"),
    ],
)
async def test_command_defers_then_follows_up_ephemeral(
    adapter, fake, name, option, value, expected
) -> None:
    adapter.client._connection.parse_interaction_create(command("9001", name, option, value))
    await fake.wait_for(lambda: followups(fake))
    callback = fake.posts(r"interactions/9001/[^/]+/callback")[0]
    assert callback["type"] == 5  # deferred: the search runs after the 3-second answer
    body = followups(fake)[0]
    assert body["flags"] & 64  # ephemeral
    assert expected in text_of(body)
    assert body["allowed_mentions"] == {"parse": []}
    ids = [c["custom_id"] for row in body["components"] for c in row["components"]]
    assert any(i.startswith(("cb:post:0:", "cb:post:0@")) for i in ids)  # @: corpus version


async def test_more_button_serves_the_next_page_and_survives_a_restart(bot, fake) -> None:
    first = await connect(bot)
    first.client._connection.parse_interaction_create(command("9002", "quote", "query", "数据"))
    await fake.wait_for(lambda: followups(fake))
    more = next(
        c["custom_id"]
        for row in followups(fake)[0]["components"]
        for c in row["components"]
        if c["custom_id"].startswith("cb:more:")
    )
    await first.close()

    restarted = await connect(bot)  # a new process: nothing in memory but the custom_id
    try:
        restarted.client._connection.parse_interaction_create(press("9003", more))
        await fake.wait_for(lambda: fake.posts(r"interactions/9003/[^/]+/callback"))
        body = fake.posts(r"interactions/9003/[^/]+/callback")[0]["data"]
        assert body["flags"] & 64
        assert body["embeds"][0]["title"].startswith("4.")  # the second page
    finally:
        await restarted.close()


async def test_a_more_button_from_before_a_reload_says_the_corpus_changed(adapter, fake) -> None:
    stale = custom_id("more", 3, int(fd.USER_ID), "/quote 数据", "0000000000")
    assert stale.startswith("cb:more:3@0000000000:")
    adapter.client._connection.parse_interaction_create(press("9010", stale))
    await fake.wait_for(lambda: fake.posts(r"interactions/9010/[^/]+/callback"))
    body = fake.posts(r"interactions/9010/[^/]+/callback")[0]["data"]
    assert "The corpus changed" in body["content"]
    assert body["embeds"][0]["title"].startswith("4.")  # said, and still paged


async def test_only_the_asker_can_page(adapter, fake) -> None:
    cid = custom_id("more", 3, int(fd.USER_ID), "/quote 数据")
    adapter.client._connection.parse_interaction_create(press("9004", cid, uid=fd.OTHER_ID))
    await fake.wait_for(lambda: fake.posts(r"interactions/9004/[^/]+/callback"))
    body = fake.posts(r"interactions/9004/[^/]+/callback")[0]["data"]
    assert "Only the person who asked" in body["content"] and not body.get("embeds")


async def test_post_to_channel_is_visible_and_attributed(adapter, fake) -> None:
    cid = custom_id("post", 0, int(fd.USER_ID), "/quote 数据铸造厂")
    adapter.client._connection.parse_interaction_create(press("9005", cid))
    await fake.wait_for(lambda: fake.posts(r"interactions/9005/[^/]+/callback"))
    body = fake.posts(r"interactions/9005/[^/]+/callback")[0]["data"]
    assert not body.get("flags", 0) & 64
    assert f"Shared by <@{fd.USER_ID}>" in body["content"]
    assert body["allowed_mentions"] == {"parse": []}  # the attribution does not ping


async def test_an_expired_interaction_falls_back_to_a_channel_message(adapter, fake) -> None:
    fake.expired.add("9006")
    cid = custom_id("post", 0, int(fd.USER_ID), "/quote 数据铸造厂")
    adapter.client._connection.parse_interaction_create(press("9006", cid))
    await fake.wait_for(lambda: fake.posts(rf"channels/{fd.CHANNEL_ID}/messages"))
    body = fake.posts(rf"channels/{fd.CHANNEL_ID}/messages")[0]
    assert "数据铸造厂" in text_of(body) and body["allowed_mentions"] == {"parse": []}


def autocomplete(iid: str, name: str, option: str, current: str) -> dict:
    """What Discord sends while someone types into a command's option."""
    data = {
        "id": "1",
        "name": name,
        "type": 1,
        "options": [{"name": option, "type": 3, "value": current, "focused": True}],
    }
    return fd.interaction(iid, 4, data)


async def choices(adapter: DiscordAdapter, fake: fd.FakeDiscord, iid: str, *args: str) -> list:
    adapter.client._connection.parse_interaction_create(autocomplete(iid, *args))
    await fake.wait_for(lambda: fake.posts(rf"interactions/{iid}/[^/]+/callback"))
    callback = fake.posts(rf"interactions/{iid}/[^/]+/callback")[0]
    assert callback["type"] == 8  # an autocomplete result
    return [c["value"] for c in callback["data"]["choices"]]


async def test_autocomplete_offers_speakers_topics_and_the_askers_recent_queries(
    adapter, fake
) -> None:
    assert "Alexandr Wang" in await choices(adapter, fake, "9101", "timeline", "topic", "alex")
    assert len(await choices(adapter, fake, "9102", "timeline", "topic", "")) == 25
    # A query the user asked comes first when they start typing it again.
    adapter.client._connection.parse_interaction_create(command("9103", "quote", "query", "数据墙"))
    await fake.wait_for(lambda: followups(fake))
    assert (await choices(adapter, fake, "9104", "quote", "query", "数据"))[0] == "数据墙"
    # whosaid offers only the asker's own phrases, and nobody else's.
    other = autocomplete("9105", "whosaid", "phrase", "数据")
    other["member"] = fd.member(fd.OTHER_ID)
    adapter.client._connection.parse_interaction_create(other)
    await fake.wait_for(lambda: fake.posts(r"interactions/9105/[^/]+/callback"))
    assert fake.posts(r"interactions/9105/[^/]+/callback")[0]["data"]["choices"] == []


async def test_autocomplete_follows_a_live_reload_of_the_corpus(
    settings: Settings, folder: Folder, tmp_path: Path, fake
) -> None:
    seeds = sorted((ROOT / "seeds" / "articles").glob("*.json"))
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in seeds[:3]:
        shutil.copy(path, articles)
    live = dataclasses.replace(
        settings,
        corpus=dataclasses.replace(settings.corpus, articles_dir=articles),
        search=dataclasses.replace(settings.search, index_dir=tmp_path / "index"),
    )
    bot = build_bot(live, engine="rank-bm25", folder=folder)
    before, speakers = bot.index.frequent_words(), bot.index.speakers
    adapter = await connect(bot)
    try:
        assert await choices(adapter, fake, "9111", "quote", "query", "")  # topics cached
        for path in seeds[3:]:  # ingest wrote two more articles; the bot reloads
            shutil.copy(path, articles)
        assert build_reloader(bot, live).reload().ok
        # A word the new articles made frequent, and that no earlier suggestion held.
        new = next(
            w
            for w in bot.index.frequent_words()
            if not any(w in old for old in [*before, *bot.index.speakers])
        )
        assert new in await choices(adapter, fake, "9112", "quote", "query", new)
        speaker = next(s for s in bot.index.speakers if s not in speakers)
        assert speaker in await choices(adapter, fake, "9113", "timeline", "topic", speaker)
    finally:
        await adapter.close()


async def test_the_daily_excerpt_posts_through_discord(adapter, fake, bot) -> None:
    passage = next(p for p in bot.index.passages if p.speaker)
    await adapter.send("300000000000000099", bot.passage_reply(passage))
    body = fake.posts(r"channels/300000000000000099/messages")[0]
    assert passage.speaker in text_of(body) and body["allowed_mentions"] == {"parse": []}


async def test_a_resent_excerpt_is_dropped_by_its_nonce(adapter, fake, bot) -> None:
    passage = next(p for p in bot.index.passages if p.speaker)
    key = PostKey("team", "2025-05-05")
    first = await adapter.send("300000000000000099", bot.passage_reply(passage), key)
    again = await adapter.send("300000000000000099", bot.passage_reply(passage), key)
    sent = fake.posts(r"channels/300000000000000099/messages")
    assert first == again and len(sent) == 2  # asked twice, posted once
    assert sent[0]["nonce"] == key.id and sent[0]["enforce_nonce"] is True
    assert len(fake.nonces) == 1


# ---- mentions ----------------------------------------------------------------------------


def mention(mid: str, channel: str, content: str) -> dict:
    return {
        "id": mid,
        "channel_id": channel,
        "guild_id": fd.GUILD_ID,
        "author": fd.user(),
        "member": {k: v for k, v in fd.member().items() if k != "user"},
        "content": content,
        "timestamp": fd.NOW,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [fd.BOT_USER],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
    }


async def test_mention_in_a_channel_answers_in_a_new_thread(adapter, fake) -> None:
    adapter.client._connection.parse_message_create(
        mention("8001", fd.CHANNEL_ID, f"<@{fd.BOT_ID}> 谁说 你的输入是什么")
    )
    await fake.wait_for(lambda: fake.posts(r"channels/\d+/messages"))
    started = fake.posts(rf"channels/{fd.CHANNEL_ID}/messages/8001/threads")
    assert started and started[0]["name"].startswith("谁说")
    answer = fake.posts(r"channels/\d+/messages")[0]
    assert "Aditya Agarwal" in text_of(answer) and answer["allowed_mentions"] == {"parse": []}
    thread_id = next(c.path for c in fake.calls if c.path.endswith("/messages")).split("/")[1]
    assert thread_id != fd.CHANNEL_ID


async def test_mention_inside_a_thread_answers_there(adapter, fake) -> None:
    state = adapter.client._connection
    state.parse_thread_create(
        {**fd.thread("600000000000000001", fd.CHANNEL_ID, "t"), "newly_created": True}
    )
    state.parse_message_create(
        mention("8002", "600000000000000001", f"<@!{fd.BOT_ID}> timeline 华盛顿邮报")
    )
    await fake.wait_for(lambda: fake.posts(r"channels/600000000000000001/messages"))
    assert not fake.posts(r"channels/\d+/messages/\d+/threads")


async def test_where_the_bot_may_not_start_a_thread_it_answers_in_the_channel(
    adapter, fake, caplog
) -> None:
    fake.forbidden.add(r"channels/\d+/messages/\d+/threads")  # no Create Public Threads
    adapter.client._connection.parse_message_create(
        mention("8004", fd.CHANNEL_ID, f"<@{fd.BOT_ID}> 谁说 你的输入是什么")
    )
    await fake.wait_for(lambda: fake.posts(rf"channels/{fd.CHANNEL_ID}/messages"))
    assert "Aditya Agarwal" in text_of(fake.posts(rf"channels/{fd.CHANNEL_ID}/messages")[0])
    assert "cannot start a thread" in caplog.text


async def test_a_mention_in_a_direct_message_is_answered_there(adapter, fake) -> None:
    dm = "700000000000000001"
    data = mention("8005", dm, f"<@{fd.BOT_ID}> 数据铸造厂")
    del data["guild_id"], data["member"]
    adapter.client._connection.parse_message_create(data)
    await fake.wait_for(lambda: fake.posts(rf"channels/{dm}/messages"))
    assert "数据铸造厂" in text_of(fake.posts(rf"channels/{dm}/messages")[0])
    assert not fake.posts(r"channels/\d+/messages/\d+/threads")


async def test_messages_without_a_mention_are_ignored(adapter, fake) -> None:
    data = mention("8003", fd.CHANNEL_ID, "数据墙")
    data["mentions"] = []
    adapter.client._connection.parse_message_create(data)
    import asyncio

    await asyncio.sleep(0.2)
    assert not fake.posts(r"channels/.*")


def test_no_privileged_intent_is_requested(bot) -> None:
    adapter = DiscordAdapter(bot, DiscordEnv(TOKEN, None))
    assert not adapter.client.intents.message_content
    assert not adapter.client.intents.members


# ---- rendering and configuration --------------------------------------------------------


def _result(text: str) -> Result:
    return Result(
        "a#1",
        text,
        text,
        (),
        "Alexandr Wang",
        Role.INTERVIEWEE,
        "a",
        "Title",
        "2025",
        "https://e.com",
        1.0,
    )


def test_render_stays_within_discord_limits() -> None:
    reply = Reply(
        Command.QUOTE,
        "q",
        results=tuple(_result("数" * 5000) for _ in range(12)),
        message="m" * 3000,
        next_offset=12,
        total=40,
    )
    out = discord_render.render(reply)
    assert len(out.content or "") <= 2000
    assert len(out.embeds) <= 10
    assert all(len(e.description or "") <= 4096 for e in out.embeds)
    assert sum(len(e) for e in out.embeds) <= 6000


def test_render_timeline_within_limits() -> None:
    events = tuple(
        TimelineEntry(
            f"2025-01-0{i % 9 + 1}",
            "事件" * 60,
            "a",
            (SourceRef("a", "T", "https://e.com", None),),
        )
        for i in range(80)
    )
    out = discord_render.render(Reply(Command.TIMELINE, "q", events=events))
    assert len(out.embeds) == 2 and len(out.embeds[0].description) <= 4096
    assert sum(len(e) for e in out.embeds) <= 6000
    assert out.embeds[1].description == "[1] [T](https://e.com)"  # each source listed once


def test_render_escapes_mentions_and_markdown() -> None:
    out = discord_render.render(
        Reply(Command.QUOTE, "q", results=(_result("@everyone **boom** <@&123>"),))
    )
    description = out.embeds[0].description
    assert "@everyone" not in description.replace("@\u200beveryone", "")
    assert "\\*\\*boom\\*\\*" in description
    assert out.allowed_mentions.everyone is False and out.allowed_mentions.roles is False


def test_custom_id_fits_discord() -> None:
    cid = custom_id("more", 12, int(fd.USER_ID), "/quote " + "数" * 300)
    assert len(cid) <= 100 and cid.endswith("…")
    assert mention_text(f"<@!{fd.BOT_ID}> whosaid 数据墙") == "whosaid 数据墙"


@pytest.mark.parametrize(
    ("environ", "key"),
    [
        ({}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "short"}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": TOKEN, "DISCORD_GUILD_ID": "abc"}, "DISCORD_GUILD_ID"),
    ],
)
def test_tokens_are_validated_naming_the_variable(environ, key) -> None:
    with pytest.raises(ConfigError) as err:
        DiscordEnv.from_environ(environ)
    assert err.value.key == key


async def test_a_rejected_token_names_the_variable(bot, fake) -> None:
    adapter = DiscordAdapter(bot, DiscordEnv(TOKEN, None))
    fake.calls.clear()

    async def reject(*args, **kwargs):
        raise discord.LoginFailure("Improper token has been passed.")

    adapter.client.login = reject  # type: ignore[method-assign]
    with pytest.raises(ConfigError, match="DISCORD_TOKEN"):
        await adapter.start()


async def test_an_unreachable_discord_is_one_clear_error_with_once(bot, monkeypatch) -> None:
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    adapter = DiscordAdapter(bot, DiscordEnv(TOKEN, None))
    with pytest.raises(PlatformUnreachableError, match=rf"discord: cannot reach .*:{port}"):
        await adapter.start(once=True)
    assert adapter.client.is_closed()


async def test_no_voice_warnings_at_start_and_other_warnings_still_show(
    bot, caplog, monkeypatch
) -> None:
    """discord.py warns at its first Client that PyNaCl and davey are missing: voice,
    which this bot does not use. Those two lines go; the logger's others stay."""
    # As in a new process without the voice libraries: discord.py warns once each.
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)
    caplog.set_level(logging.WARNING)
    adapter = DiscordAdapter(bot, DiscordEnv(TOKEN, None))
    try:
        assert not discord.VoiceClient.warn_nacl and not discord.VoiceClient.warn_dave  # warned
        assert "voice will NOT be supported" not in caplog.text
        logging.getLogger("discord.client").warning("a warning of discord.py's own")
        assert "a warning of discord.py's own" in caplog.text
        assert not logging.getLogger("discord.client").filters
    finally:
        await adapter.close()
