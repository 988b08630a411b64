"""Search keys: script, width and case folding. Display text is never folded.

OpenCC's ``tw2sp`` maps Traditional to Simplified *and* Taiwan vocabulary to the
mainland's (軟體 -> 软件), so a query in either script finds the same passages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

import opencc

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


class Script(StrEnum):
    """The script a text is written in; NONE: no Han characters that differ."""

    TRADITIONAL = "traditional"
    SIMPLIFIED = "simplified"
    NONE = "none"


@dataclass
class Folder:
    """Folds text for matching; build one per bot (OpenCC loads its tables once)."""

    _to_simplified: opencc.OpenCC = field(default_factory=lambda: opencc.OpenCC("tw2sp"))
    _chars_t2s: opencc.OpenCC = field(default_factory=lambda: opencc.OpenCC("t2s"))
    _chars_s2t: opencc.OpenCC = field(default_factory=lambda: opencc.OpenCC("s2tw"))

    def fold(self, text: str) -> str:
        """The search key: Simplified script, NFKC width, lower case, single spaces,
        and no thousands separators ("50,000" is "50000")."""
        folded = unicodedata.normalize("NFKC", self._to_simplified.convert(text)).lower()
        folded = _THOUSANDS.sub("", folded)
        return re.sub(r"\s+", " ", folded)

    def to_simplified(self, text: str) -> str:
        """Character-level conversion for display (keeps the author's vocabulary)."""
        return self._chars_t2s.convert(text)

    def to_traditional(self, text: str) -> str:
        return self._chars_s2t.convert(text)

    def script_of(self, text: str) -> Script:
        han = "".join(HAN_RE.findall(text))
        if not han:
            return Script.NONE
        simplified = self._chars_t2s.convert(han)
        traditional = self._chars_s2t.convert(han)
        trad_only = sum(1 for a, b in zip(han, simplified, strict=False) if a != b)
        simp_only = sum(1 for a, b in zip(han, traditional, strict=False) if a != b)
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
