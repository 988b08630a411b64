"""Quotations in news prose: a speech verb (表示, 指出, 说, 称, …) attributes a sentence
to the person named in its clause, or referred to by 他/她.

This is a second pass over the narration turns that the detectors in ``turns`` left
unattributed; each sentence is tried on its own.
"""

from __future__ import annotations

import re

from bot.ingest.names import LATIN_NAME_IN_TEXT
from bot.ingest.sentences import split_sentences
from bot.ingest.speakers import SpeakerTable
from bot.models import Kind, Role, Turn

# Speech verbs. Single characters need a negative context: 说服, 据说, 称为 are not speech.
_VERB = re.compile(
    r"(?:表示|指出|评价道|評價道|坦言|强调|強調|写道|寫道|透露|提到|提出|认为|認為|引用|回忆|回憶"
    r"|解释|解釋|预计|預計|直言|补充|補充|警告|承认|承認|呼吁|呼籲|回应|回應|感叹|感嘆"
    r"|(?<![据據听聽小传傳声聲号號所俗简簡统統堪道报報])(?:说|說|称|稱)(?![服明法为為之作号號赞讚道理]))"
)
_PRONOUN = re.compile("[他她]")


def attribute_prose(turns: list[Turn], table: SpeakerTable) -> list[Turn]:
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
    forms.append(LATIN_NAME_IN_TEXT)
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
