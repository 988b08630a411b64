"""``python -m bot bench --slack N``: the real Slack HTTP adapter under a burst of N
signed slash commands, against a loopback fake of Slack's Web API and response_url.

Two processes, as in production: the bot (``bench --slack-serve``, a child serving
``SlackAdapter.web_app`` on a free loopback port) and the outside world (this
process: the fake Web API, the response_url receiver and the N clients). All N
commands are fired at once; for each, the ack is the HTTP answer to the command and
the answer is the arrival of its reply at its response_url, both timed from the
moment the burst started. The outside world's own work is inside those times, so
they overstate, never understate, what Slack would see.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import secrets
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from bot.config import Settings

COMMANDS = ("/quote", "/whosaid", "/timeline")
ANSWER_TIMEOUT_S = 60.0
JSON_KEYS = ("commands", "acked", "answered", "ack_p50_ms", "ack_p99_ms", "ack_max_ms")


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def queries(settings: Settings, n: int) -> list[tuple[str, str]]:
    """N (command, text) pairs cut from the corpus's own passages: windows of 2 to 6
    characters, spread over every article, the three commands in turn."""
    from bot.ingest.store import load_articles

    passages = [p.text for a in load_articles(settings.corpus.articles_dir) for p in a.passages]
    out = []
    for i in range(n):
        text = passages[(i * 7919) % len(passages)].replace("\n", "")
        size = 2 + i % 5
        start = (i * 31) % max(1, len(text) - size)
        out.append((COMMANDS[i % 3], text[start : start + size] or "数据"))
    return out


class _FakeSlack:
    """The Web API (every method answers ok) and response_url (arrivals are timed)."""

    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0, backlog=2048)
        await site.start()
        self.port = self.runner.addresses[0][1]

    async def _api(self, request: web.Request) -> web.Response:
        await request.read()
        body: dict[str, Any] = {"ok": True}
        if request.match_info["method"] == "auth.test":
            body |= {"user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "team": "bench"}
        return web.json_response(body | {"ts": "1.000100", "channel": "C1"})

    async def _response(self, request: web.Request) -> web.Response:
        await request.read()
        self.arrivals.setdefault(request.match_info["name"], time.perf_counter())
        return web.Response(text="ok")

    async def close(self) -> None:
        if self.runner:
            await self.runner.cleanup()


def _signed(body: str, secret: str) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def _form(fake_url: str, name: str, command: str, text: str) -> str:
    return urlencode(
        {
            "command": command,
            "text": text,
            "user_id": "U1",
            "channel_id": "C1",
            "team_id": "T1",
            "trigger_id": name,
            "response_url": f"{fake_url}response/{name}",
            "api_app_id": "A1",
        }
    )


async def _burst(settings_path: Path | None, settings: Settings, n: int) -> dict[str, Any]:
    fake = _FakeSlack()
    await fake.start()
    fake_url = f"http://127.0.0.1:{fake.port}/"
    secret = secrets.token_hex(16)
    environ = os.environ | {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": fake_url + "api/",
    }
    command = [sys.executable, "-m", "bot", "bench", "--slack-serve"]
    if settings_path:
        command += ["--config", str(settings_path)]
    child = await asyncio.create_subprocess_exec(
        *command, env=environ, stdout=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        line = await asyncio.wait_for(child.stdout.readline(), 120)
        if not line.strip().isdigit():
            raise RuntimeError("the bot process did not start (see the log above)")
        events = f"http://127.0.0.1:{int(line)}/slack/events"
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            # Warm up: the first searches load what the index loads lazily.
            for i, (cmd, text) in enumerate(queries(settings, 6)):
                body = _form(fake_url, f"warm{i}", cmd, text)
                async with session.post(events, data=body, headers=_signed(body, secret)):
                    pass
            await _wait(lambda: len(fake.arrivals) >= 6, 30)
            fake.arrivals.clear()
            bodies = [
                (f"c{i}", _form(fake_url, f"c{i}", cmd, text))
                for i, (cmd, text) in enumerate(queries(settings, n))
            ]
            acks: dict[str, float] = {}
            statuses: dict[int, int] = {}
            started = time.perf_counter()

            async def fire(name: str, body: str) -> None:
                async with session.post(events, data=body, headers=_signed(body, secret)) as r:
                    await r.read()
                    acks[name] = time.perf_counter()
                    statuses[r.status] = statuses.get(r.status, 0) + 1

            await asyncio.gather(*(fire(name, body) for name, body in bodies))
            await _wait(lambda: len(fake.arrivals) >= n, ANSWER_TIMEOUT_S)
        ack_ms = [(t - started) * 1000 for t in acks.values()]
        answer_ms = [(t - started) * 1000 for t in fake.arrivals.values()]
        row: dict[str, Any] = {
            "commands": n,
            "acked": statuses.get(200, 0),
            "answered": len(answer_ms),
            "ack_p50_ms": round(_percentile(ack_ms, 0.5), 1),
            "ack_p99_ms": round(_percentile(ack_ms, 0.99), 1),
            "ack_max_ms": round(max(ack_ms), 1),
        }
        if answer_ms:
            row |= {
                "answer_p50_ms": round(_percentile(answer_ms, 0.5), 1),
                "answer_p99_ms": round(_percentile(answer_ms, 0.99), 1),
                "answer_max_ms": round(max(answer_ms), 1),
                "answer_mean_ms": round(statistics.fmean(answer_ms), 1),
            }
        return row
    finally:
        if child.stdin:
            child.stdin.close()
        try:
            await asyncio.wait_for(child.wait(), 10)
        except TimeoutError:
            child.kill()
            await child.wait()
        await fake.close()


async def _wait(condition: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


def run(settings_path: Path | None, settings: Settings, n: int) -> dict[str, Any]:
    return asyncio.run(_burst(settings_path, settings, n))


def format_row(row: dict[str, Any]) -> str:
    lines = [
        f"{row['commands']} signed slash commands at once: {row['acked']} acked, "
        f"{row['answered']} answered",
        f"ack     p50 {row['ack_p50_ms']} ms  p99 {row['ack_p99_ms']} ms  "
        f"max {row['ack_max_ms']} ms",
    ]
    if row.get("answered"):
        lines.append(
            f"answer  p50 {row['answer_p50_ms']} ms  p99 {row['answer_p99_ms']} ms  "
            f"max {row['answer_max_ms']} ms"
        )
    return "\n".join(lines)


def serve_child(settings: Settings) -> None:
    """The bot side: the real adapter on a free loopback port; prints the port, serves
    until standard input closes."""
    from adapters.slack import SlackAdapter, SlackEnv
    from bot.app import build_bot

    async def main() -> None:
        adapter = SlackAdapter(build_bot(settings), SlackEnv.from_environ(os.environ, http=True))
        await adapter.verify_bot_token()
        port = await adapter.listen(0)
        print(port, flush=True)
        await asyncio.to_thread(sys.stdin.read)
        await adapter.close()

    asyncio.run(main())


def to_json(row: dict[str, Any]) -> str:
    return json.dumps(row)
