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
``PersonFinder.accepts``). A lead with no subject that goes on from the utterance
before it ("又向紫鹃道") is the last speaker's; an indefinite one ("有人笑道") is
nobody's unless the text then says who it was ("原来是香菱"). The verbs are data, one
list for every register, so fiction and English are not modes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import reduce

from bot.ingest.names import NOT_PEOPLE, SURNAMES, TRANSLIT
from bot.ingest.repairs import join_text
from bot.ingest.speakers import fiction_en
from bot.ingest.speakers.clauses import (
    clause_head,
    is_attribution_tail,
    last_clause,
    last_quote,
    utterances,
    without_adverbials,
)
from bot.ingest.speakers.finder import DESCRIBED, PersonFinder, no_count
from bot.ingest.speakers.lexicon import (
    ACCORDING,
    ADDRESSED,
    ANSWERS,
    ASIDE,
    BARE_REPLY,
    BARE_REPLY_IN,
    BARE_VERB,
    BEFORE_OBJECT,
    CLAUSE_SPLIT,
    COMMA_END,
    EN_REPORT,
    GOES_ON,
    GROUP,
    GROUP_HEAD,
    INTRODUCES,
    LEAD_END,
    LEAD_VERB,
    NARRATOR,
    NARRATOR_ALONE,
    NARRATOR_ME,
    NEGATED,
    NOT_A_GROUP,
    NOTE_MARK,
    PLURAL_PRONOUN,
    POSSESSIVE,
    PRESENTS,
    QUOTE,
    REFLEXIVE,
    REPORT_VERB,
    ROLE,
    ROLE_BY_ZHE,
    SENTENCE_END,
    SOMEONE,
    SPEECH_MADE,
    SUBJECTLESS,
    TITLE,
    TITLE_INSIDE,
    TITLED_VERB,
    WRITTEN,
    ZH_ADDRESS_FORMS,
    ZH_VERB,
)
from bot.ingest.speakers.salience import (
    Salience,
    gender_in,
    kin_gender,
    pronoun_at,
    pronoun_gender,
    pronoun_word,
)
from bot.ingest.speakers.table import SpeakerTable
from bot.models import How, Kind, Role, SpeakerKind, Turn
from bot.textfold import HAN, HAN_RE

# Hearing or seeing a quotation makes a listener, not its speaker: "宝玉听了", "见衆人".
PERCEIVES = re.compile("[听聽闻聞见見看望]")
# Words cut off mid-speech name their speaker: "駝背五少爺話還未完", "他的话没说完",
# "老栓话音未落".
CUT_OFF = re.compile(
    f"^(?P<who>[{HAN}]{{1,8}}?)的?(?:話|话)(?:音|還|还|尚|也)?(?:未|没|沒|不曾)(?:有)?(?:說|说)?(?:完|落)"
)
# Verbs that bid someone do something, who then acts: "母亲叫闰土坐，他迟疑了一回".
PIVOT = re.compile("叫|让|讓|请|請|命|令|教|催|劝|勸|吩咐")


