"""Reading a source file: UTF-8 (with or without BOM), UTF-16 with a BOM, GB18030/GBK or
Big5.

A file that is binary, empty or undecodable raises ``SourceFileError`` naming the
reason; the caller reports it and goes on with the other files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bot.errors import SourceFileError

# Legacy encodings are tried strictly; when more than one decodes, the text whose
# Han characters read best (dictionary words, after folding) wins.
_LEGACY = ("gb18030", "big5")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_source(path: Path, plausibility: Callable[[str], float]) -> tuple[str, str]:
    """(text, encoding name)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceFileError(str(path), f"cannot read ({err.strerror})") from None
    if data.startswith(_UTF16_BOMS):
        # What Windows Notepad saves as "Unicode": every ASCII character carries a NUL
        # byte, so the BOM must be read before the NUL check takes it for binary.
        text = _decode(path, data, "utf-16").lstrip("\ufeff")
        if not text.strip():
            raise SourceFileError(str(path), "file is empty")
        return _checked(path, text), "utf-16"
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise SourceFileError(str(path), "file is empty")
    if b"\x00" in data[:8192]:
        raise SourceFileError(str(path), "binary file (contains NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(path, _decode(path, data[3:], "utf-8")), "utf-8-sig"
    try:
        return _checked(path, data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded = []
    for encoding in _LEGACY:
        try:
            decoded.append((plausibility(text := data.decode(encoding)), encoding, text))
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise SourceFileError(str(path), "not UTF-8, GB18030/GBK or Big5 text")
    _, encoding, text = max(decoded, key=lambda d: d[0])
    return _checked(path, text), encoding


def _checked(path: Path, text: str) -> str:
    if _control_ratio(text) > 0.05:
        raise SourceFileError(str(path), "binary file (control characters), not text")
    return text


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise SourceFileError(str(path), f"invalid {encoding} at byte {err.start}") from None


# Control characters other than line breaks, tab and form feed, counted in one C pass
# (a regex scan: str.translate looked up every character of a Chinese text in a dict).
_CONTROLS = re.compile(
    "[" + "".join(f"\\x{c:02x}" for c in range(32) if chr(c) not in "\n\r\t\f") + "]"
)


def _control_ratio(text: str) -> float:
    controls = len(_CONTROLS.findall(text))
    return controls / max(1, len(text))
