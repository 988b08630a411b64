"""Drama scripts: Yuan and Ming zaju and chuanqi, whose turns are cued inside the text.

A cue is a parenthesised role or name and a verb of delivery: "（夫人云）…" (speaks),
"（正旦唱）…" (sings), "(杨景云)…", also after an action: "（夫人打科，云）…",
"（报登科见科，云）…", "（王拱辰…上，云）…" (enters, then speaks). What follows a cue, up
to the next parenthesis, is that role's turn; a cue with no one in it ("（唱）",
"（做拜科，云）", "（见杨景科，云）") goes on with whoever speaks now. A stage direction
("（正旦跪科）", "（见夫人科）", "（下）") is nobody's words. A paragraph with no cue goes on
with the voice before it; before the first cue of an excerpt, only the lead sings (the
正旦 of a play whose cues name her, or its 正末), so an excerpt that opens mid-aria is the
lead's.

A role type the text has play someone ("（正末扮张生上，云）", "（外扮老夫人上）", "（正末改扮
杨景上）") is that person from there on, until another "扮" gives it someone else: the
turns are the person's, not the role's.

An article is read as a script only when it has at least ``MIN_CUES`` cues: an
interview's "（笑）" or "（大家說好）" is no cue (no verb of delivery).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.ingest.speakers.lexicon import BEFORE_OBJECT
from bot.textfold import HAN

# A parenthesised group of a script, full-width or ASCII.
GROUP = re.compile(r"[（(](?P<inner>[^（()）\n]{1,40})[)）]")
# The verbs of delivery that end a cue: speaks, sings, says, recites.
DELIVERY = re.compile(r"[，,]?\s*(?:云|唱|白|曰|诗云|詩云|念|说|說|问|問|道)$")
# Role types of the zaju (data): 正旦/正末 lead, 外, 净, 丑, 孤, 卜儿, 孛老, 俫儿 …
ROLE_TYPE = re.compile(
    "^(?:[正副外小大二三老搽贴貼冲沖][旦末净淨丑]|[旦末净淨丑外孤][儿兒]?|卜[儿兒]|孛老|[俫徠徕][儿兒])"
)
LEADS = ("正旦", "正末")
# A direction that the person in it enters with (…上) or that is an action (…科).
ENTERS = re.compile("(?:上|上场|上場)$")
ACTION = "科"
EXIT = re.compile("^(?:下|同下|俱下|先下|并下|並下|下场|下場)$")
MIN_CUES = 3
# "正末扮张生骑马引仆上": a role type, 扮 (or 改扮), the person, then what they do.
PLAYS = re.compile(f"^(?P<role>{ROLE_TYPE.pattern[1:]})(?:改)?扮(?P<person>[{HAN}]{{1,8}})")
# Where the person's name ends in a "扮" direction: entering, leading, riding, with, …
_PERSON_ENDS = re.compile("[上引领領骑騎同带帶持拿将將扶跟随隨做云唱科]")
_NAME = re.compile(f"[{HAN}]{{1,5}}")
_WORDS = re.compile(r"[\w\u4e00-\u9fff]")


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph: ``speaker`` None is narration (a direction, or text with
    no one speaking); ``cued``: a cue named the speaker (else it goes on)."""

    speaker: str | None
    text: str
    cued: bool