def attribute_prose(
    turns: list[Turn],
    table: SpeakerTable,
    is_person: Callable[[str], bool],
    word_count: Callable[[str], int] = no_count,
) -> list[Turn]:
    """``word_count``: how common a word is in the segmenter's dictionary (0: not a
    word), so "雪雁疑惑道" is 雪雁 + 疑惑 and "口内说道" has no name in it."""
    finder = PersonFinder(table, is_person, word_count)
    finder.body = "\n".join(t.text for t in turns if t.speaker is None)
    finder.learn_recurring_subjects()
    finder.described = fiction_en.described_names(finder.body)
    offset = 0  # where the turn being read starts in finder.body
    salience = Salience(distinguishes="她" in finder.body)
    out: list[Turn] = []
    spoken: Turn | None = None  # the last attributed turn, read only if prose follows
    leading: str | None = None  # who a lead ending in "：——" gives the next quotation to
    leading_to: str | None = None  # whom that lead says it to ("闰土又对我说：")
    exchange: list[str] = []  # the speakers of the quotations just before, in a row
    # In a story its narrator tells as 我, one who speaks to "你" speaks to the narrator.
    first_person = _told_as_me(finder.body)
    to_narrator = False  # the last quotation of the exchange spoke to the narrator
    narration = ""  # the last sentence of narration read
    told = ""  # the narration since the last quotation, if the exchange ended with it
    floor: str | None = None  # who speaks on into the next paragraph, quotation unclosed
    silent: set[str] = set()  # those spoken to who have not answered (no third party yet)
    for turn in turns:
        if turn.speaker is not None or turn.kind is Kind.HEADING:
            out.append(turn)
            spoken = turn
            # A short lead on a line of its own may read as a heading ("康大叔走上前，拍他
            # 肩膀说：——"); it still gives the next paragraph's quotation its speaker.
            leading = _lead_over(turn.text, finder, salience) if turn.speaker is None else None
            leading_to = _addressee(turn.text, finder) if leading else None
            continue
        if spoken is not None:
            _mention(salience, finder, finder.last_in(spoken.text))
            _mention(salience, finder, spoken.speaker)
            spoken = None
        if turn.speaker is None:
            finder.at(offset, len(turn.text))
            offset += len(turn.text) + 1
        units = list(utterances(turn.text))
        if (
            floor is not None
            and _opens_with(turn.text, _PAIRED_OPENINGS)
            and not (units and _quoted_then_named(units[0]))
        ):
            # (not one that says who speaks it: "“Is that all?” I asked." after a speech
            # whose last paragraph a copy left unclosed)
            # A speech over several paragraphs opens each with a quotation mark and
            # closes only the last: the paragraph is all the same speaker's words.
            said = Turn(turn.paragraph, floor, Role.QUOTED, Kind.TEXT, turn.text)
            out.append(
                replace(said, how=How.CONTINUATION, confidence=0.7, speaker_kind=_kind_of(floor))
            )
            floor = floor if _unclosed(turn.text) else None
            continue
        floor = None
        pending: list[str] = []
        here: str | None = None  # who spoke last in this paragraph
        quoting: str | None = None  # who the last unit quoted, named after the quotation
        interrupted: str | None = None  # who the last unit quoted, broken off on a comma
        voices: list[str] = []  # who speaks or acts in this paragraph, in order
        classical = BARE_REPLY_IN.search(turn.text) is not None  # a bare "曰" answers
        for i, unit in enumerate(units):
            after = units[i + 1][:40] if i + 1 < len(units) else ""
            lead = _lead(unit) if classical else ""
            if classical:
                voices.extend(_actors(lead, finder))
            carried = _carried(pending) or (pending[-1] if pending else "")
            lead_from, leading = leading, None
            lead_to, leading_to = leading_to, None
            if lead_from and _bare_quotation(unit):
                # "康大叔走上前，拍他肩膀说：——" ¶ "『包好！…』": the lead's speaker.
                found: Found | None = (lead_from, Role.QUOTED, How.PROSE_VERB, 0.75)
            elif i == len(units) - 1 and last_quote(unit) is None and LEAD_END.search(unit):
                # A lead that ends its paragraph on a colon quotes nothing itself: its
                # speaker is the next paragraph's quotation's.
                found = None
                leading = _lead_over(unit, finder, salience)
                leading_to = _addressee(unit, finder) if leading else None
            elif interrupted and _interruption(unit):
                # "“Ay, so it is,” cried her mother, “and Mrs. Long…”": the words after
                # the attribution are the same speaker's (read again, "her mother" would
                # now be the mother of the one just named).
                found = (interrupted, Role.QUOTED, How.CONTINUATION, 0.7)
            else:
                found = _attribute(unit, finder, salience, here, after, carried)
            if found is None and i + 1 < len(units):
                answered = i > 0 and _QUOTE_CLOSES.search(units[i - 1]) is not None
                found = _split_quotation(unit, units[i + 1], finder, salience, answered)
            if found is None and here is not None and BARE_REPLY.match(lead.strip(_LEAD_MARKS)):
                # "子曰：“…”曰：“然则师愈与？”": the other party answers.
                other = next((v for v in reversed(voices) if v != here), None)
                if other is not None:
                    found = (other, Role.QUOTED, How.CONTINUATION, 0.65)
            if found is None and here and pending and _bare_quotation(unit):
                found = _after_own_action(pending, here, finder)
            if found is None and quoting and _bare_quotation(unit):
                # "“…,” said Savage. “Both teams were nervous…”": the same voice goes on.
                found = (quoting, Role.QUOTED, How.CONTINUATION, 0.7)
            if (
                found is None
                and here is not None
                and _bare_quotation(unit)
                and not HAN_RE.search(unit)
                and set(finder.names_in(_attribution_words(" ".join([units[i - 1], *pending]))))
                <= {here}
            ):
                # English gives each speaker a paragraph of their own: "“…,” remarked
                # Holmes as his client paused… “Pray continue…”" is Holmes going on.
                found = (here, Role.QUOTED, How.CONTINUATION, 0.65)
            if (
                found is not None
                and found[2] is How.PRONOUN
                and len(exchange) >= 2
                and found[0] == exchange[-1] != exchange[-2]
                and ANSWERS.search(_attribution_words(unit))
                and salience.genders.get(exchange[-2]) in (None, salience.genders.get(found[0]))
            ):
                # "“我问你：…”柳妈…说。" ¶ "“晤晤。”她含胡的回答。": one who answers
                # is the one asked, not who just asked.
                found = (exchange[-2], found[1], found[2], found[3])
            if found is None and _bare_quotation(unit) and not HAN_RE.search(unit):
                # "“It's naughty to fret, but …” And Beth looked at her rough hands": the
                # one the paragraph's next sentence is about (a known character) said it.
                actor = fiction_en.actor_opening(after) if after else None
                if actor and (actor in finder.characters or finder.known_in(actor)):
                    found = (finder.character(actor), Role.QUOTED, How.PROSE_VERB, 0.6)
            if (
                found is None
                and _bare_quotation(unit)
                and len(exchange) >= 2
                and exchange[-1] != exchange[-2] != UNNAMED
                and not _named_next(after)
                and (len(exchange) == 2 or exchange[-3] in (exchange[-1], UNNAMED, *silent))
                and not _calls(unit, exchange[-2])
            ):
                # (two people taking turns; once a third speaks, whose turn it is is
                # the reader's guess: "“To-morrow fortnight.”" ¶ "“Ay,” cried her
                # mother" ¶ "“Then, my dear, …”" is her husband's)
                # "掌柜说，“哦！”" ¶ "“他总仍旧是偷…”“后来怎么样？”": a quotation with no
                # attribution in a run of two people's turns is the other one's reply.
                found = (exchange[-2], Role.QUOTED, How.TURN, 0.6)
            if (
                found is None
                and _bare_quotation(unit)
                and to_narrator
                and len(exchange) == 1
                and exchange[0] != NARRATOR_SPEAKER
            ):
                # "“你休息一两天…”母亲说。" ¶ "“是的。”": the narrator, spoken to, answers.
                found = (NARRATOR_SPEAKER, Role.QUOTED, How.TURN, 0.55)
            quoting = found[0] if found and _quoted_then_named(unit) else None
            broken_off = _bare_quotation(unit) and COMMA_END.search(unit)
            interrupted = found[0] if found and broken_off else None
            if found is None and last_quote(unit) is None and _aside(unit, exchange, finder):
                pass  # "This was invitation enough.": the talk goes on
            elif found is None and (called := _called(last_quote(unit), finder)):
                exchange = [called, UNNAMED]  # words nobody is named for, to someone named
                silent.add(called)
                told = ""
            elif found is None or last_quote(unit) is None:
                exchange = []  # narration, or words nobody said: the exchange is over
                told = unit if found is None and last_quote(unit) is None else ""
            else:
                bare = lead_from and _bare_quotation(unit)
                to = (lead_to if bare else _addressee(_lead(unit), finder)) or _called(
                    last_quote(unit), finder
                )
                if to is None and not exchange and told:
                    # "Mr. Bennet made no answer." ¶ "“Do not you want to know…?” cried his
                    # wife" ¶ "“You want to tell me…”": the one the narration just before
                    # named, alone, is spoken to and answers.
                    named = set(finder.names_in(_QUOTATIONS.sub("", told))) - {found[0]}
                    to = named.pop() if len(named) == 1 else None
                told = ""
                # "闰土又对我说：“…”" ¶ "“管贼么？”": one named as spoken to answers the
                # next bare quotation, as in a run of two people's turns.
                if to and to != found[0]:
                    exchange = [to, found[0]]
                    silent.add(to)
                elif not exchange or exchange[-1] != found[0]:
                    # (the same voice going on after its attribution is still one turn:
                    # "“My dear Mr. Bennet,” replied his wife, “how can you…”")
                    exchange = [*exchange, found[0]]
                silent.discard(found[0])
                # Spoken to "你" in a scene the narration just gave the narrator and the
                # speaker alone ("我说外间的寓所…母亲也说好"), not one who came in.
                spoken_to = last_quote(unit)
                to_narrator = (
                    first_person
                    and spoken_to is not None
                    and _to_you(spoken_to.group(0))
                    and NARRATOR_ME.search(narration) is not None
                    and set(finder.names_in(narration)) <= {found[0]}
                )
            if found is None and last_quote(unit) is None:
                narration = unit
            if found is None:
                pending.append(unit)
                # Who the narration names; not whom the words it quotes talk about
                # ("have you heard that Netherfield Park is let" names no one present).
                for name in finder.names_in(_QUOTATIONS.sub("", unit)):
                    _mention(salience, finder, name)
                continue
            if pending:
                narration = reduce(join_text, pending)  # "now. I want", not "now.I want"
                out.append(Turn(turn.paragraph, None, Role.NARRATION, Kind.TEXT, narration))
                pending = []
            speaker, role, how, confidence = found
            kind = _kind_of(speaker)
            if kind is SpeakerKind.GROUP:
                salience.group = speaker
            out.append(Turn(turn.paragraph, speaker, role, Kind.TEXT, unit, how, confidence, kind))
            _mention(salience, finder, speaker)
            here = speaker
            voices.append(speaker)
        if pending:
            narration = reduce(join_text, pending)
            out.append(Turn(turn.paragraph, None, Role.NARRATION, Kind.TEXT, narration))
        elif here is not None and _unclosed(turn.text):
            floor = here  # the paragraph ends inside its last speaker's quotation
    return _one_name_a_person(_narrator_by_name(_called_back(out, finder), finder), finder)


