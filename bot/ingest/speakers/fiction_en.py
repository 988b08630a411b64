"""Who speaks in English fiction: a character is a capitalised name of one word ("said
Alice", "said Five") or a capitalised noun after "the" ("said the Queen", "the March Hare
said"), which news prose never uses for a person, and the verbs are a storyteller's
(cried, shouted, whispered, remarked, went on, began …), not only a reporter's.

- after a quotation: "“…,” said the Queen.", "“…,” the Rabbit asked.", "“…,” she
  remarked.";
- before it, in the same sentence: "the Queen said severely “…”", "The King laid his hand
  upon her arm, and timidly said “…”", "Two began in a low voice, “…”", "she went on,
  “…”": the nearest subject before the verb, never one after a preposition ("said to
  the Knave", "upon her arm").
A plural after "the" ("the soldiers shouted") is a group, not a person, and is left to
the reader; so is anyone the attribution does not name ("said a timid voice").
"""

from __future__ import annotations

import re
from enum import StrEnum
from itertools import dropwhile, takewhile

from bot.ingest.speakers.lexicon import EN_OPENING_ADVERBS, EN_PLACE_WORDS, EN_TITLE_WORDS
from bot.ingest.speakers.salience import Gender

# A storyteller's verbs of speaking, in the past tense; "went on" and "called out" as
# phrases ("called the Queen" is no speech).
VERBS = (
    "said|says|cried|shouted|screamed|shrieked|roared|whispered|remarked|exclaimed"
    "|muttered|murmured|called out|began|begun|went on|interrupted|repeated|replied"
    "|answered|asked|added|continued|ventured|sighed|growled|snapped|observed|pleaded"
    "|yelled|said to herself|said to himself|told|explained|insisted|declared"
    "|returned|rejoined|retorted|responded|resumed|protested|persisted|grumbled|sang"
    "|sobbed|stammered|faltered|gasped|groaned|moaned|wailed|laughed|chuckled|sneered"
    "|hissed|urged|demanded|inquired|enquired|agreed|admitted|confessed|suggested"
    "|announced|concluded|interposed|put in|cut in|broke in|chimed in|ejaculated"
    "|pleaded|begged|commanded|warned|mumbled|drawled|snarled|bellowed|thundered"
    "|squeaked|echoed|mused"
)
# Capitalised words that open a sentence or a clause and are no one's name.
_NOT_NAMES = frozenset(
    "I It Its It’s It's They Them Their She He Her His We You Your This That These Those"  # noqa: SIM905
    " There Here Then Now Just When While What Why How Who Whom Which Where Yes No Oh Well"
    " And But So Or Nor If As At In On Of To For From With By After Before First Next Last"
    " However Soon Once Still Only Perhaps Alas Dear My Our Mr Mrs Ms Miss Dr Sir Madam"
    " Do Don’t Don't Let Come Go Very".split()
)
# (a hyphen only before a capital: "Jean-Pierre", never "Fifteen-year-old Jo")
_WORD = r"[A-Z][a-z](?:[\w’']|-(?=[A-Z]))*"
# Titles written with a full stop, part of the name they stand before: "Mr. Bennet" and
# "Mrs. Bennet" are two people.
_HONORIFIC = r"(?:Mr|Mrs|Ms|Mme|Mlle|Dr|St)\.?"
# One to three capitalised words, after "the" or an honorific or not: "Alice", "the
# March Hare", "Mrs. Bennet".
PERSON = rf"(?:(?:[Tt]he)\s+|{_HONORIFIC}\s+)?{_WORD}(?:\s+{_WORD}){{0,2}}"
_PRONOUN = r"she|he|She|He"
# Someone named by kinship to another: "said his wife", "her mother cried".
_RELATIVES_FEMALE = "wife|lady|mother|sister|daughter|aunt|niece|grandmother"
_RELATIVES_MALE = "husband|father|brother|son|uncle|nephew|grandfather"
RELATIVE = rf"(?:[Hh]is|[Hh]er)\s+(?:{_RELATIVES_FEMALE}|{_RELATIVES_MALE})"


