"""Sentence and clause splitting that keeps quotations whole."""

from __future__ import annotations

_ENDS = set("。！？!?；;…")
_OPEN = {"“": "”", "「": "」", "『": "』", "《": "》", '"': '"'}
_CLOSERS = set('”」』》"’)）')


def split_sentences(text: str) -> list[str]:
    """Split after sentence-ending punctuation, never inside “…” or 「…」; closing
    quotes and brackets stay with the sentence they end."""
    sentences: list[str] = []
    stack: list[str] = []
    opened_at = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if stack and ch == stack[-1]:
            stack.pop()
        elif ch in _OPEN and not (ch == '"' and stack and stack[-1] == '"'):
            if not stack:
                opened_at = i
            stack.append(_OPEN[ch])
        elif ch in _ENDS and not stack:
            j = i + 1
            while j < n and (text[j] in _ENDS or text[j] in _CLOSERS):
                j += 1
            # "Llama 3.1" and "50,000" are not sentence ends; only "." is ambiguous,
            # and it is not in _ENDS.
            sentences.append(text[start:j])
            start = i = j
            continue
        if stack and i - opened_at > 400:  # an unclosed quote: stop honouring it
            stack.clear()
        i += 1
    if start < n:
        sentences.append(text[start:])
    return [s for s in (x.strip() for x in sentences) if s]


def split_clauses(sentence: str) -> list[str]:
    """Clauses at commas and semicolons outside quotations (for over-long sentences)."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(sentence):
        if ch in "“「『《":
            depth += 1
        elif ch in "”」』》" and depth:
            depth -= 1
        elif ch in "，,；;、" and depth == 0:
            parts.append(sentence[start : i + 1])
            start = i + 1
    parts.append(sentence[start:])
    return [p for p in parts if p.strip()]