_ENGLISH_OPENING = re.compile(f'[“"][^“”"{HAN}]*[”"]')


def _called_back(turns: list[Turn], finder: PersonFinder) -> list[Turn]:
    """ "“You said the other day you thought we were happier …”" ¶ "“So I did, Beth.
    …” said Meg": the one a reply calls by name said the words it answers, where only
    turn-taking guessed who, or nobody did."""
    out = list(turns)
    for n in range(1, len(out)):
        before, reply = out[n - 1], out[n]
        guessed = before.how is How.TURN or (
            before.speaker is None and _opens_with(before.text, _PAIRED_OPENINGS + '"')
        )
        if not guessed or reply.speaker is None or reply.paragraph == before.paragraph:
            continue
        # (English only: a Chinese reply's head is a name less surely, "“阿阿，你…”")
        opening = _ENGLISH_OPENING.match(reply.text.lstrip())  # the reply opens on its words
        called = _called(opening, finder) if opening else None
        if called and called not in (reply.speaker, before.speaker):
            out[n - 1] = replace(
                before,
                speaker=called,
                role=Role.QUOTED,
                how=How.TURN,
                confidence=0.55,
                speaker_kind=SpeakerKind.PERSON,
            )
    return out


# Quotation marks that pair (a straight " cannot tell opening from closing).
_QUOTE_PAIRS = ("“”", "「」", "『』")
_PAIRED_OPENINGS = "".join(pair[0] for pair in _QUOTE_PAIRS)
# Words that end on a closing quotation mark (a straight " too).
_QUOTE_CLOSES = re.compile("[" + "".join(pair[1] for pair in _QUOTE_PAIRS) + '"]\\s*$')


def _calls(unit: str, person: str) -> bool:
    """Whether a quotation of ``unit`` calls ``person``, a Chinese name, as its listener:
    opening on the name, or thanking, begging or greeting them ("“谢谢慰老爷。…”",
    "“求王老爷宽限几日”"). Words that call someone are not theirs. Not a name said
    elsewhere in the words: a speaker names themself as often ("王老爷几时宽限过人？"),
    in English too ("If you'll only call me Anne …"), which is left alone."""
    if len(person) < 2 or not HAN_RE.search(person):
        return False
    called = re.compile(
        f"^[“「『](?:{_CALLING})?{re.escape(person)}|(?:{_CALLING}){re.escape(person)}"
    )
    return any(called.search(q.group(0)) for q in _QUOTATIONS.finditer(unit))


# Verbs that put the one named after them as the listener: thanks, pleas, greetings.
_CALLING = "谢谢|多谢|感谢|求求|求|恳求|请|拜见|见过|给"


def _opens_with(text: str, marks: str) -> bool:
    """Whether ``text`` opens (after spaces) with one of ``marks``."""
    head = text.lstrip()[:1]
    return bool(head) and head in marks


def _unclosed(text: str) -> bool:
    """The paragraph opens a quotation it does not close."""
    return any(text.count(pair[0]) > text.count(pair[1]) for pair in _QUOTE_PAIRS)


def _narrator_by_name(turns: list[Turn], finder: PersonFinder) -> list[Turn]:
    """An English story's narrator ("said I") under the name the others call them by
    right before they answer ("“I know, my dear Watson, that you …”" ¶ "“Your cases
    have indeed …,” said I"): one person, "Watson", whether "I" or called."""
    votes: Counter[str] = Counter()
    before: Turn | None = None
    for turn in turns:
        narrator = turn.speaker in (NARRATOR_EN, NARRATOR_SPEAKER)
        if narrator and before is not None and before.how is not How.NONE:
            for quote in _QUOTATIONS.finditer(before.text):
                called = _called(quote, finder)
                if called and called not in (before.speaker, turn.speaker):
                    votes[called] += 1
        if turn.speaker is not None and not narrator:
            before = turn
        elif turn.speaker is None and (before is None or turn.paragraph != before.paragraph):
            before = None  # (narration in the caller's own paragraph keeps the call)
    if not votes:
        return turns
    name = votes.most_common(1)[0][0]
    # (and "Dr. Watson", as the narration titles him, is the same man)
    forms = {t.speaker for t in turns if t.speaker and t.speaker.split()[-1] == name.split()[-1]}
    return [
        replace(t, speaker=name, speaker_kind=SpeakerKind.NARRATOR)
        if t.speaker in (NARRATOR_EN, NARRATOR_SPEAKER, *forms)
        else t
        for t in turns
    ]


def _one_name_a_person(turns: list[Turn], finder: PersonFinder) -> list[Turn]:
    """English speakers under two forms of one name, once the turns are read, renamed to
    the one the text names them by:
    - "“And now, Mr. Silver,” …" ¶ "“…,” said Silver": where the text gives a surname
      one title only, the titled speaker is the surname's; not where two share it
      ("Mr. Bennet", "Mrs. Bennet");
    - "“Hucky, do you believe…”" ¶ "“I wisht I knowed.”": a pet form of a first name the
      text writes whole ("Presently Huckleberry whispered") is that person."""
    speakers = {t.speaker for t in turns if t.speaker}
    names = speakers | finder.characters
    same: dict[str, str] = {}
    for name in speakers:
        surname = fiction_en.titled_surname(name)
        if surname in speakers and len(fiction_en.titles_of(surname, finder.body)) == 1:
            same[name] = surname
        stem = fiction_en.pet_stem(name)
        full = {n for n in names if n != name and n.startswith(stem)} if stem else set()
        if len(full) == 1:
            same[name] = full.pop()
    return [replace(t, speaker=same[t.speaker]) if t.speaker in same else t for t in turns]


Found = tuple[str, Role, How, float]
# A transliterated name with its dot: "克里斯·鲍尔丁".
DOTTED_NAME = re.compile(
    f"[{''.join(sorted(TRANSLIT))}]{{1,6}}·[{''.join(sorted(TRANSLIT))}]{{1,6}}"
)
_LEAD_MARKS = " \t,，:：。；;-"


