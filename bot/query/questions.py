"""Question words and particles say that something is asked, not what about:
为什么, 怎么, 如何, 什么, 吗, 呢 ... weigh far less than the content words. (English
question words are handled with the other function words in english.py.)"""

from __future__ import annotations

import re

from bot.query import QueryStep
from bot.query.english_words import word_lists
from bot.query.terms import Interpretation, Origin, Term, carve, typed_text
from bot.textfold import Folder, fold_chars

QUESTION_WEIGHT = 0.1
# Sentence-final particles count only at the end of a clause.
_PARTICLES = "吗呢吧么"


def make_question_step(folder: Folder) -> QueryStep:
    words = sorted(word_lists()["question_words_zh"], key=len, reverse=True)
    pattern = re.compile(
        "|".join(re.escape(w) for w in words if len(w) > 1)
        + rf"|[{_PARTICLES}](?=[\s?？!！。,，]|$)"
    )

    def step(found: Interpretation) -> Interpretation:
        text = typed_text(found)
        matches = list(pattern.finditer(fold_chars(text, folder)))
        if not matches:
            return found
        group = found.next_group()
        terms = list(found.terms)
        for n, m in enumerate(matches):
            word = text[m.start() : m.end()]
            terms.append(Term(word, QUESTION_WEIGHT, Origin.QUESTION, word, group + n))
        spans = [(m.start(), m.end()) for m in matches]
        return carve(found.with_terms(tuple(terms)), spans)

    return step
