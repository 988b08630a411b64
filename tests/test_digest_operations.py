"""The daily excerpt as an operator runs it: `digest post` by hand, a send that timed
out, a clean stop and a crash in mid-post, each against the loopback fakes with the real
slack_sdk / discord.py, a real SQLite ledger and, where it matters, a real process."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import signal
import sys
from pathlib import Path

import pytest

from adapters.run import send_only
from adapters.slack import SlackAdapter, SlackEnv
from bot.config import DigestTarget
from bot.core import CorpusBot
from bot.digest.ledger import STOPPED, Ledger, PostState
from bot.digest.service import DigestService, PostStatus
from tests.conftest import ROOT, make_config
from tests.fake_discord import FakeDiscord
from tests.fake_slack import FakeSlack

UTC = dt.UTC
HOUR = dt.timedelta(hours=1)
CHANNEL = "C42"
DISCORD_CHANNEL = "300000000000000099"


def slack_target(at: dt.time = dt.time(9, 0)) -> DigestTarget:
    return DigestTarget("team", "slack", CHANNEL, at, dt.UTC, None, None)


def config_with_slack_target(tmp_path: Path, at: str = "09:00") -> Path:
    """The test config with a second target, on Slack, due at ``at`` UTC."""
    slack = (
        '[[digest.targets]]\nname = "team"\nplatform = "slack"\n'
        f'channel = "{CHANNEL}"\ntime = "{at}"\ntimezone = "UTC"\n\n'
    )
    return make_config(tmp_path, {"[[digest.targets]]\n": slack + "[[digest.targets]]\n"})


def environ(**values: str) -> dict[str, str]:
    """This environment without any platform's tokens, plus ``values``."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    return kept | values