def _lead_over(text: str, finder: PersonFinder, salience: Salience) -> str | None:
    """Who speaks in a lead that ends its paragraph on a colon ("拍他肩膀说：——"), the
    quotation being the next paragraph; None if the text is no such lead."""
    opening = text.rstrip(" —-")
    if last_quote(text) is not None or not LEAD_END.search(text):
        return None
    who = None
    if LEAD_VERB.search(opening):
        who = _subject(opening, finder, salience) or _narrator(opening, "")
    if who is None and not HAN_RE.search(opening) and not _UNNAMED_SUBJECT.search(opening):
        # A storyteller's verb ends the paragraph: "Then Tom whispered:", "So he said in
        # a whisper:", "Presently Tom seized his comrade's arm and said:".
        who = _storyteller(opening.rstrip(" :"), "", "", finder, salience)
    if who is None:
        return None
    _mention(salience, finder, who[0])
    return who[0]


def _split_quotation(
    unit: str, following: str, finder: PersonFinder, salience: Salience, answered: bool
) -> Found | None:
    """ "“我相信…，” 古举伦说，“但这…”": a quotation cut by its attribution, the lead of
    the next quotation ("古举伦说，"), is that speaker's. So is one that ends its own
    sentence before it ("“我倒并不贪图回到那边去，八三哥！”爱姑愤愤地昂起头，说，“我是赌
    气。”"): a lead that ends on a comma goes on with the words before it; one on a colon
    ("…！”张三说：“…”) may open another voice, so it is left. Not where the words
    before it answer a quotation right before them ("…清白……”“什么清白？…”孔乙己便涨红了
    脸，…争辩道，“…”), nor where the lead answers: the lead's speaker answers them."""
    lead = _lead(following)
    if not _bare_quotation(unit) or not lead.strip() or len(lead) > 30:
        return None
    if not COMMA_END.search(unit) and (answered or ANSWERS.search(lead)):
        return None
    if not lead.rstrip().endswith((",", "，")) or not LEAD_VERB.search(lead):
        return None
    who = _subject(lead, finder, salience)
    return (who[0], Role.QUOTED, How.PROSE_VERB, who[2]) if who else None


def _named_next(after: str) -> bool:
    """The sentence goes on after the quotation to say who spoke it (", said her mother,
    …", "repeated one of the buccaneers"), though not so that we could tell who: no
    turn-taking guess then."""
    return after.lstrip(" ,;:—-")[:1].islower() and (
        fiction_en.named_after(after) is not None or fiction_en.VERB_FIRST.match(after) is not None
    )


_INTERRUPTION_WORDS = 8


def _interruption(unit: str) -> bool:
    """The unit's lead is an attribution set inside a quotation: a speech verb, a few
    words, and no end of a sentence (", said Elizabeth, ", "古举伦说，")."""
    lead = _lead(unit)
    return (
        bool(lead.strip())
        and len(lead.split()) <= _INTERRUPTION_WORDS
        and len(lead) <= 30 + 4 * _INTERRUPTION_WORDS
        and lead.rstrip().endswith((",", "，", "—", "-"))
        and not re.search(r"[.!?。！？]", lead)
        and bool(LEAD_VERB.search(lead) or fiction_en.named_before(lead))
        # (not where another takes over: "began Meg, but Jo cut in with a decided, “…”")
        and fiction_en.speech_verbs(lead) <= 1
    )


def _subjectless(lead: str) -> bool:
    """A lead that is one clause and opens with an adverb of time or manner, no subject:
    "急起身道", "即下马道", "忙答道"."""
    clauses = [c for c in CLAUSE_SPLIT.split(QUOTE.sub("，", lead)) if c.strip()]
    return len(clauses) == 1 and clauses[0].strip()[:1] in SUBJECTLESS


def _someone(clause: str, finder: PersonFinder) -> bool:
    """Someone unnamed speaks ("忽闻背后有人笑道", "众人道"), unless a name opens the
    clause before those words ("宝玉见众人都笑，也笑道" is 宝玉's) or follows them as
    its title ("经济学者克里斯·鲍尔丁认为")."""
    found = [(clause.find(w), w) for w in NOT_PEOPLE if w in clause]
    if not found:
        return False
    at, word = min(found)
    if finder.pattern.match(clause, at + len(word)) or DOTTED_NAME.match(clause, at + len(word)):
        return False  # "美国经济学者克里斯·鲍尔丁认为": a title, then the name
    opening = finder.opening(clause)
    return opening is None or opening[1] >= at


def _lead(unit: str) -> str:
    """The words before a unit's quotation (the whole unit when it quotes nothing)."""
    quote = last_quote(unit)
    return unit if quote is None else unit[: quote.start()]


def _actors(text: str, finder: PersonFinder) -> list[str]:
    """Who opens a clause of ``text`` ("子哭之恸" -> 孔子), and who asks ("司马牛问君子"):
    the parties a bare "曰" may answer for."""
    found = []
    for clause in CLAUSE_SPLIT.split(QUOTE.sub("，", text)):
        if not clause.strip():
            continue
        opening = finder.opening(clause)
        if opening is not None:
            found.append(opening[0])
        else:
            asks = re.match(f"^([{HAN}]{{2,4}}?)(?:问|問)", clause_head(clause))
            if asks and not set(asks.group(1)) & POSSESSIVE:
                asker = finder.unknown_subject(clause) or _asker_by_shape(asks.group(1), finder)
                if asker:
                    found.append(asker)
    return found


def _asker_by_shape(who: str, finder: PersonFinder) -> str | None:
    """ "季路问事鬼神": before 问, at the head of a clause in classical dialogue, a
    surname and one or two characters that are no word of the dictionary ask, even
    where the tagger does not read them as a name; the bare "曰" after the answer is
    theirs. ("张口问" is a word, "他们问" no surname.)"""
    if 2 <= len(who) <= 3 and who[0] in SURNAMES and not finder.word_count(who):
        return finder.table.add(who)
    return None


def _bare_quotation(unit: str) -> bool:
    """A unit that is a quotation and nothing else ("“Both teams were nervous.”")."""
    quote = last_quote(unit)
    return (
        quote is not None and not unit[: quote.start()].strip() and not unit[quote.end() :].strip()
    )


def _quoted_then_named(unit: str) -> bool:
    """ "“…,” said Savage.": a quotation whose speaker is named after it."""
    quote = last_quote(unit)
    return (
        quote is not None
        and not unit[: quote.start()].strip()
        and is_attribution_tail(unit[quote.end() :])
    )


