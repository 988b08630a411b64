"""``python -m bot run``: every configured adapter and the digest scheduler, one loop.

Slack starts when SLACK_BOT_TOKEN is set (Socket Mode, or HTTP with --slack-http),
Discord when DISCORD_TOKEN is set; with neither, the console chat runs instead, so
the command works with no tokens at all. Configuration and tokens are validated
before anything connects, with errors that name the key or variable. SIGTERM (a
service manager's stop) is a clean stop: a post in progress is left recorded as
interrupted by a stop, and connections are closed.

``digest post`` by hand connects to one platform to send only (``send_only``): the bot
token is all it needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import replace
from functools import partial

from adapters.connect import until_reachable
from adapters.console import ConsoleSender, console_banner, run_console_beside_loop
from bot import messages
from bot.app import build_bot, build_reloader
from bot.config import DigestTarget, Settings
from bot.core import CorpusBot
from bot.digest.ledger import Ledger
from bot.digest.scheduler import DigestScheduler
from bot.digest.service import DigestService, Sender
from bot.errors import ConfigError

log = logging.getLogger(__name__)


async def serve(
    settings: Settings,
    environ: Mapping[str, str],
    slack_http_port: int | None,
    *,
    host: str = "127.0.0.1",
    once: bool = False,
    new_ledger: bool = False,
    prog: str = "corpusbot",
) -> None:
    """``once``: a platform that cannot be reached at start-up is an error instead of
    retries with backoff; ``prog``: how the program was started, for the console's hints."""
    bot = build_bot(settings)
    with _stop_on_sigterm() as stopped:
        try:
            await _serve(bot, settings, environ, slack_http_port, host, once, new_ledger, prog)
        except asyncio.CancelledError:
            if not stopped.is_set():
                raise
            log.info("stopped (SIGTERM)")


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[asyncio.Event]:
    """SIGTERM cancels the serving task, as Ctrl-C does, so everything opened is closed
    and a post in progress is recorded as stopped (not left looking like a crash). The
    event says the cancellation was this stop's."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    stopped = asyncio.Event()

    def stop() -> None:
        stopped.set()
        if task is not None:
            task.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, stop)
    except (NotImplementedError, RuntimeError, ValueError):  # no signals off the main thread
        yield stopped
        return
    try:
        yield stopped
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


async def _serve(
    bot: CorpusBot,
    settings: Settings,
    environ: Mapping[str, str],
    slack_http_port: int | None,
    host: str,
    once: bool,
    new_ledger: bool,
    prog: str,
) -> None:
    # Whatever was opened is closed on the way out, last opened first: the platforms'
    # connections and search threads, then the ledger they record in.
    async with contextlib.AsyncExitStack() as opened:
        ledger = Ledger(settings.digest.ledger, new_ledger=new_ledger)
        opened.callback(ledger.close)
        senders: dict[str, Sender] = {"console": ConsoleSender()}
        services: list[Callable[[], Awaitable[None]]] = []
        # A Slack token of either kind means Slack was wanted: a lone app token is an error.
        if environ.get("SLACK_BOT_TOKEN") or environ.get("SLACK_APP_TOKEN") or slack_http_port:
            from adapters.slack import SlackAdapter, SlackEnv

            env = SlackEnv.from_environ(environ, http=slack_http_port is not None)
            slack = SlackAdapter(bot, env, ledger=ledger)
            opened.push_async_callback(slack.close)
            senders["slack"] = slack
            if slack_http_port:
                services.append(partial(slack.start_http, slack_http_port, host, once=once))
            else:
                services.append(partial(slack.start_socket_mode, once=once))
        if environ.get("DISCORD_TOKEN"):
            from adapters.discord_adapter import DiscordAdapter, DiscordEnv

            discord = DiscordAdapter(bot, DiscordEnv.from_environ(environ))
            opened.push_async_callback(discord.close)
            senders["discord"] = discord
            services.append(partial(discord.start, once=once))
        for i, target in enumerate(settings.digest.targets):
            if target.platform not in senders:
                raise ConfigError(
                    f"digest.targets[{i}].platform",
                    f"{target.platform} is not connected: set its token (see README)",
                )
        if services:
            _operator_log()
        digest = DigestService(bot, ledger, settings.digest.targets, senders, settings.digest.grace)
        scheduler = DigestScheduler(digest)
        scheduler.start()
        opened.push_async_callback(scheduler.stop)
        # A changed article set (ingest, a file dropped in, SIGHUP) swaps in a new index.
        reloads = asyncio.create_task(build_reloader(bot, settings).run())
        opened.callback(reloads.cancel)
        if services:
            await asyncio.gather(*(start() for start in services))
        else:
            await run_console_beside_loop(bot, lambda: console_banner(bot, prog))
            if not sys.stdin.isatty():
                # Under a service manager stdin is /dev/null: the console ends at once,
                # and the bot with it. Not silently: a token misspelt in the service's
                # environment file looks exactly like this.
                log.warning(messages.CONSOLE_INPUT_ENDED)


def _operator_log() -> None:
    """A service's operator reads its log: our own INFO lines (rejected input, a reload,
    a posted excerpt) show, unless -v asked for more; the libraries' stay at WARNING (the
    console keeps its terminal free of them)."""
    for name in ("bot", "adapters"):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)


@contextlib.asynccontextmanager
async def send_only(
    bot: CorpusBot, environ: Mapping[str, str], target: DigestTarget
) -> AsyncIterator[dict[str, Sender]]:
    """A sender for ``target``'s platform that only sends (``digest post`` by hand, beside
    or without a running bot): its bot token is checked with the platform first, so a
    missing or rejected one is an error naming the variable."""
    async with contextlib.AsyncExitStack() as opened:
        senders: dict[str, Sender] = {"console": ConsoleSender()}
        if target.platform == "slack":
            from adapters.slack import NETWORK_ERRORS, SlackAdapter, SlackEnv

            slack = SlackAdapter(bot, SlackEnv.for_sending(environ), workers=1)
            opened.push_async_callback(slack.close)
            await until_reachable(
                "slack", slack.env.api_url, slack.verify_bot_token, NETWORK_ERRORS, once=True
            )
            senders["slack"] = slack
        elif target.platform == "discord":
            from adapters.discord_adapter import DiscordAdapter, DiscordEnv

            discord = DiscordAdapter(bot, DiscordEnv.from_environ(environ))
            opened.push_async_callback(discord.close)
            await discord.log_in(once=True)
            senders["discord"] = discord
        yield senders


async def discord_sync(settings: Settings, environ: Mapping[str, str], guild: int | None) -> int:
    """Register the application commands: globally, or to one server."""
    import discord

    from adapters.discord_adapter import DiscordAdapter, DiscordEnv

    env = replace(DiscordEnv.from_environ(environ), guild_id=None)  # no sync at login
    adapter = DiscordAdapter(build_bot(settings), env)
    try:
        try:
            await adapter.client.login(env.token)
        except discord.LoginFailure:
            raise ConfigError("DISCORD_TOKEN", "was rejected by Discord") from None
        if guild:
            adapter.env = replace(env, guild_id=guild)
            return await adapter.setup()
        return await adapter.sync_global()
    finally:
        await adapter.close()
