"""Ranking over engine hits: pure functions, no engine, no tokenizer.

BM25 scores each token on its own; these steps look at the passage as a whole: how
much of the query it holds verbatim, how many of the query's words it has, and, for
whosaid, which speaker's best turn says the phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from bot.models import Passage
from bot.search.index import Hit
from bot.textfold import Folder

# Two speakers whose best turns score within this ratio are reported as a tie.
TIE_RATIO = 0.9
_NOT_TEXT = re.compile(r"[\W_]+")

KeyOf = Callable[[str], str]


def match_key(folder: Folder, text: str) -> str:
    """Folded text without spaces, punctuation or symbols: what "verbatim" compares."""
    return unpunctuated(folder.fold(text))


def unpunctuated(folded: str) -> str:
    return _NOT_TEXT.sub("", folded)


def containment(phrase: str, text: str) -> float:
    """How much of the (folded) query appears verbatim in the (folded) passage: the
    longest common run, as a share of the query."""
    if not phrase:
        return 0.0
    if phrase in text:
        return 1.0
    match = SequenceMatcher(None, phrase, text, autojunk=False).find_longest_match(
        0, len(phrase), 0, len(text)
    )
    return match.size / len(phrase) if match.size >= 4 else 0.0


def rerank(hits: Sequence[Hit], phrase: str, words: Sequence[str], key_of: KeyOf) -> list[Hit]:
    """BM25 counts a name several times over (word and bigrams), so a passage that
    repeats one query word can beat one that has them all. Reward the share of the
    query's distinct words present (Lucene's classic coordination factor) and the
    query appearing verbatim."""

    def factor(passage: Passage) -> float:
        text = key_of(passage.text)
        coord = sum(1 for w in words if w in text) / len(words) if words else 1.0
        return (0.5 + 0.5 * coord) * (1 + containment(phrase, text))

    scored = [Hit(h.passage, h.score * factor(h.passage)) for h in hits]
    return sorted(scored, key=lambda h: -h.score)


@dataclass(frozen=True)
class SpeakerVote:
    """A speaker's best turn for the phrase, and how well it says it."""

    speaker: str
    value: float
    passage: Passage


def vote_speakers(hits: Sequence[Hit], phrase: str, key_of: KeyOf) -> list[SpeakerVote]:
    """One vote per named speaker (their best turn), best first. Saying the words
    matters more than sharing vocabulary with them."""
    best: dict[str, SpeakerVote] = {}
    top = hits[0].score if hits else 1.0
    for hit in hits:
        speaker = hit.passage.speaker
        if speaker is None:
            continue
        value = hit.score / top + 2.0 * containment(phrase, key_of(hit.passage.text))
        if speaker not in best or value > best[speaker].value:
            best[speaker] = SpeakerVote(speaker, value, hit.passage)
    return sorted(best.values(), key=lambda v: -v.value)


def is_tie(votes: Sequence[SpeakerVote]) -> bool:
    return len(votes) > 1 and votes[1].value >= TIE_RATIO * votes[0].value
