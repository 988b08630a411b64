"""Paragraphs -> speaker turns: an ordered tuple of named detectors, then prose.

Each detector looks at one paragraph in its ``Scene`` (the article's speaker table and
rules, and who is speaking now) and returns an ``Attribution`` or None; the first
answer wins. Shapes recognised, in order (``DETECTORS``):
- ``qa``: "問：" lines by the interviewer, whose unlabelled answers are the
  interviewee's (from config, or the person the article mentions most), and "答：";
- ``label``: inline labels, "Name：text";
- ``name_line``: a name alone on its line, followed by that person's paragraphs;
- ``not_speaker``: "总结：…" and other labels that are not people, narration;
- ``heading``: a short line with no sentence punctuation;
- ``continuation``: anything else belongs to whoever speaks now, else narration.
Then ``prose.attribute_prose`` finds quotations in the narration that is left.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from bot.ingest.labels import Label, read_label
from bot.ingest.names import LATIN_NAME, LATIN_NAME_RE
from bot.ingest.prose import attribute_prose
from bot.ingest.speakers import SpeakerTable
from bot.models import How, Kind, Role, Turn
from bot.textfold import HAN

_ROLE_PREFIXES = (
    ("主持人", Role.INTERVIEWER),
    ("採訪者", Role.INTERVIEWER),
    ("采访者", Role.INTERVIEWER),
    ("记者", Role.INTERVIEWER),
    ("記者", Role.INTERVIEWER),
    ("主播", Role.INTERVIEWER),
    ("嘉宾", Role.INTERVIEWEE),
    ("嘉賓", Role.INTERVIEWEE),
    ("受访者", Role.INTERVIEWEE),
    ("受訪者", Role.INTERVIEWEE),
)
_QUESTION_LABELS = {"问", "q", "提问", "question"}  # folded: 問 is 问
_ANSWER_LABELS = {"答", "a", "回答", "answer"}
_SENTENCE_END = re.compile(r"[。！？!?…；;」”]")
_CHINESE_NAME_RE = re.compile(f"^[{HAN}]{{2,4}}$")


# Stand-ins when a Q&A names neither side: the role is known, the name is not.
UNNAMED_INTERVIEWER = "Interviewer"
UNNAMED_INTERVIEWEE = "Interviewee"


@dataclass(frozen=True)
class TurnRules:
    """Labels that look like "X：" but are not speakers (总结, 论文地址, …), folded."""

    not_speakers: frozenset[str]


@dataclass(frozen=True)
class Voice:
    """Who speaks the unlabelled paragraphs that follow; ``Role.NARRATION`` with a
    speaker means "role not known yet" (``assign_roles`` decides it)."""

    speaker: str
    role: Role
    how: How


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP


@dataclass(frozen=True)
class Attribution:
    """A detector's decision on one paragraph: the turn it makes (none when ``text`` is
    empty) and who speaks after it (``KEEP``: whoever spoke before)."""

    speaker: str | None
    role: Role
    how: How
    confidence: float
    text: str
    kind: Kind = Kind.TEXT
    then: Voice | _Keep | None = KEEP


@dataclass
class Scene:
    """What detectors read: the article-wide facts, and ``current``, the voice now."""

    table: SpeakerTable
    rules: TurnRules
    paragraphs: Sequence[str]
    label_counts: Counter[str | None]
    line_counts: Counter[str]
    answerer: str
    interviewer: str
    current: Voice | None = None

    def label(self, text: str) -> Label | None:
        return read_label(text)

    def fold(self, text: str) -> str:
        return self.table.folder.fold(text)


Detector = Callable[[str, Scene], Attribution | None]


def detect_qa(text: str, scene: Scene) -> Attribution | None:
    label = scene.label(text)
    if label is None:
        return None
    key = scene.fold(label.text)
    if key in _QUESTION_LABELS:
        # A "問：" line: the answers that follow are the interviewee's.
        answerer = Voice(scene.answerer, Role.INTERVIEWEE, How.QA)
        return Attribution(
            scene.interviewer, Role.INTERVIEWER, How.QA, 0.9, label.rest, then=answerer
        )
    if key in _ANSWER_LABELS:
        answerer = Voice(scene.answerer, Role.INTERVIEWEE, How.QA)
        return Attribution(scene.answerer, Role.INTERVIEWEE, How.QA, 0.9, label.rest, then=answerer)
    return None


def detect_label(text: str, scene: Scene) -> Attribution | None:
    label = scene.label(text)
    if label is None:
        return None
    name, role = _speaker_of_label(label, scene)
    if name is None:
        return None
    voice = Voice(name, role or Role.NARRATION, How.LABEL)
    return Attribution(name, voice.role, How.LABEL, 0.95, label.rest, then=voice)


def _speaker_of_label(label: Label, scene: Scene) -> tuple[str | None, Role | None]:
    table = scene.table
    text, key = label.text, scene.fold(label.text)
    if key in scene.rules.not_speakers or label.rest.startswith(("http://", "https://")):
        return None, None
    role: Role | None = None
    for prefix, prefix_role in _ROLE_PREFIXES:
        if text.startswith(prefix):
            role = prefix_role
            text = text[len(prefix) :].strip() or prefix
            break
    name = table.resolve(text)
    if name is None and (LATIN_NAME_RE.match(text) or "·" in text):
        name = table.add(text)
    if name is None and _CHINESE_NAME_RE.match(text) and scene.label_counts[key] >= 3:
        name = table.add(text)  # a Chinese name used as a label again and again
    if name is None and role is not None:
        name = text
    return name, role


def detect_name_line(text: str, scene: Scene) -> Attribution | None:
    line = text.strip()
    if len(line) > 40 or _SENTENCE_END.search(line):
        return None
    name = scene.table.resolve(line)
    if name is None and LATIN_NAME_RE.match(line) and scene.line_counts[line] >= 2:
        name = scene.table.add(line)
    if name is None:
        return None
    voice = Voice(name, Role.NARRATION, How.NAME_LINE)
    return Attribution(name, Role.NARRATION, How.NAME_LINE, 0.9, "", then=voice)


def detect_not_speaker(text: str, scene: Scene) -> Attribution | None:
    label = scene.label(text)
    if label is None or scene.fold(label.text) not in scene.rules.not_speakers:
        return None
    return Attribution(None, Role.NARRATION, How.NONE, 1.0, text)


def detect_heading(text: str, scene: Scene) -> Attribution | None:
    if not is_heading(text):
        return None
    return Attribution(None, Role.NARRATION, How.NONE, 1.0, text, Kind.HEADING, then=None)


def detect_continuation(text: str, scene: Scene) -> Attribution:
    voice = scene.current
    if voice is None:
        return Attribution(None, Role.NARRATION, How.NONE, 1.0, text)
    return Attribution(voice.speaker, voice.role, How.CONTINUATION, 0.9, text)


DETECTORS: tuple[tuple[str, Detector], ...] = (
    ("qa", detect_qa),
    ("label", detect_label),
    ("name_line", detect_name_line),
    ("not_speaker", detect_not_speaker),
    ("heading", detect_heading),
    ("continuation", detect_continuation),
)


def find_turns(
    paragraphs: Sequence[str],
    table: SpeakerTable,
    rules: TurnRules,
    interviewee: str | None,
    interviewer: str | None,
    detectors: Sequence[tuple[str, Detector]] = DETECTORS,
) -> tuple[list[Turn], str | None]:
    """Returns the turns and the interviewee used for unlabelled Q&A answers."""
    scene = Scene(
        table=table,
        rules=rules,
        paragraphs=paragraphs,
        label_counts=Counter(_label_key(p, table) for p in paragraphs),
        line_counts=Counter(p.strip() for p in paragraphs),
        answerer=interviewee or _most_mentioned(paragraphs, table) or UNNAMED_INTERVIEWEE,
        interviewer=interviewer or UNNAMED_INTERVIEWER,
    )
    turns: list[Turn] = []
    for n, text in enumerate(paragraphs):
        found = _first(detectors, text, scene)
        if found.text:
            turns.append(Turn(n, found.speaker, found.role, found.kind, found.text))
        if found.then is not KEEP:
            scene.current = found.then
    turns = assign_roles(turns, interviewee)
    return attribute_prose(turns, table), scene.answerer


def _first(detectors: Sequence[tuple[str, Detector]], text: str, scene: Scene) -> Attribution:
    for _name, detect in detectors:
        found = detect(text, scene)
        if found is not None:
            return found
    return detect_continuation(text, scene)


def _label_key(text: str, table: SpeakerTable) -> str | None:
    label = read_label(text)
    return table.folder.fold(label.text) if label else None


def is_heading(text: str) -> bool:
    return len(text) <= 30 and not _SENTENCE_END.search(text) and not text.endswith(("：", ":"))


def mark_title(turns: list[Turn], title: str | None) -> list[Turn]:
    """The article's title, when it opens the text, is a heading, not anyone's words."""
    if turns and title is not None and turns[0].text == title:
        first = turns[0]
        turns = [Turn(first.paragraph, None, Role.NARRATION, Kind.HEADING, first.text), *turns[1:]]
    return turns


def _most_mentioned(paragraphs: Sequence[str], table: SpeakerTable) -> str | None:
    """The person the article is about: the known name mentioned most, else the
    full Latin name mentioned most ("Interview with Jane Doe")."""
    counts: Counter[str] = Counter()
    body = "\n".join(paragraphs)
    for form in table.names():
        if len(form) < 2:
            continue
        hits = body.count(form)
        if hits:
            canonical = table.resolve(form)
            if canonical:
                counts[canonical] += hits
    if not counts:
        counts.update(re.findall(f"(?<![\\w《])(?!The ){LATIN_NAME}(?![\\w》])", body))
    return counts.most_common(1)[0][0] if counts else None


def assign_roles(turns: list[Turn], interviewee: str | None) -> list[Turn]:
    """Labelled speakers without a role word: the interviewee is the configured one,
    else the speaker with the most words; everyone else asks the questions."""
    unroled = Counter[str]()
    for t in turns:
        if t.speaker and t.role is Role.NARRATION:
            unroled[t.speaker] += len(t.text)
    if not unroled:
        return turns
    known_guest = {t.speaker for t in turns if t.role is Role.INTERVIEWEE}
    guest = interviewee if interviewee in unroled else None
    if guest is None and not known_guest:
        guest = unroled.most_common(1)[0][0]
    out = []
    for t in turns:
        if t.speaker and t.role is Role.NARRATION:
            if t.speaker == guest or t.speaker in known_guest:
                role = Role.INTERVIEWEE
            else:
                role = Role.INTERVIEWER
            t = Turn(t.paragraph, t.speaker, role, t.kind, t.text)
        out.append(t)
    return out
