"""Who can speak in this article: the one place where a label is accepted as a speaker.

``gather_cast`` reads the whole article before any turn is decided, so that "a label
used once" is judged on article-wide evidence. A candidate label is accepted when it is
- a known name (config/speakers.toml, article aliases, "中文名(English)" pairs);
- defined by a legend line ("問：記者 黎：黎照昌"), or by the first question or answer
  that names its side ("金哲问：…", "林慕莲答：…", then "问：…", "答：…");
- a role word (記者, 主持人, 发言人, 提問者, Q/A, …), which also says the role;
- used as a label at least twice;
- in a transcript (many labels, nearly all accepted on the evidence above), any short
  Han label before words of its own ("年代：部長好，年代提問，…": a reporter named once,
  by outlet);
- a person's name by its shape: a Latin name, a name with "·", a title in capitals
  ("MR. KIRBY"), or Han characters that jieba's part-of-speech tagger reads as a person
  (nr) or a surname followed by a given name.
Labels ending in a speech verb ("宋江道：", "看官听说：") are prose, never speakers, and
"总结：" and the other configured non-speakers never are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.ingest.labels import CAPS_TITLES, Label, LabelShape, read_label
from bot.ingest.names import LATIN_NAME_RE, looks_like_person
from bot.ingest.speakers import SpeakerTable
from bot.models import How, Role
from bot.textfold import HAN

# Role words: a label made of one of these (or starting with it) has that role.
ROLE_WORDS: tuple[tuple[str, Role], ...] = (
    ("主持人", Role.INTERVIEWER),
    ("採訪者", Role.INTERVIEWER),
    ("采访者", Role.INTERVIEWER),
    ("提問者", Role.INTERVIEWER),
    ("提问者", Role.INTERVIEWER),
    ("记者", Role.INTERVIEWER),
    ("記者", Role.INTERVIEWER),
    ("主播", Role.INTERVIEWER),
    ("嘉宾", Role.INTERVIEWEE),
    ("嘉賓", Role.INTERVIEWEE),
    ("受访者", Role.INTERVIEWEE),
    ("受訪者", Role.INTERVIEWEE),
    ("发言人", Role.INTERVIEWEE),
    ("發言人", Role.INTERVIEWEE),
    ("MODERATOR", Role.INTERVIEWER),
    ("REPORTER", Role.INTERVIEWER),
    ("THE PRESIDENT", Role.INTERVIEWEE),
)
QUESTION_LABELS = frozenset({"问", "q", "提问", "question"})  # folded: 問 is 问
ANSWER_LABELS = frozenset({"答", "a", "回答", "answer"})
_TRANSCRIPT_LABELS = 10  # paragraphs opening on a label accepted, at least
_TRANSCRIPT_SHARE = 0.8  # of the paragraphs that open on a label
_CAPS_TITLE = re.compile(rf"^(?:{'|'.join(CAPS_TITLES)})\b")
_SPEECH_END = re.compile(r"(?:道|说|說|曰|云|问|問|笑|答|叹|嘆|喝|骂|罵|听说|聽說)$")
_QUOTE_OPENS = '“「『‘"'
# "金哲问", "记者問", "林慕莲答": who asks or answers, then the side.
_NAMED_SIDE = re.compile(f"^(?P<who>[{HAN}A-Za-z·. ]{{1,16}}?)\\s*(?P<side>问|問|答)$")
_LEGEND_PAIR = re.compile(
    f"(?P<label>[{HAN}A-Za-z]{{1,4}})\\s*[：:=＝]\\s*(?P<name>[^\\s：:=＝；;，,。]{{1,16}})"
)


@dataclass(frozen=True)
class Accepted:
    name: str
    role: Role | None  # None: decided later by who speaks most
    how: How
    confidence: float
    reason: str


@dataclass
class Cast:
    table: SpeakerTable
    not_speakers: frozenset[str]
    is_person: Callable[[str], bool]
    label_counts: Counter[str] = field(default_factory=Counter)
    legend: dict[str, str] = field(default_factory=dict)  # folded label -> name
    legend_paragraphs: frozenset[int] = frozenset()
    # Labels that name their side ("金哲问" -> "问"): read as that side's label.
    sides: dict[str, str] = field(default_factory=dict)
    named_labels: int = 0  # labels in the article that name someone (not Q/A)
    transcript: bool = False  # many labels, nearly all speakers on their own evidence
    warnings: list[str] = field(default_factory=list)
    _decided: dict[str, Accepted | None] = field(default_factory=dict)
    _folded: dict[str, str] = field(default_factory=dict)

    @property
    def answer_labels(self) -> int:
        """How many answers carry a label of their own ("答：", "A:", "林慕莲答：")."""
        named = sum(self.label_counts[k] for k, side in self.sides.items() if side in ANSWER_LABELS)
        return named + sum(self.label_counts[k] for k in ANSWER_LABELS)

    def fold(self, text: str) -> str:
        key = self._folded.get(text)
        if key is None:
            key = self._folded[text] = self.table.folder.fold(text)
        return key

    def accept(self, label: Label) -> Accepted | None:
        """The speaker a label names, or None when it is not a speaker."""
        key = self.fold(label.text)
        if key not in self._decided:
            self._decided[key] = self._decide(label, key)
            found = self._decided[key]
            known = found is not None and found.confidence >= 1.0
            if found and self.label_counts[key] == 1 and found.how is How.LABEL and not known:
                self.warnings.append(
                    f"label '{label.text}' used once: taken as a speaker because {found.reason}"
                )
        return self._decided[key]

    def forget_refusals(self) -> None:
        self._decided = {key: found for key, found in self._decided.items() if found}

    def _decide(self, label: Label, key: str) -> Accepted | None:
        if key in self.not_speakers or label.rest.startswith(("http://", "https://")):
            return None
        if label.rest.isascii() and label.rest.isupper():
            # "CHISWICK PRESS:--CHARLES WHITTINGHAM AND CO.": a title page or a colophon
            # in capitals, no one speaking.
            return None
        if key in self.legend:
            name = self.legend[key]
            return Accepted(name, _role_of(name), How.LEGEND, 0.95, "a legend line defines it")
        text = label.display
        if (
            label.shape is LabelShape.COLON
            and _SPEECH_END.search(text)
            and (len(text) > 2 or label.rest[:1] in _QUOTE_OPENS)
        ):
            return None  # "宋江道：“…”", "子曰：“…”" are prose: the prose pass finds who speaks
        role: Role | None = None
        for word, word_role in ROLE_WORDS:
            if label.text.upper().startswith(word) if word.isascii() else text.startswith(word):
                role = word_role
                text = text[len(word) :].strip() or text
                break
        known = self.table.resolve(text)
        if known:
            return Accepted(known, role, How.LABEL, 1.0, "it is a known name")
        repeats = self.label_counts[key]
        if label.shape is LabelShape.CAPS:
            name = _caps_name(label)
            if _CAPS_TITLE.match(label.text) or repeats >= 2 or role is not None:
                return Accepted(self.table.add(name), role, How.LABEL, 0.95, "a title in capitals")
            return None
        if role is not None:
            return Accepted(text, role, How.LABEL, 0.95, "it is a role word")
        if LATIN_NAME_RE.match(text) or ("·" in text and len(text) <= 16):
            return Accepted(self.table.add(text), None, How.LABEL, 0.9, "it is a name")
        if len(text) <= 4 and re.fullmatch(f"[{HAN}]{{2,4}}", text):
            if repeats >= 2:
                return Accepted(self.table.add(text), None, How.LABEL, 0.9, "it repeats")
            if self.is_person(text):
                return Accepted(self.table.add(text), None, How.LABEL, 0.8, "it reads as a name")
        if self.transcript and re.fullmatch(f"[{HAN}]{{2,6}}", text) and len(label.rest) >= 8:
            # "年代：部長好，年代提問，…" in a transcript: a reporter named once, by outlet.
            return Accepted(self.table.add(text), None, How.LABEL, 0.75, "it is a transcript")
        return None


def gather_cast(
    paragraphs: Sequence[str],
    table: SpeakerTable,
    not_speakers: frozenset[str],
    is_person: Callable[[str], bool] = looks_like_person,
) -> Cast:
    cast = Cast(table, not_speakers, is_person)
    labels = [read_label(p) for p in paragraphs]
    for label in labels:
        if label is not None:
            cast.label_counts[cast.fold(label.text)] += 1
    legend_at = []
    for n, text in enumerate(paragraphs[:8]):
        found = read_legend(text)
        if found:
            cast.legend.update({cast.fold(k): v for k, v in found.items()})
            legend_at.append(n)
    cast.legend_paragraphs = frozenset(legend_at)
    _read_named_sides(labels, cast)
    # A transcript: many labels, nearly all speakers on their own evidence (used again,
    # a name, a role); then the rest are too. Decided first without that evidence, so
    # the labels it turned down are asked again.
    written = [label for label in labels if label is not None]
    accepted = sum(1 for label in written if cast.accept(label) is not None)
    if accepted >= max(_TRANSCRIPT_LABELS, _TRANSCRIPT_SHARE * len(written)):
        cast.transcript = True
        cast.forget_refusals()
    cast.named_labels = sum(
        1
        for n, label in enumerate(labels)
        if label is not None
        and n not in cast.legend_paragraphs
        and cast.fold(label.text) not in QUESTION_LABELS | ANSWER_LABELS
        and cast.accept(label) is not None
    )
    return cast


def _read_named_sides(labels: Sequence[Label | None], cast: Cast) -> None:
    """A Q&A whose first question or answer names its side ("金哲问：…", "林慕莲答：…")
    and whose later ones do not ("问：…", "答：…"): the named label is that side's, and
    the name is who the bare label means (a legend line, if any, wins). Only in a Q&A:
    the bare labels are there, or both sides are named; and never before a quotation
    ("宝玉问：“…”" is prose)."""
    named: list[tuple[str, str, str]] = []  # (folded label, folded side, who)
    for label in labels:
        if label is None or label.shape is not LabelShape.COLON:
            continue
        m = _NAMED_SIDE.match(label.text)
        if m is None or label.rest[:1] in _QUOTE_OPENS:
            continue
        who = m.group("who").strip()
        if not _names_someone(who, cast):
            continue
        named.append((cast.fold(label.text), cast.fold(m.group("side")), who))
    if not named:
        return
    bare = sum(cast.label_counts[k] for k in QUESTION_LABELS | ANSWER_LABELS)
    sides = {side for _key, side, _who in named}
    if bare < 2 and not (sides & QUESTION_LABELS and sides & ANSWER_LABELS):
        return
    for key, side, who in named:
        cast.sides[key] = side
        if side not in cast.legend:
            cast.legend[side] = who if _role_of(who) else cast.table.add(who)


def _names_someone(who: str, cast: Cast) -> bool:
    return bool(
        _role_of(who)
        or cast.table.resolve(who)
        or LATIN_NAME_RE.match(who)
        or ("·" in who and len(who) <= 16)
        or (re.fullmatch(f"[{HAN}]{{2,4}}", who) and cast.is_person(who))
    )


def read_legend(text: str) -> dict[str, str] | None:
    """ "問：記者 黎：黎照昌" -> {"問": "記者", "黎": "黎照昌"}: two or more short
    label-name pairs and nothing else on the line."""
    inner = text.strip().strip("（）()【】[]")
    pairs = list(_LEGEND_PAIR.finditer(inner))
    if len(pairs) < 2:
        return None
    rest = _LEGEND_PAIR.sub("", inner)
    if rest.strip(" 　;；,，、|/"):
        return None
    return {m.group("label"): m.group("name") for m in pairs}


def _role_of(name: str) -> Role | None:
    for word, role in ROLE_WORDS:
        if name.startswith(word):
            return role
    return None


def _caps_name(label: Label) -> str:
    """ "MR. KIRBY" -> "Mr. Kirby": the display form; the table may know the full name."""
    return label.display
