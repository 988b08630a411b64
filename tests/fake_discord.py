"""A loopback fake of Discord's REST API that records every call.

Point ``discord.http.Route.BASE`` at ``FakeDiscord.base``; interaction callbacks and
follow-ups go through the same Route, so the real discord.py code runs unchanged.
Gateway events are fed through the client's own state parsers by the tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.fakes import wait_for

APP_ID = "200000000000000001"
BOT_ID = "200000000000000002"
GUILD_ID = "300000000000000001"
CHANNEL_ID = "300000000000000002"
USER_ID = "400000000000000001"
OTHER_ID = "400000000000000002"
NOW = "2025-06-12T08:00:00.000000+00:00"

BOT_USER = {
    "id": BOT_ID,
    "username": "corpusbot",
    "discriminator": "0",
    "avatar": None,
    "bot": True,
    "global_name": None,
}


def user(uid: str = USER_ID, name: str = "ann") -> dict[str, Any]:
    return {"id": uid, "username": name, "discriminator": "0", "avatar": None, "global_name": name}


@dataclass
class Call:
    method: str
    path: str
    body: Any


@dataclass
class FakeDiscord:
    calls: list[Call] = field(default_factory=list)
    # interaction ids whose callback answers 404 Unknown interaction (expired token)
    expired: set[str] = field(default_factory=set)
    server: TestServer | None = None
    nonces: dict[str, Any] = field(default_factory=dict)  # nonce -> the message it made
    # Requests refused as Discord refuses them (over a limit): (path, why)
    refused: list[tuple[str, str]] = field(default_factory=list)
    # paths (regular expressions) answered 403 Missing Permissions
    forbidden: set[str] = field(default_factory=set)
    _ids: int = 500000000000000000

    @property
    def base(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/api/v10"))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        if self.server:
            await self.server.close()

    def _next_id(self) -> str:
        self._ids += 1
        return str(self._ids)

    async def _body(self, request: web.Request) -> Any:
        if not request.can_read_body:
            return None
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            body = json.loads(form.get("payload_json", "{}"))
            # Attachments: their names and bytes, beside the JSON payload.
            uploads = {f.filename: f.file.read() for f in form.values() if hasattr(f, "file")}
            return {**body, "_uploads": uploads} if uploads else body
        text = await request.text()
        return json.loads(text) if text else None

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["tail"]
        body = await self._body(request)
        self.calls.append(Call(request.method, path, body))
        if any(re.fullmatch(p, path) for p in self.forbidden):
            return _json({"code": 50013, "message": "Missing Permissions"}, 403)
        problem = request_problem(request.method, path, body)
        if problem:
            self.refused.append((path, problem))
            errors = {"_errors": [{"code": "BASE_TYPE_INVALID", "message": problem}]}
            return _json({"code": 50035, "message": "Invalid Form Body", "errors": errors}, 400)
        if path == "users/@me":
            return _json(BOT_USER)
        if path == "oauth2/applications/@me":
            return _json(
                {
                    "id": APP_ID,
                    "name": "corpusbot",
                    "icon": None,
                    "description": "",
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "owner": user(),
                    "verify_key": "0" * 64,
                    "flags": 0,
                    "team": None,
                    "summary": "",
                }
            )
        if re.fullmatch(r"applications/\d+(/guilds/\d+)?/commands", path):
            return _json(
                [
                    {
                        **c,
                        "id": self._next_id(),
                        "application_id": APP_ID,
                        "version": "1",
                        "type": c.get("type", 1),
                    }
                    for c in body or []
                ]
            )
        m = re.fullmatch(r"interactions/(\d+)/([^/]+)/callback", path)
        if m:
            if m[1] in self.expired:
                return _json({"code": 10062, "message": "Unknown interaction"}, status=404)
            return _json(
                {
                    "interaction": {
                        "id": m[1],
                        "type": 2,
                        "response_message_loading": body.get("type") == 5,
                        "response_message_ephemeral": bool(
                            (body.get("data") or {}).get("flags", 0) & 64
                        ),
                    }
                }
            )
        m = re.fullmatch(r"channels/(\d+)", path)
        if m and request.method == "GET":
            return _json(text_channel(m[1], "digest"))
        m = re.fullmatch(r"channels/(\d+)/messages/(\d+)/threads", path)
        if m:
            return _json(thread(self._next_id(), m[1], body.get("name", "t")))
        m = re.fullmatch(r"(?:webhooks/\d+/[^/]+|channels/(\d+)/messages)", path)
        if m and request.method == "POST":
            channel = m[1] or CHANNEL_ID
            nonce = (body or {}).get("nonce")
            if nonce and (body or {}).get("enforce_nonce") and nonce in self.nonces:
                return _json(self.nonces[nonce])  # Discord answers with the first message
            sent = message(self._next_id(), channel, BOT_USER, body or {})
            if nonce:
                self.nonces[nonce] = sent
            return _json(sent)
        return _json({"code": 0, "message": f"fake: no route {path}"}, status=404)

    def posts(self, pattern: str) -> list[Any]:
        return [c.body for c in self.calls if c.method == "POST" and re.fullmatch(pattern, c.path)]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        await wait_for(condition, lambda: [(c.method, c.path) for c in self.calls], timeout)


def text_channel(cid: str = CHANNEL_ID, name: str = "general") -> dict[str, Any]:
    return {
        "id": cid,
        "type": 0,
        "guild_id": GUILD_ID,
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }


def _json(data: Any, status: int = 200) -> web.Response:
    # Exactly "application/json", as Discord sends it: discord.py compares the whole header.
    body = json.dumps(data).encode()
    return web.Response(body=body, status=status, headers={"Content-Type": "application/json"})


def thread(tid: str, parent: str, name: str) -> dict[str, Any]:
    return {
        "id": tid,
        "type": 11,
        "guild_id": GUILD_ID,
        "parent_id": parent,
        "name": name,
        "owner_id": BOT_ID,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": NOW,
            "locked": False,
        },
    }


def message(mid: str, channel: str, author: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": mid,
        "channel_id": channel,
        "author": author,
        "content": body.get("content") or "",
        "timestamp": NOW,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "pinned": False,
        "type": 0,
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "flags": body.get("flags", 0),
    }


def guild() -> dict[str, Any]:
    return {
        "id": GUILD_ID,
        "name": "team",
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": USER_ID,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [
            {
                "id": GUILD_ID,
                "name": "@everyone",
                "permissions": "2248473465835073",
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
        ],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "unavailable": False,
        "member_count": 2,
        "large": False,
        "joined_at": NOW,
        "voice_states": [],
        "presences": [],
        "stickers": [],
        "threads": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "members": [
            {
                "user": BOT_USER,
                "roles": [],
                "joined_at": NOW,
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
        ],
        "channels": [text_channel()],
    }


def member(uid: str = USER_ID) -> dict[str, Any]:
    return {
        "user": user(uid),
        "roles": [],
        "joined_at": NOW,
        "deaf": False,
        "mute": False,
        "permissions": "2248473465835073",
        "flags": 0,
    }


def interaction(
    iid: str,
    kind: int,
    data: dict[str, Any],
    uid: str = USER_ID,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "id": iid,
        "application_id": APP_ID,
        "type": kind,
        "token": f"tok{iid}",
        "version": 1,
        "guild_id": GUILD_ID,
        "channel_id": CHANNEL_ID,
        "channel": text_channel(),
        "member": member(uid),
        "data": data,
        "locale": "zh-CN",
        "guild_locale": "en-US",
        "app_permissions": "2248473465835073",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID},
        "context": 0,
        "attachment_size_limit": 10485760,
        **(extra or {}),
    }


# Discord's documented limits (the message, embed, component and autocomplete
# references): what its API refuses with 400 Invalid Form Body.
CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
EMBED_FIELDS = 25
EMBEDS_TOTAL = 6000
CUSTOM_ID = 100
BUTTON_LABEL = 80
CHOICES = 25
CHOICE_NAME = 100
THREAD_NAME = 100


def request_problem(method: str, path: str, body: Any) -> str | None:
    """Why Discord would refuse this request, or None."""
    if method != "POST" or not isinstance(body, dict):
        return None
    if re.fullmatch(r"channels/\d+/messages/\d+/threads", path):
        name = body.get("name") or ""
        return None if 1 <= len(name) <= THREAD_NAME else f"a thread name of {len(name)}"
    if re.fullmatch(r"interactions/\d+/[^/]+/callback", path):
        data = body.get("data") or {}
        if body.get("type") == 8:
            return _choices_problem(data.get("choices") or [])
        if body.get("type") in (4, 7):
            return message_problem(data)
        return None
    if re.fullmatch(r"webhooks/\d+/[^/]+|channels/\d+/messages", path):
        return message_problem(body)
    return None


def message_problem(body: dict[str, Any]) -> str | None:
    content = body.get("content") or ""
    embeds = body.get("embeds") or []
    if not (content or embeds or body.get("_uploads") or body.get("components")):
        return "an empty message"
    if len(content) > CONTENT:
        return f"content of {len(content)} characters"
    if len(embeds) > EMBEDS:
        return f"{len(embeds)} embeds"
    total = 0
    for n, embed in enumerate(embeds):
        url = embed.get("url")
        if url is not None and not re.match(r"https?://\S+$", url):
            return f"embed {n}: not a well formed URL: {url!r}"
        parts = {
            "title": (embed.get("title") or "", EMBED_TITLE),
            "description": (embed.get("description") or "", EMBED_DESCRIPTION),
            "footer": ((embed.get("footer") or {}).get("text") or "", EMBED_FOOTER),
            "author": ((embed.get("author") or {}).get("name") or "", EMBED_AUTHOR),
        }
        for name, (text, limit) in parts.items():
            if len(text) > limit:
                return f"embed {n}: a {name} of {len(text)} characters"
            total += len(text)
        fields = embed.get("fields") or []
        if len(fields) > EMBED_FIELDS:
            return f"embed {n}: {len(fields)} fields"
        total += sum(len(f.get("name", "")) + len(f.get("value", "")) for f in fields)
    if total > EMBEDS_TOTAL:
        return f"embeds of {total} characters in all"
    for row in body.get("components") or []:
        for item in row.get("components", []):
            if not 1 <= len(item.get("custom_id", "x")) <= CUSTOM_ID:
                return f"a custom_id of {len(item.get('custom_id', ''))} characters"
            if len(item.get("label") or "") > BUTTON_LABEL:
                return f"a button label of {len(item['label'])} characters"
    return None


def _choices_problem(choices: list[dict[str, Any]]) -> str | None:
    if len(choices) > CHOICES:
        return f"{len(choices)} choices"
    for choice in choices:
        name, value = str(choice.get("name", "")), str(choice.get("value", ""))
        if not 1 <= len(name) <= CHOICE_NAME or len(value) > CHOICE_NAME:
            return f"a choice of {len(name)}/{len(value)} characters"
    return None
