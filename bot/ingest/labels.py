"""The surface shape of a speaker label: what a line says, never who it is.

``read_label`` finds "Name：rest" (the bold markdown label is already stripped, and its
wrapped halves rejoined, by normalisation). Whether the label is a speaker is decided
by the turn detectors against the article's evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class LabelShape(StrEnum):
    COLON = "colon"  # "Name：text", "Name: text"
    NAME_LINE = "name line"  # a name alone on its line


@dataclass(frozen=True)
class Label:
    text: str  # the label as written, stripped
    rest: str  # what follows it on the line
    shape: LabelShape


_COLON = re.compile(r"^(?P<label>[^：:，,。！？!?“”「」\"()（）]{1,24}?)\s*[：:]\s*(?P<rest>.*)$")


def read_label(text: str) -> Label | None:
    m = _COLON.match(text)
    if not m:
        return None
    return Label(m.group("label").strip(), m.group("rest").strip(), LabelShape.COLON)
