"""Render helpers shared by every adapter: highlight marking, the conflicting-dates note,
and the names for who sees an answer and what its buttons do.

Each renderer keeps its own syntax (Slack's ``*…*`` with zero-width spaces, Discord's
``**…**``, the console's plain text) and its own escaping; what an answer *says* is
decided once, here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from bot import messages
from bot.models import EventKind, TimelineEntry


class Audience(StrEnum):
    """Who sees an answer. ``PRIVATE`` is the asker alone, and such an answer offers
    *Post to channel*; ``PUBLIC`` is the channel or thread (no Post button)."""

    PRIVATE = "private"
    PUBLIC = "public"


class PageAction(StrEnum):
    """What an answer's button does: the next page, or the same page posted visibly."""

    MORE = "more"
    POST = "post"


def _same(text: str) -> str:
    return text


def mark(
    text: str,
    spans: tuple[tuple[int, int], ...],
    open_: str,
    close: str,
    escape: Callable[[str], str] = _same,
) -> str:
    """Wrap the highlighted spans in ``open_``/``close``, escaping every piece of text
    (never the markers) with the renderer's ``escape``."""
    out, pos = [], 0
    for start, end in spans:
        out += [escape(text[pos:start]), open_, escape(text[start:end]), close]
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def conflict_note(entry: TimelineEntry) -> str | None:
    """ "sources disagree on the date: 2022" for an entry with conflicting dates."""
    if not entry.conflicts:
        return None
    return messages.CONFLICTING_DATES.format(dates=", ".join(entry.conflicts))


def entry_note(entry: TimelineEntry) -> str | None:
    """What a timeline entry's date needs said beside it: "forecast or plan", and the
    conflicting dates."""
    notes = [messages.FORECAST_MARK] if entry.kind is EventKind.FORECAST else []
    conflict = conflict_note(entry)
    if conflict:
        notes.append(conflict)
    return "; ".join(notes) or None


def offers_post(audience: Audience, has_content: bool) -> bool:
    """A private answer with something in it can be posted to the channel."""
    return audience is Audience.PRIVATE and has_content