def _mention(salience: Salience, finder: PersonFinder, person: str | None) -> None:
    """Someone named: the most recent person, with the gender the text gives them (or
    their title: "the King", "the Duchess"). The narrator is never a later 他."""
    if person and person not in (NARRATOR_SPEAKER, NARRATOR_EN) and not GROUP.search(person):
        # A group ("所有喝酒的人") speaks, but a later 他 or she is never the group.
        if person not in finder.genders:
            # Read once per person: the narration is the same all through the article.
            shown = fiction_en.gender_of(person) or kin_gender(person)
            if person.isascii():
                # An English name, by its last word: its title in the text, its own
                # title, then the pronouns of its clauses.
                by_title, by_pronouns = finder.english_genders()
                last = person.rsplit(" ", 1)[-1]
                found = by_title.get(last) or shown or by_pronouns.get(last)
            else:
                found = gender_in(finder.body, person) or shown
            finder.genders[person] = found
        salience.mention(person, finder.genders[person])


# Closed quotations, to leave the narration a story tells around them (not QUOTE, which
# runs an unclosed one to the end: here that would drop the rest of the story).
_QUOTATIONS = re.compile(r"“[^“”]*”|「[^「」]*」|『[^『』]*』")
# 你/您 said to someone, not inside 你们 (the group).
_YOU = re.compile("[你您](?![们們])")
# How often the narration must say 我 for the story to be told by its narrator.
_TOLD_AS_ME = 5


def _told_as_me(body: str) -> bool:
    """Whether the narration (outside quotations) speaks as 我: a first-person story."""
    return len(NARRATOR_ME.findall(_QUOTATIONS.sub("", body))) >= _TOLD_AS_ME


def _to_you(quotation: str) -> bool:
    return _YOU.search(quotation) is not None


def _attribution_words(unit: str) -> str:
    """The unit's words outside its quotations: its lead and its attribution."""
    return _QUOTATIONS.sub(" ", unit)


_ASIDE_WORDS = 8


def _aside(unit: str, exchange: list[str], finder: PersonFinder) -> bool:
    """A short sentence of English narration inside two people's exchange that names no
    one else ("This was invitation enough."): the exchange goes on past it. (Measured on
    the labelled Chinese stories, a short Chinese line ends the talk as often as not:
    "子乐。", "…很現出氣憤模樣。")"""
    return (
        len(exchange) >= 2
        and len(unit.split()) <= _ASIDE_WORDS
        and not HAN_RE.search(unit)
        and set(finder.names_in(unit)) <= set(exchange)
    )


def _kind_of(speaker: str) -> SpeakerKind:
    """A group noun ("所有喝酒的人", "孩子们") or the narrator speaks as what it is."""
    if speaker in (NARRATOR_SPEAKER, NARRATOR_EN):
        return SpeakerKind.NARRATOR
    return SpeakerKind.GROUP if GROUP.search(speaker) else SpeakerKind.PERSON


def _carried(pending: list[str]) -> str:
    """The narration just before a unit that ends in "；": the same sentence in
    classical prose, whose subject the unit's lead may go on with ("武松吃得口滑，只顾
    要吃；去身边取出些碎银子，叫道：“…”")."""
    carried = ""
    for text in reversed(pending):
        if not text.rstrip().endswith(("；", ";")):
            break
        carried = text + carried
    return carried


def _attribute(
    unit: str,
    finder: PersonFinder,
    salience: Salience,
    here: str | None,
    after: str,
    carried: str = "",
) -> Found | None:
    """``here``: who spoke last in this paragraph, the speaker of a lead that names
    nobody ("又向紫鹃道", "说着，便…含笑说道"); ``after``: the text that follows, where
    an indefinite speaker may be named ("有人笑道：“…” … 原来是香菱"); ``carried``: the
    clauses of the same sentence before the unit (see ``_carried``)."""
    quote = last_quote(unit)
    if quote is not None:
        lead = NOTE_MARK.sub("", unit[: quote.start()])
        tail = NOTE_MARK.sub("", unit[quote.end() :])
        salience.addressed = called = _called(quote, finder)
        who = _quoted_by(lead, tail, after, finder, salience, here, carried, called)
        salience.addressed = None
        return (who[0], Role.QUOTED, who[1], who[2]) if who else None
    who = _reporter(unit, finder, salience)
    return (who[0], Role.REPORTED, who[1], who[2] - 0.1) if who else None


def _quoted_by(
    lead: str,
    tail: str,
    after: str,
    finder: PersonFinder,
    salience: Salience,
    here: str | None,
    carried: str,
    called: str | None,
) -> tuple[str, How, float] | None:
    """Who speaks a quotation, from the words around it (see ``_attribute``), never by a
    pronoun the one it calls (``called``). English fiction's own attributions first:
    its leads name a character a news reader would take for a title or miss ("the
    Queen said severely “…”")."""
    who = _storyteller(lead, tail, after, finder, salience, called)
    if who is None and LEAD_VERB.search(lead.rstrip(" \t\n—-")):  # "说：——" too
        clause = without_adverbials(last_clause(lead))
        if (
            finder.indefinite(clause_head(clause))
            or SOMEONE.search(clause)
            or _someone(clause, finder)
        ) and not DESCRIBED.match(clause_head(clause)):
            # ("一个喝酒的人说道" is someone described, who speaks as that description)
            # Someone, not anyone named: only the text that follows may say who.
            revealed = finder.revealed(tail + after)
            if revealed:
                return revealed, How.PROSE_VERB, 0.6
            group = _group(clause, finder, salience)
            return (group, How.PROSE_VERB, 0.6) if group else None
        news = bool(TITLED_VERB.search(lead[-8:]))
        who = _subject(lead, finder, salience, news=news)
        group = _group(clause, finder, salience) if who is None else None
        if group:
            who = (group, How.PROSE_VERB, 0.6)  # "孩子们笑道": a group of no fixed word
        if (
            who is None
            and carried
            and (carried.rstrip().endswith(("；", ";")) or _subjectless(lead))
        ):
            # "武松吃得口滑，…；去身边取出些碎银子，叫道": the sentence's subject; and
            # "行者闻言，满心欢喜。急起身道": a lead with no subject of its own, right
            # after a sentence that has one.
            who = _subject(carried + lead, finder, salience, news=news)
        if (
            who is None
            and here is not None
            and (GOES_ON.match(lead.strip()) or REFLEXIVE.match(clause_head(clause)))
            and not NARRATOR.match(clause_head(carried))
        ):
            # (not where the sentence opened on the narrator: "我暗想…；又好笑，又不耐烦，
            # 懒懒的答他道" is the narrator's, whom no name stands for)
            # A lead that goes on with no subject: the last speaker goes on.
            who = (here, How.CONTINUATION, 0.7)
    if who is None:
        according = ACCORDING.search(last_clause(lead) + ",") if lead.strip() else None
        named = finder.known_in(according.group("who")) if according else None
        if named:
            # "According to Dr. Ashley Bloomfield, “…”": the one it is according to.
            who = (named[0], How.PROSE_VERB, 0.75)
    if who is None and is_attribution_tail(tail):
        # ("“…，”民主党联邦参议员卡丁说。": a title before the name, as in a lead)
        news = bool(TITLED_VERB.search(tail))
        who = _subject(tail, finder, salience, tail=True, news=news)
    if who is None:
        who = _reporter(QUOTE.sub("，", lead), finder, salience)
    if who is None:
        who = _narrator(lead, tail, carried)
    if who is None and not lead.strip() and not (not tail.strip() and _answers(after)):
        who = _actor_after(tail if tail.strip() else after, finder)
    if who is None and here is not None:
        who = _goes_on_acting(lead, here, finder)
    return who


