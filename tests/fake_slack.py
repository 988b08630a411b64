"""A loopback fake of Slack's Web API and response_url: records every call.

Like bolt-python's own mock_web_api_server: real HTTP on 127.0.0.1, so the real
slack_sdk client, retry handlers and bolt's respond() run unchanged.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.fakes import wait_for


@dataclass
class Call:
    path: str
    body: dict[str, Any]


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    # method -> statuses to answer before succeeding (e.g. [429] or [500, 500, 500])
    failures: dict[str, list[int]] = field(default_factory=dict)
    # method -> Slack error code answered with ok: false (e.g. "invalid_auth")
    errors: dict[str, str] = field(default_factory=dict)
    server: TestServer | None = None
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    acks: list[dict[str, Any]] = field(default_factory=list)
    # files_upload_v2: file id -> the bytes uploaded to its upload URL
    uploads: dict[str, bytes] = field(default_factory=dict)
    # Messages refused as Slack refuses them (over a limit): (where, why)
    refused: list[tuple[str, str]] = field(default_factory=list)
    # method -> how many calls to take (record, and act on) but leave unanswered until
    # ``release``: a slow Slack whose answer comes after the client gave up, or never.
    stalls: dict[str, int] = field(default_factory=dict)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/"))

    @property
    def api_url(self) -> str:
        return self.url + "api/"

    def response_url(self, name: str = "r1") -> str:
        return self.url + f"response/{name}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # conversations.history is a GET
        app.router.add_post("/response/{name}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    def release(self) -> None:
        """Answer the stalled calls."""
        self.released.set()

    async def close(self) -> None:
        self.release()
        for ws in self.sockets:
            await ws.close()
        if self.server:
            await self.server.close()

    async def _body(self, request: web.Request) -> dict[str, Any]:
        if request.method == "GET":
            return dict(request.query)
        if request.content_type == "application/json":
            return await request.json()
        # slack_sdk sends some methods' arguments in the query string (files_upload_v2).
        return {**request.query, **dict(await request.post())}

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._body(request)
        self.calls.append(Call(method, body))
        number = len(self.calls)
        if self.stalls.get(method):
            self.stalls[method] -= 1
            await self.released.wait()
        pending = self.failures.get(method)
        if pending:
            status = pending.pop(0)
            headers = {"Retry-After": "0"} if status == 429 else {}
            return web.json_response(
                {"ok": False, "error": "ratelimited" if status == 429 else "fatal_error"},
                status=status,
                headers=headers,
            )
        if method in self.errors:
            return web.json_response({"ok": False, "error": self.errors[method]})
        if method in ("chat.postMessage", "chat.postEphemeral"):
            problem = message_problem(body)
            if problem:
                self.refused.append((method, problem))
                return web.json_response({"ok": False, "error": "invalid_blocks"})
        result: dict[str, Any] = {"ok": True}
        if method == "apps.connections.open":
            result |= {"url": self.url.replace("http://", "ws://") + "socket"}
        if method == "auth.test":
            result |= {
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "team_id": "T1",
                "team": "t",
                "url": "https://t.slack.com/",
            }
        if method in ("chat.postMessage", "chat.postEphemeral"):
            result |= {"ts": _ts(number), "channel": body.get("channel")}
        if method == "files.getUploadURLExternal":  # files_upload_v2, step 1 of 3
            file_id = f"F{len(self.calls):05d}"
            result |= {"file_id": file_id, "upload_url": self.url + f"upload/{file_id}"}
        if method == "files.completeUploadExternal":
            result |= {"files": [{"id": f["id"], "title": f["title"]} for f in _files(body)]}
        if method == "conversations.history":  # what was posted, with its metadata
            posted = [
                {"ts": _ts(n), "text": c.body.get("text"), **_metadata(c.body)}
                for n, c in enumerate(self.calls, 1)
                if c.path == "chat.postMessage" and c.body.get("channel") == body.get("channel")
            ]
            result |= {"messages": posted[::-1], "has_more": False}
        return web.json_response(result)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, then record what the app sends back (acks)."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}
        )
        async for message in ws:
            if message.type == web.WSMsgType.TEXT:
                self.acks.append(json.loads(message.data))
        return ws

    async def push(self, envelope: dict[str, Any]) -> None:
        for ws in self.sockets:
            await ws.send_json(envelope)

    async def _upload(self, request: web.Request) -> web.Response:
        """files_upload_v2, step 2: the bytes, posted to the URL step 1 gave."""
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK - uploaded")

    async def _response(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        body = await self._body(request)
        self.calls.append(Call("response/" + name, body))
        if name.startswith("drop"):  # the connection closed without an answer
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        if name.startswith("expired"):  # Slack answers a used-up response_url with 404
            return web.Response(status=404, text="expired_url")
        problem = message_problem(body)
        if problem:
            self.refused.append(("response/" + name, problem))
            return web.Response(status=400, text="invalid_blocks")
        return web.Response(text="ok")

    def of(self, path: str) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.path == path]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        await wait_for(condition, lambda: [c.path for c in self.calls], timeout)


def _ts(call: int) -> str:
    """The ts of the message the ``call``-th call posted (the same in the history)."""
    return f"{1700000000 + call}.000100"


def _metadata(body: dict[str, Any]) -> dict[str, Any]:
    metadata = body.get("metadata")
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    return {"metadata": metadata} if metadata else {}


def blocks_text(body: dict[str, Any]) -> str:
    blocks = body.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return json.dumps(blocks or [], ensure_ascii=False)


def rendered_texts(body: dict[str, Any]) -> str:
    """Every text Slack displays (block texts and the fallback), not button values."""
    blocks = body.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    found: list[str] = [body.get("text", "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text"):
                found.append(node.get("text", ""))
            for key, value in node.items():
                if key != "value":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks or [])
    return "\n".join(found)


def _files(body: dict[str, Any]) -> list[dict[str, Any]]:
    files = body.get("files", [])
    return json.loads(files) if isinstance(files, str) else files


# Slack's documented limits on a message (Block Kit reference): what it refuses.
BLOCKS = 50
SECTION_TEXT = 3000
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
MESSAGE_TEXT = 40000


def message_problem(body: dict[str, Any]) -> str | None:
    """Why Slack would refuse this message (``invalid_blocks``), or None."""
    blocks = body.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    blocks = blocks or []
    if not blocks and not body.get("text"):
        return "no text and no blocks"
    if len(body.get("text") or "") > MESSAGE_TEXT:
        return "text over 40000 characters"
    if len(blocks) > BLOCKS:
        return f"{len(blocks)} blocks"
    for n, block in enumerate(blocks):
        kind = block.get("type")
        texts = []
        if kind == "section":
            texts = [block["text"]["text"]]
        elif kind == "context":
            if not 1 <= len(block["elements"]) <= CONTEXT_ELEMENTS:
                return f"block {n}: {len(block['elements'])} context elements"
            texts = [e["text"] for e in block["elements"]]
        elif kind == "actions":
            if not 1 <= len(block["elements"]) <= ACTIONS_ELEMENTS:
                return f"block {n}: {len(block['elements'])} actions"
            for button in block["elements"]:
                if not 1 <= len(button["text"]["text"]) <= BUTTON_TEXT:
                    return f"block {n}: a button label of {len(button['text']['text'])}"
                if len(button.get("value", "")) > BUTTON_VALUE:
                    return f"block {n}: a button value of {len(button['value'])}"
        for text in texts:
            if not 1 <= len(text) <= SECTION_TEXT:
                return f"block {n} ({kind}): a text of {len(text)} characters"
    return None
