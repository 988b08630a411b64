"""Pronouns: who a 他/她/he/she is, and whether it is a clause's subject (never inside
其他 or 他們, never the object in 拉他说).

A pronoun is the most recent person it can be: 她/she is never a man the text shows to be
one ("张伟先生", "Mr. Doe", or a 他 that was him), and 他/he never a woman, except in
a text that writes no 她 at all (older Chinese uses 他 for everyone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.ingest.speakers.lexicon import OPENERS, PRONOUN_EN, PRONOUN_ZH

# How many people back a pronoun may reach.
_REACH = 6


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


def pronoun_gender(pronoun: str) -> Gender:
    return Gender.FEMALE if pronoun in ("她", "she", "She") else Gender.MALE


# What a text says of a person next to the name: "李娜女士", "Ms. Doe", "张伟先生".
_MARKS = (
    (
        Gender.FEMALE,
        "{name}(?:女士|小姐|夫人|太太|姑娘|阿姨)|(?:Ms|Mrs|Miss)\\.? (?:[A-Z][a-z]+ )?{name}",
    ),
    (Gender.MALE, "{name}(?:先生|老爷|老爺|公子)|Mr\\.? (?:[A-Z][a-z]+ )?{name}"),
)


def gender_in(text: str, name: str) -> Gender | None:
    """The gender ``text`` gives ``name`` by a word next to it, if it gives one only."""
    found = {
        gender
        for gender, pattern in _MARKS
        if re.search(pattern.format(name=re.escape(name.rsplit(" ", 1)[-1])), text)
    }
    return found.pop() if len(found) == 1 else None


_TITLED = re.compile(r"\b(Mrs|Ms|Miss|Mr)\.? (?:[A-Z][a-z]+ )?([A-Z][a-z]+)\b")


def genders_by_titles(text: str) -> dict[str, Gender]:
    """``gender_in`` for every English name at once: the surname after "Mr."/"Mrs."/
    "Ms."/"Miss" in one pass over the text, where its titles give one gender only."""
    seen: dict[str, set[Gender]] = {}
    for m in _TITLED.finditer(text):
        gender = Gender.MALE if m.group(1) == "Mr" else Gender.FEMALE
        seen.setdefault(m.group(2), set()).add(gender)
    return {name: next(iter(g)) for name, g in seen.items() if len(g) == 1}


# An English clause: a capitalised word and what follows it up to the clause's end.
_CLAUSE = re.compile(r"[^.!?;:“”\"]+")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_HERS = re.compile(r"\b(?:she|her|hers|herself)\b")
_HIS = re.compile(r"\b(?:he|him|his|himself)\b")
_CLAUSE_REACH = 60  # characters after the name


def genders_by_pronouns(text: str) -> dict[str, Gender]:
    """For each capitalised English word, the gender of the pronouns that follow it in
    its clauses ("Mary is adjusting her ideas", "Kitty has no discretion in her coughs"),
    where they are of one gender at least twice as often as of the other. One pass over
    the text for every name at once."""
    hers: dict[str, int] = {}
    his: dict[str, int] = {}
    for clause in _CLAUSE.finditer(text):
        words = list(_CAPITALISED.finditer(clause.group(0)))
        if not words:
            continue
        body = clause.group(0)
        for m in words:
            after = body[m.end() : m.end() + _CLAUSE_REACH]
            hers[m.group(0)] = hers.get(m.group(0), 0) + len(_HERS.findall(after))
            his[m.group(0)] = his.get(m.group(0), 0) + len(_HIS.findall(after))
    genders = {}
    for word, female in hers.items():
        male = his[word]
        if female >= max(1, 2 * male):
            genders[word] = Gender.FEMALE
        elif male >= max(1, 2 * female):
            genders[word] = Gender.MALE
    return genders


# A word of kinship or an honorific that ends a name gives its gender: 四叔, 康大叔,
# 七大人, 慰老爷 are men; 四婶, 祥林嫂, 柳妈, 卫老婆子 women. Not 先生, said of women too
# (a woman teacher, 杨绛先生).
_KIN_GENDER = (
    (Gender.MALE, re.compile("(?:叔|伯|哥|爷|爺|公|少爷|少爺|大人)$")),
    (Gender.FEMALE, re.compile("(?:婶|嬸|嫂|姐|妈|媽|娘|婆|婆子|奶奶|太太|老太|夫人)$")),
)


def kin_gender(name: str) -> Gender | None:
    """The gender of a name that ends in a word of kinship, if it does."""
    return next((gender for gender, ends in _KIN_GENDER if ends.search(name)), None)


@dataclass
class Salience:
    """The people named lately, most recent last, and what the text showed of them."""

    distinguishes: bool = False  # the text writes 她 as well as 他: 他 is then a man
    recent: list[str] = field(default_factory=list)
    genders: dict[str, Gender] = field(default_factory=dict)
    group: str | None = None  # the group that spoke last, whom a 他们 stands for
    # Whom the quotation being read calls by name: no pronoun of its attribution is
    # them ("“There is an axe…,” continued Poole" ¶ "“Do you know, Poole,” he said" is
    # not Poole's).
    addressed: str | None = None

    @property
    def last(self) -> str | None:
        return self.recent[-1] if self.recent else None

    def mention(self, person: str | None, gender: Gender | None = None) -> None:
        if not person:
            return
        if person in self.recent:
            self.recent.remove(person)
        self.recent = [*self.recent[-_REACH + 1 :], person]
        if gender is not None:
            self.genders.setdefault(person, gender)

    def _gendered(self, pronoun: str) -> bool:
        """Whether ``pronoun`` says a gender: 她, he, she always; 他 only in a text that
        also writes 她."""
        return pronoun != "他" or self.distinguishes

    def learn(self, person: str, pronoun: str) -> None:
        """The text called ``person`` by ``pronoun`` ("李娜…，她…")."""
        if self._gendered(pronoun):
            self.genders.setdefault(person, pronoun_gender(pronoun))

    def resolve(self, pronoun: str) -> str | None:
        """The most recent person ``pronoun`` can be, or None."""
        recent = [p for p in self.recent if p != self.addressed]
        last = recent[-1] if recent else None
        if not self._gendered(pronoun):
            return last
        want = pronoun_gender(pronoun)
        if last is not None and self.genders.get(last) in (None, want):
            return last
        # Past the last person, who cannot be meant, one the text showed to be of the
        # pronoun's gender before any it showed nothing of ("Mr. Bennet … Kitty … Mrs.
        # Bennet said only, “…” … cried he": Mr. Bennet).
        shown = (p for p in reversed(recent) if self.genders.get(p) is want)
        unknown = (p for p in reversed(recent) if self.genders.get(p) is None)
        return next(shown, None) or next(unknown, None)


def pronoun_at(clause: str) -> int | None:
    """A pronoun that is the clause's subject: 他说, 她便笑道, "she said"; not the
    object in 拉他说."""
    m = PRONOUN_ZH.search(clause) or PRONOUN_EN.search(clause)
    if m is None:
        return None
    opened = clause[: m.start()].strip()
    if opened and OPENERS.sub("", opened) and m.re is PRONOUN_ZH:
        return None
    return m.start()


_PRONOUN_WORD = re.compile(r"[他她]|[Hh]e\b|[Ss]he\b")


def pronoun_word(clause: str, at: int) -> str:
    """The pronoun at ``at`` (from ``pronoun_at``): 他, 她, he or she."""
    m = _PRONOUN_WORD.match(clause, at)
    return m.group(0).lower() if m else "他"
