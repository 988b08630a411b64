"""Hostile input through every entry point: invalid UTF-8, lone surrogates, control
characters. Each one is answered; none ends a session or loses the next input."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from adapters.console import run_console
from adapters.discord_adapter import DiscordAdapter, DiscordEnv
from adapters.slack import SlackAdapter, SlackEnv
from bot import messages
from bot.core import CorpusBot
from bot.safe_text import REPLACEMENT, clean
from tests import fake_discord as fd
from tests.conftest import ROOT
from tests.fake_slack import blocks_text

# What the reliability probe typed, as text (a Python str may hold a lone surrogate).
HOSTILE = [
    "数据\ud800",  # a lone high surrogate (JSON can carry "\ud800")
    "\udfff数据墙",  # a lone low surrogate
    "\udcff\udcfe",  # invalid UTF-8 bytes as Python's surrogateescape hands them on
    "数据\x00墙",  # NUL
    "\x1b[2J\x1b[31m数据",  # terminal escapes
    "\ufffe\uffff",  # non-characters
    "\u202e数据\u202c",  # a right-to-left override (kept: valid text, shown as typed)
]
# ... and as bytes, as they come over a pipe or in argv.
HOSTILE_BYTES = [b"\xff\xfe\xfd", b"\xe6\x95", b"\xed\xa0\x80 \xe6\x95\xb0\xe6\x8d\xae"]


@pytest.mark.parametrize("text", HOSTILE)
def test_cleaned_text_can_be_encoded_and_keeps_what_was_valid(text: str) -> None:
    cleaned = clean(text, "test")
    cleaned.encode("utf-8")  # strict: would raise on a surrogate
    assert "\x00" not in cleaned and "\x1b" not in cleaned
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    assert [c for c in cleaned if "\u4e00" <= c <= "\u9fff"] == han  # what was valid stays
    assert REPLACEMENT in cleaned or "\ud800" not in text
    assert "[31m" not in cleaned  # an escape sequence goes whole, not its escape alone


def test_the_console_answers_every_line_whatever_one_holds(bot: CorpusBot) -> None:
    lines = [*HOSTILE_BYTES, *(t.encode("utf-8", "surrogatepass") for t in HOSTILE)]
    raw = b"\n".join([*lines, "/quote 数据铸造厂".encode()]) + b"\n"
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    stdout = io.StringIO()
    assert run_console(bot, stdin=stdin, stdout=stdout) == 0
    out = stdout.getvalue()
    out.encode("utf-8")
    assert "Alexandr Wang" in out  # the last line was answered
    assert messages.INTERNAL_ERROR not in out


def test_ask_answers_every_argument_whatever_one_holds() -> None:
    # (argv cannot hold NUL: the operating system ends the argument there)
    typed = [t.encode("utf-8", "surrogatepass") for t in HOSTILE if "\x00" not in t]
    argv = [*typed, *HOSTILE_BYTES, "/quote 数据铸造厂".encode()]
    run = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", *argv],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    answers = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    assert len(answers) == len(argv)
    assert answers[-1]["results"][0]["speaker"] == "Alexandr Wang"
    assert not any(a["message"] == messages.INTERNAL_ERROR for a in answers)


async def test_slack_answers_hostile_mentions_and_commands(bot: CorpusBot, slack_fake) -> None:
    from slack_bolt.request.async_request import AsyncBoltRequest

    adapter = SlackAdapter(bot, SlackEnv("xoxb-test", None, None, slack_fake.api_url))
    try:
        for n, text in enumerate(HOSTILE):
            event = {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}"}
            event |= {"ts": f"17.{n}", "channel": "C1", "event_ts": f"17.{n}"}
            body = {"type": "event_callback", "event_id": f"Ev{n}", "team_id": "T1"}
            body |= {"event": event, "api_app_id": "A1", "token": "x", "event_time": 1}
            # Over the wire, as Slack sends it: JSON escapes a lone surrogate.
            wire = json.loads(json.dumps(body))
            await adapter.app.async_dispatch(AsyncBoltRequest(body=wire, mode="socket_mode"))
        await slack_fake.wait_for(lambda: len(slack_fake.of("chat.postMessage")) == len(HOSTILE))
    finally:
        await adapter.close()
    for post in slack_fake.of("chat.postMessage"):
        assert messages.INTERNAL_ERROR not in blocks_text(post)


async def test_discord_answers_hostile_commands(bot: CorpusBot, discord_fake) -> None:
    adapter = DiscordAdapter(bot, DiscordEnv("x" * 24 + ".abc.def", None))
    await adapter.client.login("x" * 24 + ".abc.def")
    try:
        for n, text in enumerate(HOSTILE):
            data = {"id": "1", "name": "quote", "type": 1}
            data["options"] = [{"name": "query", "type": 3, "value": text}]
            adapter.client._connection.parse_interaction_create(fd.interaction(f"95{n}", 2, data))
        followups = lambda: discord_fake.posts(r"webhooks/\d+/[^/]+")  # noqa: E731
        await discord_fake.wait_for(lambda: len(followups()) == len(HOSTILE))
        for body in followups():
            assert messages.INTERNAL_ERROR not in json.dumps(body, ensure_ascii=False)
    finally:
        await adapter.close()
