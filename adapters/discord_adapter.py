"""Discord adapter on discord.py 2.x: interactions and mentions -> core -> embeds.

Application commands live in a CommandTree with zh-CN and zh-TW localisations; each
defers at once (Discord allows 3 seconds) and answers with a follow-up. Buttons are
``DynamicItem``s whose custom_id carries their state (action, offset, asker, query),
so a restarted bot still serves them, and only the asker may use them. A mention in a
channel is answered in a thread started on that message; in a thread, in the thread.
Mentions carry their content without the privileged message-content intent, which is
not requested. Rendering lives in ``discord_render``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections import defaultdict, deque
from collections.abc import Awaitable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import aiohttp
import discord
from discord import app_commands
from discord.app_commands import locale_str

from adapters.connect import until_reachable
from adapters.discord_render import (
    CONTENT_LIMIT,
    NO_MENTIONS,
    RenderedMessage,
    asked_of,
    cut,
    render,
    safe,
)
from adapters.text import Audience, PageAction, offers_post
from bot import messages
from bot.chart import picture_of
from bot.core import CorpusBot
from bot.digest.service import PostKey
from bot.errors import ConfigError, DeliveryError
from bot.models import Reply
from bot.safe_text import clean
from bot.search.index import SearchIndex

log = logging.getLogger(__name__)

CUSTOM_ID_LIMIT = 100
AUTOCOMPLETE_CHOICES = 25
_MENTION = re.compile(r"<@!?\d+>")
# What a send to Discord can raise once discord.py's own retries are spent: Discord's
# refusals (HTTPException and its subclasses) and the network's.
DISCORD_ERRORS = (discord.HTTPException, aiohttp.ClientError, OSError)
NETWORK_ERRORS = (aiohttp.ClientError, OSError)  # at start-up: retried with backoff
# What discord.py's Client warns at its first start when the voice libraries are missing:
# this bot has no voice, so they only sent the operator looking for a missing package.
VOICE_NOT_INSTALLED = frozenset(
    {
        "PyNaCl is not installed, voice will NOT be supported",
        "davey is not installed, voice will NOT be supported",
    }
)


class Localiser(app_commands.Translator):
    async def translate(
        self, string: locale_str, locale: discord.Locale, context: app_commands.TranslationContext
    ) -> str | None:
        return messages.TRANSLATIONS.get(locale.value, {}).get(string.message)


@dataclass(frozen=True)
class DiscordEnv:
    token: str
    guild_id: int | None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> DiscordEnv:
        token = environ.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise ConfigError("DISCORD_TOKEN", "is not set")
        if len(token) < 20 or " " in token:
            raise ConfigError("DISCORD_TOKEN", "does not look like a bot token")
        guild = environ.get("DISCORD_GUILD_ID", "").strip()
        if guild and not guild.isdigit():
            raise ConfigError("DISCORD_GUILD_ID", "must be a numeric server id")
        return cls(token, int(guild) if guild else None)


# ---- converters: platform event -> neutral request ------------------------------------


def mention_text(content: str) -> str:
    return clean(_MENTION.sub(" ", content), "discord").strip()


def custom_id(action: PageAction, offset: int, asker: int, query: str, corpus: str = "") -> str:
    """``corpus``: the version that answered, after the offset ("cb:more:3@ab12:…")."""
    head = f"cb:{action}:{offset}{'@' + corpus if corpus else ''}:{asker}:"
    room = CUSTOM_ID_LIMIT - len(head)
    return head + (query if len(query) <= room else query[: room - 1] + "…")


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    # (?s): a question asked in a mention may hold line breaks.
    template=(
        r"(?s)cb:(?P<action>more|post):(?P<offset>\d+)(?:@(?P<corpus>[0-9a-f]{1,16}))?"
        r":(?P<asker>\d+):(?P<query>.*)"
    ),
):
    """The "More" and "Post to channel" buttons: all they need is in the custom_id."""

    def __init__(
        self, action: PageAction, offset: int, asker: int, query: str, corpus: str = ""
    ) -> None:
        label, style = (
            (messages.BUTTON_MORE, discord.ButtonStyle.secondary)
            if action is PageAction.MORE
            else (messages.BUTTON_POST, discord.ButtonStyle.primary)
        )
        super().__init__(
            discord.ui.Button(
                label=label, style=style, custom_id=custom_id(action, offset, asker, query, corpus)
            )
        )
        self.action, self.offset, self.asker, self.query = action, offset, asker, query
        self.corpus = corpus

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PageButton:
        query = match["query"]
        if query.endswith("…") and interaction.message and interaction.message.embeds:
            query = asked_of(interaction.message.embeds[-1].footer.text) or query
        action, offset, asker = (
            PageAction(match["action"]),
            int(match["offset"]),
            int(match["asker"]),
        )
        return cls(action, offset, asker, clean(query, "discord"), match["corpus"] or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        adapter: DiscordAdapter = interaction.client.adapter  # type: ignore[attr-defined]
        await adapter.on_button(interaction, self)


class CorpusClient(discord.Client):
    def __init__(self, adapter: DiscordAdapter, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.adapter = adapter

    async def setup_hook(self) -> None:
        await self.adapter.setup()

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.on_message(message)


class DiscordAdapter:
    def __init__(self, bot: CorpusBot, env: DiscordEnv) -> None:
        self.bot = bot
        self.env = env
        # Default intents: no message content; mentions of the bot carry theirs anyway.
        with _without_voice_warnings():
            self.client = CorpusClient(
                self, intents=discord.Intents.default(), allowed_mentions=NO_MENTIONS
            )
        self.tree = app_commands.CommandTree(self.client)
        self._recent: defaultdict[int, deque[str]] = defaultdict(lambda: deque(maxlen=10))
        # Autocomplete's topics, per index: a live reload (``bot.reload``) swaps
        # ``bot.index``, and the next suggestion reads the new corpus's words.
        self._topics: WeakKeyDictionary[SearchIndex, list[str]] = WeakKeyDictionary()
        self._register()
        self.client.add_dynamic_items(PageButton)

    # ---- commands ---------------------------------------------------------------------

    def _register(self) -> None:
        adapter = self

        def described(name: str):  # type: ignore[no-untyped-def]
            description, param, param_description = messages.COMMAND_DESCRIPTIONS[name]

            def wrap(callback):  # type: ignore[no-untyped-def]
                callback = app_commands.describe(**{param: locale_str(param_description)})(callback)
                callback = app_commands.rename(**{param: locale_str(param)})(callback)
                return app_commands.command(
                    name=locale_str(name), description=locale_str(description)
                )(callback)

            return wrap

        @described("quote")
        async def quote(interaction: discord.Interaction, query: str) -> None:
            await adapter.on_command(interaction, "quote", query)

        @described("whosaid")
        async def whosaid(interaction: discord.Interaction, phrase: str) -> None:
            await adapter.on_command(interaction, "whosaid", phrase)

        @described("timeline")
        async def timeline(interaction: discord.Interaction, topic: str) -> None:
            await adapter.on_command(interaction, "timeline", topic)

        for command, param in ((quote, "query"), (whosaid, "phrase"), (timeline, "topic")):
            command.autocomplete(param)(self._autocomplete(command.name))
            self.tree.add_command(command)

    def _autocomplete(self, name: str):  # type: ignore[no-untyped-def]
        async def complete(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            index = self.bot.index
            if index not in self._topics:  # once per corpus, off the loop
                await asyncio.to_thread(lambda: (self.topics(index), index.speakers))
            return [
                app_commands.Choice(name=c[:100], value=c[:100])
                for c in self.suggestions(name, interaction.user.id, current)
            ]

        return complete

    def topics(self, index: SearchIndex) -> list[str]:
        """The corpus's frequent words, worked out once per index."""
        topics = self._topics.get(index)
        if topics is None:
            topics = self._topics[index] = index.frequent_words()
        return topics

    def suggestions(self, command: str, user: int, current: str) -> list[str]:
        """Within Discord's 25 choices and 3 seconds, from the corpus served now: its
        speakers and frequent words, and the asker's own recent queries."""
        index = self.bot.index
        fold = index.folder.fold
        needle = fold(current)
        if command == "timeline":
            pool = [*index.speakers, *self.topics(index)]
        elif command == "quote":
            pool = [*reversed(self._recent[user]), *self.topics(index)]
        else:
            pool = list(reversed(self._recent[user]))
        seen: dict[str, None] = {}
        for item in pool:
            if needle in fold(item):
                seen.setdefault(item, None)
            if len(seen) >= AUTOCOMPLETE_CHOICES:
                break
        return list(seen)

    async def setup(self) -> int:
        """At login: localise, and sync to the development server if one is set.
        Global sync happens only through ``python -m bot discord-sync``."""
        await self.tree.set_translator(Localiser())
        if not self.env.guild_id:
            return 0
        guild = discord.Object(id=self.env.guild_id)
        self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        log.info("discord: synced %d commands to server %s", len(synced), self.env.guild_id)
        return len(synced)

    async def sync_global(self) -> int:
        await self.tree.set_translator(Localiser())
        return len(await self.tree.sync())

    # ---- handlers ---------------------------------------------------------------------

    def _view(
        self, reply: Reply, text: str, asker: int, audience: Audience
    ) -> discord.ui.View | None:
        view = discord.ui.View(timeout=None)
        if reply.next_offset is not None:
            view.add_item(PageButton(PageAction.MORE, reply.next_offset, asker, text, reply.corpus))
        if offers_post(audience, bool(reply.results or reply.events)):
            view.add_item(PageButton(PageAction.POST, reply.offset, asker, text, reply.corpus))
        return view if view.children else None

    async def _message(self, reply: Reply, text: str, **kwargs: Any) -> RenderedMessage:
        # The full question, for buttons whose custom_id had to cut it.
        asked = text if len(text) > CUSTOM_ID_LIMIT // 2 else None
        rendered = render(reply, asked=asked, **kwargs)
        rendered.picture = await picture_of(reply)
        return rendered

    async def on_command(self, interaction: discord.Interaction, name: str, query: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        query = clean(query, "discord")
        text = f"/{name} {query}"
        if query.strip():  # an autocomplete choice needs a name
            self._recent[interaction.user.id].append(query.strip())
        reply = await self.bot.ask_off_loop(text)
        rendered = await self._message(reply, text)
        view = self._view(reply, text, interaction.user.id, Audience.PRIVATE)
        await self._answer(interaction, rendered, view, Audience.PRIVATE)

    async def on_button(self, interaction: discord.Interaction, button: PageButton) -> None:
        if interaction.user.id != button.asker:
            await self._deliver(
                "refuse a button",
                interaction.id,
                interaction.response.send_message(
                    messages.ONLY_ASKER, ephemeral=True, allowed_mentions=NO_MENTIONS
                ),
            )
            return
        reply = await self.bot.ask_off_loop(button.query, button.offset, button.corpus)
        if button.action is PageAction.POST:
            rendered = await self._message(reply, button.query, shared_by=interaction.user.mention)
            await self._answer(interaction, rendered, None, Audience.PUBLIC)
            return
        rendered = await self._message(reply, button.query)
        view = self._view(reply, button.query, button.asker, Audience.PRIVATE)
        await self._answer(interaction, rendered, view, Audience.PRIVATE)

    async def on_message(self, message: discord.Message) -> None:
        me = self.client.user
        if message.author.bot or me is None or not any(u.id == me.id for u in message.mentions):
            return
        text = mention_text(message.content)
        reply = await self.bot.ask_off_loop(text)
        rendered = await self._message(reply, text)
        view = self._view(reply, text, message.author.id, Audience.PUBLIC)

        async def in_thread() -> None:
            target = await self._thread_for(message, text)
            await target.send(
                content=rendered.content,
                embeds=rendered.embeds,
                files=_attachable(rendered, target),
                allowed_mentions=NO_MENTIONS,
                view=view or discord.utils.MISSING,
            )

        await self._deliver("answer mention", message.channel.id, in_thread())

    async def _thread_for(self, message: discord.Message, text: str) -> discord.abc.Messageable:
        """Where a mention is answered: a thread started on it; the thread or direct
        message it was made in; or, where the bot may not start a thread, its channel."""
        if isinstance(message.channel, discord.Thread) or message.guild is None:
            return message.channel
        # A thread's name is one line of 1 to 100 characters.
        name = " ".join(text.split())[:90] or "corpusbot"
        try:
            return await message.create_thread(name=name, auto_archive_duration=1440)
        except discord.HTTPException as err:
            log.warning(
                "discord: cannot start a thread in %s (%s); answering in the channel",
                message.channel.id,
                str(err) or type(err).__name__,
            )
            return message.channel

    # ---- delivery: one path, one error family ------------------------------------------

    async def _deliver(self, what: str, where: object, send: Awaitable[Any]) -> Exception | None:
        """Await one send to Discord; a refusal or network failure (after discord.py's
        own retries) is logged, never raised into the gateway. Returns that error."""
        try:
            await send
        except DISCORD_ERRORS as err:
            log.error("discord: cannot %s in %s: %s", what, where, str(err) or type(err).__name__)
            return err
        return None

    async def _answer(
        self,
        interaction: discord.Interaction,
        rendered: RenderedMessage,
        view: discord.ui.View | None,
        audience: Audience,
    ) -> None:
        """The interaction's answer: a follow-up once deferred, else the response; a
        normal channel message once the 15-minute interaction token has expired."""
        kwargs: dict[str, Any] = {
            "content": rendered.content,
            "embeds": rendered.embeds,
            "ephemeral": audience is Audience.PRIVATE,
            "allowed_mentions": NO_MENTIONS,
            "files": rendered.files(),
        }
        if view:
            kwargs["view"] = view
        if interaction.response.is_done():
            send = interaction.followup.send(**kwargs)
        else:
            send = interaction.response.send_message(**kwargs)
        if isinstance(await self._deliver("answer", interaction.id, send), discord.NotFound):
            await self._fallback(interaction, rendered)

    async def _fallback(self, interaction: discord.Interaction, rendered: RenderedMessage) -> None:
        log.warning(
            "discord: interaction %s expired; answering with a normal message", interaction.id
        )
        channel = interaction.channel
        if not isinstance(channel, discord.abc.Messageable):
            log.error("discord: no channel to fall back to for interaction %s", interaction.id)
            return
        await self._deliver(
            "fall back to a channel message",
            channel.id,
            channel.send(
                content=cut(
                    safe(f"{interaction.user.display_name}: ") + (rendered.content or ""),
                    CONTENT_LIMIT,
                ),
                embeds=rendered.embeds,
                files=_attachable(rendered, channel),
                allowed_mentions=NO_MENTIONS,
            ),
        )

    # ---- digest -----------------------------------------------------------------------

    # Discord drops a second message with the same nonce (enforce_nonce, which discord.py
    # sets with every nonce) within "the past few minutes"; counted conservatively.
    resend_window_s = 120.0

    async def send(self, channel: str, reply: Reply, key: PostKey | None = None) -> str | None:
        """Post a digest excerpt with its key as the nonce; returns the message id.
        Raises on failure so the digest retries."""
        target = self.client.get_channel(int(channel)) or await self.client.fetch_channel(
            int(channel)
        )
        if not isinstance(target, discord.abc.Messageable):
            kind = type(target).__name__
            raise DeliveryError(f"Discord channel {channel} cannot receive messages ({kind})")
        rendered = render(reply)
        message = await target.send(
            content=rendered.content,
            embeds=rendered.embeds,
            allowed_mentions=NO_MENTIONS,
            nonce=key.id if key else None,  # type: ignore[arg-type]  # None: no nonce
        )
        return str(message.id)

    # ---- running ----------------------------------------------------------------------

    async def start(self, *, once: bool = False) -> None:
        """Log in (retrying with backoff while Discord cannot be reached, unless
        ``once``), then hold the gateway with discord.py's own reconnect logic."""

        await self.log_in(once=once)
        await self.client.connect(reconnect=True)

    async def log_in(self, *, once: bool = False) -> None:
        """Log in over HTTP (enough to send: ``digest post`` by hand needs no gateway)."""

        async def login() -> None:
            try:
                await self.client.login(self.env.token)
            except discord.LoginFailure:
                raise ConfigError("DISCORD_TOKEN", "was rejected by Discord") from None

        try:
            await until_reachable(
                "discord", discord.http.Route.BASE, login, NETWORK_ERRORS, once=once
            )
        except BaseException:
            await self.close()  # no "Unclosed client session" on the way out
            raise

    async def close(self) -> None:
        """Leave the gateway and close discord.py's HTTP session; safe to call again."""
        await self.client.close()


@contextlib.contextmanager
def _without_voice_warnings() -> Iterator[None]:
    """While a Client is made (where discord.py warns, once per process), drop exactly
    the two voice warnings at the logger they come from; nothing else it logs, and the
    logger is left as it was."""
    logger = logging.getLogger("discord.client")

    def not_voice(record: logging.LogRecord) -> bool:
        return record.getMessage() not in VOICE_NOT_INSTALLED

    logger.addFilter(not_voice)
    try:
        yield
    finally:
        logger.removeFilter(not_voice)


def _attachable(rendered: RenderedMessage, channel: Any) -> list[discord.File]:
    """The timeline picture, where the bot may attach files: without Attach Files
    Discord would refuse the whole message, so the text goes alone."""
    me = getattr(getattr(channel, "guild", None), "me", None)
    if rendered.picture and me is not None and not channel.permissions_for(me).attach_files:
        log.info("discord: no Attach Files permission in %s; picture left out", channel.id)
        return []
    return rendered.files()
