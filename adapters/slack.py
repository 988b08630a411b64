"""Slack adapter on slack-bolt's AsyncApp: Slack events -> core calls -> Block Kit.

Socket Mode when SLACK_APP_TOKEN is set (no public URL needed); HTTP mode behind a
load balancer with SLACK_SIGNING_SECRET. Slash commands are acknowledged at once and
answered through response_url; a mention is answered in its thread. Search runs in a
worker thread, never on the event loop. Rendering lives in ``slack_render``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.connect import until_reachable
from adapters.slack_render import MORE_ACTION, POST_ACTION, parse_button_value, render
from adapters.text import Audience
from bot import messages
from bot.chart import picture_of
from bot.core import CorpusBot
from bot.digest.ledger import Ledger
from bot.digest.service import PostKey, Seen, Sighting
from bot.errors import ConfigError, CorpusbotError
from bot.models import Command, Reply
from bot.safe_text import clean

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
# response_url accepts 5 messages within 30 minutes of the command.
RESPONSE_URL_USES = 5
RESPONSE_URL_TTL_S = 30 * 60
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
COMMANDS = ("/quote", "/whosaid", "/timeline")
PICTURE_NAME = "timeline.png"
DIGEST_EVENT = "corpusbot_digest"  # message metadata event_type of a daily excerpt
# What a send to Slack can raise once slack_sdk's retries are spent: Slack's own
# errors, and the network's (aiohttp's family; timeouts and resets are OSErrors).
SLACK_ERRORS = (SlackClientError, aiohttp.ClientError, OSError)
NETWORK_ERRORS = (aiohttp.ClientError, OSError)  # at start-up: retried with backoff
DEFAULT_HOST = "127.0.0.1"
EVENTS_PATH = "/slack/events"
FORM = "application/x-www-form-urlencoded"
SWITCH_INTERVAL_S = 0.0005
SEARCH_WORKERS = 2  # the machine's cores: searches in threads, acks on the loop
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


@dataclass(frozen=True)
class SlackEnv:
    bot_token: str
    app_token: str | None
    signing_secret: str | None
    api_url: str

    @classmethod
    def for_sending(cls, environ: Mapping[str, str]) -> SlackEnv:
        """Only what posting needs (``digest post`` by hand): the bot token and the API
        address; nothing listens, so no app token or signing secret."""
        return cls(_bot_token(environ), None, None, _api_url(environ))

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], http: bool = False) -> SlackEnv:
        """Validate the tokens; an error names the variable."""
        bot = _bot_token(environ)
        app = environ.get("SLACK_APP_TOKEN", "").strip() or None
        secret = environ.get("SLACK_SIGNING_SECRET", "").strip() or None
        if http:
            if not secret:
                raise ConfigError("SLACK_SIGNING_SECRET", "is required for --slack-http")
            if not re.fullmatch(r"[0-9a-f]{32}", secret):
                raise ConfigError("SLACK_SIGNING_SECRET", "must be 32 hexadecimal characters")
        else:
            if not app:
                raise ConfigError("SLACK_APP_TOKEN", "is not set (needed for Socket Mode)")
            if not app.startswith("xapp-"):
                raise ConfigError("SLACK_APP_TOKEN", "must be an app-level token (xapp-…)")
        return cls(bot, app, secret, _api_url(environ))


def _bot_token(environ: Mapping[str, str]) -> str:
    bot = environ.get("SLACK_BOT_TOKEN", "").strip()
    if not bot:
        raise ConfigError("SLACK_BOT_TOKEN", "is not set")
    if not bot.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN", "must be a bot token starting with xoxb-")
    return bot


def _api_url(environ: Mapping[str, str]) -> str:
    api_url = environ.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
    if not re.match(r"https?://", api_url):
        raise ConfigError("SLACK_API_URL", "must be an http(s) URL")
    return api_url if api_url.endswith("/") else api_url + "/"


# ---- converters: platform event -> neutral request ------------------------------------


def command_text(body: Mapping[str, Any]) -> str:
    """A slash command's payload as the text the core's grammar reads."""
    return clean(f"{body.get('command', '/quote')} {body.get('text', '')}", "slack").strip()


def mention_text(event: Mapping[str, Any]) -> str:
    """An app_mention's text without the mention itself ("<@U123> whosaid X")."""
    return clean(_MENTION.sub(" ", event.get("text", "")), "slack").strip()


