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
from collections.abc import Iterable
from pathlib import Path

import jieba

from bot.textfold import HAN, Folder

# Bump when tokens change: saved indexes built with another version are rebuilt.
TOKENIZER_VERSION = 6

# Function characters standing alone as words. Their posting lists cover most passages
# while their BM25 weight is near zero; dropping them halves query time at a million
# passages (see the benchmark). The bigrams they are part of stay.
STOP_CHARS = frozenset(
    "的了是在和也就都而及与着或一不这那有我你他她它们之于以为被把让对从到上中下个吗呢吧啊"
)

_HAN_RUN = re.compile(f"[{HAN}]+")
_KEEP = re.compile(rf"[{HAN}]|[0-9a-z]")


# Stands for every dictionary word a pruned dictionary leaves out, so word
# probabilities (freq / total) stay exactly those of the full dictionary.
_FILLER = "\ue000\ue001"


def fold_words(folder: Folder, words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({folder.fold(w) for w in words if w.strip()}))


class Tokenizer:
    """``dictionary``: a jieba dictionary file; None loads jieba's full one (slow to
    load: about half a second). Saved indexes carry a pruned one, see
    ``write_pruned_dictionary``."""

    def __init__(
        self, folder: Folder, user_words: Iterable[str] = (), dictionary: Path | None = None
    ) -> None:
        self.folder = folder
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer(str(dictionary)) if dictionary else jieba.Tokenizer()
        if dictionary:
            self._jieba.tmp_dir = str(dictionary.parent)
        self._jieba.initialize()
        self.user_words = fold_words(folder, user_words)
        for word in self.user_words:
            # Multi-word Latin names are matched word by word; jieba keeps Han ones whole.
            if " " not in word:
                self._jieba.add_word(word, freq=20000)

    def words(self, text: str) -> list[str]:
        """Dictionary words only (no bigrams), folded: for suggestions, not for search."""
        folded = self.folder.fold(text)
        return [
            w
            for w in (x.strip() for x in self._jieba.lcut(folded, HMM=False))
            if w and w not in STOP_CHARS and _KEEP.search(w)
        ]

    def tokens(self, text: str) -> list[str]:
        return self.tokens_of_folded(self.folder.fold(text))

    def tokens_of_folded(self, folded: str) -> list[str]:
        words = [w.strip() for w in self._jieba.lcut(folded, HMM=True)]
        out = [w for w in words if w and w not in STOP_CHARS and _KEEP.search(w)]
        for run in _HAN_RUN.findall(folded):
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        return out


def write_pruned_dictionary(texts: Iterable[str], folder: Folder, target: Path) -> None:
    """Keep the words of jieba's dictionary that occur in ``texts``, with their
    frequencies, plus one filler entry holding the rest of the total. Every word in
    the DAG of a corpus sentence is kept, so the corpus is segmented exactly as with
    the full dictionary, and loading takes milliseconds instead of half a second."""
    jieba.setLogLevel(logging.WARNING)
    full = jieba.Tokenizer()
    full.initialize()
    kept: set[str] = set()
    for text in texts:
        kept.update(w for w in full.cut(folder.fold(text), cut_all=True) if full.FREQ.get(w))
    kept = {w for w in kept if w.strip() and " " not in w}
    lines = [f"{w} {full.FREQ[w]}" for w in sorted(kept)]
    lines.append(f"{_FILLER} {max(1, full.total - sum(full.FREQ[w] for w in kept))}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(target)
