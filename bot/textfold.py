"""Search keys: script, width and case folding. Display text is never folded.

OpenCC's ``tw2sp`` maps Traditional to Simplified *and* Taiwan vocabulary to the
mainland's (軟體 -> 软件), so a query in either script finds the same passages.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

import opencc

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
_HAN_RUN = re.compile(f"[{HAN}]+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")
_SPACES_IN_LINE = re.compile(r"[^\S\n]+")


class Script(StrEnum):
    """The script a text is written in; NONE: no Han characters that differ."""

    TRADITIONAL = "traditional"
    SIMPLIFIED = "simplified"
    NONE = "none"


class _Lazy:
    """An OpenCC converter loaded the first time it converts: s2tw alone takes about
    70 ms to load, and start-up to a first answer often needs only tw2sp."""

    def __init__(self, config: str) -> None:
        self.config = config
        self._loaded: opencc.OpenCC | None = None

    def convert(self, text: str) -> str:
        if self._loaded is None:
            self._loaded = opencc.OpenCC(self.config)
        return self._loaded.convert(text)


@dataclass
class Folder:
    """Folds text for matching; build one per bot (OpenCC loads its tables once)."""

    _to_simplified: _Lazy = field(default_factory=lambda: _Lazy("tw2sp"))
    _chars_t2s: _Lazy = field(default_factory=lambda: _Lazy("t2s"))
    _chars_s2t: _Lazy = field(default_factory=lambda: _Lazy("s2tw"))

    def fold(self, text: str) -> str:
        """The search key: Simplified script, NFKC width, lower case, single spaces,
        and no thousands separators ("50,000" is "50000")."""
        folded = unicodedata.normalize("NFKC", self._to_simplified.convert(text)).lower()
        folded = _THOUSANDS.sub("", folded)
        return _SPACES.sub(" ", folded)

    def fold_lines(self, text: str) -> list[str]:
        """``[self.fold(line) for line in text.split("\n")]``, in one conversion: OpenCC
        matches no phrase across a line break, NFKC and lower case go character by
        character and no thousands separator spans one, so folding the whole text and
        splitting it gives each line's fold (a test checks it on every raw article)."""
        folded = unicodedata.normalize("NFKC", self._to_simplified.convert(text)).lower()
        lines = _SPACES_IN_LINE.sub(" ", _THOUSANDS.sub("", folded)).split("\n")
        if len(lines) != text.count("\n") + 1:  # NFKC never makes a line break; in case
            return [self.fold(line) for line in text.split("\n")]
        return lines

    def to_simplified(self, text: str) -> str:
        """Character-level conversion for display (keeps the author's vocabulary)."""
        return self._chars_t2s.convert(text)

    def to_traditional(self, text: str) -> str:
        return self._chars_s2t.convert(text)

    def script_of(self, text: str) -> Script:
        han = "".join(_HAN_RUN.findall(text))
        if not han:
            return Script.NONE
        simplified = self._chars_t2s.convert(han)
        traditional = self._chars_s2t.convert(han)
        # Characters that differ, position by position (map stops at the shorter).
        trad_only = sum(map(operator.ne, han, simplified))
        simp_only = sum(map(operator.ne, han, traditional))
        if trad_only == simp_only == 0:
            return Script.NONE
        return Script.TRADITIONAL if trad_only > simp_only else Script.SIMPLIFIED


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
