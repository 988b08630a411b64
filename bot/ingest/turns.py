"""Paragraphs -> speaker turns: an ordered tuple of named detectors, then prose.

``cast.gather_cast`` first reads the whole article for evidence (label counts, a legend
line, known and likely names), then each detector looks at one paragraph in its
``Scene`` and returns an ``Attribution`` or None; the first answer wins. In order
(``DETECTORS``):
- ``legend``: a line that defines labels ("問：記者 黎：黎照昌") is nobody's words;
- ``qa``: "問：", "Q:" and the "Q  …" of press transcripts by the interviewer; "答：" and
  unlabelled answers by the interviewee where answers carry no names;
- ``label``: "Name：text", "MR. KIRBY:", a role word, when the cast accepts the label;
- ``name_line``: a name alone on its line, followed by that person's paragraphs;
- ``not_speaker``: "总结：…" and other labels that are not people, narration;
- ``aside``: an editor's note in parentheses, narration, the speaker goes on after;
- ``heading``: a short line with no sentence punctuation;
- ``section_question``: a short question of its own line right before the next
  speaker's label ("為何而戰?誰將成為全球標準?"), a heading too;
- ``continuation``: anything else belongs to whoever speaks now, else narration.
Then ``prose.attribute_prose`` finds quotations and reported speech in the narration.
Every turn keeps how its speaker was found (``How``) and a confidence.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from bot.ingest.cast import ANSWER_LABELS, QUESTION_LABELS, ROLE_WORDS, Cast, gather_cast
from bot.ingest.labels import Label, LabelShape, read_label
from bot.ingest.names import LATIN_NAME_RE, looks_like_person
from bot.ingest.speakers import SpeakerTable, attribute_prose
from bot.ingest.speakers.stage import Script, read_script
from bot.models import How, Kind, Role, Turn

_SENTENCE_END = re.compile(r"[。！？!?…；;」”]")
_QUOTED_SENTENCE_END = re.compile(r"[.!?][’'\"]+\s*$")
# A phrase in quotation marks with no sentence of its own inside: "“稳步地重新塑造…”".
_QUOTED_PHRASE = re.compile(r"^(?:“[^“”。！？!?；;]+”|「[^「」。！？!?；;]+」)$")
# Words that address someone: a question with them is a speaker's, not a heading's.
_ADDRESSED = re.compile(r"[我你您咱]|\b(?:I|you|we|You|We)\b")
# An editor's aside on a line of its own: "（大家說好）", "> （紀錄稿：…）", "(Laughter.)".
_ASIDE = re.compile(r"^(?:>\s*.*|[（(][^（()）]*[)）][。.]?)$")


# Stand-ins when a Q&A names neither side: the role is known, the name is not. A "Q"
# put to speakers named on their answers (a press briefing, a press conference) is a
# reporter from the floor, not one interviewer.
UNNAMED_INTERVIEWER = "Interviewer"
UNNAMED_INTERVIEWEE = "Interviewee"
UNNAMED_REPORTER = "Reporter"
# Speakers that are roles, not people (folded by ``str.casefold``): never an interviewee.
STAND_INS = frozenset(
    w.casefold()
    for w in (UNNAMED_INTERVIEWER, UNNAMED_INTERVIEWEE, UNNAMED_REPORTER, *dict(ROLE_WORDS))
)


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
    """What detectors read: the article's cast, and ``current``, the voice now."""

    cast: Cast
    paragraphs: Sequence[str]
    line_counts: Counter[str]
    answerer: str
    interviewer: str
    n: int = 0  # the paragraph being read
    current: Voice | None = None

    @property
    def table(self) -> SpeakerTable:
        return self.cast.table

    def label(self, text: str) -> Label | None:
        return read_label(text)

    def fold(self, text: str) -> str:
        return self.cast.fold(text)


Detector = Callable[[str, Scene], Attribution | None]


def detect_legend(text: str, scene: Scene) -> Attribution | None:
    """A legend line ("問：記者 黎：黎照昌") defines labels; it is nobody's words."""
    if scene.n not in scene.cast.legend_paragraphs:
        return None
    return Attribution(None, Role.NARRATION, How.NONE, 1.0, text, Kind.HEADING)


