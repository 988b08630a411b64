"""The data the core passes around: frozen, typed, platform-free.

Articles, turns, events and passages come from ingest and are stored as JSON in
``seeds/articles/``; queries and replies are what handlers take and return. Adapters
render replies; nothing here knows about Slack or Discord.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from bot.query.terms import Term


class Role(StrEnum):
    INTERVIEWER = "interviewer"
    INTERVIEWEE = "interviewee"
    NARRATION = "narration"
    # A person quoted in prose: their words between quotation marks ("他指出:“…”").
    QUOTED = "quoted"
    # A person's words reported without quotation marks ("馬克龍表示，法方支持…",
    # "Kirby said that …"): a reply says "according to" rather than quoting.
    REPORTED = "reported"


class Platform(StrEnum):
    """Where a digest target posts (``console`` prints to standard output)."""

    CONSOLE = "console"
    SLACK = "slack"
    DISCORD = "discord"


class Kind(StrEnum):
    TEXT = "text"
    HEADING = "heading"


class How(StrEnum):
    """How a turn's speaker was found."""

    CONFIG = "config"  # the interviewee or interviewer named in config/articles.toml
    LABEL = "label"  # "Name：…", "MR. KIRBY:", "**Name：**"
    LEGEND = "legend"  # a label defined by a legend line ("問：記者 黎：黎照昌")
    QA = "qa"  # "問：" / "Q" and the unlabelled answers after it
    NAME_LINE = "name line"  # a name alone on its line, then that person's paragraphs
    CONTINUATION = "continuation"  # an unlabelled paragraph after a labelled one
    PROSE_VERB = "prose verb"  # a speech verb with the person named in the sentence
    PRONOUN = "pronoun"  # a speech verb with 他/她/he/she for the last person named
    TURN = "turn taking"  # a bare quotation in two people's talk: the other one's reply
    NONE = "none"  # narration: nobody speaks


class SpeakerKind(StrEnum):
    """Who a turn's speaker is: one person, or a voice a reply words differently."""

    PERSON = "person"
    # Many people as one voice ("孩子们", "所有喝酒的人"): labelled by the group noun and
    # never merged with a person.
    GROUP = "group"
    # The "我" of first-person fiction ("我说"), never one person with an interviewee's 我.
    NARRATOR = "narrator"


class Provenance(StrEnum):
    """Where a metadata value came from."""

    TEXT = "text"  # found in the article's text
    CONFIG = "config"  # set in config/articles.toml
    FILE = "file"  # the file name
    FRONT_MATTER = "front matter"  # a YAML/TOML block at the top of the file
    NONE = "none"  # nowhere: the value is None


@dataclass(frozen=True)
class Field:
    """A metadata value and where it came from."""

    value: str | None
    source: Provenance


@dataclass(frozen=True)
class Turn:
    """A run of text by one speaker (or narration) inside one paragraph."""

    paragraph: int
    speaker: str | None
    role: Role
    kind: Kind
    text: str
    # How the speaker was found, and how sure that is (1.0 for narration).
    how: How = How.NONE
    confidence: float = 1.0
    speaker_kind: SpeakerKind = SpeakerKind.PERSON


class EventKind(StrEnum):
    """What a dated sentence reports (decided at ingest, ``bot/ingest/event_kinds.py``)."""

    HAPPENED = "happened"
    FORECAST = "forecast"  # a forecast or a plan: not (yet) happened when written
    SPAN = "span"  # a stretch of time: "从2020年到2022年", "2022年以来"


@dataclass(frozen=True)
class Event:
    """A dated sentence or clause: ``date`` is YYYY, YYYY-MM or YYYY-MM-DD. A span runs
    from ``date`` to ``end`` (None: to the time of writing, when that is unknown)."""

    date: str
    expression: str
    text: str
    paragraph: int
    kind: EventKind = EventKind.HAPPENED
    end: str | None = None


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
    author: Field = field(default_factory=lambda: Field(None, Provenance.NONE))
    # What ingest decided on thin evidence ("label 'X' used once: taken as …").
    warnings: tuple[str, ...] = ()
    # Relative dates with nothing to resolve them against ("第二天" before any date).
    unresolved_dates: tuple[str, ...] = ()

    def kind_of(self, speaker: str) -> SpeakerKind:
        """What ``speaker`` is in this article (the passages carry the name only)."""
        kinds = (t.speaker_kind for t in self.turns if t.speaker == speaker)
        return next(kinds, SpeakerKind.PERSON)


# ---- requests and replies -------------------------------------------------------------


class Command(StrEnum):
    QUOTE = "quote"
    WHOSAID = "whosaid"
    TIMELINE = "timeline"
    HELP = "help"
    ERROR = "error"
    DIGEST = "digest"


@dataclass(frozen=True)
class DateFilter:
    """Dates typed in a timeline query: events within ``start``..``end`` (inclusive
    days; None is open). ``words`` is what was typed ("2024年以来"), ``label`` says it
    in the reply's words ("since 2024")."""

    start: dt.date | None
    end: dt.date | None
    words: str
    label: str


@dataclass(frozen=True)
class Query:
    command: Command
    text: str
    offset: int = 0
    limit: int = 3
    notices: tuple[str, ...] = ()
    # /timeline: the date words as a filter, and what is left of the text to search
    # ("" when the query is only a date). None for the other commands.
    dates: DateFilter | None = None
    topic: str | None = None
    # The command word as typed ("時間線"): a topic without Han characters ("Meta") is
    # answered in the script of the whole input, command word included.
    word: str = ""

    @property
    def search_text(self) -> str:
        return self.text if self.topic is None else self.topic


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
    # The stored text's script when the text shown was converted from it; None: verbatim.
    converted_from: str | None = None


@dataclass(frozen=True)
class SourceRef:
    article_id: str
    title: str
    source_url: str | None
    date: str | None


@dataclass(frozen=True)
class TimelineEntry:
    """One dated fact; reported by every article in ``sources``. ``conflicts`` holds
    the other dates that other articles give for the same fact. A span runs from
    ``date`` to ``end`` (None: to now); a forecast is a forecast or a plan."""

    date: str
    text: str
    article_id: str
    sources: tuple[SourceRef, ...]
    conflicts: tuple[str, ...] = ()
    kind: EventKind = EventKind.HAPPENED
    end: str | None = None

    @property
    def when(self) -> str:
        """The date as shown: "2016", or both ends of a span ("2022–2025-02", "1987–now")."""
        if self.kind is not EventKind.SPAN:
            return self.date
        return f"{self.date}–{self.end or 'now'}"


@dataclass(frozen=True)
class Relevance:
    """How much of the query the best hit holds, against the command's floor: why a
    query was answered or judged a miss (``ask --json``). ``uncovered``: query words
    the corpus lacks with no counterpart through any query step (bot/query/uncovered.py)."""

    share: float
    floor: float
    uncovered: tuple[str, ...] = ()

    @property
    def matched(self) -> bool:
        return self.share >= self.floor


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
    # The corpus that answered (``SearchIndex.version``): paging carries it, so a page
    # asked after a live reload can say the corpus changed.
    corpus: str = ""
    # The search terms actually used, and where each came from (bot/query).
    interpreted: tuple[Term, ...] = ()
    # The relevance floor's verdict (None: no search ran, as for help or bad input).
    relevance: Relevance | None = None