class Says(StrEnum):
    """How an attribution gives its speaker: by name ("said Alice"), by a pronoun ("said
    she") or as someone's relative ("said his wife"), which ``relative_of`` resolves."""

    NAME = "name"
    PRONOUN = "pronoun"
    RELATIVE = "relative"
    NARRATOR = "narrator"  # "said I", "I answered": the story's first-person narrator
    DESCRIBED = "described"  # "said the lawyer": a description, named by ``described_names``


_ADVERB = r"(?:\w+ly|then|again|at last|at once|still|now)"
# (the inverted name may carry an epithet: "said the unsympathetic Marilla")
AFTER = re.compile(
    rf"^[\s,;:—-]*(?:"
    rf"(?:{VERBS})\s+(?:(?:the\s+[a-z]+\s+)?(?P<inverted>{PERSON})|(?P<inverted_pronoun>she|he|I)\b"
    rf"|(?P<inverted_relative>{RELATIVE})|(?P<described>the(?:\s+[a-z][a-z’'-]*){{1,3}}))"
    rf"|(?P<who>{RELATIVE}|{PERSON}|{_PRONOUN}|I)\s+(?:{_ADVERB}\s+)?(?:{VERBS}))\b"
)
_LATIN = re.compile("[A-Za-z]")
# Words after a quotation that open on a verb of speaking: someone is named next.
VERB_FIRST = re.compile(rf"^[\s,;:—-]*(?:{VERBS})\b")
_VERB = re.compile(rf"\b(?:{VERBS})\b")
_SUBJECT = re.compile(
    rf"\b(?P<relative>{RELATIVE})\b|\b(?P<pronoun>{_PRONOUN}|I)\b|(?P<who>{PERSON})"
)
_PREPOSITION = re.compile(
    r"\b(?:to|at|with|of|by|upon|on|from|for|into|onto|behind|beside|near|towards?|"
    r"like|than|after|before|about|under|over|round|past)\s+$"
)
# (not the full stop of an honorific: "Mrs. Bennet said only, “…”")
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)[.!?;:]\s")
# Title words that say who a character is ("the King … he", "the Duchess … she").
_MALE = frozenset("King Prince Duke Lord Sir Mr Father Uncle Brother Man Boy Gentleman".split())  # noqa: SIM905
_FEMALE = frozenset(
    "Queen Princess Duchess Lady Madam Mrs Miss Ms Mother Aunt Sister Woman Girl".split()  # noqa: SIM905
)


def character(phrase: str) -> str | None:
    """ "the March Hare" -> "March Hare", "Alice" -> "Alice"; None for a word that opens
    sentences ("It", "Then") or for the narrator ("I")."""
    # ("Presently Tom seized…" is Tom)
    words = list(dropwhile(EN_OPENING_ADVERBS.__contains__, phrase.split()))
    if not words:
        return None
    if words[0] in ("the", "The"):
        words = words[1:]
    elif is_honorific(words[0]):
        # "Mr. Bennet" is his name, and his wife's is "Mrs. Bennet"; "Mr. Jabez Wilson"
        # is Jabez Wilson.
        words = words[1:] if len(words) > 2 else words
    else:
        # News prose writes an office before a name with no article ("Prime Minister
        # Jacinda Ardern said"), and the three-word window can start inside it: the
        # office is not the name. "the Queen" keeps its title: it is the character.
        words = list(dropwhile(EN_TITLE_WORDS.__contains__, words)) or words
    if not words or words[0] in _NOT_NAMES or any(w in ("I",) for w in words):
        return None
    if words[-1].endswith(("'s", "’s", "s'", "s’")):
        return None  # "said Scrooge's nephew": whose nephew, not who
    if any(w in EN_PLACE_WORDS for w in words):
        return None  # "Fleet Street", "Christmas Eve"
    if any(is_honorific(w) for w in words[1:]):
        return None  # "Mrs. St" of "Mrs. St. Clair": cut at a full stop
    return " ".join(words)


def is_honorific(word: str) -> bool:
    return re.fullmatch(_HONORIFIC, word) is not None