def detect_qa(text: str, scene: Scene) -> Attribution | None:
    label = scene.label(text)
    if label is None:
        return None
    key = scene.fold(label.text)
    key = scene.cast.sides.get(key, key)  # "金哲问：" is the question's label
    question, answer = key in QUESTION_LABELS, key in ANSWER_LABELS
    if not (question or answer):
        return None
    if label.shape is LabelShape.QA_LETTER and scene.cast.label_counts[key] < 2:
        return None  # one "Q Thanks" is not yet a transcript's shape
    if (
        label.shape is LabelShape.QA_LETTER
        and answer
        and not any(scene.cast.label_counts[q] for q in QUESTION_LABELS)
    ):
        return None  # "A Scaling … robot carries …": an article, where nothing asks
    answerer = Voice(scene.cast.legend.get(key, scene.answerer), Role.INTERVIEWEE, How.QA)
    if answer:
        return Attribution(
            answerer.speaker, Role.INTERVIEWEE, How.QA, 0.9, label.rest, then=answerer
        )
    asker = scene.cast.legend.get(key, scene.interviewer)
    # Where answers carry their speakers' names or their own label ("答："), a
    # question's next paragraph is still the question; where only questions are
    # labelled, it is the answer.
    answers_labelled = scene.cast.named_labels or scene.cast.answer_labels >= 2
    then = Voice(asker, Role.INTERVIEWER, How.QA) if answers_labelled else answerer
    return Attribution(asker, Role.INTERVIEWER, How.QA, 0.9, label.rest, then=then)


def detect_label(text: str, scene: Scene) -> Attribution | None:
    label = scene.label(text)
    if label is None:
        return None
    found = scene.cast.accept(label)
    if found is None:
        return None
    voice = Voice(found.name, found.role or Role.NARRATION, found.how)
    return Attribution(found.name, voice.role, found.how, found.confidence, label.rest, then=voice)


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
    if label is None or scene.fold(label.text) not in scene.cast.not_speakers:
        return None
    return Attribution(None, Role.NARRATION, How.NONE, 1.0, text)


def detect_aside(text: str, scene: Scene) -> Attribution | None:
    """An editor's aside in parentheses belongs to nobody; the speaker goes on after."""
    if not _ASIDE.match(text.strip()):
        return None
    return Attribution(None, Role.NARRATION, How.NONE, 1.0, text)


def detect_heading(text: str, scene: Scene) -> Attribution | None:
    if not is_heading(text):
        return None
    return Attribution(None, Role.NARRATION, How.NONE, 1.0, text, Kind.HEADING, then=None)


def detect_section_question(text: str, scene: Scene) -> Attribution | None:
    """A short line of its own that asks a question ("為何而戰?誰將成為全球標準?") or
    quotes a phrase ("“稳步地重新塑造全球媒体格局”") just before the next speaker's
    label is a section heading, not the end of the turn before it: nobody is addressed
    (no 我/你/I/you) and a labelled turn follows."""
    line = text.strip()
    if scene.current is None or len(line) > 30:
        return None
    if not (line.endswith(("?", "？")) or _QUOTED_PHRASE.match(line)):
        return None
    if _ADDRESSED.search(line) or scene.n + 1 >= len(scene.paragraphs):
        return None
    following = scene.label(scene.paragraphs[scene.n + 1])
    if following is None or scene.cast.accept(following) is None:
        key = scene.fold(following.text) if following else ""
        if key not in QUESTION_LABELS | ANSWER_LABELS:
            return None
    return Attribution(None, Role.NARRATION, How.NONE, 1.0, text, Kind.HEADING, then=None)


def detect_continuation(text: str, scene: Scene) -> Attribution:
    voice = scene.current
    if voice is None:
        return Attribution(None, Role.NARRATION, How.NONE, 1.0, text)
    how = How.QA if voice.how is How.QA else How.CONTINUATION
    return Attribution(voice.speaker, voice.role, how, 0.85, text)


DETECTORS: tuple[tuple[str, Detector], ...] = (
    ("legend", detect_legend),
    ("qa", detect_qa),
    ("label", detect_label),
    ("name_line", detect_name_line),
    ("not_speaker", detect_not_speaker),
    ("aside", detect_aside),
    ("heading", detect_heading),
    ("section_question", detect_section_question),
    ("continuation", detect_continuation),
)


