"""The data passed between query steps (data only, no logic beyond small helpers).

An ``Interpretation`` is the query-side twin of the repairs' ``PipelineResult``: the
search terms actually used, each saying where it came from, and what each step did.
Terms that share a ``group`` are alternatives for one thing the person asked about
("data" -> 数据 | 资料): a passage scores for the best of them, not for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum


class Origin(StrEnum):
    TYPED = "typed"
    ALIAS = "alias"
    ENGLISH = "english"
    GLOSSARY = "glossary"
    PINYIN = "pinyin"
    SYNONYM = "synonym"
    # A corpus word that shares a synset of the Chinese Open Wordnet with a typed word.
    WORDNET = "wordnet"
    QUESTION = "question"
    FUNCTION = "function"
    # A Latin name found by its sound among the corpus's transliterated names.
    TRANSLITERATION = "transliteration"
    # A repair of the typed text (weight 0: the repaired text is searched as typed).
    REPAIRED = "repaired"
    SPELLING = "spelling"


@dataclass(frozen=True)
class Term:
    """``text`` is searched as documents are tokenized, its tokens weighted by
    ``weight``; ``source`` is the typed span that produced it; ``group`` numbers the
    thing asked about (terms of one group are alternatives)."""

    text: str
    weight: float
    origin: Origin
    source: str
    group: int


@dataclass(frozen=True)
class StepNote:
    step: str
    added: int
    reweighted: int
    removed: int = 0


@dataclass(frozen=True)
class Interpretation:
    typed: str
    terms: tuple[Term, ...]
    notes: tuple[StepNote, ...] = ()

    def with_terms(self, terms: tuple[Term, ...]) -> Interpretation:
        return replace(self, terms=terms)

    def next_group(self) -> int:
        return max((t.group for t in self.terms), default=-1) + 1

    @property
    def searched(self) -> tuple[Term, ...]:
        """The terms that reach the engine (weight above zero)."""
        return tuple(t for t in self.terms if t.weight > 0)


def typed_text(found: Interpretation) -> str:
    """What is left of the typed query for the engines (spans other steps took are
    blanked, so positions stay those of ``found.typed``)."""
    for term in found.terms:
        if term.origin is Origin.TYPED:
            return term.text
    return ""


def carve(found: Interpretation, spans: list[tuple[int, int]]) -> Interpretation:
    """Blank ``spans`` of the typed term: a step has interpreted them otherwise. The
    typed term goes when nothing searchable is left of it."""
    text = typed_text(found)
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    rest = "".join(chars)
    terms = []
    for term in found.terms:
        if term.origin is Origin.TYPED:
            if any(c.isalnum() for c in rest):
                terms.append(replace(term, text=rest))
        else:
            terms.append(term)
    return found.with_terms(tuple(terms))


def word_spans(text: str, words_of: Callable[[str], list[str]]) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of each word the segmenter cuts ``text`` into, in order (a
    word it normalised away, not found where the last one ended, is skipped)."""
    at = 0
    for word in words_of(text):
        start = text.find(word, at)
        if start < 0:
            continue
        at = start + len(word)
        yield start, at, word