# How the narrator of first-person fiction is named as a speaker: by the word the text
# uses, as a reader would ("我说" is the narrator's), with its own kind on the turn
# (``SpeakerKind.NARRATOR``) so that it is never one person with a "我" elsewhere.
NARRATOR_SPEAKER = "我"
NARRATOR_EN = "I"  # "said I": an English story's narrator, by the word it uses too


# The verb ending a lead has a subject nobody is named by: "Tom turned to Huck, and the
# stranger said:", "Tom pointed at the man who whispered:" (not Tom's words).
_UNNAMED_SUBJECT = re.compile(
    rf"(?:\bthe\s+[a-z]+(?:\s+[a-z]+)?|\bwho)\s+(?:\w+ly\s+)?(?:{fiction_en.VERBS})\b[^.!?]*$"
)
# A clause that goes on with the act of the sentence's subject: "所以就对她说", "便说".
_GOES_ON = re.compile("(?:所以|于是|於是|因此|因而|便|就|才|只好|只得|乃)")


def _narrator(lead: str, tail: str, carried: str = "") -> tuple[str, How, float] | None:
    """The first-person narrator speaks where 我 opens the speech verb's own sentence and
    nobody else is its subject: "我应声说：", "我这时很兴奋，但不知道怎么说才好，只是说：",
    "“…”我惶恐着，站起来说。", and where the sentence went on past a "；" ("我暗想…；
    又好笑，又不耐烦，懒懒的答他道"). Called only once no name, role or pronoun was found;
    not where 我 hears or sees ("我听见…说", "我看他笑道": a listener)."""
    if lead.strip() and LEAD_VERB.search(lead.rstrip(" \t\n—-")):
        sentence = SENTENCE_END.split(QUOTE.sub("，", carried + lead))[-1]
    elif not lead.strip() and tail.strip() and is_attribution_tail(tail):
        sentence = SENTENCE_END.split(tail.strip())[0]
    else:
        return None
    clauses = [c for c in CLAUSE_SPLIT.split(sentence) if c.strip()]
    if not clauses or not NARRATOR_ALONE.match(clause_head(clauses[0])):
        return None
    # A perception before the verb's clause is the narrator's own where that clause goes
    # on with the narrator's act ("我看了她那殷勤待我的样子，…，所以就对她说："); otherwise
    # the one perceived speaks ("我看见一个老人从巷子里走出来，笑着说："). Never where the
    # verb's clause has 我 as its object ("…那肥胖的机器手，…怒目的大声骂我说：").
    last = clauses[-1]
    perceived = any(PERCEIVES.search(c) for c in clauses[:-1])
    if PERCEIVES.search(last) or (perceived and not _GOES_ON.match(clause_head(last))):
        return None
    if any(pronoun_at(c) is not None for c in clauses):
        return None
    if len(clauses) > 1 and "我" in last and not NARRATOR_ALONE.match(clause_head(last)):
        return None
    return NARRATOR_SPEAKER, How.PROSE_VERB, 0.7


def _group(clause: str, finder: PersonFinder, salience: Salience) -> str | None:
    """A group that opens the lead's clause and speaks as one ("众人笑道", "旁人便又问
    道", "孩子们嚷道"), by its noun; 他们 for the group that spoke last, if one did. Not
    where a name follows it in the clause ("众人见宝玉笑道": who speaks is unclear)."""
    head = clause_head(clause)
    m = GROUP_HEAD.match(head)
    if m is None or m.group(0) in NOT_A_GROUP or finder.known_in(head[m.end() :]):
        return None
    word = m.group(0)
    return salience.group if word in PLURAL_PRONOUN else word


def _addressee(lead: str, finder: PersonFinder) -> str | None:
    """Whom the speech verb's clause says the words to: a name the text knows or the
    narrator, right after 对/向/跟 ("闰土又对我说", "宝玉向黛玉笑道"); never a pronoun,
    which the next bare quotation need not answer for."""
    clause = last_clause(lead.rstrip(" \t\n—-"))
    for m in ADDRESSED.finditer(clause):
        rest = clause[m.end() :]
        if NARRATOR_ALONE.match(rest):
            return NARRATOR_SPEAKER
        opening = finder.opening(rest)
        if opening is not None and opening[1] == 0:
            return opening[0]
    return None


# Stands in an exchange for one whose words nobody is named for, so that the one they
# called by name answers next ("“Don't, Jo. It's so boyish!”" ¶ "“That's why I do it.”").
UNNAMED = "\x00unnamed"
# Cries that open a quotation as a name would: 阿阿, 阿呀, 哈哈, 唉唉.
_INTERJECTION = re.compile("(.)\\1+|[阿啊呀哈唉哎嗳噯哦呵嘿喂咦呸吓嚇]+")
# A familiar name: 老栓, 小栓.
_FAMILIAR = re.compile(f"[老小][{HAN}]")
# A name called at the head of a quotation: "『老栓，你有些不舒服麽？』".
_CALLED = re.compile(f'^[“「『"]([{HAN}]{{2,4}})[，,！!]')


def _called(quote: re.Match[str] | None, finder: PersonFinder) -> str | None:
    """Whom a quotation calls by name before its first comma ("『老栓，你有些不舒服麽？』"):
    a person the text knows, or a name by the evidence ``PersonFinder.accepts`` asks, or
    老/小 and one character that the text writes again and no dictionary has (老栓,
    小栓: a familiar name the tagger does not know; 老师 is a word). In English, a
    character the text knows, one named with a title, or a name the text writes
    capitalised inside a sentence too ("my little Lizzy"; never "Ah,"), at the head, the
    end or after "my dear" ("“My dear Mr. Bennet, …”", "“…, Lizzy?”", "“I know, my dear
    Watson, that …”")."""
    m = _CALLED.match(quote.group(0)) if quote is not None else None
    if m is None and quote is not None:
        name = fiction_en.called_in(quote.group(0))
        known = name and (
            name in finder.characters
            or fiction_en.titled_surname(name)
            or finder.capitalised_inside(name)
        )
        return finder.character(name) if name and known else None
    if m is None:
        return None
    called = m.group(1)
    if _INTERJECTION.fullmatch(called):
        return None  # "“阿阿，你不知道…”", "“阿呀，…”": a cry, not a name
    opening = finder.opening(called)
    if opening is not None and opening[1] == 0:
        return opening[0]
    familiar = _FAMILIAR.fullmatch(called) is not None and not finder.word_count(called)
    # (or a surname and a form of address: "“白先生，你知道…”", "“韦太太，…”")
    addressed = called[0] in SURNAMES and called[1:] in ZH_ADDRESS_FORMS
    if finder.accepts(called) or addressed or (familiar and finder.count(called) >= 2):
        return finder.canonical(called)
    return None


