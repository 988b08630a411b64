"""The Slack adapter on the real slack-bolt AsyncApp, against a loopback fake of Slack."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import os
import socket as socketlib
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError

from adapters import slack_render
from adapters.connect import MAX_DELAY_S, until_reachable
from adapters.slack import (
    RESPONSE_URL_TTL_S,
    ResponseUrlBudget,
    SlackAdapter,
    SlackEnv,
    mention_text,
)
from adapters.text import Audience
from bot.core import CorpusBot
from bot.digest.ledger import Ledger
from bot.digest.service import PostKey, Seen, Sighting
from bot.errors import ConfigError, PlatformUnreachableError
from bot.models import Command, Reply, Result, Role
from tests import postgres
from tests.conftest import ROOT, SLACK_SECRET, make_config
from tests.fake_slack import FakeSlack, blocks_text, rendered_texts

postgres_url = postgres.postgres_url  # the shared fixture

SECRET = SLACK_SECRET


@pytest.fixture
def fake(slack_fake: FakeSlack) -> FakeSlack:
    return slack_fake


@pytest.fixture
def adapter(slack_adapter: SlackAdapter) -> SlackAdapter:
    return slack_adapter


@pytest.fixture
async def http(adapter: SlackAdapter):
    client = TestClient(TestServer(adapter.web_app(), host="127.0.0.1"))
    await client.start_server()
    yield client
    await client.close()


def signed(body: str, secret: str = SECRET, ts: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if ts is None else ts
    base = f"v0:{ts}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": signature}


def slash(fake: FakeSlack, command: str, text: str, response: str = "r1") -> dict[str, str]:
    return {
        "command": command,
        "text": text,
        "user_id": "U1",
        "user_name": "ann",
        "channel_id": "C1",
        "team_id": "T1",
        "trigger_id": "1.2.3",
        "response_url": fake.response_url(response),
        "api_app_id": "A1",
        "token": "x",
    }


async def post_form(http: TestClient, form: dict[str, str], **kw: Any):
    body = urlencode(form)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body, **kw)}
    return await http.post("/slack/events", data=body, headers=headers)


async def socket(adapter: SlackAdapter, body: dict[str, Any]) -> None:
    response = await adapter.app.async_dispatch(AsyncBoltRequest(body=body, mode="socket_mode"))
    assert response.status == 200


def button(fake: FakeSlack, action_id: str, value: str, response: str = "r1") -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": "U1"},
        "api_app_id": "A1",
        "team": {"id": "T1"},
        "channel": {"id": "C1"},
        "token": "x",
        "container": {"type": "message", "is_ephemeral": True},
        "response_url": fake.response_url(response),
        "trigger_id": "1.2.3",
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b",
                "value": value,
                "type": "button",
                "action_ts": "1",
            }
        ],
    }


def mention(text: str, event_id: str = "Ev1", thread_ts: str | None = None) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": text,
        "ts": "1700000001.000200",
        "channel": "C1",
        "event_ts": "1700000001.000200",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {
        "token": "x",
        "team_id": "T1",
        "api_app_id": "A1",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000001,
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
    }


# ---- HTTP mode ---------------------------------------------------------------------------


async def test_slash_command_acks_then_answers_ephemeral_with_buttons(http, fake) -> None:
    started = time.monotonic()
    # More than a page of hits above the relevance floor, so the reply has a More button.
    response = await post_form(http, slash(fake, "/quote", "数据"))
    assert response.status == 200
    assert time.monotonic() - started < 3  # the ack, well inside Slack's 3 seconds
    await fake.wait_for(lambda: fake.of("response/r1"))
    body = fake.of("response/r1")[0]
    assert body["response_type"] == "ephemeral"
    text = blocks_text(body)
    assert "数据" in text and "Alexandr Wang" in text
    assert slack_render.MORE_ACTION in text and slack_render.POST_ACTION in text
    assert body["text"]  # a plain fallback for notifications


async def test_bad_signature_and_stale_timestamp_are_rejected(http, fake) -> None:
    form = slash(fake, "/quote", "数据")
    assert (await post_form(http, form, secret="f" * 32)).status == 401
    assert (await post_form(http, form, ts=int(time.time()) - 600)).status == 401
    assert not fake.of("response/r1")


async def test_a_retried_event_is_answered_once(http, fake) -> None:
    body = json.dumps(mention("<@UBOT> whosaid 你的输入是什么", event_id="EvRetry"))
    headers = {"Content-Type": "application/json", **signed(body)}
    assert (await http.post("/slack/events", data=body, headers=headers)).status == 200
    retry = {
        **headers,
        **signed(body),
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout",
    }
    assert (await http.post("/slack/events", data=body, headers=retry)).status == 200
    await fake.wait_for(lambda: fake.of("chat.postMessage"))
    await asyncio.sleep(0.3)  # time for a second answer, if there were to be one
    assert len(fake.of("chat.postMessage")) == 1


async def test_socket_mode_over_a_real_websocket(bot: CorpusBot, fake: FakeSlack) -> None:
    adapter = SlackAdapter(bot, SlackEnv("xoxb-test", "xapp-test", None, fake.api_url))
    running = asyncio.create_task(adapter.start_socket_mode())
    try:
        await fake.wait_for(lambda: fake.sockets)
        assert fake.of("apps.connections.open")  # through SLACK_API_URL
        await fake.push(
            {
                "envelope_id": "env1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": slash(fake, "/whosaid", "你的输入是什么"),
            }
        )
        await fake.wait_for(lambda: any(a.get("envelope_id") == "env1" for a in fake.acks))
        await fake.wait_for(lambda: fake.of("response/r1"))
        assert "Aditya Agarwal" in blocks_text(fake.of("response/r1")[0])
    finally:
        await adapter.close()
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


@pytest.mark.parametrize(
    ("method", "variable"),
    [("auth.test", "SLACK_BOT_TOKEN"), ("apps.connections.open", "SLACK_APP_TOKEN")],
)
async def test_a_rejected_token_names_the_variable(bot, fake, method, variable) -> None:
    fake.errors[method] = "invalid_auth"
    adapter = SlackAdapter(bot, SlackEnv("xoxb-test", "xapp-test", None, fake.api_url))
    try:
        with pytest.raises(ConfigError) as err:
            await adapter.start_socket_mode()
        assert err.value.key == variable and "invalid_auth" in str(err.value)
    finally:
        await adapter.close()


# ---- Socket Mode -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "text", "expected"),
    [
        ("/quote", "數據鑄造廠", "數據鑄造廠"),
        ("/whosaid", "你的输入是什么", "Aditya Agarwal"),
        ("/timeline", "华盛顿邮报 广告", "2025-01-21"),
    ],
)
async def test_each_command_end_to_end(adapter, fake, command, text, expected) -> None:
    await socket(adapter, slash(fake, command, text))
    await fake.wait_for(lambda: fake.of("response/r1"))
    assert expected in blocks_text(fake.of("response/r1")[0])


async def test_more_button_serves_the_next_page(adapter, fake) -> None:
    value = slack_render.button_value("/quote 数据", 3)
    await socket(adapter, button(fake, slack_render.MORE_ACTION, value))
    await fake.wait_for(lambda: fake.of("response/r1"))
    text = blocks_text(fake.of("response/r1")[0])
    assert "*4.*" in text  # numbering continues from the first page


async def test_a_more_button_from_before_a_reload_says_the_corpus_changed(adapter, fake) -> None:
    assert slack_render.parse_button_value(slack_render.button_value("数据", 3, "ab12")) == (
        "数据",
        3,
        "ab12",
    )
    value = slack_render.button_value("/quote 数据", 3, "0000000000")  # another corpus
    await socket(adapter, button(fake, slack_render.MORE_ACTION, value))
    await fake.wait_for(lambda: fake.of("response/r1"))
    text = blocks_text(fake.of("response/r1")[0])
    assert "The corpus changed" in text and "*4.*" in text  # said, and still paged


async def test_more_on_a_thread_answer_pages_in_that_thread(adapter, fake) -> None:
    payload = button(fake, slack_render.MORE_ACTION, slack_render.button_value("数据", 3))
    payload["container"] = {
        "type": "message",
        "is_ephemeral": False,
        "channel_id": "C1",
        "message_ts": "1700000009.000100",
        "thread_ts": "1699.1",
    }
    await socket(adapter, payload)
    await fake.wait_for(lambda: fake.of("chat.postMessage"))
    post = fake.of("chat.postMessage")[0]
    assert post["thread_ts"] == "1699.1" and "*4.*" in blocks_text(post)
    assert not fake.of("response/r1")


async def test_post_to_channel_reposts_visibly_attributed(adapter, fake) -> None:
    value = slack_render.button_value("/quote 数据铸造厂", 0)
    await socket(adapter, button(fake, slack_render.POST_ACTION, value))
    await fake.wait_for(lambda: fake.of("response/r1"))
    body = fake.of("response/r1")[0]
    assert body["response_type"] == "in_channel"
    text = blocks_text(body)
    assert "Shared by <@U1>" in text and slack_render.POST_ACTION not in text


async def test_response_url_budget_falls_back_to_the_bot_token(adapter, fake) -> None:
    value = slack_render.button_value("/quote 数据", 3)
    for _ in range(6):
        await socket(adapter, button(fake, slack_render.MORE_ACTION, value, response="r9"))
    # Six tasks race; wait until every one of them has reached the fake.
    await fake.wait_for(
        lambda: len(fake.of("response/r9")) + len(fake.of("chat.postEphemeral")) == 6
    )
    assert len(fake.of("response/r9")) == 5
    fallback = fake.of("chat.postEphemeral")[0]
    assert fallback["channel"] == "C1" and fallback["user"] == "U1"
    assert "bot token" in blocks_text(fallback)


async def test_a_refused_response_url_falls_back_to_the_bot_token(adapter, fake) -> None:
    await socket(adapter, slash(fake, "/quote", "数据铸造厂", response="expired1"))
    await fake.wait_for(lambda: fake.of("chat.postEphemeral"))
    assert "数据铸造厂" in blocks_text(fake.of("chat.postEphemeral")[0])


async def test_the_daily_excerpt_posts_through_slack(adapter, fake, bot) -> None:
    passage = next(p for p in bot.index.passages if p.speaker)
    await adapter.send("C42", bot.passage_reply(passage))
    post = fake.of("chat.postMessage")[0]
    assert post["channel"] == "C42" and passage.speaker in blocks_text(post)


async def test_an_excerpt_carries_its_key_and_can_be_found_after_a_crash(adapter, fake, bot):
    passage = next(p for p in bot.index.passages if p.speaker)
    key, other = PostKey("team", "2025-05-05"), PostKey("team", "2025-05-06")
    ts = await adapter.send("C42", bot.passage_reply(passage), key)
    assert ts and fake.of("chat.postMessage")[0]["metadata"]["event_payload"]["key"] == key.id
    assert await adapter.find("C42", key, 0) == Sighting(Seen.POSTED, ts)
    assert (await adapter.find("C42", other, 0)).seen is Seen.ABSENT
    fake.errors["conversations.history"] = "missing_scope"  # no channels:history
    assert (await adapter.find("C42", key, 0)).seen is Seen.UNKNOWN


async def test_a_failed_excerpt_post_raises_for_the_digest_to_retry(adapter, fake, bot) -> None:
    fake.failures["chat.postMessage"] = [500, 500, 500]
    passage = next(p for p in bot.index.passages if p.speaker)
    with pytest.raises(SlackApiError) as err:  # the digest retries, then reports it
        await adapter.send("C42", bot.passage_reply(passage))
    assert err.value.response.status_code == 500
    assert len(fake.of("chat.postMessage")) == 3  # slack_sdk's own retries came first


async def test_mention_in_a_channel_answers_in_a_new_thread(adapter, fake) -> None:
    await socket(adapter, mention("<@UBOT> 谁说 你的输入是什么", event_id="Ev2"))
    await fake.wait_for(lambda: fake.of("chat.postMessage"))
    post = fake.of("chat.postMessage")[0]
    assert post["channel"] == "C1" and post["thread_ts"] == "1700000001.000200"
    assert "Aditya Agarwal" in blocks_text(post)


async def test_mention_inside_a_thread_answers_in_that_thread(adapter, fake) -> None:
    await socket(adapter, mention("<@UBOT> timeline 华盛顿邮报", "Ev3", thread_ts="1699.1"))
    await fake.wait_for(lambda: fake.of("chat.postMessage"))
    assert fake.of("chat.postMessage")[0]["thread_ts"] == "1699.1"


async def test_channel_ping_in_the_query_comes_back_escaped(adapter, fake) -> None:
    await socket(adapter, slash(fake, "/quote", "<!channel> <@U999> 数据铸造厂"))
    await fake.wait_for(lambda: fake.of("response/r1"))
    shown = rendered_texts(fake.of("response/r1")[0])
    assert "<!channel>" not in shown and "<@U999>" not in shown
    # Shared to the channel, the question is echoed: harmlessly.
    value = slack_render.button_value("/quote <!channel> <@U999> 数据铸造厂", 0)
    await socket(adapter, button(fake, slack_render.POST_ACTION, value, response="r2"))
    await fake.wait_for(lambda: fake.of("response/r2"))
    shared = rendered_texts(fake.of("response/r2")[0])
    assert "&lt;!channel&gt; &lt;@U999&gt;" in shared and "<!channel>" not in shared


async def test_slack_429_is_retried(adapter, fake) -> None:
    fake.failures["chat.postMessage"] = [429]
    await socket(adapter, mention("<@UBOT> 数据铸造厂", event_id="Ev4"))
    await fake.wait_for(lambda: len(fake.of("chat.postMessage")) == 2)


async def test_slack_500_is_reported_not_a_crash(adapter, fake, caplog) -> None:
    fake.failures["chat.postMessage"] = [500, 500, 500, 500]
    await socket(adapter, mention("<@UBOT> 数据铸造厂", event_id="Ev5"))
    await fake.wait_for(lambda: len(fake.of("chat.postMessage")) == 3)
    await fake.wait_for(lambda: "cannot answer mention" in caplog.text)
    # The app still serves the next request.
    await socket(adapter, slash(fake, "/quote", "数据墙"))
    await fake.wait_for(lambda: fake.of("response/r1"))


# ---- rendering and configuration --------------------------------------------------------


def _result(text: str, highlights: tuple[tuple[int, int], ...] = ((0, 2),)) -> Result:
    return Result(
        "a#1",
        text,
        text,
        highlights,
        "Alexandr Wang",
        Role.INTERVIEWEE,
        "a",
        "T <b>",
        "2025",
        "https://e.com/x?a=1|b>c",
        1.0,
    )


def test_an_over_long_answer_stays_within_slack_limits() -> None:
    reply = Reply(
        Command.QUOTE,
        "q",
        results=tuple(_result("数据" * 3000) for _ in range(40)),
        next_offset=40,
        total=100,
    )
    payload = slack_render.render(reply, command_text="/quote q", audience=Audience.PRIVATE)
    assert len(payload["blocks"]) <= 50
    for block in payload["blocks"]:
        text = block.get("text", {}).get("text", "")
        assert len(text) <= 3000
    assert payload["blocks"][-1]["type"] == "actions"  # the buttons survive the cut
    assert len(payload["text"]) <= 3000


def test_links_cannot_be_forged() -> None:
    reply = Reply(Command.QUOTE, "q", results=(_result("<!here> x", ()),))
    payload = slack_render.render(reply, command_text="/quote q")
    text = json.dumps(payload["blocks"], ensure_ascii=False)
    assert "<!here>" not in text and "&lt;!here&gt;" in text
    assert "T &lt;b&gt;" in text and "|b>c" not in text


def test_mention_text_strips_the_bot() -> None:
    assert mention_text({"text": "<@UBOT|corpusbot> whosaid 数据墙"}) == "whosaid 数据墙"


@pytest.mark.parametrize(
    ("environ", "http", "key"),
    [
        ({}, False, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, False, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, False, "SLACK_APP_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "bad"}, False, "SLACK_APP_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, True, "SLACK_SIGNING_SECRET"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "short"},
            True,
            "SLACK_SIGNING_SECRET",
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_API_URL": "ftp://x"},
            False,
            "SLACK_API_URL",
        ),
    ],
)
def test_tokens_are_validated_naming_the_variable(environ, http, key) -> None:
    with pytest.raises(ConfigError) as err:
        SlackEnv.from_environ(environ, http=http)
    assert err.value.key == key


def test_api_url_is_configurable() -> None:
    env = SlackEnv.from_environ(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_APP_TOKEN": "xapp-1",
            "SLACK_API_URL": "https://slack-gov.com/api",
        }
    )
    assert env.api_url == "https://slack-gov.com/api/"


# ---- operations: malformed requests, health, replicas, budget, start-up -----------------


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=" + "0" * 64},
        {"X-Slack-Request-Timestamp": "1700000000.5", "X-Slack-Signature": "v0=" + "0" * 64},
        {"X-Slack-Request-Timestamp": "1700000000"},
        {"X-Slack-Request-Timestamp": "1700000000", "X-Slack-Signature": "sha256=abc"},
        {},
    ],
)
async def test_malformed_signature_headers_are_401_not_500(http, fake, headers) -> None:
    body = urlencode(slash(fake, "/quote", "数据"))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    assert (await http.post("/slack/events", data=body, headers=headers)).status == 401


async def test_healthz_says_the_index_and_ledger_answer(bot, fake, tmp_path) -> None:
    env = SlackEnv("xoxb-test", None, SECRET, fake.api_url)
    ledger, gone = Ledger(str(tmp_path / "l.db")), Ledger(str(tmp_path / "gone" / "l.db"))
    adapter = SlackAdapter(bot, env, ledger=ledger)
    try:
        async with TestClient(TestServer(adapter.web_app(), host="127.0.0.1")) as client:
            response = await client.get("/healthz")
            assert response.status == 200
            assert (await response.json())["passages"] == len(bot.index.passages)
            adapter.ledger = gone
            (tmp_path / "gone" / "l.db").write_bytes(b"not a database" * 100)
            broken = await client.get("/healthz")
            assert broken.status == 503 and "ledger" in (await broken.json())["problems"][0]
    finally:
        await adapter.close()
        ledger.close()
        gone.close()


async def test_a_button_value_that_is_not_ours_is_acked_and_answered(adapter, fake, caplog):
    await socket(adapter, button(fake, slack_render.MORE_ACTION, "not json {"))
    await fake.wait_for(lambda: fake.of("response/r1"))
    assert "ask again" in blocks_text(fake.of("response/r1")[0])
    assert "unhandled error" not in caplog.text


async def test_a_dropped_response_url_connection_falls_back_to_the_bot_token(adapter, fake):
    await socket(adapter, slash(fake, "/quote", "数据铸造厂", response="drop1"))
    await fake.wait_for(lambda: fake.of("chat.postEphemeral"))
    assert "数据铸造厂" in blocks_text(fake.of("chat.postEphemeral")[0])
    # slack_sdk's connection-error handler retried the response_url first.
    assert len(fake.of("response/drop1")) == 3


def test_response_url_bookkeeping_forgets_expired_urls() -> None:
    now = [0.0]
    budget = ResponseUrlBudget(lambda: now[0])
    for n in range(1000):
        assert budget.take(f"https://hooks.slack.com/r/{n}")
    assert [budget.take("https://hooks.slack.com/r/1") for _ in range(5)] == [True] * 4 + [False]
    now[0] += RESPONSE_URL_TTL_S + 1
    assert budget.take("https://hooks.slack.com/r/new")
    assert len(budget) == 1  # the thousand old ones are gone


async def two_replicas_answer_a_retry_once(bot, fake, location: str) -> None:
    body = json.dumps(mention("<@UBOT> whosaid 你的输入是什么", event_id="EvReplica"))
    ledgers = [Ledger(location) for _ in range(2)]
    env = SlackEnv("xoxb-test", None, SECRET, fake.api_url)
    replicas = [SlackAdapter(bot, env, ledger=ledger) for ledger in ledgers]
    clients = [TestClient(TestServer(r.web_app(), host="127.0.0.1")) for r in replicas]
    for client in clients:
        await client.start_server()
    try:
        headers = {"Content-Type": "application/json"}
        first = await clients[0].post("/slack/events", data=body, headers=headers | signed(body))
        retry = headers | signed(body) | {"X-Slack-Retry-Num": "1"}
        second = await clients[1].post("/slack/events", data=body, headers=retry)
        assert (first.status, second.status) == (200, 200)
        await fake.wait_for(lambda: fake.of("chat.postMessage"))
        await asyncio.sleep(0.3)  # time for a second answer, if there were to be one
        assert len(fake.of("chat.postMessage")) == 1
    finally:
        for client, replica, ledger in zip(clients, replicas, ledgers, strict=True):
            await client.close()
            await replica.close()
            ledger.close()


async def test_two_replicas_on_one_sqlite_ledger_answer_a_retry_once(bot, fake, tmp_path):
    await two_replicas_answer_a_retry_once(bot, fake, str(tmp_path / "shared.sqlite3"))


async def test_two_replicas_on_one_postgres_ledger_answer_a_retry_once(bot, fake, postgres_url):
    await two_replicas_answer_a_retry_once(bot, fake, postgres_url)


async def test_an_unreachable_slack_is_one_clear_error_with_once(bot, caplog) -> None:
    port = closed_port()
    adapter = SlackAdapter(bot, SlackEnv("xoxb-t", None, SECRET, f"http://127.0.0.1:{port}/api/"))
    try:
        with pytest.raises(PlatformUnreachableError, match=rf"slack: cannot reach .*:{port}/api/"):
            await adapter.start_http(0, once=True)
    finally:
        await adapter.close()
    assert "Traceback" not in caplog.text


async def test_start_up_backs_off_and_retries_until_reachable(caplog) -> None:
    slept: list[float] = []
    attempts = iter([OSError("Network is unreachable")] * 12 + [None])

    async def attempt() -> None:
        error = next(attempts)
        if error:
            raise error

    async def sleep(delay: float) -> None:
        slept.append(delay)

    await until_reachable("slack", "https://slack.com/api/", attempt, (OSError,), sleep=sleep)
    assert slept[:4] == [1, 2, 4, 8] and max(slept) == MAX_DELAY_S
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "cannot reach https://slack.com/api/" in errors[0].message


def closed_port() -> int:
    with contextlib.closing(socketlib.socket()) as closed:
        closed.bind(("127.0.0.1", 0))
        return closed.getsockname()[1]  # nothing listens here once it is closed


def run_bot(tmp_path, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", "--once", "--config", str(make_config(tmp_path))],
        cwd=ROOT,
        env=env | environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_network_down_start_is_one_clear_line_with_once(tmp_path) -> None:
    api = f"http://127.0.0.1:{closed_port()}/api/"
    tokens = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_API_URL": api}
    run = run_bot(tmp_path, tokens)
    assert run.returncode == 2
    assert f"error: slack: cannot reach {api}" in run.stderr
    assert "Traceback" not in run.stderr and "Unclosed" not in run.stderr
    assert len([line for line in run.stderr.splitlines() if "cannot reach" in line]) == 1
    # A service logs our own INFO lines for its operator, not the libraries'.
    assert "INFO bot.digest.scheduler: digest scheduler started" in run.stderr
    assert "INFO apscheduler" not in run.stderr


def test_a_lone_app_token_is_an_error_naming_the_bot_token(tmp_path) -> None:
    run = run_bot(tmp_path, {"SLACK_APP_TOKEN": "xapp-1"})
    assert run.returncode == 2 and "SLACK_BOT_TOKEN: is not set" in run.stderr


async def test_start_up_does_not_warn_that_the_bot_token_is_unused(
    bot, fake, caplog, monkeypatch
) -> None:
    """As `corpusbot run` starts it (the token in the environment, which bolt reads on
    its own beside our client): no "`token` will be unused" warning in the operator's
    log, while bolt's other warnings still reach the same handlers."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    caplog.set_level("WARNING")
    adapter = SlackAdapter(bot, SlackEnv("xoxb-test", "xapp-test", None, fake.api_url))
    try:
        assert "will be unused" not in caplog.text
        assert adapter.app.client.token == "xoxb-test"
        adapter.app.logger.warning("a warning of bolt's own")
        assert [r.name for r in caplog.records] == ["slack_bolt.AsyncApp"]
        assert "a warning of bolt's own" in caplog.text
    finally:
        await adapter.close()
