"""Toneless pinyin from a Latin keyboard -> the corpus words with that reading.

"shuju qiang", "shujuqiang", "shù jù", "shu4ju4" all read 数据墙. Readings of corpus
words and of frequent substrings are in the lexicon, so a whole run of syllables can
match one longer word. A word that is also English ("long", "man") is read as pinyin
only beside a word that is pinyin and not English.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

from bot.query import QueryStep
from bot.query.aliases import name_words
from bot.query.english_words import latin_words, search_form, word_lists
from bot.query.lexicon import Lexicon
from bot.query.terms import Interpretation, Origin, Term, carve, typed_text

# The longest run of query words joined into one reading ("wan dao chao che").
MAX_JOINED = 6
ALTERNATIVE_WEIGHT = 0.8


def plain_reading(word: str) -> str:
    """Tone marks and tone numbers off, ü as v: "shù", "shu4" -> "shu"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    out = "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u0308")
    out = out.replace("u\u0308", "v").replace("\u0308", "")
    return re.sub(r"[0-5']", "", out)


def make_syllable_test(lexicon: Lexicon) -> Callable[[str], bool]:
    """Whether a toneless reading is a run of pinyin syllables ("shujuqiang")."""
    syllables = lexicon.syllables

    @cache
    def is_pinyin(reading: str) -> bool:
        if not reading.isalpha() or not reading.isascii():
            return False
        ok = [True] + [False] * len(reading)
        for end in range(1, len(reading) + 1):
            ok[end] = any(
                ok[start] and reading[start:end] in syllables
                for start in range(max(0, end - 6), end)
            )
        return ok[-1]

    return is_pinyin


def make_pinyin_step(lexicon: Lexicon, protected: frozenset[str] = frozenset()) -> QueryStep:
    is_pinyin = make_syllable_test(lexicon)

    def english(word: str) -> bool:
        lists = word_lists()
        return (
            word in lists["english_stopwords"]
            or word in lists["question_words_en"]
            or search_form(word) in lexicon.english
            or search_form(word) in lexicon.glossary
        )

    def step(found: Interpretation) -> Interpretation:
        text = typed_text(found)
        names = name_words(found)
        words = [
            (s, e, w, plain_reading(w))
            for s, e, w in latin_words(text)
            if w not in lexicon.latin and w not in names and w not in protected
        ]
        candidates = [x for x in words if is_pinyin(x[3])]
        if not candidates:
            return found
        if all(english(w) for _, _, w, _ in candidates):
            return found
        chosen = candidates
        terms = list(found.terms)
        group = found.next_group()
        spans = []
        i = 0
        while i < len(chosen):
            for j in range(min(len(chosen), i + MAX_JOINED), i, -1):
                # Only words next to each other in the query join into one reading.
                if any(chosen[k + 1][0] - chosen[k][1] > 1 for k in range(i, j - 1)):
                    continue
                key = "".join(x[3] for x in chosen[i:j])
                if key in lexicon.pinyin:
                    source = text[chosen[i][0] : chosen[j - 1][1]]
                    for n, han in enumerate(lexicon.pinyin[key]):
                        weight = 1.0 if n == 0 else ALTERNATIVE_WEIGHT
                        terms.append(Term(han, weight, Origin.PINYIN, source, group))
                    group += 1
                    spans.append((chosen[i][0], chosen[j - 1][1]))
                    i = j
                    break
            else:
                i += 1
        if not spans:
            return found
        return carve(found.with_terms(tuple(terms)), spans)

    return step