def thread_of(event: Mapping[str, Any]) -> str:
    """Answer in the thread: the thread's root, or the mentioning message itself."""
    return str(event.get("thread_ts") or event.get("ts"))


class _SeenEvents:
    """Event ids already handled; Slack re-sends events it thinks went unanswered."""

    def __init__(self, size: int = 5000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def first_time(self, event_id: str | None) -> bool:
        if not event_id:
            return True
        if event_id in self._ids:
            return False
        self._ids[event_id] = None
        while len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True


class ResponseUrlBudget:
    """A response_url takes ``RESPONSE_URL_USES`` messages within ``RESPONSE_URL_TTL_S``
    of the command. ``take`` checks and records in one step; entries past their life are
    dropped, so the bookkeeping stays as small as the commands of the last 30 minutes
    (and never above ``size``)."""

    def __init__(
        self,
        clock: Callable[[], float],
        uses: int = RESPONSE_URL_USES,
        ttl_s: float = RESPONSE_URL_TTL_S,
        size: int = 20_000,
    ) -> None:
        self._clock = clock
        self._uses = uses
        self._ttl_s = ttl_s
        self._size = size
        self._urls: OrderedDict[str, tuple[float, int]] = OrderedDict()  # first use, count

    def take(self, url: str | None) -> bool:
        if not url:
            return False
        now = self._clock()
        self._prune(now)
        first, count = self._urls.get(url, (now, 0))
        if count >= self._uses:
            return False
        self._urls[url] = (first, count + 1)
        while len(self._urls) > self._size:
            self._urls.popitem(last=False)
        return True

    def _prune(self, now: float) -> None:
        # Insertion order is first-use order: expired entries sit at the front.
        while self._urls:
            url, (first, _) = next(iter(self._urls.items()))
            if now - first <= self._ttl_s:
                return
            del self._urls[url]

    def __len__(self) -> int:
        return len(self._urls)


def _bolt_logger() -> logging.Logger:
    """bolt's own logger, less one false alarm. Given our client, bolt still reads
    SLACK_BOT_TOKEN from the environment itself and then warned at every start that
    "`token` will be unused": it is the same token, in the client, so the warning only
    sent the operator looking for a misconfiguration. A logger of this adapter's own
    (not registered, so no global logging state changes) under bolt's usual name, so
    everything else bolt logs reaches the same handlers as before."""
    skipped = warning_client_prioritized_and_token_skipped()
    logger = logging.Logger("slack_bolt.AsyncApp")
    logger.parent = logging.getLogger("slack_bolt")
    logger.addFilter(lambda record: record.getMessage() != skipped)
    return logger


def _retry_handlers() -> list[AsyncRetryHandler]:
    """slack_sdk's own: connection errors, 429 with Retry-After, 5xx."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


def _api_error(err: SlackApiError) -> str:
    """Slack's error code ("invalid_auth"), or the HTTP status when the answer was not
    Slack's JSON (a proxy's page, a gateway error)."""
    data = err.response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {err.response.status_code}"


def _reason(err: BaseException) -> str:
    """A timeout's str() is empty: say what it was."""
    return str(err) or type(err).__name__


