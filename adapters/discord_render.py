"""Reply -> Discord message (content and embeds), in one place.

Discord's limits are enforced here: content 2000 characters, an embed description
4096, 25 fields, 10 embeds and 6000 characters across a message's embeds; longer
answers are cut with a notice. Corpus text and queries are escaped (Markdown and
mentions), and every message is sent with ``NO_MENTIONS``, so nothing the bot echoes
can ping @everyone, a role or a user.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field

import discord
from discord.utils import escape_markdown, escape_mentions

from adapters.text import entry_note, mark
from bot import messages
from bot.models import Reply, Result, TimelineEntry

CONTENT_LIMIT = 2000
DESCRIPTION_LIMIT = 4096
TITLE_LIMIT = 256
AUTHOR_LIMIT = 256
FOOTER_LIMIT = 2048
FIELD_LIMIT = 25
EMBED_LIMIT = 10
TOTAL_LIMIT = 6000
# Below this many characters per embed a passage says nothing: leave embeds out instead.
SHARE_FLOOR = 120
NO_MENTIONS = discord.AllowedMentions.none()
COLOUR = discord.Colour(0x2C3E50)
PICTURE_NAME = "timeline.png"
URL_LIMIT = 2048

log = logging.getLogger(__name__)


@dataclass
class RenderedMessage:
    content: str | None
    embeds: list[discord.Embed] = field(default_factory=list)
    allowed_mentions: discord.AllowedMentions = NO_MENTIONS
    # The timeline picture (PNG), attached beside the text (``bot.chart``).
    picture: bytes | None = None

    def files(self) -> list[discord.File]:
        """Fresh attachments for one send (a ``discord.File`` is read once)."""
        if self.picture is None:
            return []
        return [discord.File(io.BytesIO(self.picture), filename=PICTURE_NAME)]


def safe(text: str) -> str:
    return escape_mentions(escape_markdown(text))


def cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, saying so when it had to be cut."""
    notice = messages.DISCORD_CUT
    return text if len(text) <= limit else text[: limit - len(notice) - 1] + "\n" + notice


def _link(url: str | None) -> str | None:
    """An address Discord takes as an embed's link (http or https, no spaces, within
    its length): anything else would make it refuse the whole message."""
    if url and len(url) <= URL_LIMIT and re.fullmatch(r"https?://[^\s<>]+", url):
        return url
    return None


