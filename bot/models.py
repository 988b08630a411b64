"""The data the core passes around: frozen, typed, platform-free.

Articles, turns, events and passages come from ingest and are stored as JSON in
``seeds/articles/``; queries and replies are what handlers take and return. Adapters
render replies; nothing here knows about Slack or Discord.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    INTERVIEWER = "interviewer"
    INTERVIEWEE = "interviewee"
    NARRATION = "narration"
    # A person quoted or paraphrased in news prose ("王表示,…", "他指出:“…”").
    QUOTED = "quoted"


class Kind(StrEnum):
    TEXT = "text"
    HEADING = "heading"


@dataclass(frozen=True)
class Field:
    """A metadata value and where it came from ("text", "config", "file")."""

    value: str | None
    source: str


@dataclass(frozen=True)
class Turn:
    """A run of text by one speaker (or narration) inside one paragraph."""

    paragraph: int
    speaker: str | None
    role: Role
    kind: Kind
    text: str


@dataclass(frozen=True)
class Event:
    """A dated sentence or clause: ``date`` is YYYY, YYYY-MM or YYYY-MM-DD."""

    date: str
    expression: str
    text: str
    paragraph: int


@dataclass(frozen=True)
class Passage:
    """A chat-sized piece of one turn; neighbours are passage ids in reading order."""

    id: str
    article_id: str
    position: int
    paragraph: int
    speaker: str | None
    role: Role
    text: str
    prev_id: str | None
    next_id: str | None


@dataclass(frozen=True)
class Article:
    id: str
    source_file: str
    title: Field
    source_url: Field
    published: Field
    script: Field
    interviewee: Field
    speakers: dict[str, tuple[str, ...]]
    turns: tuple[Turn, ...]
    events: tuple[Event, ...]
    passages: tuple[Passage, ...]
    repairs: dict[str, int] = field(default_factory=dict)
    unrepaired: tuple[str, ...] = ()
    # Every other address the copy cited (original video, paper), kept as metadata.
    links: tuple[str, ...] = ()


# ---- requests and replies -------------------------------------------------------------


class Command(StrEnum):
    QUOTE = "quote"
    WHOSAID = "whosaid"
    TIMELINE = "timeline"
    HELP = "help"
    ERROR = "error"
    DIGEST = "digest"


@dataclass(frozen=True)
class Query:
    command: Command
    text: str
    offset: int = 0
    limit: int = 3
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    """One passage in a reply, display text already in the asker's script."""

    passage_id: str
    text: str
    original_text: str
    highlights: tuple[tuple[int, int], ...]
    speaker: str | None
    role: Role
    article_id: str
    title: str
    date: str | None
    source_url: str | None
    score: float
    context: str | None = None


@dataclass(frozen=True)
class SourceRef:
    article_id: str
    title: str
    source_url: str | None
    date: str | None


@dataclass(frozen=True)
class TimelineEntry:
    """One dated fact; reported by every article in ``sources``. ``conflicts`` holds
    the other dates that other articles give for the same fact."""

    date: str
    text: str
    article_id: str
    sources: tuple[SourceRef, ...]
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    command: Command
    query: str
    results: tuple[Result, ...] = ()
    events: tuple[TimelineEntry, ...] = ()
    message: str | None = None
    notices: tuple[str, ...] = ()
    # Paging: where this page starts, where the next one does (None: nothing more).
    offset: int = 0
    next_offset: int | None = None
    total: int = 0
