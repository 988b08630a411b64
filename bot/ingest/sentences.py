"""Sentence and clause splitting for Chinese and English that keeps quotations whole.

Chinese ends at 。！？；… and the full-width "．"; English "." ends a sentence only before
a space and a capital, digit or opening quote, and never after a title or common
abbreviation ("Mr.", "U.S.", "e.g."), an initial ("J. K. Rowling") or inside a number
("3.1"). Compared with pysbd 0.3.4: it segments English as well, but ~10x slower on a
Chinese article (ingest speed is a requirement) and it cuts Chinese quotations apart
('他说：“我们走吧。' | '”然后离开了。'), which breaks attribution; golden cases for
the shapes that matter are in tests/test_ingest.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ENDS = set("。！？!?；;…．")
# Titles written with a full stop before a name ("Mr. Holmes", "Sen. Warren"): none ends
# a sentence, nor a wrapped line (``repairs``). One list for both.
TITLES = (
    "mr", "mrs", "ms", "mme", "mlle", "dr", "prof", "rev", "st",
    "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt", "adm",
)  # fmt: skip
_ABBREVIATIONS = frozenset(
    (
        *TITLES,
        *("jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp"),
        *("e.g", "i.e", "u.s", "u.k", "u.n", "a.m", "p.m"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    )
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
# A quotation may open with a quotation inside it: "Ames. “‘Digital assembly’ refers…".
_NEXT_STARTS = re.compile(r"\s+[\"“‘'(\[]{0,2}[A-Z0-9\u4e00-\u9fff]")


def _english_end(text: str, i: int) -> bool:
    """Whether the "." at ``i`` ends an English sentence."""
    if not _NEXT_STARTS.match(text, i + 1):
        return False
    word = _WORD_BEFORE.search(text[max(0, i - 24) : i])
    if word is None:
        # A number ends a sentence ("in 2021. The", "September 25-26. During"), unless
        # it opens one (a list's "1. The first point").
        head = text[max(0, i - 24) : i].rstrip("0123456789")
        if not head.strip() or head.endswith("\n"):
            return False
        return head.rstrip()[-1] not in _ENDS | {"."}
    token = word.group(1)
    if len(token) == 1 and token.isupper():
        return False  # an initial: "J. K. Rowling"
    return token.lower().rstrip(".") not in _ABBREVIATIONS


_OPEN = {"“": "”", "「": "」", "『": "』", "《": "》", '"': '"'}
_CLOSERS = set('”」』》"’)）')


def split_sentences(text: str) -> list[str]:
    """Split after sentence-ending punctuation, never inside “…” or 「…」; closing
    quotes and brackets stay with the sentence they end."""
    return list(_split_sentences(text))


# The characters the splitter acts on; it jumps from one to the next (a regex finds
# them in C) rather than stepping through every character in Python (#14).
_SPECIAL = re.compile("[" + re.escape("".join({*_OPEN, *_OPEN.values(), *_ENDS, "."})) + "]")
_QUOTE_LIMIT = 400  # characters an unclosed quotation is honoured for


# Ingest splits each paragraph three times (prose, dates, passages): remembered.
@lru_cache(maxsize=4096)
def _split_sentences(text: str) -> tuple[str, ...]:
    sentences: list[str] = []
    stack: list[str] = []
    opened_at = 0
    start = 0
    i = 0
    n = len(text)
    while (found := _SPECIAL.search(text, i)) is not None:
        at = found.start()
        if stack and at > i and at - 1 - opened_at > _QUOTE_LIMIT:
            stack.clear()  # an unclosed quote: stop honouring it (at a character passed over)
        i = at
        ch = text[i]
        if stack and ch == stack[-1]:
            stack.pop()
        elif ch in _OPEN and not (ch == '"' and stack and stack[-1] == '"'):
            if not stack:
                opened_at = i
            stack.append(_OPEN[ch])
        elif not stack and (ch in _ENDS or (ch == "." and _english_end(text, i))):
            j = i + 1
            while j < n and (text[j] in _ENDS or text[j] in _CLOSERS):
                j += 1
            sentences.append(text[start:j])
            start = i = j
            continue
        if stack and i - opened_at > _QUOTE_LIMIT:  # an unclosed quote: stop honouring it
            stack.clear()
        i += 1
    if start < n:
        sentences.append(text[start:])
    return tuple(s for s in (x.strip() for x in sentences) if s)


def split_clauses(sentence: str) -> list[str]:
    """Clauses at commas and semicolons outside quotations (for over-long sentences)."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(sentence):
        if ch in "“「『《":
            depth += 1
        elif ch in "”」』》" and depth:
            depth -= 1
        elif ch in "，,；;、" and depth == 0:
            parts.append(sentence[start : i + 1])
            start = i + 1
    parts.append(sentence[start:])
    return [p for p in parts if p.strip()]
