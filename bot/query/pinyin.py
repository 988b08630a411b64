"""Toneless pinyin from a Latin keyboard -> the corpus words with that reading.

"shuju qiang", "shujuqiang", "shù jù", "shu4ju4" all read 数据墙. Readings of corpus
words and of frequent substrings are in the lexicon, so a whole run of syllables can
match one longer word, and a run typed without spaces is cut where corpus readings
start ("chuangxinyijia" reads as "chuangxin yijia": 创新 + 一家). A word that is also
English ("long", "man") is read as pinyin only beside a word that is pinyin and not
English, and only whole: a word the dictionary's English has is never cut.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from functools import cache

from bot.query import QueryStep
from bot.query.aliases import name_words
from bot.query.english_words import dictionary_words, latin_words, search_form, word_lists
from bot.query.lexicon import PINYIN_LENGTHS, Lexicon
from bot.query.questions import QUESTION_WEIGHT
from bot.query.terms import Interpretation, Origin, Term, carve, typed_text

ALTERNATIVE_WEIGHT = 0.8
# Pinyin's longest syllable ("zhuang", "chuang"), and so its longest key: the lexicon
# reads substrings of up to 6 characters.
LONGEST_SYLLABLE = 6
LONGEST_READING = LONGEST_SYLLABLE * max(PINYIN_LENGTHS)


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


@dataclass(frozen=True)
class _Word:
    """A query word that may be pinyin: its span in the typed text, its toneless
    reading, where each letter of the reading was typed (None: the reading is not
    letter for letter, "u\u0308" -> "v", so it is never cut inside), and whether it may
    be cut into several readings."""

    start: int
    end: int
    reading: str
    typed_at: tuple[int, ...] | None
    cuttable: bool


def _typed_at(typed: str, start: int, reading: str) -> tuple[int, ...] | None:
    at: list[int] = []
    for i, ch in enumerate(typed):
        at += [start + i] * len(plain_reading(ch))
    return tuple(at) if len(at) == len(reading) else None


def _cover(
    run: list[_Word], readings: Collection[str], syllables: Collection[str]
) -> list[tuple[int, int, str]]:
    """The corpus readings a run of adjacent words is made of, as (start, end, key) in
    the typed text. Spaces always cut; a cuttable word is also cut between syllables
    wherever a corpus reading starts ("chuangxinyijia": chuangxin + yijia, as if typed
    "chuangxin yijia"). A reading across a space joins whole words only. Of all cuts,
    the one that leaves the fewest letters unread, then the one of the fewest readings
    (the longest words), then the one whose first reading is longest. Keys are joined
    toneless syllables, so xian/xi'an or fangan/fang'an need no choice here: one key
    holds every word of that reading (方案 and 反感).
    What is left unread is a whole word, or syllables of a cuttable word."""
    reading = "".join(w.reading for w in run)
    bounds = [0]
    for w in run:
        bounds.append(bounds[-1] + len(w.reading))
    owner = [i for i, w in enumerate(run) for _ in w.reading]  # word of each letter
    # Where a reading may begin or end: between words, and inside a cuttable word.
    cut = [False] * (len(reading) + 1)
    for i, w in enumerate(run):
        cut[bounds[i]] = cut[bounds[i + 1]] = True
        if w.cuttable:
            for p in range(bounds[i] + 1, bounds[i + 1]):
                cut[p] = True
    # best[p]: (letters unread, readings, -first length) from p to the end, and the move.
    Cost = tuple[int, int, int]
    best: list[tuple[Cost, int, bool] | None] = [None] * (len(reading) + 1)
    best[-1] = ((0, 0, 0), len(reading), False)
    for p in range(len(reading) - 1, -1, -1):
        if not cut[p]:
            continue
        moves: list[tuple[int, bool]] = []
        word = owner[p]
        for q in range(min(len(reading), p + LONGEST_READING), p, -1):
            if not (cut[q] and best[q] is not None and reading[p:q] in readings):
                continue
            # Spaces are the typist's own cuts: a reading may join whole words ("shu ju
            # qiang"), never the tail of one to the head of the next ("de fumu" is 的 +
            # 父母, not 的复 + mu).
            last = owner[q - 1]
            if last == word or (p == bounds[word] and q == bounds[last + 1]):
                moves.append((q, True))
        if p == bounds[word]:  # a whole word left unread
            moves.append((bounds[word + 1], False))
        if run[word].cuttable:  # one syllable of a cuttable word left unread
            for q in range(min(bounds[word + 1], p + LONGEST_SYLLABLE), p, -1):
                if cut[q] and reading[p:q] in syllables:
                    moves.append((q, False))
        for q, read in moves:
            after = best[q]
            if after is None:
                continue
            (unread, pieces, _), _, _ = after
            cost = (unread + (0 if read else q - p), pieces + read, -(q - p) if read else 0)
            if best[p] is None or cost < best[p][0]:  # type: ignore[index]
                best[p] = (cost, q, read)
    out = []
    p = 0
    while p < len(reading):
        step = best[p]
        assert step is not None
        _, q, read = step
        if read:
            out.append(
                (
                    _typed_place(run, bounds, owner[p], p),
                    _typed_place(run, bounds, owner[q - 1], q),
                    reading[p:q],
                )
            )
        p = q
    return out


def _typed_place(run: list[_Word], bounds: list[int], i: int, p: int) -> int:
    """Where in the typed text the reading's letter ``p`` of word ``i`` begins (a word's
    own bounds at its ends, so its tone numbers go with it: "shu4ju4")."""
    word = run[i]
    if p == bounds[i]:
        return word.start
    if p == bounds[i + 1]:
        return word.end
    assert word.typed_at is not None  # only a word with letter places is cut inside
    return word.typed_at[p - bounds[i]]


def make_pinyin_step(
    lexicon: Lexicon, protected: frozenset[str] = frozenset(), *, soften_questions: bool = True
) -> QueryStep:
    is_pinyin = make_syllable_test(lexicon)

    def english(word: str) -> bool:
        lists = word_lists()
        return (
            word in lists["english_stopwords"]
            or word in lists["question_words_en"]
            or search_form(word) in lexicon.english
            or search_form(word) in lexicon.glossary
        )

    def cuttable(word: str) -> bool:
        """A word the dictionary's English has ("banana", "Obama", "Zhejiang") is read
        whole or not at all: only a run nobody writes as one word is cut."""
        return not english(word) and word not in dictionary_words().words

    @cache
    def function_syllables() -> frozenset[str]:
        """The usual reading of each grammatical character (的 de, 了 le, 是 shi) and the
        readings of one-character question words (谁 shei, shui)."""
        lists = word_lists()
        readings = lexicon.char_readings
        firsts = {readings.get(c, [""])[0] for c in lists["grammatical_chars_zh"]}
        asks = {r for w in lists["question_words_zh"] if len(w) == 1 for r in readings.get(w, [])}
        return frozenset((firsts | asks) - {""})

    @cache
    def soft_words() -> dict[str, Origin]:
        lists = word_lists()
        return {w: Origin.FUNCTION for w in lists["function_words_zh"]} | {
            w: Origin.QUESTION for w in lists["question_words_zh"]
        }

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
        # Runs of words next to each other in the query (only they join into one reading).
        runs: list[list[_Word]] = []
        for s, e, w, reading in candidates:
            word = _Word(s, e, reading, _typed_at(text[s:e], s, reading), False)
            if cuttable(w) and word.typed_at is not None:
                word = replace(word, cuttable=True)
            if runs and s - runs[-1][-1].end <= 1:
                runs[-1].append(word)
            else:
                runs.append([word])
        terms = list(found.terms)
        group = found.next_group()
        spans = []
        covers = [(run, _cover(run, lexicon.pinyin, lexicon.syllables)) for run in runs]
        typed_pinyin = any(read for _, read in covers)
        for run, read in covers:
            for start, end, key in read:
                source = text[start:end]
                hans = lexicon.pinyin[key]
                # "shi shenme" reads 是什么: a question asked in pinyin weighs as little
                # as one typed in characters (for the commands that soften questions).
                soft = soft_words().get(hans[0]) if soften_questions else None
                for n, han in enumerate(hans):
                    if soft is not None:
                        terms.append(Term(han, QUESTION_WEIGHT, soft, source, group))
                        continue
                    weight = 1.0 if n == 0 else ALTERNATIVE_WEIGHT
                    terms.append(Term(han, weight, Origin.PINYIN, source, group))
                group += 1
                spans.append((start, end))
            if not typed_pinyin:
                continue
            # In a query with pinyin that was read, a word left unread that sounds like a
            # particle ("de" in "Wang de fumu") is that particle, not English ("de facto").
            for word in run:
                if word.reading in function_syllables() and not any(
                    s < word.end and word.start < e for s, e, _ in read
                ):
                    source = text[word.start : word.end]
                    terms.append(Term(source, 0.0, Origin.FUNCTION, source, group))
                    group += 1
                    spans.append((word.start, word.end))
        if not spans:
            return found
        return carve(found.with_terms(tuple(terms)), spans)

    return step
