"""Quotations and reported speech in prose, in Chinese news, Chinese fiction and English.

A second pass over the narration the detectors in ``turns`` left unattributed. The text
is cut into utterance units: each quotation (“…”, 「…」, "…") with the words that lead
into it, or a whole sentence when it has none. A unit is attributed when a speech verb
ties it to a person:
- before the quotation: "宝玉听了，笑答道：“…”", "鍾南山在通報會上表示，「…」",
  "Doe said, “…”";
- after it: "“…”，他说。", "“…,” said Jane Doe.", "“…,” Doe said.";
- without quotation marks, reported speech: "馬克龍表示，法方支持…", "他說，目前…",
  "Kirby said that …"; the role is then ``REPORTED``, not ``QUOTED``.
The person is a known name anywhere in the clause, an unknown name where the grammar is
clear (it opens the clause, right before the verb and its adverbs), a role such as
外交部發言人 or "the spokesperson", or a pronoun (他/她/he/she, never inside 其他 or
他們) for the last person named. The verbs are data (``VERBS``), one list for every
register, so fiction and English are not modes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.ingest.names import LATIN_NAME, NOT_PEOPLE, TRANSLIT
from bot.ingest.sentences import split_sentences
from bot.ingest.speakers import SpeakerTable
from bot.models import How, Kind, Role, Turn
from bot.textfold import HAN

# Speech verbs of news (表示, 指出), fiction (道, 笑道, 问道) and both scripts.
_ZH_VERBS = (
    "表示|指出|強調|强调|透露|坦言|直言|補充|补充|警告|承認|承认|呼籲|呼吁|回應|回应|感嘆|感叹"
    "|評價道|评价道|寫道|写道|解釋|解释|重申|宣布|宣佈|回答|答道|問道|问道|說道|说道|笑道|嘆道"
    "|叹道|喝道|罵道|骂道|告訴|告诉|提到|認為|认为|稱|称|說|说|問|问|答|道|曰|云"
)
_EN_VERBS = (
    "said|says|told|asked|added|noted|explained|stressed|warned|argued|replied|answered"
    "|wrote|continued|insisted|recalled|declared"
)
# Where a single-character verb is part of another word: 说服, 据说, 称为, 知道, 道理.
_NOT_VERB_BEFORE = "据據听聽小传傳声聲号號所俗简簡统統堪报報知难難味街频頻轨軌通"
_NOT_VERB_AFTER = "服明法为為之作号號赞讚理路德歉路具"
_ZH_VERB = re.compile(f"(?:{_ZH_VERBS})")
_LEAD_VERB = re.compile(
    f"(?:(?<![{_NOT_VERB_BEFORE}])(?:{_ZH_VERBS})|\\b(?:{_EN_VERBS})(?: \\w+)?)\\s*[：:，,]?\\s*$"
)
# Reported speech: a verb of saying anywhere in the sentence, with its speaker before it.
# Single characters need a negative context: 说服, 据说, 称为 are not speech.
_REPORT_VERB = re.compile(
    r"(?:表示|指出|评价道|評價道|坦言|强调|強調|写道|寫道|透露|提到|提出|认为|認為|引用|回忆|回憶"
    r"|解释|解釋|预计|預計|直言|补充|補充|警告|承认|承認|呼吁|呼籲|回应|回應|感叹|感嘆|重申"
    r"|(?<![据據听聽小传傳声聲号號所俗简簡统統堪道报報])(?:说|說|称|稱)(?![服明法为為之作号號赞讚道理]))"
)
_EN_REPORT = re.compile(f"\\b(?:{_EN_VERBS})(?: that\\b|,)")
_QUOTE = re.compile(r"“[^“”]*”|「[^「」]*」|\"[^\"]*\"")
_PRONOUN_ZH = re.compile("(?<![其利排吉無无])[他她](?![们們人国國乡鄉方者日处處])")
_PRONOUN_EN = re.compile(r"\b(?:he|she|He|She)\b")
_ROLE = re.compile(
    "(?:[\u4e00-\u9fff]{0,8}(?:发言人|發言人))"
    "|(?:the |a )?(?:[A-Z][a-z]+ )?(?:spokesperson|spokesman|spokeswoman)"
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z][A-Za-z'-]+\b")
_CLAUSE_SPLIT = re.compile(r"[，,；;：:。！？!?”」]")
# Words that open a clause before its subject: 却是林黛玉, 原来是香菱, 只见宝玉.
_OPENERS = re.compile(
    "^(?:话说|話說|且说|且說|却说|卻說|只见|只見|原来是|原來是|却是|卻是|但是|但|却|卻|便|又|因|遂"
    "|于是|於是|这时|這時|此时|此時|随后|隨後|随即|隨即|而|并|並|也|就|则|則)"
)
# Adverbs and manners between a subject and its verb (宝玉忙问, 黛玉笑道).
_MANNER_TAIL = set("笑忙又便也方因才乃遂亦却卻都听聽看见見冷含点點拍")


@dataclass
class Salience:
    """The last person named, for 他/她/he/she."""

    last: str | None = None

    def mention(self, person: str | None) -> None:
        if person:
            self.last = person


def attribute_prose(
    turns: list[Turn], table: SpeakerTable, is_person: Callable[[str], bool]
) -> list[Turn]:
    finder = _PersonFinder(table, is_person)
    salience = Salience()
    out: list[Turn] = []
    spoken: Turn | None = None  # the last attributed turn, read only if prose follows
    for turn in turns:
        if turn.speaker is not None or turn.kind is Kind.HEADING:
            out.append(turn)
            spoken = turn
            continue
        if spoken is not None:
            salience.mention(finder.last_in(spoken.text))
            salience.mention(spoken.speaker)
            spoken = None
        pending: list[str] = []
        for unit in _units(turn.text):
            found = _attribute(unit, finder, salience)
            if found is None:
                pending.append(unit)
                salience.mention(finder.last_in(unit))
                continue
            if pending:
                out.append(Turn(turn.paragraph, None, Role.NARRATION, Kind.TEXT, "".join(pending)))
                pending = []
            speaker, role, how, confidence = found
            out.append(Turn(turn.paragraph, speaker, role, Kind.TEXT, unit, how, confidence))
            salience.mention(speaker)
        if pending:
            out.append(Turn(turn.paragraph, None, Role.NARRATION, Kind.TEXT, "".join(pending)))
    return out


def _units(text: str) -> Iterator[str]:
    """Sentences; a sentence with several quotations (fiction's dialogue runs on in one
    sentence) is cut after each, and a short attribution after the last one ("，他说。",
    ", said Doe.") stays with it."""
    for sentence in split_sentences(text):
        quotes = list(_QUOTE.finditer(sentence))
        if len(quotes) < 2:
            yield sentence  # one quotation: the sentence is its utterance, as written
            continue
        start = 0
        for i, q in enumerate(quotes):
            end = q.end()
            if i == len(quotes) - 1:
                tail = sentence[end:]
                if _is_attribution_tail(tail):
                    end = len(sentence)
            if sentence[start:end].strip():
                yield sentence[start:end]
            start = end
        if sentence[start:].strip():
            yield sentence[start:]


def _is_attribution_tail(tail: str) -> bool:
    t = tail.strip()
    return 0 < len(t) <= 40 and bool(
        re.match(f"^[，,]?\\s*.{{0,30}}?(?:{_ZH_VERBS}|\\b(?:{_EN_VERBS})\\b)", t)
    )


Found = tuple[str, Role, How, float]


def _attribute(unit: str, finder: _PersonFinder, salience: Salience) -> Found | None:
    quote = _last_quote(unit)
    if quote is not None:
        lead, tail = unit[: quote.start()], unit[quote.end() :]
        who = None
        if _LEAD_VERB.search(lead):
            who = _subject(lead, finder, salience)
        if who is None and _is_attribution_tail(tail):
            who = _subject(tail, finder, salience, tail=True)
        if who is None:
            who = _reporter(_QUOTE.sub("，", lead), finder, salience)
        return (who[0], Role.QUOTED, who[1], who[2]) if who else None
    who = _reporter(unit, finder, salience)
    return (who[0], Role.REPORTED, who[1], who[2] - 0.1) if who else None


def _reporter(
    text: str, finder: _PersonFinder, salience: Salience
) -> tuple[str, How, float] | None:
    """The speaker of a verb of saying anywhere in ``text``: named in the verb's clause,
    else anywhere before it (a known name), else a pronoun."""
    for verb in list(_REPORT_VERB.finditer(text)) + list(_EN_REPORT.finditer(text)):
        before = text[: verb.start()]
        clause = _CLAUSE_SPLIT.split(before)[-1]
        if any(word in clause for word in NOT_PEOPLE):
            continue
        who = _subject(clause, finder, salience, reported=True)
        if who:
            return who
        known = finder.known_in(before)
        if known:
            return known[0], How.PROSE_VERB, 0.8
    return None


def _last_quote(unit: str) -> re.Match[str] | None:
    found = None
    for found in _QUOTE.finditer(unit):  # noqa: B007 - the last one is wanted
        pass
    if found is None or len(found.group(0)) < 4:
        return None  # “不敢”: a quoted word, not an utterance
    return found


def _subject(
    text: str,
    finder: _PersonFinder,
    salience: Salience,
    *,
    tail: bool = False,
    reported: bool = False,
) -> tuple[str, How, float] | None:
    """The speaker of the verb at the end of ``text`` (or, for a tail, in it): the
    nearest clause that names someone, walking back from the verb."""
    # Strip a quotation inside the lead: its words are not the subject.
    text = _QUOTE.sub("，", text)
    clauses = [c for c in _CLAUSE_SPLIT.split(text) if c.strip()]
    if not clauses:
        return None
    # A reported sentence's subject is in the clause of its verb; a lead may be longer.
    reach = clauses[-1:] if reported else clauses[-4:]
    if any(word in reach[-1] for word in NOT_PEOPLE):
        return None  # "忽闻背后有人笑道": someone, not anyone named
    for clause in reversed(reach):
        known = finder.known_in(clause)
        pronoun = _pronoun_at(clause)
        if known and (pronoun is None or known[1] < pronoun):
            return known[0], How.PROSE_VERB, 0.85
        if pronoun is not None and salience.last:
            return salience.last, How.PRONOUN, 0.7
        role = _ROLE.search(clause)
        if role:
            # "The spokesperson" and "the spokesperson" are one speaker.
            name = re.sub(r"^(?:[Tt]he|[Aa]) ", "", role.group(0).strip())
            return name, How.PROSE_VERB, 0.75
        unknown = finder.unknown_subject(clause)
        if unknown:
            return unknown, How.PROSE_VERB, 0.75
        if tail:
            break
    return None


def _pronoun_at(clause: str) -> int | None:
    m = _PRONOUN_ZH.search(clause) or _PRONOUN_EN.search(clause)
    return m.start() if m else None


class _PersonFinder:
    """Known names anywhere in a clause; unknown ones only where they open it."""

    def __init__(self, table: SpeakerTable, is_person: Callable[[str], bool]) -> None:
        self.table = table
        self.is_person = is_person
        forms = [re.escape(f) for f in table.names() if f and len(f) >= 1]
        forms.append(
            f"(?<![《\\w])(?!The |A |An |In |On |At |But |And |So )"
            f"(?:(?:Mr|Ms|Mrs|Dr)\\. )?{LATIN_NAME}(?![\\w》])"
        )
        forms.append(r"(?<![\w《])(?:Mr|Ms|Mrs|Dr)\. [A-Z][a-z][A-Za-z'-]*")
        self.pattern = re.compile("|".join(forms))
        self.surnames: dict[str, str] = {}

    def canonical(self, mention: str) -> str:
        name = self.table.resolve(mention) or mention
        if " " in name and name[:1].isupper():
            # "Doe said…" after "said Jane Doe": the surname alone is her too.
            self.surnames.setdefault(name.rsplit(" ", 1)[1], name)
        return name

    def known_in(self, clause: str) -> tuple[str, int] | None:
        found = None
        for m in self.pattern.finditer(clause):
            found = (self.canonical(m.group(0)), m.start())
        if self.surnames:
            for m in _CAPITALISED.finditer(clause):
                full = self.surnames.get(m.group(0))
                if full and (found is None or m.start() > found[1]):
                    found = (full, m.start())
        return found

    def last_in(self, text: str) -> str | None:
        found = self.known_in(text)
        return found[0] if found else None

    def unknown_subject(self, clause: str) -> str | None:
        """ "香菱拍手笑嘻嘻的说道" -> 香菱; "马克龙表示" -> 马克龙; "有人笑道" -> None."""
        text = _OPENERS.sub("", clause.strip())
        head = re.match(f"[{HAN}]+", text)
        if not head:
            return None
        run = head.group(0)
        verb = _ZH_VERB.search(run)
        before = run[: verb.start()] if verb else run
        if len(before) < 2:
            return None
        # A transliterated name runs on through its transliteration characters.
        k = 0
        while k < len(before) and before[k] in TRANSLIT:
            k += 1
        candidates = [before[:k]] if k >= 3 else []
        candidates += [before[:3], before[:2]]
        for cand in candidates:
            while len(cand) > 2 and cand[-1] in _MANNER_TAIL:
                cand = cand[:-1]
            if self.table.resolve(cand):
                return self.canonical(cand)
            if self.is_person(cand):
                return self.table.add(cand)
        return None