def find_turns(
    paragraphs: Sequence[str],
    table: SpeakerTable,
    rules: TurnRules,
    interviewee: str | None,
    interviewer: str | None,
    detectors: Sequence[tuple[str, Detector]] = DETECTORS,
    is_person: Callable[[str], bool] = looks_like_person,
    word_count: Callable[[str], int] = lambda _word: 0,
) -> tuple[list[Turn], str | None, Cast]:
    """Returns the turns, the interviewee used for unlabelled Q&A answers and the cast
    (with its warnings)."""
    cast = gather_cast(paragraphs, table, rules.not_speakers, is_person)
    scene = Scene(
        cast=cast,
        paragraphs=paragraphs,
        line_counts=Counter(p.strip() for p in paragraphs),
        answerer=interviewee or _most_mentioned(paragraphs, table) or UNNAMED_INTERVIEWEE,
        interviewer=interviewer or (UNNAMED_REPORTER if cast.named_labels else UNNAMED_INTERVIEWER),
    )
    turns: list[Turn] = []
    script = read_script(paragraphs, is_person)
    for n, text in enumerate(paragraphs if script is None else ()):
        scene.n = n
        found = _first(detectors, text, scene)
        if found.text:
            turns.append(
                Turn(
                    n,
                    found.speaker,
                    found.role,
                    found.kind,
                    found.text,
                    found.how,
                    found.confidence,
                )
            )
        if found.then is not KEEP:
            scene.current = found.then
    if script is not None:
        turns = script_turns(paragraphs, script, table)
    turns = assign_roles(turns, interviewee)
    return attribute_prose(turns, table, is_person, word_count), scene.answerer, cast


def script_turns(paragraphs: Sequence[str], script: Script, table: SpeakerTable) -> list[Turn]:
    """A drama script's turns, cued inside its paragraphs (see ``speakers.stage``); a
    short line with no cue is a heading, as elsewhere."""
    turns: list[Turn] = []
    current: str | None = None
    for n, text in enumerate(paragraphs):
        if is_heading(text) and not script.has_group(text):
            turns.append(Turn(n, None, Role.NARRATION, Kind.HEADING, text))
            continue
        segments, current = script.segments(text, current)
        for seg in segments:
            if seg.speaker is None:
                turns.append(Turn(n, None, Role.NARRATION, Kind.TEXT, seg.text))
                continue
            how, confidence = (How.LABEL, 0.9) if seg.cued else (How.CONTINUATION, 0.8)
            speaker = table.add(seg.speaker)
            turns.append(Turn(n, speaker, Role.QUOTED, Kind.TEXT, seg.text, how, confidence))
    return turns


def _first(detectors: Sequence[tuple[str, Detector]], text: str, scene: Scene) -> Attribution:
    for _name, detect in detectors:
        found = detect(text, scene)
        if found is not None:
            return found
    return detect_continuation(text, scene)


def is_heading(text: str) -> bool:
    # A line that ends on a colon and a dash ("康大叔走上前，拍他肩膀说：——") leads into
    # the quotation on the next line, as a colon alone does: no heading.
    # Nor does a sentence in quotation marks ("“‘Never.’"): words someone says.
    return (
        len(text) <= 30
        and not _SENTENCE_END.search(text)
        and not text.rstrip(" —-").endswith(("：", ":", ".", "．"))
        and not _QUOTED_SENTENCE_END.search(text)
    )


def mark_title(turns: list[Turn], title: str | None) -> list[Turn]:
    """The article's title, when it opens the text, is a heading, not anyone's words."""
    if turns and title is not None and turns[0].text == title:
        first = turns[0]
        turns = [Turn(first.paragraph, None, Role.NARRATION, Kind.HEADING, first.text), *turns[1:]]
    return turns


def _most_mentioned(paragraphs: Sequence[str], table: SpeakerTable) -> str | None:
    """The person the article is about: the known name mentioned most. (Any capitalised
    pair of the text is no evidence: it found "David George" and "Saudi Arabia"; a
    title that names a person comes in as ``interviewee``, see metadata.py.)"""
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
    # Where "Q" asks, the named speakers answer (the press secretary and the admiral of
    # a briefing alike): a question's best hit then leads to an answer, not past it.
    floor_asks = any(t.how is How.QA and t.role is Role.INTERVIEWER for t in turns)
    out = []
    for t in turns:
        if t.speaker and t.role is Role.NARRATION:
            if t.speaker == guest or t.speaker in known_guest or floor_asks:
                role = Role.INTERVIEWEE
            else:
                role = Role.INTERVIEWER
            t = dataclasses.replace(t, role=role)
        out.append(t)
    return out
