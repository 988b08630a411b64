"""Turns -> chat-sized passages (about 80-400 characters), split at sentence ends.

A passage never crosses a turn, so it always has one speaker and one role. A short
turn stays a short passage ("謝謝!" is still a turn someone said); a long sentence is
cut at clause boundaries rather than mid-word.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.ingest.repairs import join_text
from bot.ingest.sentences import split_clauses, split_sentences
from bot.models import Kind, Passage, Role, Turn

MIN_CHARS = 80
MAX_CHARS = 400
# Passages are packed towards this size: long enough to stand alone, short enough to
# read in a chat message without scrolling.
TARGET_CHARS = 280


def _pieces(text: str) -> list[str]:
    pieces: list[str] = []
    for sentence in split_sentences(text):
        if len(sentence) <= MAX_CHARS:
            pieces.append(sentence)
            continue
        for clause in split_clauses(sentence):
            while len(clause) > MAX_CHARS:
                pieces.append(clause[:MAX_CHARS])
                clause = clause[MAX_CHARS:]
            pieces.append(clause)
    return pieces


def chunk(pieces: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """Greedy packing of (paragraph, sentence) pieces into passages; a paragraph
    break inside a passage is kept as a line break."""
    chunks: list[tuple[int, str]] = []
    para, current, last_para = -1, "", -1
    for n, piece in pieces:
        joiner = "\n" if current and n != last_para else ""
        size = len(current) + len(joiner) + len(piece)
        if current and (size > MAX_CHARS or (len(current) >= MIN_CHARS and size > TARGET_CHARS)):
            chunks.append((para, current))
            current, joiner = "", ""
        if not current:
            para = n
        # Sentences of one paragraph meet as they were written: "now. I want", not
        # "now.I want" (a phrase across them must still match).
        current = current + joiner + piece if joiner else join_text(current, piece)
        last_para = n
    if current:
        # A short tail reads better with what came before it, if there is room.
        if chunks and len(current) < MIN_CHARS and len(chunks[-1][1]) + len(current) < MAX_CHARS:
            chunks[-1] = (chunks[-1][0], chunks[-1][1] + "\n" + current)
        else:
            chunks.append((para, current))
    return chunks


_PROSE = (Role.QUOTED, Role.REPORTED)


def _voice(turn: Turn) -> tuple[str | None, Role]:
    """Turns that read as one voice: the same speaker in the same role, where a person's
    quoted and reported words in prose are one voice."""
    return turn.speaker, (Role.QUOTED if turn.role in _PROSE else turn.role)


def _group_role(group: Sequence[Turn]) -> Role:
    """A passage that opens with reported words is reported ("according to"), even if a
    quotation follows."""
    return group[0].role


def make_passages(article_id: str, turns: Sequence[Turn]) -> list[Passage]:
    # Consecutive turns by the same speaker in the same role are packed together;
    # a heading or a change of speaker always starts a new passage.
    groups: list[list[Turn]] = []
    for turn in turns:
        if turn.kind is Kind.HEADING:
            groups.append([])
            continue
        if groups and groups[-1] and _voice(groups[-1][-1]) == _voice(turn):
            groups[-1].append(turn)
        else:
            groups.append([turn])
    raw: list[tuple[str | None, Role, int, str]] = []
    for group in groups:
        if not group:
            continue
        pieces = [(t.paragraph, piece) for t in group for piece in _pieces(t.text)]
        role = _group_role(group)
        for para, text in chunk(pieces):
            raw.append((group[0].speaker, role, para, text))
    ids = [f"{article_id}#{i}" for i in range(len(raw))]
    return [
        Passage(
            id=ids[i],
            article_id=article_id,
            position=i,
            paragraph=para,
            speaker=speaker,
            role=role,
            text=text,
            prev_id=ids[i - 1] if i else None,
            next_id=ids[i + 1] if i + 1 < len(ids) else None,
        )
        for i, (speaker, role, para, text) in enumerate(raw)
    ]