async def corpusbot(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """Run `python -m bot ARGS` while this loop serves the fakes."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 180)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def posted_ts(fake: FakeSlack) -> str:
    """The ts Slack gave the one excerpt posted (the fake numbers its calls)."""
    [number] = [n for n, c in enumerate(fake.calls, 1) if c.path == "chat.postMessage"]
    return f"{1700000000 + number}.000100"


# ---- `digest post` by hand ---------------------------------------------------------------


async def test_digest_post_by_hand_needs_only_the_bot_token_and_shares_the_ledger(
    tmp_path: Path, slack_fake: FakeSlack, bot: CorpusBot
) -> None:
    config = config_with_slack_target(tmp_path)
    post = ("digest", "post", "--target", "team", "--date", "2026-03-01", "--config", str(config))
    tokens = environ(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=slack_fake.api_url)

    code, out, err = await corpusbot(*post, env=tokens)
    assert code == 0, err
    [sent] = slack_fake.of("chat.postMessage")
    ts = posted_ts(slack_fake)
    assert out.strip() == f"Posted team's excerpt for 2026-03-01 to slack {CHANNEL}, message {ts}."
    assert sent["channel"] == CHANNEL and sent["metadata"]["event_payload"]["date"] == "2026-03-01"

    # Again by hand: nothing sent, and it says when it was posted.
    code, out, _ = await corpusbot(*post, env=tokens)
    assert code == 0 and len(slack_fake.of("chat.postMessage")) == 1
    assert out.startswith("Already posted for team on 2026-03-01") and f"message {ts}" in out
    assert " UTC" in out

    # The scheduler (`run`) reads the same ledger: the date is done for it too.
    ledger = Ledger(str(tmp_path / "var" / "digest.sqlite3"))
    slack = SlackAdapter(bot, SlackEnv("xoxb-test", None, None, slack_fake.api_url))
    try:
        service = DigestService(bot, ledger, [slack_target()], {"slack": slack}, HOUR)
        outcome = await service.post(
            slack_target(), dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 9, tzinfo=UTC)
        )
        assert outcome.status is PostStatus.ALREADY
        assert len(slack_fake.of("chat.postMessage")) == 1
    finally:
        await slack.close()
        ledger.close()

    # Without the bot token: one line naming the variable; no app token is asked for.
    code, _, err = await corpusbot(*post, env=environ(SLACK_API_URL=slack_fake.api_url))
    assert code == 2 and "SLACK_BOT_TOKEN: is not set" in err and "Traceback" not in err
    slack_fake.errors["auth.test"] = "invalid_auth"
    code, _, err = await corpusbot(
        *post[:-4], "--date", "2026-03-02", "--config", str(config), env=tokens
    )
    assert code == 2 and "SLACK_BOT_TOKEN: was rejected by Slack (invalid_auth)" in err
    assert len(slack_fake.of("chat.postMessage")) == 1


async def test_digest_post_by_hand_to_discord_logs_in_over_http_and_sends(
    tmp_path: Path, discord_fake: FakeDiscord, bot: CorpusBot
) -> None:
    """The path `digest post` takes for a Discord target: a login over HTTP, no gateway."""
    target = DigestTarget("news", "discord", DISCORD_CHANNEL, dt.time(9), dt.UTC, None, None)
    ledger = Ledger(str(tmp_path / "l.db"))
    try:
        async with send_only(bot, {"DISCORD_TOKEN": "x" * 40}, target) as senders:
            service = DigestService(bot, ledger, [target], senders, HOUR)
            outcome = await service.post(
                target, dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 9, tzinfo=UTC)
            )
        assert outcome.posted and outcome.message_id
        [sent] = discord_fake.posts(rf"channels/{DISCORD_CHANNEL}/messages")
        assert sent["nonce"] and sent["enforce_nonce"] is True
        [row] = ledger.history()
        assert row.state is PostState.CONFIRMED and row.message_id == outcome.message_id
    finally:
        ledger.close()


# ---- a send that timed out after Slack took it -------------------------------------------


async def test_a_send_found_in_the_history_after_a_timeout_keeps_its_message_id(
    tmp_path: Path, slack_fake: FakeSlack, slack_adapter: SlackAdapter, bot: CorpusBot
) -> None:
    slack_fake.stalls["chat.postMessage"] = 1  # taken, answered after the client gave up
    slack_adapter.client.timeout = 1
    ledger = Ledger(str(tmp_path / "l.db"))
    try:
        service = DigestService(bot, ledger, [slack_target()], {"slack": slack_adapter}, HOUR)
        outcome = await service.post(
            slack_target(), dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 9, tzinfo=UTC)
        )
        assert outcome.posted and len(slack_fake.of("chat.postMessage")) == 1
        [row] = ledger.history()
        [found] = slack_fake.of("conversations.history")
        assert found["channel"] == CHANNEL
        assert row.state is PostState.CONFIRMED and row.message_id == posted_ts(slack_fake)
    finally:
        slack_fake.release()
        ledger.close()


# ---- a stop and a crash in mid-post, and the next start ----------------------------------


async def run_until_posting(tmp_path: Path, fake: FakeSlack) -> asyncio.subprocess.Process:
    """`python -m bot run` in Socket Mode with a target due now; returns once the process
    is in the middle of posting it (Slack took the message and has not answered)."""
    due = (dt.datetime.now(UTC) - dt.timedelta(minutes=1)).strftime("%H:%M")
    config = config_with_slack_target(tmp_path, due)
    fake.stalls["chat.postMessage"] = 1
    tokens = environ(SLACK_BOT_TOKEN="xoxb-t", SLACK_APP_TOKEN="xapp-t", SLACK_API_URL=fake.api_url)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--once",
        "--config",
        str(config),
        cwd=ROOT,
        env=tokens,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    await fake.wait_for(lambda: bool(fake.of("chat.postMessage")), timeout=120)
    return process


async def restart(tmp_path: Path, fake: FakeSlack, bot: CorpusBot) -> tuple[str, PostStatus]:
    """The next start's post of the interrupted date; returns its message and status."""
    ledger = Ledger(str(tmp_path / "var" / "digest.sqlite3"))
    slack = SlackAdapter(bot, SlackEnv("xoxb-t", None, None, fake.api_url))
    try:
        [row] = ledger.history("team")
        target = slack_target(dt.time.fromisoformat("09:00"))
        service = DigestService(bot, ledger, [target], {"slack": slack}, HOUR)
        day = dt.date.fromisoformat(row.local_date)
        outcome = await service.post(target, day, dt.datetime.now(UTC))
        assert len(fake.of("chat.postMessage")) == 1  # found in the channel, not sent again
        [after] = ledger.history("team")
        assert after.state is PostState.CONFIRMED and after.message_id == posted_ts(fake)
        return outcome.message, outcome.status
    finally:
        await slack.close()
        ledger.close()


async def test_sigterm_in_mid_post_is_a_clean_stop_and_said_so_at_the_next_start(
    tmp_path: Path, slack_fake: FakeSlack, bot: CorpusBot, caplog: pytest.LogCaptureFixture
) -> None:
    process = await run_until_posting(tmp_path, slack_fake)
    process.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(process.communicate(), 60)
    log = err.decode()
    assert process.returncode == 0, log
    assert "stopped while sending to slack; the next start asks whether it arrived" in log
    assert "INFO adapters.run: stopped (SIGTERM)" in log
    assert "Traceback" not in log and "Error running job" not in log and "crash" not in log
    [row] = Ledger(str(tmp_path / "var" / "digest.sqlite3")).history("team")
    assert (row.state, row.owner) == (PostState.SENT, STOPPED)

    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        message, status = await restart(tmp_path, slack_fake, bot)
    assert status is PostStatus.ALREADY and "sent before a clean stop" in message
    assert "took over the sent claim of a process stopped cleanly while posting" in caplog.text
    assert "the excerpt sent before a clean stop is in the channel" in caplog.text
    assert "crash" not in caplog.text


async def test_a_kill_in_mid_post_is_said_to_be_a_crash_at_the_next_start(
    tmp_path: Path, slack_fake: FakeSlack, bot: CorpusBot, caplog: pytest.LogCaptureFixture
) -> None:
    process = await run_until_posting(tmp_path, slack_fake)
    process.kill()
    await asyncio.wait_for(process.communicate(), 60)
    [row] = Ledger(str(tmp_path / "var" / "digest.sqlite3")).history("team")
    assert row.state is PostState.SENT and row.owner and row.owner != STOPPED

    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        message, status = await restart(tmp_path, slack_fake, bot)
    assert status is PostStatus.ALREADY and "sent before a crash" in message
    assert f"took over the sent claim of {row.owner}, which is gone: a crash" in caplog.text
    assert "clean stop" not in caplog.text
