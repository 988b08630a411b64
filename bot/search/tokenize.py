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

import importlib.machinery
import importlib.util
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from bot.query.english_words import search_form
from bot.textfold import HAN, Folder

# Bump when tokens change: saved indexes built with another version are rebuilt.
TOKENIZER_VERSION = 11

SEGMENTERS = ("rjieba", "jieba")
DEFAULT_SEGMENTER = "rjieba"
USER_WORD_FREQ = 20000
TOKEN_MEMO = 500_000  # cut words remembered by Tokenizer._token

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

        self.version = segmenter_version("jieba")
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
    ``dict.txt``). ``dictionary``: a pruned copy (see ``write_dictionary``), loaded into
    an empty jieba-rs in milliseconds; None loads the whole one (about 0.1 s)."""

    name = "rjieba"

    def __init__(self, user_words: Sequence[str], dictionary: Path | None = None) -> None:
        self.version = segmenter_version("rjieba")
        jieba_class = _rjieba_class()
        if dictionary is not None and dictionary.is_file():
            self._jieba = jieba_class.empty()
            for word, freq in read_dictionary(dictionary).items():
                self._jieba.add_word(word, freq, None)
        else:
            self._jieba = jieba_class()
        for word in user_words:
            self._jieba.add_word(word, USER_WORD_FREQ, None)

    def add_dag_words(self, text: str, cut: Iterable[str], into: set[str]) -> None:
        """Add to ``into`` every dictionary word that could be cut from ``text``, single
        characters and the words of its actual ``cut`` (cut here when empty) included:
        what a pruned dictionary must keep for ``text`` to be cut exactly as with the
        whole one."""
        into.update(self._jieba.cut_all(text))
        into.update(text)
        into.update(cut or self._jieba.cut(text, True))

    def cut(self, text: str, hmm: bool) -> list[str]:
        words = self._jieba.cut(text, hmm)
        if not hmm:
            return words
        out: list[str] = []
        for w in words:
            # Han and plain Latin or digit words are alphanumeric: only the rest is checked.
            if (
                len(w) > 1
                and not w.isalnum()
                and not _HAN_RUN.search(w)
                and not _JIEBA_SKIP.fullmatch(w)
                and not self._jieba.has_word(w)
            ):
                out.extend(x for x in _JIEBA_SKIP.split(w) if x)
            else:
                out.append(w)
        return out


@cache
def segmenter_version(name: str) -> str:
    """The installed version of a segmenter's distribution, read from its
    ``NAME-VERSION.dist-info`` folder beside the package: ``importlib.metadata`` would
    import the email parser on every start for the same answer."""
    spec = importlib.util.find_spec(name)
    if spec and spec.origin:
        site = Path(spec.origin).parent.parent
        found = sorted(site.glob(f"{name}-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len(name) + 1 : -len(".dist-info")]
    from importlib import metadata

    return metadata.version(name)


@cache
def _rjieba_class() -> Any:
    """rjieba's ``Jieba``, without importing the ``rjieba`` package: its ``__init__``
    builds a module-level instance with the whole dictionary, which start-up would
    pay for twice (we never use it: user words must not leak between bots)."""
    spec = importlib.util.find_spec("rjieba")
    folder = Path(next(iter(spec.submodule_search_locations or ()), "")) if spec else None
    binaries = sorted(folder.glob("rjieba.*.so")) if folder and folder.is_dir() else []
    if not binaries:
        import rjieba

        return rjieba.Jieba
    loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(binaries[0]))
    module_spec = importlib.util.spec_from_file_location(
        "rjieba.rjieba", binaries[0], loader=loader
    )
    if module_spec is None:
        import rjieba

        return rjieba.Jieba
    module = importlib.util.module_from_spec(module_spec)
    loader.exec_module(module)
    return module.Jieba


def make_segmenter(
    name: str, user_words: Sequence[str], dictionary: Path | None = None
) -> Segmenter:
    # Multi-word Latin names are matched word by word; Han ones stay whole.
    words = [w for w in user_words if " " not in w]
    if name == "jieba":
        return JiebaSegmenter(words, dictionary)
    if name == "rjieba":
        return RustJiebaSegmenter(words, dictionary)
    raise ValueError(f"unknown segmenter {name!r}; one of {', '.join(SEGMENTERS)}")


@dataclass(frozen=True)
class TokenizerRecipe:
    """What a ``Tokenizer`` was made from, as given: a worker process makes the same one."""

    user_words: tuple[str, ...]
    dictionary: Path | None
    segmenter: str

    def build(self, folder: Folder) -> Tokenizer:
        return Tokenizer(folder, self.user_words, self.dictionary, self.segmenter)


class Tokenizer:
    """``dictionary``: the pruned dictionary saved with an index (None: the whole one).
    ``record``: remember the dictionary words every tokenized text could be cut into
    (``take_recorded``), to write the pruned dictionary while building (rjieba only)."""

    def __init__(
        self,
        folder: Folder,
        user_words: Iterable[str] = (),
        dictionary: Path | None = None,
        segmenter: str = DEFAULT_SEGMENTER,
        record: bool = False,
    ) -> None:
        given = tuple(user_words)
        self.recipe = TokenizerRecipe(given, dictionary, segmenter)
        self.folder = folder
        self.user_words = fold_words(folder, given)
        self.segmenter = make_segmenter(segmenter, self.user_words, dictionary)
        self._record = record and isinstance(self.segmenter, RustJiebaSegmenter)
        self._recorded: set[str] = set()
        self._tokens: dict[str, str] = {}

    def take_recorded(self) -> set[str]:
        recorded, self._recorded = self._recorded, set()
        return recorded

    def words(self, text: str, hmm: bool = False) -> list[str]:
        """Dictionary words only (no bigrams), folded: for suggestions, not for search.
        ``hmm``: characters outside the dictionary joined as jieba guesses (裁员)."""
        folded = self.folder.fold(text)
        return [
            w
            for w in (x.strip() for x in self.segmenter.cut(folded, hmm))
            if w and w not in STOP_CHARS and _KEEP.search(w)
        ]

    def tokens(self, text: str) -> list[str]:
        return self.tokens_of_folded(self.folder.fold(text))

    def tokens_of_folded(self, folded: str) -> list[str]:
        words = self.segmenter.cut(folded, True)
        if self._record:
            self.segmenter.add_dag_words(folded, words, self._recorded)  # type: ignore[attr-defined]
        # Remembered words looked up in C; the rest (None) through _token.
        known = list(map(self._tokens.get, words))
        if None in known:
            token = self._token
            known = [token(w) if t is None else t for w, t in zip(words, known, strict=True)]
        out = list(filter(None, known))
        for run in _HAN_RUN.findall(folded):
            out.extend(map(str.__add__, run[:-1], run[1:]))  # Han bigrams
        return out

    def _token(self, word: str) -> str:
        """The token a cut word gives: itself stripped, or "" for space, a function
        character or punctuation (remembered: a corpus repeats its words)."""
        known = self._tokens.get(word)
        if known is None:
            known = word.strip()
            # "" for a function character or punctuation; "talks", "talked" -> "talk".
            keep = known not in STOP_CHARS and _KEEP.search(known)
            known = search_form(known) if keep else ""
            if len(self._tokens) > TOKEN_MEMO:
                self._tokens.clear()
            self._tokens[word] = known
        return known


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


def read_dictionary(path: Path) -> dict[str, int]:
    freq: dict[str, int] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, count = line.rstrip("\n").rpartition(" ")
            if word:
                freq[word] = int(count)
    return freq


def write_dictionary(words: Iterable[str], target: Path, extend: bool = False) -> int:
    """A pruned dictionary: the words of jieba's dictionary among ``words`` with their
    frequencies, plus one filler entry holding the rest of the total, so every word's
    probability (freq / total) stays that of the whole dictionary. ``extend``: keep the
    words already in ``target`` (an update adds the words of the changed articles; the
    total does not move, so the cuts of the other articles do not either). Returns the
    number of words kept."""
    freq = dictionary_frequencies()
    kept = {w for w in words if w in freq and w.strip() and " " not in w}
    if extend and target.is_file():
        kept |= set(read_dictionary(target)) - {_FILLER}
    total = sum(freq.values())
    lines = [f"{w} {freq[w]}" for w in sorted(kept)]
    lines.append(f"{_FILLER} {max(1, total - sum(freq[w] for w in kept))}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(target)
    return len(kept)


def write_pruned_dictionary(texts: Iterable[str], folder: Folder, target: Path) -> None:
    """For the ``jieba`` segmenter: keep the words of jieba's dictionary that occur in
    ``texts``, with their frequencies, plus one filler entry holding the rest of the
    total. Every word of the DAG of a corpus sentence is kept, single characters
    included (jieba's ``cut_all`` leaves out a character that starts a longer word,
    and a missing "尚" turned "尚|不" into "尚不"), so the corpus is segmented exactly as
    with the full dictionary, and loading takes milliseconds instead of half a second."""
    enumerate_words = RustJiebaSegmenter(())  # the same dictionary, whole
    kept: set[str] = set()
    for text in texts:
        enumerate_words.add_dag_words(folder.fold(text), (), kept)
    write_dictionary(kept, target)
