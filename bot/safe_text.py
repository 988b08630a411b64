"""Text from outside made valid before anything else reads it.

Every entry point (console lines, ``ask`` arguments, Slack and Discord payloads) passes
what a person typed through ``clean`` first. Python lets invalid text through as lone
surrogates: bytes that are not UTF-8 in argv or a tolerant stdin arrive as U+DC80..
U+DCFF, and JSON can carry an escaped lone surrogate ("\\ud800"). Such a string cannot
be encoded, so OpenCC, a terminal or a JSON writer would raise on it; here each one
becomes U+FFFD, the replacement character. Control characters other than tab and line
breaks (NUL, ESC and the C1 range: terminal escapes) are dropped, and the Unicode
non-characters become U+FFFD too. Each source is logged once, at the first repair.
"""

from __future__ import annotations

import io
import logging
import re
from typing import TextIO

log = logging.getLogger(__name__)

REPLACEMENT = "\ufffd"
_SURROGATES = re.compile("[\ud800-\udfff]")
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef\ufffe\uffff]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A terminal's escape sequence whole ("\x1b[31m" colours red): with the escape character
# alone removed, "[31m" was left in the query.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_warned: set[str] = set()


def clean(text: str, source: str) -> str:
    """``text`` with every lone surrogate and non-character replaced by U+FFFD and
    control characters (but tab and line breaks) removed; ``source`` names the entry
    point in the one log line."""
    fixed = _SURROGATES.sub(REPLACEMENT, text)
    fixed = _NONCHARACTERS.sub(REPLACEMENT, fixed)
    fixed = _CONTROLS.sub("", _ESCAPES.sub("", fixed))
    if fixed != text and source not in _warned:
        _warned.add(source)
        log.warning(
            "%s: input held invalid or control characters; replaced (logged once per source)",
            source,
        )
    return fixed


def tolerant(stream: TextIO) -> TextIO:
    """A text stream that hands invalid bytes on as surrogates (for ``clean``) instead of
    raising UnicodeDecodeError in the middle of a session."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="surrogateescape")
    return stream