def titled_surname(name: str) -> str | None:
    """ "Mr. Bennet" -> "Bennet": a name that is an honorific and a surname."""
    words = name.split()
    return words[1] if len(words) == 2 and is_honorific(words[0]) else None


_PET = re.compile(r"([A-Z][a-z]{3,}?)(?:y|ie|ey)")


def pet_stem(name: str) -> str | None:
    """ "Hucky" -> "Huck": the stem of a one-word pet name (of four letters at least:
    "Mary" is no pet form of "Maria")."""
    m = _PET.fullmatch(name)
    return m.group(1) if m else None


def titles_of(surname: str, text: str) -> set[str]:
    """The titles ``text`` writes before ``surname`` ("Mr", "Mrs", "Miss")."""
    found = re.findall(rf"\b({_HONORIFIC}|Miss|Master|Madam)\s+{re.escape(surname)}\b", text)
    return {title.rstrip(".") for title in found}


def gender_of(name: str) -> Gender | None:
    words = {w.rstrip(".") for w in name.split()}
    if words & _MALE:
        return Gender.MALE
    if words & _FEMALE:
        return Gender.FEMALE
    return None


def named_after(tail: str) -> tuple[str, Says] | None:
    """Who an attribution right after a quotation names, and how: "said Alice", "she
    said", "returned she", "said his wife"; None if it names no character."""
    m = AFTER.match(tail) if _LATIN.search(tail[:40]) else None
    if m is None:
        return None
    if m.group("inverted_pronoun") == "I":
        return "I", Says.NARRATOR
    if m.group("inverted_pronoun"):
        return m.group("inverted_pronoun"), Says.PRONOUN  # "“But it is,” returned she"
    if m.group("inverted_relative"):
        return m.group("inverted_relative").lower(), Says.RELATIVE
    if m.group("inverted"):
        name = character(m.group("inverted"))
        return (name, Says.NAME) if name else None
    if m.group("described"):
        words = list(takewhile(_in_description, m.group("described").split()[1:]))
        return (" ".join(["the", *words]), Says.DESCRIBED) if words else None
    who = m.group("who")
    if who in ("She", "He") or who.startswith(("His ", "Her ")):
        return None  # "“Who is this?” She said it to the Knave": a new sentence
    if who == "I":
        return who, Says.NARRATOR
    if re.fullmatch(_PRONOUN, who):
        return who, Says.PRONOUN
    if re.fullmatch(RELATIVE, who):
        return who, Says.RELATIVE
    name = character(who)
    return (name, Says.NAME) if name else None


# A sentence that opens on a character doing something: "And Beth looked at her rough
# hands", "Jo immediately sat up".
_ACTS = re.compile(
    rf"^\s*(?:(?:And|But|Then|So)\s+)?(?P<who>{PERSON})\s+(?:{_ADVERB}\s+)?[a-z]+ed\b"
)


def actor_opening(text: str) -> str | None:
    """The character a narration sentence opens on as the subject of a past-tense verb."""
    m = _ACTS.match(text)
    return character(m.group("who")) if m else None


def speech_verbs(text: str) -> int:
    """How many storyteller's verbs of speaking ``text`` holds."""
    return len(_VERB.findall(text))


def named_before(lead: str) -> tuple[str, Says] | None:
    """Who speaks in the words before a quotation in the same sentence ("the Queen said
    severely", "Seven looked up and said,", "she went on,"): the subject nearest before
    the last speech verb, or the character right after it ("said the King, and …")."""
    if not _LATIN.search(lead):
        return None
    verbs = list(_VERB.finditer(lead))
    if not verbs:
        return None
    verb = verbs[-1]
    rest = lead[verb.end() :]
    if len(rest.split()) > 8:
        return None  # the verb is too far from the quotation to lead into it
    inverted = re.match(rf"\s+(?:(?P<relative>{RELATIVE})|(?P<I>I)|(?P<who>{PERSON}))\b", rest)
    if inverted and inverted.group("relative"):
        return inverted.group("relative").lower(), Says.RELATIVE
    if inverted and inverted.group("I"):
        return "I", Says.NARRATOR
    if inverted:
        name = character(inverted.group("who"))
        if name:
            return name, Says.NAME
    ends = list(_SENTENCE_END.finditer(lead, 0, verb.start()))
    sentence_start = ends[-1].end() if ends else 0
    before = lead[sentence_start : verb.start()]
    for m in reversed(list(_SUBJECT.finditer(before))):
        if _PREPOSITION.search(before[: m.start()]):
            continue  # "upon her arm", "said to the Knave": not the subject
        if m.group("relative"):
            return m.group("relative").lower(), Says.RELATIVE
        if m.group("pronoun") == "I":
            return "I", Says.NARRATOR
        if m.group("pronoun"):
            return m.group("pronoun").lower(), Says.PRONOUN
        name = character(m.group("who"))
        if name:
            return name, Says.NAME
    return None


