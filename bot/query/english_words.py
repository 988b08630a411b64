"""English word forms shared by the dictionary side and the query side: both are
stemmed by the same light rules, so "founded" meets "to found" and "chips" meets
"chip". Light on purpose: a wrong stem only ever costs a match, never adds one
that the dictionary does not also hold."""

from __future__ import annotations

import re
import tomllib
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


def content_stems(text: str) -> list[str]:
    """The stems of ``text``'s words that carry meaning (stopwords left out)."""
    stop = word_lists()["english_stopwords"] | {"sb", "sth", "one's", "oneself", "etc"}
    return [stem(w) for w in WORD.findall(text.lower()) if w not in stop]


LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f'’]*")


def latin_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lower-case word) for each Latin word of ``text``."""
    return [(m.start(), m.end(), m.group().lower()) for m in LATIN_WORD.finditer(text)]
