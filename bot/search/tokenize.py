"""Search tokens: folded text cut by jieba's dictionary, plus Han character bigrams.

Measured on this corpus, dictionary words plus bigrams on folded text beat either
alone: words give precision ("数据墙"), bigrams catch what the dictionary splits
differently in query and passage. Names of the corpus are added as user words so
"扎克伯格" stays one token. Separate from indexing, so both engines get the same tokens
and the index key can include ``TOKENIZER_VERSION`` and the segmenter's name and version.

Two segmenters cut with the same dictionary (jieba's ``dict.txt``) and the same rules:

- ``rjieba`` (jieba-rs, the default): 25x faster on this corpus and loads the whole
  dictionary in a tenth of a second, so start-up needs no pruned copy;
- ``jieba``: the reference. Where the two differ, rjieba's output is brought to
  jieba's: jieba-rs keeps Latin runs with inner punctuation whole ("gpt-3",
  "2024-09-26", "character.ai") where jieba splits them, so those are split the same
  way (``_JIEBA_SKIP``, jieba's ``finalseg.re_skip``) unless the run is a word.
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

from bot.textfold import HAN, Folder

# Bump when tokens change: saved indexes built with another version are rebuilt.
TOKENIZER_VERSION = 7

SEGMENTERS = ("rjieba", "jieba")
DEFAULT_SEGMENTER = "rjieba"
USER_WORD_FREQ = 20000

# Function characters standing alone as words. Their posting lists cover most passages
# while their BM25 weight is near zero; dropping them halves query time at a million
# passages (see the benchmark). The bigrams they are part of stay.
STOP_CHARS = frozenset(
    "的了是在和也就都而及与着或一不这那有我你他她它们之于以为被把让对从到上中下个吗呢吧啊"
)

_HAN_RUN = re.compile(f"[{HAN}]+")
HAN_BIGRAM = re.compile(f"[{HAN}]{{2}}")
_KEEP = re.compile(rf"[{HAN}]|[0-9a-z]")
# How jieba cuts a run of characters outside its dictionary that is not Han.
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


# Stands for every dictionary word a pruned dictionary leaves out, so word
# probabilities (freq / total) stay exactly those of the full dictionary.
_FILLER = "\ue000\ue001"


def fold_words(folder: Folder, words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({folder.fold(w) for w in words if w.strip()}))


class Segmenter(Protocol):
    name: str
    version: str

    def cut(self, text: str, hmm: bool) -> list[str]: ...


class JiebaSegmenter:
    """The reference. ``dictionary``: a jieba dictionary file; None loads jieba's full
    one (about half a second). Saved indexes carry a pruned one for it, see
    ``write_pruned_dictionary``."""

    name = "jieba"

    def __init__(self, user_words: Sequence[str], dictionary: Path | None = None) -> None:
        import jieba

        self.version = jieba.__version__
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer(str(dictionary)) if dictionary else jieba.Tokenizer()
        if dictionary:
            self._jieba.tmp_dir = str(dictionary.parent)
        self._jieba.initialize()
        for word in user_words:
            self._jieba.add_word(word, freq=USER_WORD_FREQ)

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self._jieba.lcut(text, HMM=hmm)


class RustJiebaSegmenter:
    """jieba-rs with jieba's dictionary built in (all 349,046 words of jieba 0.42.1's
    ``dict.txt``); the whole of it loads in about 0.1 s."""

    name = "rjieba"

    def __init__(self, user_words: Sequence[str]) -> None:
        import rjieba

        self.version = importlib.metadata.version("rjieba")
        self._jieba = rjieba.Jieba()
        for word in user_words:
            self._jieba.add_word(word, USER_WORD_FREQ, None)

    def cut(self, text: str, hmm: bool) -> list[str]:
        words = self._jieba.cut(text, hmm)
        if not hmm:
            return words
        out: list[str] = []
        for w in words:
            if (
                len(w) > 1
                and not _HAN_RUN.search(w)
                and not _JIEBA_SKIP.fullmatch(w)
                and not self._jieba.has_word(w)
            ):
                out.extend(x for x in _JIEBA_SKIP.split(w) if x)
            else:
                out.append(w)
        return out


def make_segmenter(
    name: str, user_words: Sequence[str], dictionary: Path | None = None
) -> Segmenter:
    # Multi-word Latin names are matched word by word; Han ones stay whole.
    words = [w for w in user_words if " " not in w]
    if name == "jieba":
        return JiebaSegmenter(words, dictionary)
    if name == "rjieba":
        return RustJiebaSegmenter(words)
    raise ValueError(f"unknown segmenter {name!r}; one of {', '.join(SEGMENTERS)}")


class Tokenizer:
    """``dictionary``: a pruned jieba dictionary for the ``jieba`` segmenter (ignored
    by ``rjieba``, which loads the full one as fast)."""

    def __init__(
        self,
        folder: Folder,
        user_words: Iterable[str] = (),
        dictionary: Path | None = None,
        segmenter: str = DEFAULT_SEGMENTER,
    ) -> None:
        self.folder = folder
        self.user_words = fold_words(folder, user_words)
        self.segmenter = make_segmenter(segmenter, self.user_words, dictionary)

    def words(self, text: str) -> list[str]:
        """Dictionary words only (no bigrams), folded: for suggestions, not for search."""
        folded = self.folder.fold(text)
        return [
            w
            for w in (x.strip() for x in self.segmenter.cut(folded, False))
            if w and w not in STOP_CHARS and _KEEP.search(w)
        ]

    def tokens(self, text: str) -> list[str]:
        return self.tokens_of_folded(self.folder.fold(text))

    def tokens_of_folded(self, folded: str) -> list[str]:
        words = [w.strip() for w in self.segmenter.cut(folded, True)]
        out = [w for w in words if w and w not in STOP_CHARS and _KEEP.search(w)]
        for run in _HAN_RUN.findall(folded):
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        return out


@cache
def dictionary_frequencies() -> dict[str, int]:
    """jieba's own dictionary, word -> frequency."""
    import jieba

    path = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    freq: dict[str, int] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, count = line.split(" ", 2)[:2]
            freq[word] = int(count)
    return freq


def write_pruned_dictionary(texts: Iterable[str], folder: Folder, target: Path) -> None:
    """For the ``jieba`` segmenter: keep the words of jieba's dictionary that occur in
    ``texts``, with their frequencies, plus one filler entry holding the rest of the
    total. Every word of the DAG of a corpus sentence is kept, single characters
    included (jieba's ``cut_all`` leaves out a character that starts a longer word,
    and a missing "尚" turned "尚|不" into "尚不"), so the corpus is segmented exactly as
    with the full dictionary, and loading takes milliseconds instead of half a second."""
    import rjieba

    freq = dictionary_frequencies()
    enumerate_words = rjieba.Jieba()  # the same dictionary; only its DAG words are used
    kept: set[str] = set()
    for text in texts:
        folded = folder.fold(text)
        kept.update(enumerate_words.cut_all(folded))
        kept.update(folded)
    kept = {w for w in kept if w in freq and w.strip() and " " not in w}
    total = sum(freq.values())
    lines = [f"{w} {freq[w]}" for w in sorted(kept)]
    lines.append(f"{_FILLER} {max(1, total - sum(freq[w] for w in kept))}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(target)