# A name called at the head or the end of a quotation: "“My dear Mr. Bennet, …”",
# "“Mr. Bennet, how can you …”", "“I hope Mr. Bingley will like it, Lizzy.”".
_CALLED_HEAD = re.compile(
    rf"^[“\"](?:(?:[Mm]y\s+)?(?:dear|good|poor)\s+|Oh,?\s+)?(?P<name>{PERSON})\s*[,!]"
)
_CALLED_END = re.compile(
    rf"[,;]\s+(?:(?:[Mm]y\s+)?(?:dear|good|poor)\s+)?(?P<name>{PERSON})\s*[.!?,]*[”\"]$"
)


# Or inside it, after "my dear" or at the end of a sentence: "“I know, my dear Watson,
# that you share …”", "“What do you think, Watson? Could …”", "“So I did, Beth. Well…”".
_CALLED_INSIDE = re.compile(
    rf",\s+(?:[Mm]y\s+)?dear\s+(?P<name>{PERSON})\s*[,!?]|,\s+(?P<asked>{PERSON})\s*[?!.](?=\s)"
)


# Words one is called by that are no name: "“Good-night, Doctor.”", "“Yes, Mother.”".
_ADDRESSES = frozenset(
    "Doctor Sir Madam Madame Ma'am Ma’am Mister Miss Mistress Captain Colonel Major"  # noqa: SIM905
    " Inspector Sergeant Constable Officer Father Mother Uncle Aunt Mamma Mama Papa"
    " Grandmother Grandfather Brother Sister Son Daughter Child Boy Girl Lord Lady Master"
    " Gentlemen Ladies Friend Reverend Parson Judge Nurse".split()
)


def called_in(quotation: str) -> str | None:
    """The character a quotation calls by name, if it calls one."""
    m = (
        _CALLED_HEAD.match(quotation)
        or _CALLED_END.search(quotation)
        or _CALLED_INSIDE.search(quotation)
    )
    if m is None or (m.group("name") or m.group("asked")) in _ADDRESSES:
        return None
    return character(m.group("name") or m.group("asked"))


_QUOTATION = re.compile("“[^“”]{1,2000}”")
_AFTER_REACH = 80  # characters after a quotation its attribution is read in
_CALLS = 2  # times a description calls the one name it calls, at least
# Words after "the" that describe no one person: "said the other", "said the voice" (a
# voice behind a door is whoever is there).
_NO_ONE = frozenset("other others one first second third former latter same voice voices".split())  # noqa: SIM905
# Where a description ends: "said the lawyer peevishly", "said the lawyer to himself".
_DESCRIPTION_ENDS = frozenset(
    "to at in on with as and but or who that which while when after before from by for".split()  # noqa: SIM905
)


