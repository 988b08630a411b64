"""Reply -> Slack message (Block Kit plus a plain-text fallback), in one place.

Slack's limits are enforced here: a section's text is at most 3000 characters, a
message at most 50 blocks; anything longer is cut with a notice, never sent to fail.
Everything the bot echoes (the query, corpus text, titles) is escaped (&, <, >), so
nothing can become <!channel>, <!here>, <@U…> or a forged link.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from adapters.text import Audience, entry_note, mark, offers_post
from bot import messages
from bot.models import Reply, Result, TimelineEntry
from bot.safe_text import clean

SECTION_LIMIT = 3000
BLOCK_LIMIT = 50
TEXT_LIMIT = 3000  # the notification / fallback text
BUTTON_VALUE_LIMIT = 2000
BUTTON_QUERY_KEPT = 900
MORE_ACTION = "corpusbot_more"
POST_ACTION = "corpusbot_post"
# Slack only renders *bold* at word boundaries; Chinese has no spaces, so a zero-width
# space gives the asterisks the boundary they need.
ZWSP = "\u200b"
_OPEN_TAIL = re.compile(r"&[a-z]*$|<[^<>]*$")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, label: str) -> str:
    # "|" and ">" would end the link early: percent-encode them in the address.
    safe = quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")
    return f"<{safe}|{escape(label)}>"


def _cut(text: str, limit: int = SECTION_LIMIT) -> str:
    if len(text) <= limit:
        return text
    notice = messages.SLACK_SECTION_CUT
    head = text[: limit - len(notice) - 1]
    # Never end inside an escape (&amp;) or a link (<url|label>): Slack shows it raw.
    return _OPEN_TAIL.sub("", head) + "\n" + notice


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text)}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(text)}]}


def _attribution(r: Result) -> str:
    who = f"*{escape(r.speaker)}* ({r.role.value})" if r.speaker else f"_{messages.NARRATION}_"
    title = _link(r.source_url, r.title) if r.source_url else f"《{escape(r.title)}》"
    date = f" · {r.date}" if r.date else ""
    return f"{who} · {title}{date}"


def _result_blocks(n: int, r: Result) -> list[dict[str, Any]]:
    blocks = []
    if r.context:
        blocks.append(_context(f"… {escape(r.context)}"))
    quoted = "\n".join(
        f"&gt; {line}"
        for line in mark(r.text, r.highlights, f"{ZWSP}*", f"*{ZWSP}", escape).split("\n")
    )
    blocks.append(_section(f"*{n}.*\n{quoted}"))
    blocks.append(_context(_attribution(r)))
    return blocks


def _event_line(e: TimelineEntry) -> str:
    sources = "; ".join(
        _link(s.source_url, s.title) if s.source_url else escape(s.title) for s in e.sources
    )
    note = entry_note(e)
    conflict = f"  _({escape(note)})_" if note else ""
    return f"*{e.when}*  {escape(e.text)}{conflict}\n      — {sources}"


def button_value(query_text: str, offset: int, corpus: str = "") -> str:
    """Everything needed to serve a button later, by any process: the query, the page,
    and the corpus version that answered (a page after a live reload says so)."""
    data: dict[str, object] = {"t": query_text, "o": offset} | ({"c": corpus} if corpus else {})
    value = json.dumps(data, ensure_ascii=False)
    if len(value) > BUTTON_VALUE_LIMIT:
        # A mention's text reaches here whole; the search reads only its first 500
        # characters after the command word, so the button keeps more than that (each
        # character at most two once JSON escapes it: within Slack's 2000).
        value = json.dumps(data | {"t": query_text[:BUTTON_QUERY_KEPT]}, ensure_ascii=False)
    return value


def parse_button_value(value: object) -> tuple[str, int, str] | None:
    """The query, page and corpus version a button carries (the version "" for a button
    made before versions), or None for a value this bot never made."""
    try:
        data = json.loads(value)  # type: ignore[arg-type]
        return clean(str(data["t"]), "slack"), max(0, int(data["o"])), str(data.get("c", ""))
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def render(
    reply: Reply,
    *,
    command_text: str,
    audience: Audience = Audience.PUBLIC,
    shared_by: str | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    """``command_text`` is what the user asked ("/quote 数据墙"), for the buttons; a
    ``PRIVATE`` answer offers *Post to channel*."""
    blocks: list[dict[str, Any]] = []
    header = [escape(n) for n in reply.notices]
    if notice:
        header.append(escape(notice))
    if reply.message:
        header.append(escape(reply.message))
    if shared_by:
        shared = messages.SHARED_BY_ASKING.format(
            who=f"<@{shared_by}>", command=escape(command_text)
        )
        blocks.append(_context(shared))
    if header:
        blocks.append(_section("\n".join(header)))
    for n, r in enumerate(reply.results, reply.offset + 1):
        blocks += _result_blocks(n, r)
    chunk: list[str] = []
    for e in reply.events:
        line = _event_line(e)
        if chunk and len("\n".join([*chunk, line])) > SECTION_LIMIT:
            blocks.append(_section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(_section("\n".join(chunk)))
    actions = []
    if reply.next_offset is not None:
        more = button_value(command_text, reply.next_offset, reply.corpus)
        actions.append(_button(messages.BUTTON_MORE, MORE_ACTION, more))
    if offers_post(audience, bool(reply.results or reply.events)):
        actions.append(
            _button(
                messages.BUTTON_POST,
                POST_ACTION,
                button_value(command_text, reply.offset, reply.corpus),
                "primary",
            )
        )
    reserve = 2 if actions else 1
    if len(blocks) > BLOCK_LIMIT - reserve:
        blocks = blocks[: BLOCK_LIMIT - reserve]
        blocks.append(_context(messages.SLACK_BLOCKS_CUT))
    if actions:
        blocks.append({"type": "actions", "elements": actions})
    return {"text": _fallback(reply), "blocks": blocks}


def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _fallback(reply: Reply) -> str:
    """Plain text for notifications and clients without blocks (escaped too)."""
    if reply.results:
        first = reply.results[0]
        who = first.speaker or messages.NARRATION
        text = f"{who}: {first.text}"
    elif reply.events:
        text = f"{reply.events[0].date} {reply.events[0].text}"
    else:
        text = reply.message or ""
    text = escape(text)
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"