class Script:
    """The cues of one article and the names they give."""

    def __init__(self, paragraphs: Sequence[str], is_person: Callable[[str], bool]) -> None:
        self.is_person = is_person
        inners = [m.group("inner") for p in paragraphs for m in GROUP.finditer(p)]
        cues = [i for i in inners if DELIVERY.search(i)]
        self.cues = len(cues)
        # Names cued alone, right before the verb ("（夫人云）", "（报登科云）"): the
        # script's cast; an action ends in 科 ("（指自科唱）"), unless it recurs (报登科).
        alone = Counter(_before_object(i[:-1]) for i in cues if _NAME.fullmatch(i[:-1]))
        self.names = {
            b: k for b, k in alone.items() if len(b) >= 2 and (not b.endswith(ACTION) or k >= 2)
        }
        leads = [r for r in LEADS if r in self.names]
        self.lead = leads[0] if len(leads) == 1 else None
        self.playing: dict[str, str] = {}  # role type -> the person it plays now

    def has_group(self, text: str) -> bool:
        return GROUP.search(text) is not None

    @property
    def is_script(self) -> bool:
        return self.cues >= MIN_CUES

    def speaker(self, body: str) -> str | None:
        """Who a cue's body names ("夫人打科" -> 夫人, "王拱辰跚马儿领祗候上" -> 王拱辰),
        or None when it names no one ("做拜科", "见杨景科": the speaker goes on)."""
        if not body:
            return None
        plays = self._plays(body)
        if plays is not None:
            return plays
        if body in self.names:
            return self.playing.get(body, body)
        known = [n for n in self.names if body.startswith(n)]
        if known:
            return max(known, key=len)
        role = ROLE_TYPE.match(body)
        if role:
            # "正旦跪科，云": the role type opens what it does (the person it plays).
            return self.playing.get(role.group(0), role.group(0))
        head = _NAME.match(body)
        if head is None:
            return None
        run = _before_object(head.group(0))
        if ENTERS.search(body) or run != body:
            # "王拱辰跚马儿领祗候上": a name opens what the entering person does.
            for size in (3, 2):
                if len(run) >= size and self.is_person(run[:size]):
                    return run[:size]
            return None
        return run if 2 <= len(run) <= 4 and not body.endswith(ACTION) else None

    def _plays(self, body: str) -> str | None:
        """ "正末扮张生骑马引仆上" -> 张生, and 正末 is 张生 from now on."""
        m = PLAYS.match(body)
        if m is None:
            return None
        person = _PERSON_ENDS.split(m.group("person"), maxsplit=1)[0]
        if not 2 <= len(person) <= 5:
            return None
        self.playing[m.group("role")] = person
        return person

    def segments(self, text: str, current: str | None) -> tuple[list[Segment], str | None]:
        """The paragraph cut at its cues and directions, and who speaks after it;
        ``current``: who speaks now."""
        out: list[Segment] = []
        at = 0
        speaker, cued = current, False
        if current is None and self.lead and not GROUP.match(text.strip()):
            speaker = self.lead  # before any cue, the lead sings
        for m in GROUP.finditer(text):
            inner = m.group("inner").strip()
            cue = DELIVERY.search(inner)
            direction = inner.endswith(ACTION) or EXIT.match(inner) or ENTERS.search(inner)
            if not (cue or direction):
                continue  # a parenthesis inside the speech: part of it
            before = text[at : m.start()]
            if _WORDS.search(before):
                out.append(Segment(speaker, before.strip(), cued))
            at = m.end()
            if cue:
                body = DELIVERY.sub("", inner).strip()
                named = self.speaker(body)
                if named:
                    speaker, cued = named, True
                elif ENTERS.search(body):
                    speaker, cued = None, False  # someone enters whom the cue does not name
                else:
                    speaker, cued = speaker or self.lead, False  # "（唱）", "（做拜科，云）"
                continue
            out.append(Segment(None, m.group(0), False))  # a direction: nobody's words
            self._plays(inner)  # "（外扮老夫人上）": who that role type is from now on
            if EXIT.match(inner):
                speaker, cued = None, False
        rest = text[at:]
        if _WORDS.search(rest):
            out.append(Segment(speaker, rest.strip(), cued))
        return out, speaker


def _before_object(run: str) -> str:
    """ "白敏中向旦" -> 白敏中: whom the line is said to is not who says it."""
    cut = next((i for i, c in enumerate(run) if c in BEFORE_OBJECT and i >= 2), len(run))
    return run[:cut]


def read_script(paragraphs: Sequence[str], is_person: Callable[[str], bool]) -> Script | None:
    script = Script(paragraphs, is_person)
    return script if script.is_script else None