def described_names(body: str) -> dict[str, str]:
    """The character each description speaking in ``body`` is ("said the lawyer" ->
    Utterson), where the text shows it through the names the speakers call each other:
    "the lawyer" calls one speaker's name only, Poole, at least twice ("“Amen, Poole,”
    said the lawyer"), no other description calls Poole, and Poole, named where he speaks
    ("said Poole"), calls one name only, Mr. Utterson: the lawyer is the one Poole talks
    to. Not where any of them calls two, nor for words that describe no one person ("said
    the other", "said the voice")."""
    said: list[tuple[str, list[str]]] = []
    for quotation in _QUOTATION.finditer(body):
        found = named_after(body[quotation.end() : quotation.end() + _AFTER_REACH])
        if found is not None and found[1] in (Says.NAME, Says.DESCRIBED):
            said.append((found[0], _called_names(quotation.group(0))))
    # Only names that speak count as called ("Amen," and "Ah," open quotations too).
    names = {who for who, _ in said if not who.startswith("the ")}
    calls: dict[str, set[str]] = {}
    times: dict[tuple[str, str], int] = {}
    for who, called in said:
        speaker = who if who.startswith("the ") else _person(who, names) or who
        for name in {p for c in called if (p := _person(c, names))}:
            calls.setdefault(speaker, set()).add(name)
            times[speaker, name] = times.get((speaker, name), 0) + 1
    named: dict[str, str] = {}
    for speaker, callees in calls.items():
        if not speaker.startswith("the ") or len(callees) != 1 or _NO_ONE & set(speaker.split()):
            continue
        (other,) = callees
        rivals = [
            s for s, c in calls.items() if s != speaker and s.startswith("the ") and other in c
        ]
        back = calls.get(other, set()) - {other}
        if times[speaker, other] >= _CALLS and not rivals and len(back) == 1:
            named[speaker] = back.pop()
    return named


def _person(name: str, names: set[str]) -> str | None:
    """The one speaking name that ``name`` is: itself, or the one of its surname whose
    title does not differ ("Mr. Utterson" is Utterson; "Mr. Bennet" is no Mrs. Bennet)."""
    if name in names:
        return name
    same = [n for n in names if _surname(n) == _surname(name) and _titles_agree(n, name)]
    return same[0] if len(same) == 1 else None


def _titles_agree(a: str, b: str) -> bool:
    first_a, first_b = a.split()[0], b.split()[0]
    return not (is_honorific(first_a) and is_honorific(first_b)) or first_a == first_b


# Any name set off in a quotation, as a call is: "“Amen, Poole,”", "“Well, Mr. Utterson,
# you are …”" (the evidence ``described_names`` counts, among the names that speak).
_SET_OFF = re.compile(rf"(?:^[“\"]|[,;]\s+)(?P<name>{PERSON})(?=\s*[,;!?.])")


def _called_names(quotation: str) -> list[str]:
    """Every name a quotation sets off as it calls one."""
    found = [m.group("name") for m in _SET_OFF.finditer(quotation)]
    return [name for f in found if f not in _ADDRESSES and (name := character(f))]


def _in_description(word: str) -> bool:
    return word not in _DESCRIPTION_ENDS and not word.endswith("ly")


def _surname(name: str) -> str:
    return name.split()[-1]


_SPOUSE_TITLE = {"Mr.": "Mrs.", "Mr": "Mrs", "Mrs.": "Mr.", "Mrs": "Mr"}


_ELDER = frozenset("mother father aunt uncle grandmother grandfather".split())  # noqa: SIM905
# Titles before a name ("Mrs. Bennet", "Lady Lucas", "Sir William").
TITLES = frozenset("Mr Mrs Ms Miss Mme Dr Sir Lady Lord".split())  # noqa: SIM905


def elder(relative: str) -> bool:
    """ "her mother", "his uncle": a relative of an older generation."""
    return relative.split()[-1] in _ELDER


def relative_gender(relative: str) -> Gender:
    """ "his wife" -> FEMALE, "her father" -> MALE."""
    noun = relative.split()[-1]
    return Gender.FEMALE if re.fullmatch(_RELATIVES_FEMALE, noun) else Gender.MALE


def spouse_name(person: str, relative: str) -> str | None:
    """ "Mrs. Bennet" for "his wife" (or "his lady") when he is "Mr. Bennet", and the
    other way round: the name a novel of manners gives a married couple."""
    noun = relative.split()[-1]
    words = person.split()
    if titled_surname(person) is None or noun not in ("wife", "lady", "husband"):
        return None
    other = _SPOUSE_TITLE.get(words[0])
    if other is None or (noun == "husband") != words[0].startswith("Mrs"):
        return None
    return f"{other} {words[1]}"