def _actor_after(tail: str, finder: PersonFinder) -> tuple[str, How, float] | None:
    """ "『沒有？…』花白鬍子便取消了自己的話", "『這是包好！…』橫肉的人只是嚷": fiction names
    the speaker of a quotation that opens its sentence as the subject right after it,
    with no speech verb; not one who hears or sees it ("“…”黛玉听了"), a listener."""
    clauses = [c for c in CLAUSE_SPLIT.split(tail) if c.strip()]
    if not clauses or not HAN_RE.match(clauses[0].strip()):
        return None
    clause = clauses[0].strip()
    cut = CUT_OFF.match(clause)
    if cut:
        # "『…』駝背五少爺話還未完，突然闖進了…": whose words were cut off spoke them.
        clause = cut.group("who") + "說"
    if PERCEIVES.search(clause[:8]) or NEGATED.search(clause):
        return None  # a listener, or "掌柜也不再问": one who said nothing
    opening = finder.opening(clause)
    if opening is not None and opening[1] == 0:
        return opening[0], How.PROSE_VERB, 0.6
    who = (
        finder.listed_role(clause)
        or _described(clause)
        or finder.unknown_subject(clause, speech=True)
        or finder.role(clause)
    )
    return (finder.epithet_of(who) or who, How.PROSE_VERB, 0.6) if who else None


def _goes_on_acting(lead: str, here: str, finder: PersonFinder) -> tuple[str, How, float] | None:
    """ "“他？……”母亲说着，便向房外看，“这些人又来了。”": a lead with no speech verb at
    its end, opened by the one who spoke last in the paragraph and naming nobody else,
    goes on with that speaker's words; not where they only hear or see ("黛玉听了，…")."""
    clauses = [c for c in CLAUSE_SPLIT.split(QUOTE.sub("，", lead)) if c.strip()]
    if not clauses:
        return None
    opening = finder.opening(clauses[0])
    who = opening[0] if opening and opening[1] == 0 else finder.role(clauses[0])
    if who is None or here not in (who, finder.epithet_of(who)):
        return None
    if PERCEIVES.search(clauses[0][:8]):
        return None
    if any(name != here for name in finder.names_in(lead)):
        return None
    return here, How.CONTINUATION, 0.65


def _after_own_action(pending: list[str], here: str, finder: PersonFinder) -> Found | None:
    """ "他回过头去说：“水生，…。”便拖出躲在背后的孩子来，…。“这是第五个孩子…”": a bare
    quotation after narration, in the paragraph, whose every sentence goes on with no
    subject ("便…") or opens on the one who spoke last there, is theirs; not where the
    narration names anyone else."""
    for text in pending:
        clauses = [c for c in CLAUSE_SPLIT.split(QUOTE.sub("，", text)) if c.strip()]
        if not clauses or last_quote(text) is not None:
            return None
        opening = finder.opening(clauses[0])
        if not (GOES_ON.match(clauses[0].strip()) or (opening and opening[0] == here)):
            return None
        if any(name != here for name in finder.names_in(text)):
            return None
    return here, Role.QUOTED, How.CONTINUATION, 0.6


def _answers(after: str) -> bool:
    """The next unit opens on someone who goes on to answer in words of their own:
    "“什么清白？…”孔乙己便涨红了脸，…争辩道，“…”" replies to the words before; but
    "『…』花白鬍子一面說，一面…問道，『…』" speaks both (a speech verb in a first clause
    that does not itself lead into the new quotation)."""
    first = CLAUSE_SPLIT.split(after, 1)[0]
    quote = QUOTE.search(after)
    # "“取笑？…”孔乙己低声说道，“跌断…”": a lead of one clause straight into a new
    # quotation answers too.
    return quote is not None and (ZH_VERB.search(first) is None or quote.start() <= len(first) + 2)


def _described(clause: str) -> str | None:
    """ "橫肉的人只是嚷": a person described by "…的人" opening the clause."""
    m = DESCRIBED.match(clause_head(clause))
    return m.group("role") if m else None


def _storyteller(
    lead: str,
    tail: str,
    after: str,
    finder: PersonFinder,
    salience: Salience,
    called: str | None = None,
) -> tuple[str, How, float] | None:
    """English fiction's speaker (``fiction_en``), named right after the quotation, else
    before it, else, for a bare quotation, where the next unit goes on with the sentence
    in lower case ("“Idiot!” said the Queen, …"; "“Who is this?” She said it to the
    Knave" is a new sentence). A pronoun is the most recent character it can be."""
    found = fiction_en.named_after(tail) if tail.strip() else None
    if found is None and lead.strip():
        found = fiction_en.named_before(lead)
    if found is None and not tail.strip() and after.lstrip(" ,;:—-")[:1].islower():
        found = fiction_en.named_after(after)
    if found is None:
        return None
    words, says = found
    if says is fiction_en.Says.NAME:
        return finder.character(words), How.PROSE_VERB, 0.75
    if says is fiction_en.Says.NARRATOR:
        return NARRATOR_EN, How.PROSE_VERB, 0.75
    if says is fiction_en.Says.DESCRIBED:
        named = finder.described.get(words)
        return (finder.character(named), How.PROSE_VERB, 0.65) if named else None
    if says is fiction_en.Says.PRONOUN:
        resolved = salience.resolve(words)
        return (resolved, How.PRONOUN, 0.7) if resolved else None
    relative = _relative(words, finder, salience, called)
    return (relative, How.PRONOUN, 0.65) if relative else None


def _relative(
    relative: str, finder: PersonFinder, salience: Salience, called: str | None
) -> str | None:
    """Who "his wife" or "her father" is: the other of a married couple the novel names
    by title ("Mrs. Bennet" for Mr. Bennet's wife), else the most recent person the text
    showed to be of the relative's gender, never the one whose relative it is. Whose
    relative: the last person "his" or "her" can be, else the one the words call by name
    ("“My dear Mr. Bennet,” said his lady to him")."""
    pronoun = "he" if relative.startswith("his") else "she"
    owner = salience.resolve(pronoun)
    if owner is None and called and fiction_en.gender_of(called) in (None, pronoun_gender(pronoun)):
        owner = called
    spouse = fiction_en.spouse_name(owner, relative) if owner else None
    if spouse:
        return finder.character(spouse)
    want = fiction_en.relative_gender(relative)
    near = [p for p in reversed(salience.recent) if p != owner and salience.genders.get(p) is want]
    if fiction_en.elder(relative):
        # A parent, an aunt or an uncle goes by title ("Mrs. Bennet"), their children
        # by first name ("Kitty"): "cried her mother" is the woman with a title.
        near = [p for p in near if p.split()[0].rstrip(".") in fiction_en.TITLES] or near
    return near[0] if near else None


