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
The person is a known name anywhere in the clause (never one right after 向/问/谓: whom
it was said to), an unknown name where the grammar is clear (it opens the clause, right
before the verb and its adverbs; after a title with a news verb, "国务院总理李强指出"),
a role such as 外交部發言人, "the spokesperson" or 县令, a pronoun that is the clause's
subject (他/她/he/she, never inside 其他 or 他們, never the object in 拉他说) for the
last person named, or, in classical fiction, one character of a name the text gives in
full nearby ("操曰" after 曹操). An unknown name needs evidence beyond its shape (see
``_PersonFinder.accepts``). A lead with no subject that goes on from the utterance
before it ("又向紫鹃道") is the last speaker's; an indefinite one ("有人笑道") is
nobody's unless the text then says who it was ("原来是香菱"). The verbs are data, one
list for every register, so fiction and English are not modes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.ingest.names import LATIN_NAME, NOT_PEOPLE, SURNAMES, TRANSLIT
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
# Verbs that lead into a quotation only (never reported speech): 叫, 嘱咐, 喊.
_CALL_VERBS = "叫|嘱咐|囑咐|吩咐|喊|嚷|喊道|嚷道|言|寻思|尋思|暗忖|暗想|心想"
_LEAD_VERB = re.compile(
    f"(?:(?:(?<![{_NOT_VERB_BEFORE}])(?:{_ZH_VERBS})|{_CALL_VERBS})(?:[他她你我]们?|[他她你我]們)?"
    f"|\\b(?:{_EN_VERBS})(?: \\w+)?)\\s*[：:，,]?\\s*$"
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
    "^(?:话说|話說|且说|且說|却说|卻說|只见|只見|原来是|原來是|却是|卻是|但是|但|却|卻|便|又|遂"
    "|于是|於是|这时|這時|此时|此時|随后|隨後|随即|隨即|忽见|忽見|忽然|忽又|忽|只听|只聽"
    "|又见|又見|谁知|誰知|谁想|誰想|不想|不料|急的|急得|方知|而|并|並|也|就|则|則)+"
)
# A name right after one of these is an object, not the speaker: 向紫鹃道, 推紫鹃道,
# 问紫鹃道, 走至宝玉跟前.
_BEFORE_OBJECT = set(
    "向对對和与與跟同把被给給替问問拉推叫喊望朝劝勸骂罵求请請寻尋找至到见見告携攜谓謂"
)
# A clause of background opened by these has its own subject, not the speaker's.
_SUBORDINATE = re.compile("^(?:因为|因為|因|正值|虽然|雖然|虽|雖|若是|若|如果)")
# Words that bring a new subject into the scene: 只见X…, 忽见X….
_PRESENTS = re.compile("^(?:只见|只見|忽见|忽見|却见|卻見|但见|但見|又见|又見)")
# Words that open an indefinite subject: 有人笑道, 一人道, 那人道, 众人道.
_INDEFINITE = re.compile(
    "^(?:有人|有个|有個|一人|一个|一個|那人|众|眾|某|几|幾|诸|諸|两|兩|二人|大家|人们|人們"
    "|[闻聞听聽]得?有?人)"
)
# A lead that goes on from the utterance before it, with no subject of its own:
# "又向紫鹃道", "一边想，一边便走过来蹲下笑道", "说着，便…含笑说道".
_GOES_ON = re.compile("^(?:又|一边|一邊|一面|说着|說著|说罢|說罷|便|遂|随又|隨又|复|復|接着|接著)")
# Someone unnamed anywhere in the clause: "吕布背后一人高声出曰".
_SOMEONE = re.compile("(?:一人|一个人|一個人|有人|一将|一將)")
# After an indefinite speaker, the text often says who it was: "原来是香菱".
_REVEALED = re.compile(
    f"(?:原来是|原來是|却是|卻是|乃是|正是|不是别人|不是別人)[，,]?(?P<name>[{HAN}]{{2,3}})"
)
# What follows a one-character name before its verb: "卓大怒曰", "操暗忖曰", "操又思曰".
_SHORT_NAME_NEXT = set(
    "大暗又乃忙急笑怒惊驚叹嘆谢謝答问問喝骂罵亦即便遂曰道云言告顾顧谓謂对對向与與以"
)
# Titles that speak in classical fiction as news has its spokespeople: "县令曰".
_TITLE = re.compile(
    "^(?:县令|縣令|丞相|太守|将军|將軍|刺史|都督|军师|軍師|太后|天子|皇帝|县官|縣官|从人|從人)"
)
# How far around the paragraph being read a name is looked for (characters).
_NEAR = 6000
# A character this common alone is a word (来, 说, 便), not a short name.
_COMMON_CHAR = 20000
# Verbs of news reports, where a title or an organisation comes before the name
# ("国务院总理李强指出"); fiction's 道/曰/说 lead from the name itself.
_NEWS_VERB = re.compile(
    "表示|指出|強調|强调|透露|坦言|直言|補充|补充|警告|承認|承认|呼籲|呼吁|回應|回应"
    "|認為|认为|稱|称|宣布|宣佈|解釋|解释|重申|提到"
)
# A head word this common in the dictionary is a word, not a name (口内, 回头).
_COMMON_WORD = 1
# Adverbs and manners between a subject and its verb (宝玉忙问, 黛玉笑道).
_MANNER_TAIL = set("笑忙又便也方因才乃遂亦却卻都听聽看见見冷含点點拍正在就还還已曾刚剛将將")


