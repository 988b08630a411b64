"""Question words and particles say that something is asked, not what about:
为什么, 怎么, 如何, 什么, 吗, 呢, and the A-not-A forms (会不会, 能不能) ... weigh far
less than the content words. Function words (自己, 可以, 没法, 因为 ...) say nothing
about the topic either, and weigh as little. (English question and function words
are handled in english.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.query import QueryStep
from bot.query.english_words import word_lists
from bot.query.terms import Interpretation, Origin, Term, carve, typed_text, word_spans
from bot.textfold import HAN, Folder, fold_chars

QUESTION_WEIGHT = 0.1
# Sentence-final particles count only at the end of a clause.
_PARTICLES = "吗呢吧么"
# A-not-A questions: 会不会, 是不是, 有没有, 可不可(以).
_A_NOT_A = rf"([{HAN}])[不没]\1"


def make_question_step(
    folder: Folder, words_of: Callable[[str], list[str]], is_word: Callable[[str], bool]
) -> QueryStep:
    """Question words of two characters or more wherever they are spelt; one-character
    ones (谁, 哪) where the segmenter cuts them as a word of their own ("谁是…最大的
    客户") and they make no word with a neighbour (the segmenter's dictionary holds only
    the corpus's words: 哪怕 is cut 哪 + 怕); particles at the end of a clause."""
    lists = word_lists()
    words = sorted(lists["question_words_zh"], key=len, reverse=True)
    # Not 几, a number word as often (几十个, 几年内: "dozens", "within a few years").
    single = {w for w in words if len(w) == 1} - lists["number_chars_zh"]
    pattern = re.compile(
        "|".join(re.escape(w) for w in words if len(w) > 1)
        + rf"|{_A_NOT_A}|[{_PARTICLES}](?=[\s?？!！。,，]|$)"
    )

    def spans(text: str) -> list[tuple[int, int]]:
        found = [(m.start(), m.end()) for m in pattern.finditer(text)]
        alone = [
            (start, end)
            for start, end, word in word_spans(text, words_of)
            if word in single
            and not any(s < end and start < e for s, e in found)
            and not is_word(text[max(0, start - 1) : end])
            and not is_word(text[start : end + 1])
        ]
        return sorted(found + alone)

    return _soften_spans(spans, folder, Origin.QUESTION)


def make_function_word_step(folder: Folder) -> QueryStep:
    words = sorted(word_lists()["function_words_zh"], key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    return _soften(pattern, folder, Origin.FUNCTION)


def make_light_word_step(folder: Folder, words_of: Callable[[str], list[str]]) -> QueryStep:
    """Single light characters (会, 去, 拿 ...) and potential complements (不到, 不了 ...)
    where the segmenter cuts them as words of their own: a single character is a word
    only in its context, and a complement is spelt inside other words (不了解), so the
    cut decides."""
    lists = word_lists()
    light = lists["light_chars_zh"] | lists["complements_zh"]

    def spans(text: str) -> list[tuple[int, int]]:
        return [(start, end) for start, end, word in word_spans(text, words_of) if word in light]

    return _soften_spans(spans, folder, Origin.FUNCTION)


def _soften(pattern: re.Pattern[str], folder: Folder, origin: Origin) -> QueryStep:
    """The typed spans ``pattern`` finds become terms of their own at a low weight."""
    return _soften_spans(
        lambda text: [(m.start(), m.end()) for m in pattern.finditer(text)], folder, origin
    )


def _soften_spans(
    find: Callable[[str], list[tuple[int, int]]], folder: Folder, origin: Origin
) -> QueryStep:
    """The typed spans ``find`` gives (in the one-character fold of the typed text)
    become terms of their own at a low weight."""

    def step(found: Interpretation) -> Interpretation:
        text = typed_text(found)
        spans = find(fold_chars(text, folder))
        if not spans:
            return found
        group = found.next_group()
        terms = list(found.terms)
        for n, (start, end) in enumerate(spans):
            word = text[start:end]
            terms.append(Term(word, QUESTION_WEIGHT, origin, word, group + n))
        return carve(found.with_terms(tuple(terms)), spans)

    return step
