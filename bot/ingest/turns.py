"""Paragraphs -> speaker turns, in every shape the corpus has.

Shapes recognised:
- inline labels, "Name：text" (the bold markdown label is already stripped, and its
  wrapped halves rejoined, by normalisation);
- a name alone on its line, followed by that person's paragraphs;
- Q&A: "問：" lines by the interviewer, unlabelled answers by the interviewee (from
  config, or the person the article mentions most);
- news prose, where a sentence attributes words to a person by a verb (表示, 指出,
  说, 称, …), the person named in the clause or referred to by 他/她.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.ingest.sentences import split_sentences
from bot.ingest.speakers import LATIN_NAME, SpeakerTable
from bot.models import Kind, Role, Turn
from bot.textfold import HAN

_LABEL = re.compile(r"^(?P<label>[^：:，,。！？!?“”「」\"()（）]{1,24}?)\s*[：:]\s*(?P<rest>.*)$")
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
_LATIN_NAME_RE = re.compile(f"^{LATIN_NAME}$")
_CHINESE_NAME_RE = re.compile(f"^[{HAN}]{{2,4}}$")
# Speech verbs. Single characters need a negative context: 说服, 据说, 称为 are not speech.
_VERB = re.compile(
    r"(?:表示|指出|评价道|評價道|坦言|强调|強調|写道|寫道|透露|提到|提出|认为|認為|引用|回忆|回憶"
    r"|解释|解釋|预计|預計|直言|补充|補充|警告|承认|承認|呼吁|呼籲|回应|回應|感叹|感嘆"
    r"|(?<![据據听聽小传傳声聲号號所俗简簡统統堪道报報])(?:说|說|称|稱)(?![服明法为為之作号號赞讚道理]))"
)
_PRONOUN = re.compile("[他她]")


# Stand-ins when a Q&A names neither side: the role is known, the name is not.
UNNAMED_INTERVIEWER = "Interviewer"
UNNAMED_INTERVIEWEE = "Interviewee"


@dataclass(frozen=True)
class TurnRules:
    """Labels that look like "X：" but are not speakers (总结, 论文地址, …), folded."""

    not_speakers: frozenset[str]


def find_turns(
    paragraphs: Sequence[str],
    table: SpeakerTable,
    rules: TurnRules,
    interviewee: str | None,
    interviewer: str | None,
) -> tuple[list[Turn], str | None]:
    """Returns the turns and the interviewee used for unlabelled Q&A answers."""
    fold = table.folder.fold
    label_counts = Counter(_label_of(p, fold) for p in paragraphs)
    answerer = interviewee or _most_mentioned(paragraphs, table) or UNNAMED_INTERVIEWEE
    interviewer = interviewer or UNNAMED_INTERVIEWER
    turns: list[Turn] = []
    current: str | None = None
    current_role: Role | None = None
    for n, text in enumerate(paragraphs):
        speaker = _speaker_label(text, table, rules, label_counts)
        if speaker is not None:
            name, role, rest = speaker
            if role is Role.INTERVIEWER and name is None:
                # A "問：" line: the answers that follow are the interviewee's.
                turns.append(Turn(n, interviewer, Role.INTERVIEWER, Kind.TEXT, rest))
                current, current_role = answerer, Role.INTERVIEWEE
                continue
            if role is Role.INTERVIEWEE and name is None:
                name = answerer
            current, current_role = name, role
            if rest:
                turns.append(Turn(n, name, role or Role.NARRATION, Kind.TEXT, rest))
            continue
        alone = _name_alone(text, table, paragraphs)
        if alone:
            current, current_role = alone, None
            continue
        label = _label_of(text, fold)
        if label and label in rules.not_speakers:
            turns.append(Turn(n, None, Role.NARRATION, Kind.TEXT, text))
            continue
        if _is_heading(text):
            turns.append(Turn(n, None, Role.NARRATION, Kind.HEADING, text))
            current, current_role = None, None
            continue
        if current is not None:
            turns.append(Turn(n, current, current_role or Role.NARRATION, Kind.TEXT, text))
        else:
            turns.append(Turn(n, None, Role.NARRATION, Kind.TEXT, text))
    turns = _assign_roles(turns, interviewee)
    return _attribute_prose(turns, table), answerer


def _label_of(text: str, fold: Callable[[str], str]) -> str | None:
    m = _LABEL.match(text)
    return fold(m.group("label").strip()) if m else None


def _speaker_label(
    text: str, table: SpeakerTable, rules: TurnRules, label_counts: Counter[str | None]
) -> tuple[str | None, Role | None, str] | None:
    m = _LABEL.match(text)
    if not m:
        return None
    label, rest = m.group("label").strip(), m.group("rest").strip()
    low = table.folder.fold(label)
    if low in _QUESTION_LABELS:
        return None, Role.INTERVIEWER, rest
    if low in _ANSWER_LABELS:
        return None, Role.INTERVIEWEE, rest
    if low in rules.not_speakers or rest.startswith(("http://", "https://")):
        return None
    role: Role | None = None
    for prefix, prefix_role in _ROLE_PREFIXES:
        if label.startswith(prefix):
            role = prefix_role
            label = label[len(prefix) :].strip() or prefix
            break
    name = table.resolve(label)
    if name is None and (_LATIN_NAME_RE.match(label) or "·" in label):
        name = table.add(label)
    if name is None and _CHINESE_NAME_RE.match(label) and label_counts[low] >= 3:
        name = table.add(label)  # a Chinese name used as a label again and again
    if name is None and role is not None:
        name = label
    if name is None:
        return None
    return name, role, rest


def _name_alone(text: str, table: SpeakerTable, paragraphs: Sequence[str]) -> str | None:
    line = text.strip()
    if len(line) > 40 or _SENTENCE_END.search(line):
        return None
    name = table.resolve(line)
    if name:
        return name
    if _LATIN_NAME_RE.match(line) and sum(1 for p in paragraphs if p.strip() == line) >= 2:
        return table.add(line)
    return None


def _is_heading(text: str) -> bool:
    return len(text) <= 30 and not _SENTENCE_END.search(text) and not text.endswith(("：", ":"))


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


def _assign_roles(turns: list[Turn], interviewee: str | None) -> list[Turn]:
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


# ---- quotations in news prose ------------------------------------------------------


def _attribute_prose(turns: list[Turn], table: SpeakerTable) -> list[Turn]:
    person = _person_pattern(table)
    last_person: str | None = None
    out: list[Turn] = []
    for turn in turns:
        if turn.speaker is not None or turn.kind is Kind.HEADING:
            out.append(turn)
            last_person = _last_person(turn.text, person, table) or last_person
            if turn.speaker:
                last_person = turn.speaker
            continue
        pending: list[str] = []
        for sentence in split_sentences(turn.text):
            speaker = _speaker_of(sentence, person, table, last_person)
            last_person = _last_person(sentence, person, table) or last_person
            if speaker is None:
                pending.append(sentence)
                continue
            if pending:
                out.append(Turn(turn.paragraph, None, Role.NARRATION, Kind.TEXT, "".join(pending)))
                pending = []
            out.append(Turn(turn.paragraph, speaker, Role.QUOTED, Kind.TEXT, sentence))
            last_person = speaker
        if pending:
            out.append(Turn(turn.paragraph, None, Role.NARRATION, Kind.TEXT, "".join(pending)))
    return out


def _person_pattern(table: SpeakerTable) -> re.Pattern[str]:
    forms = [re.escape(f) for f in table.names() if f]
    # An unknown Latin name, but not a title in 《…》 nor "The Information".
    forms.append(f"(?<![《\\w])(?!The |A |An ){LATIN_NAME}(?![\\w》])")
    return re.compile("|".join(forms))


def _canonical(mention: str, table: SpeakerTable) -> str:
    return table.resolve(mention) or mention


def _last_person(text: str, person: re.Pattern[str], table: SpeakerTable) -> str | None:
    found = None
    for m in person.finditer(text):
        found = _canonical(m.group(0), table)
    return found


def _speaker_of(
    sentence: str, person: re.Pattern[str], table: SpeakerTable, last_person: str | None
) -> str | None:
    """The person a speech verb attributes this sentence to, or None."""
    verb = _VERB.search(sentence)
    while verb is not None:
        before = sentence[: verb.start()]
        clause_start = max(before.rfind(c) for c in "，,；;。：:") + 1
        clause = before[clause_start:]
        for text in (clause, before):
            mention = person.search(text)
            pronoun = _PRONOUN.search(text)
            if mention and (not pronoun or mention.start() < pronoun.start()):
                return _canonical(mention.group(0), table)
            if pronoun and last_person:
                return last_person
        # A quotation followed by its speaker: “…”，他说。
        after = sentence[verb.end() :]
        if not after.strip("。.!！ ") and re.search("[”」]", before):
            tail = before[before.rfind("”") + 1 :] if "”" in before else before
            mention = person.search(tail)
            if mention:
                return _canonical(mention.group(0), table)
            if _PRONOUN.search(tail) and last_person:
                return last_person
        verb = _VERB.search(sentence, verb.end())
    return None
