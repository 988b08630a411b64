"""The surface shape of a speaker label: what a line says, never who it is.

Shapes (the bold markdown label is already stripped, and its wrapped halves rejoined, by
normalisation):
- ``COLON``: "Name：text", "Name: text", "記者 黎：text";
- ``CAPS``: "MR. KIRBY:  text", "MS. JEAN-PIERRE: text", "THE PRESIDENT: text", and the
  record's "MR. BOEHNE. text", shown case-folded ("Mr. Kirby");
- ``QA_LETTER``: "Q  text", "Q. text", "問 text" with no colon, as press transcripts write
  the reporters' questions.
Whether a label is a speaker is decided by ``cast.Cast`` on the article's evidence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum


class LabelShape(StrEnum):
    COLON = "colon"
    CAPS = "caps"
    QA_LETTER = "qa letter"


@dataclass(frozen=True)
class Label:
    text: str  # the label as written, stripped
    rest: str  # what follows it on the line
    shape: LabelShape

    @property
    def display(self) -> str:
        """ "MR. KIRBY" -> "Mr. Kirby", "MS. JEAN-PIERRE" -> "Ms. Jean-Pierre"."""
        if self.shape is not LabelShape.CAPS:
            return self.text
        return re.sub(r"[A-Z][A-Z'’]*", lambda m: m.group(0).capitalize(), self.text)


_COLON = re.compile(r"^(?P<label>[^：:，,。！？!?“”「」\"()（）]{1,24}?)\s*[：:]\s*(?P<rest>.*)$")
# Capitals, possibly with a title and initials: "MR. KIRBY", "SECRETARY BLINKEN", "Q".
CAPS_COLON = re.compile(r"^(?P<label>[A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*){0,3})\s*:\s*(?P<rest>.*)$")
# Titles a label in capitals opens on ("MR. KIRBY:", "SECRETARY BLINKEN:"): such a label
# names a person though used once (``cast``), and the record's shape needs one.
CAPS_TITLES = (
    "MR", "MS", "MRS", "DR", "GEN", "ADM", "SEN", "REP", "SENATOR", "REPRESENTATIVE",
    "SECRETARY", "AMBASSADOR", "GOVERNOR", "CHAIRMAN", "CHAIRWOMAN", "VICE CHAIRMAN", "VICE",
)  # fmt: skip
# The record's shape, a title and a surname in capitals and a full stop: "MR. BOEHNE. Dave,
# Ed Boehne here.", "CHAIRMAN GREENSPAN. Any questions?" (FOMC and congressional records).
CAPS_PERIOD = re.compile(
    rf"^(?P<label>(?:{'|'.join(CAPS_TITLES)})\.? [A-Z][A-Z'’-]+)\.\s+(?P<rest>\S.*)$"
)
_QA_LETTER = re.compile(r"^(?P<label>Q|A|問|问|答)(?:\.|\s)\s*(?P<rest>\S.*)$")


@functools.lru_cache(maxsize=8192)
def read_label(text: str) -> Label | None:
    m = CAPS_COLON.match(text) or CAPS_PERIOD.match(text)
    if m and any(c.isalpha() for c in m.group("label")) and len(m.group("label")) > 1:
        return Label(m.group("label").strip(), m.group("rest").strip(), LabelShape.CAPS)
    m = _QA_LETTER.match(text)
    if m and _starts_a_question(m.group("rest")):
        return Label(m.group("label"), m.group("rest").strip(), LabelShape.QA_LETTER)
    m = _COLON.match(text)
    if m:
        return Label(m.group("label").strip(), m.group("rest").strip(), LabelShape.COLON)
    return None


def _starts_a_question(rest: str) -> bool:
    # "Q Thanks, Karine." but not "A lot of…": Latin text after the letter must start
    # with a capital, a quote or a parenthesis; Han text always qualifies.
    first = rest[:1]
    return first.isupper() or first in "(“\"'‘" or "\u4e00" <= first <= "\u9fff"