def _result_embed(n: int, r: Result) -> discord.Embed:
    description = mark(r.text, r.highlights, "**", "**", safe)
    if r.context:
        description = f"-# … {safe(r.context)}\n{description}"
    embed = discord.Embed(
        title=cut(f"{n}. {r.title}", TITLE_LIMIT),
        url=_link(r.source_url),
        description=cut(description, DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    who = f"{r.speaker} ({r.role.value})" if r.speaker else messages.NARRATION
    embed.set_author(name=cut(who, AUTHOR_LIMIT))
    if r.date:
        embed.set_footer(text=r.date)
    return embed


def _timeline_embeds(events: tuple[TimelineEntry, ...]) -> list[discord.Embed]:
    """Events one per line, their sources as numbered references listed once: the
    articles' long addresses would otherwise eat the message's 6000 characters."""
    refs: dict[tuple[str, str | None], int] = {}
    lines = []
    for e in events:
        marks = []
        for source in e.sources:
            key = (source.title, source.source_url)
            marks.append(f"[{refs.setdefault(key, len(refs) + 1)}]")
        note = entry_note(e)
        conflict = f" *({safe(note)})*" if note else ""
        lines.append(f"**{e.when}** {safe(e.text)}{conflict} {''.join(marks)}")
    sources = [
        f"[{n}] [{safe(title)}]({_link(url)})" if _link(url) else f"[{n}] {safe(title)}"
        for (title, url), n in refs.items()
    ]
    timeline = discord.Embed(
        title=messages.TIMELINE_TITLE,
        description=cut("\n".join(lines), DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    cited = discord.Embed(description=cut("\n".join(sources), DESCRIPTION_LIMIT), colour=COLOUR)
    return [timeline, cited]


def _size(embed: discord.Embed) -> int:
    return len(embed)  # discord.py counts title, description, fields, footer and author


def render(
    reply: Reply, *, shared_by: str | None = None, asked: str | None = None
) -> RenderedMessage:
    """``asked``: the question in full, as the last embed's footer (for buttons whose
    custom_id had to cut it); it counts towards the 6000 characters like the rest."""
    head = []
    if shared_by:
        head.append(messages.SHARED_BY.format(who=shared_by))
    head += [safe(n) for n in reply.notices]
    if reply.message:
        head.append(safe(reply.message))
    if reply.next_offset is not None:
        head.append(safe(messages.MORE_RESULTS.format(shown=reply.next_offset, total=reply.total)))
    embeds = [_result_embed(n, r) for n, r in enumerate(reply.results, reply.offset + 1)]
    if reply.events:
        embeds += _timeline_embeds(reply.events)
    made = len(embeds)
    embeds = _fit(embeds)
    if asked and embeds:
        embeds[-1].set_footer(text=cut(f"{messages.ASKED_FOOTER}{asked}", FOOTER_LIMIT))
        embeds = _fit(embeds)
    if len(embeds) < made:
        # Never silently: the reader is told, the operator sees how often it happens.
        left_out = made - len(embeds)
        log.warning(
            "Discord answer to %r over the message limits: %d of %d embeds left out",
            reply.query[:60],
            left_out,
            made,
        )
        head.append(safe(messages.DISCORD_LEFT_OUT.format(count=left_out)))
    content = _content(head)
    return RenderedMessage(content, embeds)


def _content(head: list[str]) -> str | None:
    """The lines above the embeds within 2000 characters; the last line (the notice of
    what was left out, or the More line) is kept whole when the rest must be cut."""
    if not head:
        return None
    text = "\n".join(head)
    if len(text) <= CONTENT_LIMIT:
        return text
    last = head[-1][: CONTENT_LIMIT // 2]
    log.info("Discord answer's text cut to %d characters (was %d)", CONTENT_LIMIT, len(text))
    return cut("\n".join(head[:-1]), CONTENT_LIMIT - len(last) - 1) + "\n" + last


def asked_of(footer: str | None) -> str | None:
    """The question a footer written by ``render(asked=…)`` holds, if it is one."""
    if footer and footer.startswith(messages.ASKED_FOOTER):
        return footer.removeprefix(messages.ASKED_FOOTER)
    return None


def _fit(embeds: list[discord.Embed]) -> list[discord.Embed]:
    """At most 10 embeds and 6000 characters in all. Over 6000, the descriptions are
    shortened (each with the visible cut notice), the shortest kept whole and the room
    left shared by the longer ones; only when each would keep under ``SHARE_FLOOR``
    characters is the last embed left out (``render`` says so, and logs it)."""
    kept = embeds[:EMBED_LIMIT]
    while kept:
        total = sum(_size(e) for e in kept)
        if total <= TOTAL_LIMIT:
            break
        texts = [e.description or "" for e in kept]
        room = TOTAL_LIMIT - (total - sum(map(len, texts)))
        if room // len(kept) >= SHARE_FLOOR:
            shares = _shares([len(t) for t in texts], room)
            log.info("Discord answer over 6000 characters: descriptions cut to %s", shares)
            for embed, text, share in zip(kept, texts, shares, strict=True):
                embed.description = cut(text, share)
            break
        kept.pop()
    return kept


def _shares(lengths: list[int], room: int) -> list[int]:
    """How many characters each description keeps, ``room`` in all: a short one whole,
    the rest split evenly among the longer ones."""
    shares = [0] * len(lengths)
    left = room
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    for done, i in enumerate(order):
        shares[i] = min(lengths[i], left // (len(lengths) - done))
        left -= shares[i]
    return shares
