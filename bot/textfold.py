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
from functools import cache
from typing import TYPE_CHECKING

import opencc

from bot import s2tw_chars

if TYPE_CHECKING:
    import numpy as np

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
_HAN_RUN = re.compile(f"[{HAN}]+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")
_SPACES_IN_LINE = re.compile(r"[^\S\n]+")
# script_of decides from character counts where they settle it (_s2tw_bounds); otherwise
# it converts a text of SCRIPT_PREFIX_FROM Han characters or more to Traditional only as
# far as it needs to (a prefix of SCRIPT_PREFIX first; see Folder._simplified_shown_early).
# Counted through numpy from SCRIPT_COUNTS_FROM Han characters, through sets below it: a
# short text (a query, a passage) converts in under a millisecond, but s2tw takes 60-140 ms
# to load, a sixth of start-up to a first answer when a query's script needed it (#14).
SCRIPT_COUNTS_FROM = 512
SCRIPT_PREFIX_FROM = 2048
SCRIPT_PREFIX = 1024
SCRIPT_PREFIX_SLACK = 64  # longer than any OpenCC phrase

# Where the compatibility characters of Chinese and mixed text live: Latin-1 (no-break
# space), general punctuation (…, spaces), the ideographic space, compatibility
# ideographs, vertical and small forms, and full- and half-width forms (，：？（）).
_COMPAT_BLOCKS = (
    (0x00A0, 0x00FF),
    (0x2000, 0x206F),
    (0x3000, 0x3000),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE6F),
    (0xFF00, 0xFFEF),
)


def _compat_table() -> dict[str, str]:
    """Each character of ``_COMPAT_BLOCKS`` that NFKC changes -> its compatibility
    decomposition, where that holds no combining mark (those are left to NFKC)."""
    table: dict[str, str] = {}
    for first, last in _COMPAT_BLOCKS:
        for ch in map(chr, range(first, last + 1)):
            parts = unicodedata.normalize("NFKD", ch)
            changed = unicodedata.normalize("NFKC", ch) != ch
            if changed and not any(map(unicodedata.combining, parts)):
                table[ch] = parts
    return table