def well_formed_signature(headers: Mapping[str, str]) -> bool:
    """Slack's signature headers in their one shape: a whole-second timestamp and
    ``v0=`` with a SHA-256 hex digest. Anything else is answered 401 before bolt
    parses it (bolt would fail with a 500 on a timestamp that is not a number)."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    return bool(re.fullmatch(r"\d{1,12}", timestamp) and _SIGNATURE.fullmatch(signature))


class SlackAdapter:
    def __init__(
        self,
        bot: CorpusBot,
        env: SlackEnv,
        clock: Callable[[], float] = time.monotonic,
        *,
        ledger: Ledger | None = None,
        workers: int = SEARCH_WORKERS,
    ) -> None:
        self.bot = bot
        self.env = env
        self.ledger = ledger  # shared with other replicas: retried events answered once
        self._clock = clock
        self._seen = _SeenEvents()
        self._socket: Any = None  # the Socket Mode handler, while connected
        self._runner: Any = None  # the HTTP server, while serving
        # Searches run here, a few at a time, never on the event loop: acks and
        # deliveries stay on the loop and never queue behind a burst of searches.
        self._workers = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="search")
        self.response_urls = ResponseUrlBudget(clock)
        self._verifier = SignatureVerifier(env.signing_secret) if env.signing_secret else None
        self._tasks: set[asyncio.Task[None]] = set()  # requests being served after their ack
        self._retries = _retry_handlers()
        self._http: aiohttp.ClientSession | None = None  # one connection pool for replies
        client = AsyncWebClient(
            token=env.bot_token, base_url=env.api_url, retry_handlers=_retry_handlers()
        )
        self.client = client
        self.app = AsyncApp(
            client=client,
            signing_secret=env.signing_secret or "",
            # Socket Mode payloads are authenticated by the socket, not signed.
            request_verification_enabled=env.signing_secret is not None,
            raise_error_for_unhandled_request=False,
            logger=_bolt_logger(),
        )
        for name in COMMANDS:
            self.app.command(name)(self._on_command)
        for action in (MORE_ACTION, POST_ACTION):
            self.app.action(action)(self._on_button)
        self.app.event("app_mention")(self._on_mention)
        self.app.error(self._on_error)

    # ---- handlers: ack first, then answer; bolt's context names channel and user -------

    async def _ask(self, text: str, offset: int = 0, corpus: str = "") -> Reply:
        """The core's answer from the worker pool; a bug is the internal-error reply."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._workers, self.bot.ask, text, offset, corpus)
        except Exception:
            log.exception("slack: answering %r failed", text[:80])
            return Reply(Command.ERROR, text, message=messages.INTERNAL_ERROR)

    async def _on_command(self, ack, body, context) -> None:  # type: ignore[no-untyped-def]
        await ack()  # first: Slack allows 3 seconds
        text = command_text(body)
        reply = await self._ask(text)
        await self._respond(context, body.get("response_url"), reply, text, Audience.PRIVATE)

    async def _on_button(self, ack, body, action, context) -> None:  # type: ignore[no-untyped-def]
        """More (the next page) and Post to channel (this page, visibly); a value this
        bot never made is answered privately."""
        await ack()
        url = body.get("response_url")
        parsed = parse_button_value(action.get("value"))
        if parsed is None:
            log.warning("slack: a button whose value is not ours: %.80r", action.get("value"))
            refusal = Reply(Command.ERROR, "", message=messages.BUTTON_NOT_OURS)
            await self._respond(context, url, refusal, "", Audience.PRIVATE)
            return
        text, offset, corpus = parsed
        reply = await self._ask(text, offset, corpus)
        if action.get("action_id") == POST_ACTION:
            shared_by = context.user_id
            await self._respond(context, url, reply, text, Audience.PUBLIC, shared_by=shared_by)
            return
        container = body.get("container", {})
        if container.get("is_ephemeral", True):
            await self._respond(context, url, reply, text, Audience.PRIVATE)
            return
        # A visible answer (to a mention) pages on in its thread.
        thread = container.get("thread_ts") or container.get("message_ts")
        await self._post_in_thread(container.get("channel_id"), thread, reply, text, "page")

    async def _on_mention(self, body, event) -> None:  # type: ignore[no-untyped-def]
        event_id = body.get("event_id")
        if not await self._first_time(event_id):
            log.info("slack: event %s already answered (retry)", event_id)
            return
        text = mention_text(event)
        reply = await self._ask(text)
        await self._post_in_thread(event.get("channel"), thread_of(event), reply, text, "mention")

    async def _first_time(self, event_id: str | None) -> bool:
        """In this process, then in the shared ledger (so replicas answer a retry once).
        A ledger that cannot be reached does not silence the bot: it answers."""
        if not self._seen.first_time(event_id):
            return False
        if self.ledger is None or not event_id:
            return True
        try:
            return await asyncio.to_thread(self.ledger.first_time, event_id)
        except CorpusbotError as err:
            log.warning("slack: cannot check event %s in the ledger: %s", event_id, err)
            return True

    async def _on_error(self, error, body) -> None:  # type: ignore[no-untyped-def]
        log.error(
            "slack: unhandled error for %s: %s", (body or {}).get("type"), error, exc_info=error
        )

    # ---- delivery: one path, one error family ------------------------------------------

    async def _deliver(self, what: str, where: str | None, send: Awaitable[Any]) -> bool:
        """Await one send to Slack; a platform or network failure (after slack_sdk's
        retries) is logged, never raised into bolt. True when Slack took it."""
        try:
            result = await send
        except SLACK_ERRORS as err:
            log.error("slack: cannot %s in %s: %s", what, where, _reason(err))
            return False
        status = getattr(result, "status_code", 200)
        if status >= 400:  # response_url answers with a status rather than raising
            log.warning("slack: %s refused (%s %s)", what, status, getattr(result, "body", ""))
            return False
        return True

    def _session(self) -> aiohttp.ClientSession:
        """One aiohttp session for every reply and Web API call (created on the loop,
        at first use): a burst reuses connections instead of opening one per reply."""
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
            self.client.session = self._http
        return self._http

    async def _post_in_thread(
        self, channel: str, thread_ts: str | None, reply: Reply, text: str, what: str
    ) -> None:
        payload = render(reply, command_text=text)
        if await self._deliver(
            f"answer {what}",
            channel,
            self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, **payload),
        ):
            await self._attach_picture(channel, thread_ts, reply)

    async def _attach_picture(
        self, channel: str | None, thread_ts: str | None, reply: Reply
    ) -> None:
        """The timeline picture after a visible answer (``bot.chart``). Slack takes no
        files in ephemeral messages: a private answer gets its picture once posted."""
        png = await picture_of(reply)
        if png is None or not channel:
            return
        await self._deliver(
            "attach the timeline picture",
            channel,
            self.client.files_upload_v2(
                channel=channel,
                thread_ts=thread_ts,
                file=png,
                filename=PICTURE_NAME,
                title=messages.TIMELINE_PICTURE_TITLE.format(query=reply.query),
                alt_txt=messages.TIMELINE_PICTURE_TITLE.format(query=reply.query),
            ),
        )

    async def _respond(
        self,
        context: Any,
        url: str | None,
        reply: Reply,
        text: str,
        audience: Audience,
        *,
        shared_by: str | None = None,
    ) -> None:
        """Through response_url while it lasts, else with the bot token (and say so)."""
        kwargs: dict[str, Any] = {
            "command_text": text,
            "audience": audience,
            "shared_by": shared_by,
        }
        if url and self.response_urls.take(url):
            webhook = AsyncWebhookClient(url, session=self._session(), retry_handlers=self._retries)
            message = {
                "response_type": "ephemeral" if audience is Audience.PRIVATE else "in_channel",
                "replace_original": False,
                **render(reply, **kwargs),
            }
            if await self._deliver(
                "use response_url", context.channel_id, webhook.send_dict(message)
            ):
                if audience is Audience.PUBLIC:
                    await self._attach_picture(context.channel_id, None, reply)
                return
            log.warning("slack: posting with the bot token instead")
        payload = render(reply, **kwargs, notice=messages.SENT_WITH_BOT_TOKEN)
        channel, user = context.channel_id, context.user_id
        if audience is Audience.PRIVATE and user:
            send = self.client.chat_postEphemeral(channel=channel, user=user, **payload)
        else:
            send = self.client.chat_postMessage(channel=channel, **payload)
        if await self._deliver("post", channel, send) and audience is Audience.PUBLIC:
            await self._attach_picture(channel, None, reply)

    # ---- digest -----------------------------------------------------------------------

    async def send(self, channel: str, reply: Reply, key: PostKey | None = None) -> str | None:
        """Post a digest excerpt, tagged with its key in the message metadata; returns
        the message ts. Raises on failure so the digest retries."""
        metadata = None
        if key is not None:
            metadata = {
                "event_type": DIGEST_EVENT,
                "event_payload": {"key": key.id, "target": key.target, "date": key.local_date},
            }
        response = await self.client.chat_postMessage(
            channel=channel, metadata=metadata, **render(reply, command_text="")
        )
        return response.get("ts")

    async def find(self, channel: str, key: PostKey, since: float) -> Sighting:
        """Is the excerpt with this key in the channel (and its ts)? Needs the
        channels:history scope (groups:history for a private channel); without it,
        Slack cannot be asked."""
        try:
            pages = await self.client.conversations_history(
                channel=channel, oldest=f"{since:.6f}", include_all_metadata=True, limit=200
            )
            async for page in pages:
                for message in page.get("messages", []):
                    metadata = message.get("metadata") or {}
                    payload = metadata.get("event_payload") or {}
                    if metadata.get("event_type") == DIGEST_EVENT and payload.get("key") == key.id:
                        return Sighting(Seen.POSTED, message.get("ts"))
        except SlackApiError as err:
            log.warning(
                "slack: cannot read %s's history (%s): add the channels:history scope so a "
                "restart can check for an excerpt before sending it again",
                channel,
                _api_error(err),
            )
            return Sighting(Seen.UNKNOWN)
        return Sighting(Seen.ABSENT)

    # ---- running ----------------------------------------------------------------------

    async def start_socket_mode(self, *, once: bool = False) -> None:
        """Connect over Socket Mode (through SLACK_API_URL's apps.connections.open) and
        serve until cancelled."""
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        if not self.env.app_token:
            raise ConfigError("SLACK_APP_TOKEN", "is not set (needed for Socket Mode)")
        app_token = self.env.app_token

        async def reach() -> None:
            await self.verify_bot_token()
            # The Socket Mode client retries a failed connection forever; ask once first,
            # so a rejected app token is an error at start-up, not a log line every 10 s.
            try:
                await self.client.apps_connections_open(app_token=app_token)
            except SlackApiError as err:
                raise ConfigError(
                    "SLACK_APP_TOKEN", f"was rejected by Slack ({_api_error(err)})"
                ) from None

        await until_reachable("slack", self.env.api_url, reach, NETWORK_ERRORS, once=once)
        self._socket = AsyncSocketModeHandler(self.app, app_token)
        await self._socket.start_async()

    async def verify_bot_token(self) -> None:
        try:
            await self.client.auth_test()
        except SlackApiError as err:
            raise ConfigError(
                "SLACK_BOT_TOKEN", f"was rejected by Slack ({_api_error(err)})"
            ) from None

    def web_app(self) -> web.Application:
        """POST /slack/events for Slack (signed), GET /healthz for a load balancer."""
        app = web.Application()
        app.router.add_post(EVENTS_PATH, self._http_events)
        app.router.add_get("/healthz", self._healthz)
        return app

    async def _http_events(self, request: web.Request) -> web.Response:
        if not well_formed_signature(request.headers):
            return web.Response(status=401, text="invalid signature headers")
        bolt_request = await to_bolt_request(request)
        if request.content_type == FORM and self._verifier is not None:
            # Slash commands and button presses: a signed request is acknowledged here
            # and now, and bolt handles it after the answer has left. Under a burst,
            # an ack is then a few steps of the loop, not a share of every request's
            # dispatch (bolt's own ack waits for its listener task to be scheduled).
            headers = request.headers
            if not self._verifier.is_valid(
                bolt_request.raw_body,
                headers.get("X-Slack-Request-Timestamp"),
                headers.get("X-Slack-Signature"),
            ):
                return web.Response(status=401, text="invalid signature")
            task = asyncio.create_task(self._dispatch_acked(bolt_request))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return web.Response(status=200)
        # Events (JSON) go through bolt whole: it answers url_verification itself.
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    async def _dispatch_acked(self, request: AsyncBoltRequest) -> None:
        response = await self.app.async_dispatch(request)
        if response.status >= 400:
            log.warning("slack: an acknowledged request was not served (%s)", response.status)

    async def _healthz(self, request: web.Request) -> web.Response:
        """200 when the index is loaded and the ledger answers; 503 naming what is not."""
        problems = []
        if not self.bot.index.passages:
            problems.append("index: no passages loaded")
        if self.ledger is not None:
            try:
                await asyncio.to_thread(self.ledger.ping)
            except CorpusbotError as err:
                problems.append(f"ledger: {err}")
        status: dict[str, Any] = {"ok": not problems, "passages": len(self.bot.index.passages)}
        if problems:
            status["problems"] = problems
        return web.json_response(status, status=503 if problems else 200)

    async def start_http(self, port: int, host: str = DEFAULT_HOST, *, once: bool = False) -> None:
        """Serve HTTP on ``host``:``port`` until cancelled (127.0.0.1 unless told: behind
        a load balancer, pass 0.0.0.0)."""
        await until_reachable(
            "slack", self.env.api_url, self.verify_bot_token, NETWORK_ERRORS, once=once
        )
        await self.listen(port, host)
        await asyncio.Event().wait()

    async def listen(self, port: int, host: str = DEFAULT_HOST) -> int:
        """Start serving and return the port (a free one when ``port`` is 0)."""
        # The event loop gives up the GIL at every socket call and then waits for the
        # search thread to hand it back: at the default 5 ms switch interval a burst
        # of searches makes every ack wait. 0.5 ms keeps acks on time.
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        runner = web.AppRunner(self.web_app(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port, backlog=1024).start()
        bound = runner.addresses[0][1]
        log.info("slack: HTTP on %s:%d, %s and /healthz", host, bound, EVENTS_PATH)
        self._runner = runner
        return int(bound)

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._workers.shutdown(wait=False, cancel_futures=True)
        if self._http is not None:
            await self._http.close()
