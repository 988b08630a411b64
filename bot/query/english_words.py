"""English word forms shared by the dictionary side and the query side: both are
stemmed by the same light rules, so "founded" meets "to found" and "chips" meets
"chip". Light on purpose: a wrong stem only ever costs a match, never adds one
that the dictionary does not also hold."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

WORD = re.compile(r"[a-z][a-z0-9']*")
_WORDS_FILE = Path(__file__).with_name("words.toml")


@cache
def word_lists() -> dict[str, frozenset[str]]:
    data = tomllib.loads(_WORDS_FILE.read_text(encoding="utf-8"))
    return {name: frozenset(words) for name, words in data.items()}


def stem(word: str) -> str:
    w = word.lower().removesuffix("'s").removesuffix("'")
    if len(w) <= 3:
        return w
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e")):
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


def search_form(word: str) -> str:
    """The form a word is searched by, on both sides of search: the index's tokens, the
    query's words in ranking and the words highlights mark. A word of letters only is
    an English word form, searched by its light stem ("talks", "talked", "talking" ->
    "talk"); any other word (gpt-4, h100, 数据) as it is. Golden cases:
    ``tests/data/search_forms.jsonl``."""
    return stem(word) if _LETTERS_ONLY.fullmatch(word) else word


def content_stems(text: str) -> list[str]:
    """The stems of ``text``'s words that carry meaning (stopwords left out)."""
    stop = word_lists()["english_stopwords"] | {"sb", "sth", "one's", "oneself", "etc"}
    return [stem(w) for w in WORD.findall(text.lower()) if w not in stop]


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
