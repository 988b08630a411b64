"""Search tokens: folded text cut by jieba, plus Han character bigrams.

Measured on this corpus, jieba words plus bigrams on folded text beat either alone:
jieba gives precise words ("数据墙"), bigrams catch what the dictionary splits
differently in query and passage. Names of the corpus are added to jieba as user
words so "扎克伯格" stays one token. Separate from indexing, so both engines get the
same tokens and the index key can include ``TOKENIZER_VERSION``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable

import jieba

from bot.textfold import HAN, Folder

# Bump when tokens change: saved indexes built with another version are rebuilt.
TOKENIZER_VERSION = 3

_HAN_RUN = re.compile(f"[{HAN}]+")
_KEEP = re.compile(rf"[{HAN}]|[0-9a-z]")


class Tokenizer:
    def __init__(self, folder: Folder, user_words: Iterable[str] = ()) -> None:
        self.folder = folder
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self.user_words = tuple(sorted({folder.fold(w) for w in user_words if w.strip()}))
        for word in self.user_words:
            # Multi-word Latin names are matched word by word; jieba keeps Han ones whole.
            if " " not in word:
                self._jieba.add_word(word, freq=20000)

    def tokens(self, text: str) -> list[str]:
        return self.tokens_of_folded(self.folder.fold(text))

    def tokens_of_folded(self, folded: str) -> list[str]:
        words = [w.strip() for w in self._jieba.lcut(folded, HMM=True)]
        out = [w for w in words if w and _KEEP.search(w)]
        for run in _HAN_RUN.findall(folded):
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        return out


def fold_chars(text: str, folder: Folder) -> str:
    """A fold of ``text`` with exactly one character per character, so positions in
    it are positions in ``text`` (for highlighting matches in the display text)."""
    simplified = folder.to_simplified(text)
    if len(simplified) != len(text):
        simplified = text
    out = []
    for ch in simplified:
        f = unicodedata.normalize("NFKC", ch).lower()
        out.append(f if len(f) == 1 else ch.lower())
    return "".join(out)


def highlight_spans(text: str, terms: Iterable[str], folder: Folder) -> tuple[tuple[int, int], ...]:
    """Merged (start, end) spans of ``text`` where any folded term occurs."""
    haystack = fold_chars(text, folder)
    spans: list[tuple[int, int]] = []
    for term in {t for t in terms if len(t) > 1}:  # single characters would mark noise
        start = haystack.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = haystack.find(term, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return tuple(merged)