_COMPAT = _compat_table()
_COMPAT_RE = re.compile("[" + re.escape("".join(_COMPAT)) + "]")


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
        return self.load().convert(text)

    def load(self) -> opencc.OpenCC:
        if self._loaded is None:
            self._loaded = opencc.OpenCC(self.config)
        return self._loaded


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, about ten times faster on Chinese text.

    NFKC takes a fast path only when every character passes its quick check, and the
    full-width punctuation of Chinese text (，：？) never does, so every passage took the
    slow one (as long as OpenCC's conversion, #14). Putting such characters' compatibility
    decompositions in their place first leaves the result as it was (NFKC composes the
    text's full decomposition, which this does not change) and lets most texts through
    the quick check."""
    return unicodedata.normalize("NFKC", _COMPAT_RE.sub(_decomposed, text))


def _decomposed(match: re.Match[str]) -> str:
    return _COMPAT[match.group()]


@dataclass
class Folder:
    """Folds text for matching; build one per bot (OpenCC loads its tables once)."""

    _to_simplified: _Lazy = field(default_factory=lambda: _Lazy("tw2sp"))
    _chars_t2s: _Lazy = field(default_factory=lambda: _Lazy("t2s"))
    _chars_s2t: _Lazy = field(default_factory=lambda: _Lazy("s2tw"))

    def fold(self, text: str) -> str:
        """The search key: Simplified script, NFKC width, lower case, single spaces,
        and no thousands separators ("50,000" is "50000")."""
        folded = nfkc(self._to_simplified.convert(text)).lower()
        folded = _THOUSANDS.sub("", folded)
        return _SPACES.sub(" ", folded)

    def fold_lines(self, text: str) -> list[str]:
        """``[self.fold(line) for line in text.split("\n")]``, in one conversion: OpenCC
        matches no phrase across a line break, NFKC and lower case go character by
        character and no thousands separator spans one, so folding the whole text and
        splitting it gives each line's fold (a test checks it on every raw article)."""
        folded = nfkc(self._to_simplified.convert(text)).lower()
        lines = _SPACES_IN_LINE.sub(" ", _THOUSANDS.sub("", folded)).split("\n")
        if len(lines) != text.count("\n") + 1:  # NFKC never makes a line break; in case
            return [self.fold(line) for line in text.split("\n")]
        return lines

    def preload(self) -> None:
        """Load every table now rather than on first use: the OpenCC converters and the
        s2tw counts of ``script_of`` (see ``Ingestor.preload``)."""
        for converter in (self._to_simplified, self._chars_t2s, self._chars_s2t):
            converter.load()
        _s2tw_table()

    def to_simplified(self, text: str) -> str:
        """Character-level conversion for display (keeps the author's vocabulary)."""
        return self._chars_t2s.convert(text)

    def to_traditional(self, text: str) -> str:
        return self._chars_s2t.convert(text)

    def script_of(self, text: str) -> Script:
        """TRADITIONAL when more of the Han characters change under t2s than under s2tw,
        SIMPLIFIED when fewer, NONE when none change either way (position by position,
        OpenCC converting all of them at once, phrases and all)."""
        han = "".join(_HAN_RUN.findall(text))
        if not han:
            return Script.NONE
        simplified = self._chars_t2s.convert(han)
        # Characters that differ, position by position (map stops at the shorter).
        trad_only = 0 if simplified == han else sum(map(operator.ne, han, simplified))
        bounds = _s2tw_bounds(han)
        if bounds is not None:
            at_least, at_most = bounds
            if at_least >= max(trad_only, 1):
                return Script.SIMPLIFIED
            if at_most < trad_only:
                return Script.TRADITIONAL
        early = len(han) >= SCRIPT_PREFIX_FROM and len(simplified) == len(han)
        if early and self._simplified_shown_early(han, trad_only):
            return Script.SIMPLIFIED
        traditional = self._chars_s2t.convert(han)
        simp_only = sum(map(operator.ne, han, traditional))
        if trad_only == simp_only == 0:
            return Script.NONE
        return Script.TRADITIONAL if trad_only > simp_only else Script.SIMPLIFIED

    def _simplified_shown_early(self, han: str, trad_only: int) -> bool:
        """Whether a prefix of ``han`` already has at least ``trad_only`` characters,
        and one or more, that s2tw changes: then the whole does too, and ``script_of``
        says SIMPLIFIED without converting all of it. s2tw costs ten times t2s, and
        converting every article both ways was a sixth of ingest's time (#14).

        Counts of a prefix are a lower bound of the whole's: OpenCC segments forward by
        longest match, so the prefix's conversion is the whole's up to its last
        ``SCRIPT_PREFIX_SLACK`` characters (a phrase cut short), which are not counted;
        a conversion that changes the length (positions would misalign) is not used."""
        # s2tw changes a third of a Simplified text, a fifth of most mixed ones.
        size = max(SCRIPT_PREFIX, SCRIPT_PREFIX_SLACK + 5 * trad_only)
        for _ in range(2):  # a first prefix, then one long enough at the rate it showed
            if size > len(han) * 7 // 10:
                return False  # as well convert the whole
            prefix = han[:size]
            converted = self._chars_s2t.convert(prefix)
            if len(converted) != size:
                return False
            at_least = sum(map(operator.ne, prefix[: size - SCRIPT_PREFIX_SLACK], converted))
            if at_least >= trad_only and at_least > 0:
                return True
            if at_least == 0:
                return False
            grown = (size - SCRIPT_PREFIX_SLACK) * (trad_only + 1) * 5 // (4 * at_least)
            size = SCRIPT_PREFIX_SLACK + grown
        return False


@cache
def _s2tw_table() -> np.ndarray | None:
    """Per BMP code point: 1 if s2tw changes it wherever it stands, 2 if somewhere (3:
    both). None when the installed OpenCC is not the one the tables were read from: its
    dictionaries may differ, so the bounds may not hold."""
    if opencc.__version__ != s2tw_chars.OPENCC_VERSION:
        return None
    import numpy as np  # here, not at the top: start-up to a first answer never needs it

    table = np.zeros(0x10000, dtype=np.uint8)
    table[[ord(c) for c in s2tw_chars.ALWAYS if ord(c) <= 0xFFFF]] |= 1
    table[[ord(c) for c in s2tw_chars.SOMETIMES if ord(c) <= 0xFFFF]] |= 2
    return table


@cache
def _s2tw_sets() -> tuple[frozenset[str], frozenset[str]] | None:
    """``s2tw_chars``'s ALWAYS and SOMETIMES as sets, for texts too short for numpy; None
    when the installed OpenCC is not the tables' version (see ``_s2tw_table``)."""
    if opencc.__version__ != s2tw_chars.OPENCC_VERSION:
        return None
    return frozenset(s2tw_chars.ALWAYS), frozenset(s2tw_chars.SOMETIMES)


def _s2tw_bounds(han: str) -> tuple[int, int] | None:
    """At least and at most how many positions of ``han`` (Han characters only) s2tw
    changes, from OpenCC's own tables (``bot/s2tw_chars.py``): its characters that every
    context changes, and those that some context changes. On real text they settle
    ``script_of`` without converting (all but 1 of the 728 articles of the bundled, test
    and benchmark texts), where s2tw costs 1-2.6 µs a character, a sixth of ingest (#14);
    counted through numpy at about 10 ns a character, and below ``SCRIPT_COUNTS_FROM``
    through sets (100-200 ns a character, but neither numpy to import nor s2tw to load).
    None when the installed OpenCC is not the tables' version."""
    if len(han) < SCRIPT_COUNTS_FROM:
        sets = _s2tw_sets()
        if sets is None:
            return None
        always, sometimes = sets
        return sum(c in always for c in han), sum(c in sometimes for c in han)
    table = _s2tw_table()
    if table is None:
        return None
    import numpy as np

    # One UTF-16 unit per character: every HAN range is in the Basic Multilingual Plane.
    codes = np.frombuffer(han.encode("utf-16-le"), dtype=np.uint16)
    counts = np.bincount(table[codes], minlength=4)
    return int(counts[1] + counts[3]), int(counts[2] + counts[3])


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