@dataclass
class Salience:
    """The last person named, for 他/她/he/she."""

    last: str | None = None

    def mention(self, person: str | None) -> None:
        if person:
            self.last = person


def _no_count(_word: str) -> int:
    return 0


def attribute_prose(
    turns: list[Turn],
    table: SpeakerTable,
    is_person: Callable[[str], bool],
    word_count: Callable[[str], int] = _no_count,
) -> list[Turn]:
    """``word_count``: how common a word is in the segmenter's dictionary (0: not a
    word), so "雪雁疑惑道" is 雪雁 + 疑惑 and "口内说道" has no name in it."""
    finder = _PersonFinder(table, is_person, word_count)
    finder.body = "\n".join(t.text for t in turns if t.speaker is None)
    offset = 0  # where the turn being read starts in finder.body
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
        if turn.speaker is None:
            finder.at(offset, len(turn.text))
            offset += len(turn.text) + 1
        pending: list[str] = []
        units = list(_units(turn.text))
        here: str | None = None  # who spoke last in this paragraph
        for i, unit in enumerate(units):
            after = units[i + 1][:40] if i + 1 < len(units) else ""
            found = _attribute(unit, finder, salience, here, after)
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
            here = speaker
        if pending:
            out.append(Turn(turn.paragraph, None, Role.NARRATION, Kind.TEXT, "".join(pending)))
    return out


def _units(text: str) -> Iterator[str]:
    """Sentences; a sentence with several quotations (fiction's dialogue runs on in one
    sentence) is cut after each, and a short attribution after the last one ("，他说。",
    ", said Doe.") stays with it."""
    for sentence in split_sentences(text):
        quotes = list(_QUOTE.finditer(sentence))
        if len(quotes) < 2 and not (quotes and _ENDS_INSIDE.search(quotes[0].group(0))):
            yield sentence  # one quotation: the sentence is its utterance, as written
            continue
        # A quotation that ends its own sentence ("…呢。”") and narration after it:
        # the narration is not part of the utterance ("…呢。”宝玉来至上房，…").
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


_ENDS_INSIDE = re.compile(r"[。！？!?…][”」\"]$")
# A verb that closes an attribution: "，他说。", ", said Doe." (not 云 inside 史湘云).
_TAIL = re.compile(
    f"^[，,]?\\s*.{{0,30}}?(?:(?:{_ZH_VERBS})(?=$|[。，,.!！?？；;\\s])|\\b(?:{_EN_VERBS})\\b)"
)


def _is_attribution_tail(tail: str) -> bool:
    t = tail.strip()
    return 0 < len(t) <= 40 and bool(_TAIL.match(t))