def _reporter(text: str, finder: PersonFinder, salience: Salience) -> tuple[str, How, float] | None:
    """The speaker of a verb of saying anywhere in ``text``: named in the verb's clause,
    else anywhere before it (a known name), else a pronoun."""
    for verb in list(REPORT_VERB.finditer(text)) + list(EN_REPORT.finditer(text)):
        before = text[: verb.start()]
        clause = without_adverbials(CLAUSE_SPLIT.split(before)[-1])
        if _someone(clause, finder):
            continue
        news = bool(TITLED_VERB.fullmatch(verb.group(0)))
        who = _subject(clause, finder, salience, reported=True, news=news)
        if who:
            return who
        if WRITTEN.search(verb.group(0)):
            continue  # "上面写道": a sign's words; its writer is named in that clause or not at all
        known = finder.known_in(before)
        if known:
            return known[0], How.PROSE_VERB, 0.8
    return None


def _subject(
    text: str,
    finder: PersonFinder,
    salience: Salience,
    *,
    tail: bool = False,
    reported: bool = False,
    news: bool = False,
) -> tuple[str, How, float] | None:
    """The speaker of the verb at the end of ``text`` (or, for a tail, in it): the
    nearest clause that names someone, walking back from the verb. ``news``: the verb
    is one of news reports, where a title may come before the name."""
    # Strip a quotation inside the lead: its words are not the subject; and where, when
    # and to whom it was said.
    text = ASIDE.sub("", without_adverbials(QUOTE.sub("，", text)))
    clauses = [c for c in CLAUSE_SPLIT.split(text) if c.strip()]
    if not clauses:
        return None
    # A reported sentence's subject is in the clause of its verb; a lead may be longer.
    # A tail names its speaker first (", said Jane Doe, a scientist at …"), a reported
    # sentence in the verb's clause; a lead may be longer.
    reach = clauses[:1] if tail else clauses[-1:] if reported else clauses
    if _someone(reach[-1], finder):
        return None  # "忽闻背后有人笑道": someone, not anyone named
    for n, clause in enumerate(reversed(reach)):
        role = ROLE.search(clause)
        named = finder.after_role(clause[role.end() :]) if role else None
        if role and named:
            # "外交部发言人汪文斌表示": the person, known from then on by the role too.
            return finder.table.add(named, [_role_name(role)]), How.PROSE_VERB, 0.8
        # Before the verb's own clause, a name is the subject only where it opens a
        # clause; elsewhere it is someone acted on ("县令熟视曹操，沉吟半晌，乃曰").
        known = finder.opening(clause) or (finder.known_in(clause) if n == 0 or tail else None)
        pronoun = pronoun_at(clause)
        if known and (pronoun is None or known[1] < pronoun):
            return known[0], How.PROSE_VERB, 0.85
        if n > 0 and not tail and not reported and pronoun is None:
            # "那老女人又走近几步，细看了一遍，自言自语的说": a role of the list opens an
            # earlier clause of the sentence, as a name would.
            listed = finder.listed_role(clause)
            if listed:
                return listed, How.PROSE_VERB, 0.7
        if pronoun is not None:
            # "行者闻言，…，他却不敢泄漏天机，只道": the sentence's own subject before
            # the pronoun, else the most recent person it can be (她 is never a man).
            word = pronoun_word(clause, pronoun)
            earlier = reach[: len(reach) - n - 1]
            topic = _bidden(earlier[-1], finder) if earlier else None
            topic = topic or next((f for c in earlier if (f := finder.opening(c))), None)
            if topic is not None:
                salience.learn(topic[0], word)
                return topic[0], How.PRONOUN, 0.75
            resolved = salience.resolve(word)
            if resolved:
                return resolved, How.PRONOUN, 0.7
        if role:
            # "the spokesperson said" after "spokesperson Ned Price said": the one
            # person the article gave that role, else the role itself.
            name = _role_name(role)
            return finder.holder(name) or name, How.PROSE_VERB, 0.75
        head = clause_head(clause)
        title = TITLE.match(head)
        if title:
            # "太守王匡曰": the title's holder named after it speaks, else the title.
            named = finder.unknown_subject(head[title.end() :], speech=False)
            return named or title.group(0), How.PROSE_VERB, 0.7
        placed = TITLE_INSIDE.match(head)
        if placed and not set(placed.group("place")) & BEFORE_OBJECT:
            # "长沙太守孙坚出曰": a place, a title, then its holder, who speaks.
            named = finder.unknown_subject(head[placed.end() :], speech=False)
            if named:
                return named, How.PROSE_VERB, 0.7
        dotted = finder.dotted(clause) if n == 0 else None
        if dotted:
            return dotted, How.PROSE_VERB, 0.75
        speech = n == 0 and not tail and not reported
        # A news verb's subject is in its own clause, or in the one before where the
        # verb's clause is the verb alone ("…习近平…发表讲话，强调“…”").
        made = n == 1 and BARE_VERB.match(reach[-1].strip()) and SPEECH_MADE.search(clause)
        newsy = news and (n == 0 or bool(made))
        subject = SPEECH_MADE.sub("", clause) if newsy and made else clause
        unknown = finder.unknown_subject(subject, speech=speech, news=newsy, apart=n > 0)
        if unknown:
            return finder.epithet_of(unknown) or unknown, How.PROSE_VERB, 0.75
        named_role = finder.role(clause) if speech or tail else None
        if named_role:
            return finder.epithet_of(named_role) or named_role, How.PROSE_VERB, 0.7
        by_role = ROLE_BY_ZHE.match(clause_head(clause)) if speech else None
        if by_role:
            return by_role.group("role"), How.PROSE_VERB, 0.7  # "从者曰": the follower
        if n > 0 and INTRODUCES.search(clause):
            # "走出一个半老不老的妇人来，娇声问道": the one brought in speaks, under
            # the role the text gives, or nobody named; never someone before.
            brought = finder.role(clause.rstrip("来來出"), at_end=True)
            return (brought, How.PROSE_VERB, 0.6) if brought else None
        if tail or (n == 0 and (PRESENTS.match(clause.strip()) or WRITTEN.search(clause))):
            # "只见琥珀站在…说": the clause brings in its own subject; if it is not
            # read as a name, no one before it is the speaker either.
            break
    return None


def _bidden(clause: str, finder: PersonFinder) -> tuple[str, int] | None:
    """ "母亲叫闰土坐，他迟疑了一回，…说": one a clause bids do something (叫, 让, 请 …)
    is the subject of the next clause, and the pronoun that opens it."""
    for m in PIVOT.finditer(clause):
        bidden = finder.opening(clause[m.end() :])
        if bidden is not None and bidden[1] == 0:
            return bidden
    return None


def _role_name(role: re.Match[str]) -> str:
    """ "The spokesperson" and "the spokesperson" are one speaker."""
    return re.sub(r"^(?:[Tt]he|[Aa]) ", "", role.group(0).strip())