Found = tuple[str, Role, How, float]


def _attribute(
    unit: str, finder: _PersonFinder, salience: Salience, here: str | None, after: str
) -> Found | None:
    """``here``: who spoke last in this paragraph, the speaker of a lead that names
    nobody ("又向紫鹃道", "说着，便…含笑说道"); ``after``: the text that follows, where
    an indefinite speaker may be named ("有人笑道：“…” … 原来是香菱")."""
    quote = _last_quote(unit)
    if quote is not None:
        lead, tail = unit[: quote.start()], unit[quote.end() :]
        who = None
        if _LEAD_VERB.search(lead):
            clause = _last_clause(lead)
            if (
                _INDEFINITE.match(_head(clause))
                or _SOMEONE.search(clause)
                or any(w in clause for w in NOT_PEOPLE)
            ):
                # Someone, not anyone named: only the text that follows may say who.
                revealed = finder.revealed(tail + after)
                return (revealed, Role.QUOTED, How.PROSE_VERB, 0.6) if revealed else None
            news = bool(_NEWS_VERB.search(lead[-8:]))
            who = _subject(lead, finder, salience, news=news)
            if who is None and here is not None and _GOES_ON.match(lead.strip()):
                # A lead that goes on with no subject: the last speaker goes on.
                who = (here, How.CONTINUATION, 0.7)
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
        news = bool(_NEWS_VERB.fullmatch(verb.group(0)))
        who = _subject(clause, finder, salience, reported=True, news=news)
        if who:
            return who
        known = finder.known_in(before)
        if known:
            return known[0], How.PROSE_VERB, 0.8
    return None


def _last_clause(text: str) -> str:
    clauses = [c for c in _CLAUSE_SPLIT.split(_QUOTE.sub("，", text)) if c.strip()]
    return clauses[-1] if clauses else ""


def _head(clause: str) -> str:
    """The clause without the words that open it before its subject."""
    return _OPENERS.sub("", clause.strip())


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
    news: bool = False,
) -> tuple[str, How, float] | None:
    """The speaker of the verb at the end of ``text`` (or, for a tail, in it): the
    nearest clause that names someone, walking back from the verb. ``news``: the verb
    is one of news reports, where a title may come before the name."""
    # Strip a quotation inside the lead: its words are not the subject.
    text = _QUOTE.sub("，", text)
    clauses = [c for c in _CLAUSE_SPLIT.split(text) if c.strip()]
    if not clauses:
        return None
    # A reported sentence's subject is in the clause of its verb; a lead may be longer.
    reach = clauses[-1:] if reported else clauses
    if any(word in reach[-1] for word in NOT_PEOPLE):
        return None  # "忽闻背后有人笑道": someone, not anyone named
    for n, clause in enumerate(reversed(reach)):
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
        head = _head(clause)
        title = _TITLE.match(head)
        if title:
            # "太守王匡曰": the title's holder named after it speaks, else the title.
            named = finder.unknown_subject(head[title.end() :], speech=False)
            return named or title.group(0), How.PROSE_VERB, 0.7
        unknown = finder.unknown_subject(
            clause, speech=n == 0 and not tail and not reported, news=news and n == 0
        )
        if unknown:
            return unknown, How.PROSE_VERB, 0.75
        if tail or (n == 0 and _PRESENTS.match(clause.strip())):
            # "只见琥珀站在…说": the clause brings in its own subject; if it is not
            # read as a name, no one before it is the speaker either.
            break
    return None


_HAN_RUN = re.compile(f"[{HAN}]+")
_CLAUSE_ENDS = set("，。！？；：”」\n,.!?;:")


def _positions(text: str, char: str) -> Iterator[int]:
    i = text.find(char)
    while i != -1:
        yield i
        i = text.find(char, i + 1)


def _pronoun_at(clause: str) -> int | None:
    """A pronoun that is the clause's subject: 他说, 她便笑道, "she said"; not the
    object in 拉他说."""
    m = _PRONOUN_ZH.search(clause) or _PRONOUN_EN.search(clause)
    if m is None:
        return None
    opened = clause[: m.start()].strip()
    if opened and _OPENERS.sub("", opened) and m.re is _PRONOUN_ZH:
        return None
    return m.start()


class _PersonFinder:
    """Known names anywhere in a clause; unknown ones only where they open it."""

    def __init__(
        self,
        table: SpeakerTable,
        is_person: Callable[[str], bool],
        word_count: Callable[[str], int] = _no_count,
    ) -> None:
        self.table = table
        self.is_person = is_person
        self.word_count = word_count
        forms = [re.escape(f) for f in table.names() if f and len(f) >= 1]
        forms.append(
            f"(?<![《\\w])(?!The |A |An |In |On |At |But |And |So )"
            f"(?:(?:Mr|Ms|Mrs|Dr)\\. )?{LATIN_NAME}(?![\\w》])"
        )
        forms.append(r"(?<![\w《])(?:Mr|Ms|Mrs|Dr)\. [A-Z][a-z][A-Za-z'-]*")
        self.pattern = re.compile("|".join(forms))
        self.surnames: dict[str, str] = {}
        self.body = ""  # the article's narration, for evidence that a name recurs
        self.near = ""  # the part of it around the paragraph being read
        self._short: dict[str, str | None] = {}

    def at(self, start: int, length: int) -> None:
        """Evidence is looked for near the paragraph being read (a name recurs close to
        where it speaks), so the cost does not grow with the article's length."""
        self.near = self.body[max(0, start - _NEAR) : start + length + _NEAR]

    def count(self, text: str) -> int:
        return self.near.count(text)

    def accepts(self, cand: str) -> bool:
        """An unknown name needs evidence beyond its shape: the tagger's own word for a
        person, a transliteration, a surname before a given name that is not itself a
        word, or a name the article writes again ("卓大怒", "急回" read as names by
        shape, but are a character and a word)."""
        if not self.is_person(cand):
            return False
        if self.word_count(cand) > 0 or all(c in TRANSLIT for c in cand):
            return True
        if len(cand) == 3:
            # "赵立坚": a surname and a given name; "卓大怒": a character and a word.
            return not self.word_count(cand[1:]) and (cand[0] in SURNAMES or self.count(cand) >= 2)
        return cand[0] in SURNAMES or self.count(cand) >= 2

    def short_name(self, char: str) -> str | None:
        """ "操曰", "卓大怒曰": classical fiction names a person by one character of the
        full name the article gives elsewhere (曹操, 董卓, 吕伯奢); None if it gives none."""
        if self._short.get(char):
            return self._short[char]
        counts: dict[str, int] = {}
        if char not in _MANNER_TAIL | _SHORT_NAME_NEXT and self.word_count(char) < _COMMON_CHAR:
            near = self.near
            used = sum(
                1
                for i in _positions(near, char)
                if (i == 0 or near[i - 1] in _CLAUSE_ENDS) and "曰" in near[i + 1 : i + 5]
            )
            for i in _positions(near, char):
                for full in (near[max(0, i - 2) : i + 1], near[max(0, i - 1) : i + 1]):
                    if len(full) < 2 or full in counts or not _HAN_RUN.fullmatch(full):
                        continue
                    if self.table.resolve(full):  # a name this article already gave
                        counts[full] = self.count(full) + 1
                    elif (
                        full[0] in SURNAMES
                        and self.is_person(full)
                        # The tagger's own name, or one the article repeats, or one
                        # whose short form speaks more than once ("儒曰" … "儒曰").
                        and (self.word_count(full) or self.count(full) >= 2 or used >= 2)
                    ):
                        counts[full] = self.count(full)
        full = max(counts, key=lambda k: (counts[k], len(k)), default=None)
        name = self.table.add(full, [char]) if full else None
        self._short[char] = name
        return name

    def canonical(self, mention: str) -> str:
        name = self.table.resolve(mention) or mention
        if " " in name and name[:1].isupper():
            # "Doe said…" after "said Jane Doe": the surname alone is her too.
            self.surnames.setdefault(name.rsplit(" ", 1)[1], name)
        return name

    def known_in(self, clause: str) -> tuple[str, int] | None:
        found = None
        for m in self.pattern.finditer(clause):
            if m.start() and clause[m.start() - 1] in _BEFORE_OBJECT:
                continue  # 向紫鹃道: whom it was said to
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

    def revealed(self, text: str) -> str | None:
        """ "原来是香菱": who an indefinite speaker turned out to be."""
        m = _REVEALED.search(text)
        if m is None:
            return None
        name = m.group("name")
        for cand in (name, name[:2]):
            if self.table.resolve(cand):
                return self.canonical(cand)
            if self.is_person(cand):
                return self.table.add(cand)
        return None

    def unknown_subject(
        self, clause: str, *, speech: bool = False, news: bool = False
    ) -> str | None:
        """ "香菱拍手笑嘻嘻的说道" -> 香菱; "马克龙表示" -> 马克龙; "有人笑道" -> None.
        ``speech``: the clause leads straight into a quotation, so the grammar is clear
        enough to take a 2-character head that is no common word ("袭人道") even when
        the tagger does not read it as a name."""
        text = _head(clause)
        if not text or text[0] in _BEFORE_OBJECT or _INDEFINITE.match(text):
            return None  # 向紫鹃道 / 有人笑道: the name there is not the speaker
        if _SUBORDINATE.match(text):
            return None  # "因紫鹃正在…": whose doing it was, not who speaks
        head = re.match(f"[{HAN}]+", text)
        if not head:
            return None
        run = head.group(0)
        verb = _ZH_VERB.search(run)
        before = run[: verb.start()] if verb else run
        if len(before) < 2 or (len(before) <= 4 and before[1] in _SHORT_NAME_NEXT):
            # "操曰", "卓大怒曰", "宫大惊曰": one character of a name given in full
            return self.short_name(before[0]) if before else None
        # A transliterated name runs on through its transliteration characters.
        k = 0
        while k < len(before) and before[k] in TRANSLIT:
            k += 1
        candidates = [before[:k]] if k >= 3 else []
        three = before[:3]
        while len(three) > 2 and three[-1] in _MANNER_TAIL:
            three = three[:-1]
        # "雪雁疑惑", "黛玉伏枕": the third character starts a word, the name is two.
        if len(three) == 3 and not (len(before) > 3 and self.word_count(before[2:4])):
            candidates.append(three)
        candidates.append(before[:2])
        for cand in candidates:
            if self.table.resolve(cand):
                return self.canonical(cand)
        if self.is_person(before[:2]):
            for rest in (before[2:5], before[2:4]):
                if len(rest) >= 2 and self.table.resolve(rest):
                    return self.canonical(rest)  # "温侯吕布挺身出曰": a title, then the name
        for cand in candidates:
            if self.accepts(cand):
                return self.table.add(cand)
        two = before[:2]
        if (
            speech
            and two not in NOT_PEOPLE
            and two[-1] not in "们們"
            and not set(two) & _MANNER_TAIL
            and self.word_count(two) < _COMMON_WORD
            and self.count(two) >= 3
            and (len(before) == 2 or before[2] in _MANNER_TAIL or self.word_count(before[2:4]))
        ):
            return self.table.add(two)
        return self._name_before_verb(before) if news else None

    def _name_before_verb(self, before: str) -> str | None:
        """ "国务院总理李强指出", "经济学家陈志武指出": a title or an organisation, then the
        name right before the verb (its adverbs stripped)."""
        while len(before) > 2 and before[-1] in _MANNER_TAIL:
            before = before[:-1]
        k = len(before)
        while k > 0 and before[k - 1] in TRANSLIT:
            k -= 1
        if len(before) - k >= 3:  # "美国国务卿布林肯": the whole transliteration
            return self.table.add(before[k:])
        for size in (3, 2):
            cand = before[-size:]
            if len(before) > size and len(cand) == size and self.accepts(cand):
                return self.table.add(cand)
        return None
