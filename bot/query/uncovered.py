"""Query words the corpus cannot answer: a dictionary word the corpus never uses (裁员,
宠物) that no step gave a counterpart in the corpus (no synonym or related word, name
form or reading).

Latin words are left out: one the corpus never writes may still be an English word the
translation step missed (a form it does not know), so it is no proof that the corpus
lacks the thing; it weighs as a rare word, as before. Not a Latin word typed with a
digit or in capitals (IPO, H200): a model, a product or an acronym, which the corpus
writes as it is or not at all. Nor a name: a word capitalised inside a sentence
(``english.proper_names``: "Japan" in "Hu Jintao visit to Japan", never "Department"
in "the Department of Defense", which the dictionary also writes in lower case), which
no step translated or found by its sound, is a place, a party or a product the corpus
never names in either script (``unknown_names``).

The relevance floor alone cannot tell "a paraphrase in other words" from "a question
about something the corpus does not have": the index's segmenter only knows corpus
words, so it cuts 裁员 into 裁 + 员, two characters the corpus has, and a name or a
common word then carries the share. Found as whole words here, such a word weighs as
what it is, the thing asked about that nothing holds (``bot.search.rank``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from enum import StrEnum

from bot.query.english import proper_names
from bot.query.english_words import dictionary_words, without_possessive, word_lists
from bot.query.lexicon import Lexicon
from bot.query.terms import Interpretation, Origin, typed_text
from bot.textfold import HAN, Folder

_HAN_RUN = re.compile(f"[{HAN}]+")
_LONGEST = 8


# A Latin word typed with a digit or in capitals (IPO, H200, ESG): a model, a product
# or an acronym, never an English word the translation step could have missed.
_LATIN_TERM = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z]+[0-9][A-Za-z0-9]*|[A-Z]{2,6})(?![A-Za-z0-9])"
)

WordsOf = Callable[[str, bool], list[str]]


class _Kind(StrEnum):
    """What an absent word of the query is (see ``_absent_in``)."""

    WORD = "word"
    UNJOINED = "unjoined"
    QUANTITY = "quantity"


# An aspect particle or a resultative complement after a verb (不行了, 用完, 卖掉, 做不了,
# 去过): CC-CEDICT lists some of these pairs as words of their own (不行了: "dying"), so
# the query reads as a word the corpus lacks although it says the corpus's own verb
# with a particle. Longest first.
_AFTER_VERB = ("不了", "了", "完", "掉", "过", "着")

# A quantity: a number word and a measure word (几倍, 两次, 一轮), both closed classes.
_WORDS = word_lists()
_NUMBERS, _MEASURES = _WORDS["number_chars_zh"], _WORDS["measure_chars_zh"]
_NUMBERS_AND_DIGITS = tuple(sorted(_NUMBERS)) + tuple("0123456789")


def uncovered_words(
    found: Interpretation,
    lexicon: Lexicon,
    folder: Folder,
    words_of: WordsOf,
    in_corpus: Callable[[str], bool],
) -> tuple[str, ...]:
    """The folded words of what is left of the typed query that the corpus lacks and
    no step gave a counterpart, in query order. ``words_of(text, hmm)``: the index's
    segmenter (``hmm``: with its guesses at words outside its dictionary);
    ``in_corpus``: whether the corpus writes a Latin word."""
    typed = typed_text(found)
    text = folder.fold(typed)
    answered = [folder.fold(t.source) for t in found.terms if t.origin is not Origin.TYPED]
    out: list[str] = []
    latin = [folder.fold(term) for term in _LATIN_TERM.findall(typed)]
    for word in latin + list(unknown_names(found, lexicon, folder)):
        if not in_corpus(word) and not any(word in source for source in answered):
            out.append(word)
    for word, kind in _absent_in(text, lexicon, words_of):
        if kind is _Kind.WORD and not any(word in source for source in answered):
            out.append(word)
    return tuple(sorted(dict.fromkeys(out), key=text.find))


def unknown_names(found: Interpretation, lexicon: Lexicon, folder: Folder) -> tuple[str, ...]:
    """The folded Latin words of the typed query that are capitalised inside a sentence
    and that the corpus never writes (``english.proper_names``, which reads the whole
    query: whether a capital opens a sentence). Not a word the dictionary's English
    also writes in lower case: "Department" of "the Department of Defense" is a common
    word in a name the translation step may read otherwise; "Japan" is a name. A word
    a step interpreted is for the caller to leave out."""
    typed = found.typed
    common = dictionary_words().common
    bare = {without_possessive(w) for w in proper_names(typed, lexicon.latin)}  # Trump's
    names = [w for w in bare if w not in common]
    return tuple(folder.fold(w) for w in sorted(names, key=typed.lower().find))


@dataclass(frozen=True)
class OtherAbsent:
    """Words the corpus lacks that are no uncovered words, each counted otherwise at the
    floor (``bot.search.rank.query_units``)."""

    # Two characters jieba's guess does not join in the query (家乡 in 王的家乡在哪里:
    # 家 + 乡), so perhaps spelt across two words: one word at the floor, held only
    # whole, never by its lone characters (家 is in 国家, 大家, 白手起家).
    unjoined: tuple[str, ...] = ()
    # Quantities (几倍): held in part by a quantity of the text with the same measure
    # word (5-6倍), see ``quantity_keys``.
    quantities: tuple[str, ...] = ()


def other_absent_words(
    found: Interpretation, lexicon: Lexicon, folder: Folder, words_of: WordsOf
) -> OtherAbsent:
    """The words of the typed query the corpus lacks and no step gave a counterpart
    that ``uncovered_words`` leaves out: unjoined pairs and quantities."""
    text = folder.fold(typed_text(found))
    answered = [folder.fold(t.source) for t in found.terms if t.origin is not Origin.TYPED]
    unjoined: dict[str, None] = {}
    quantities: dict[str, None] = {}
    for word, kind in _absent_in(text, lexicon, words_of):
        if any(word in source for source in answered):
            continue
        if kind is _Kind.UNJOINED:
            unjoined[word] = None
        elif kind is _Kind.QUANTITY:
            quantities[word] = None
    return OtherAbsent(tuple(unjoined), tuple(quantities))


def _absent_in(text: str, lexicon: Lexicon, words_of: WordsOf) -> Iterator[tuple[str, _Kind]]:
    """The absent dictionary words of the Han runs of ``text`` (folded), as a reader cuts
    them, each with what it is. Not a corpus word with a particle (``verb_inside``):
    the floor counts the verb."""
    absent = lexicon.absent_words()

    def is_word(word: str) -> bool:
        return words_of(word, False) == [word]

    for run in _HAN_RUN.findall(text):
        guessed = [w for w in words_of(run, True) if len(w) > 1]
        for word in absent_words(run, absent, set(words_of(run, False))):
            if verb_inside(word, is_word):
                continue
            if measure_word(word):
                yield word, _Kind.QUANTITY  # the corpus says it with another number
            # Two characters can spell a word across a word boundary (都会 in 九成都会
            # 失败: "all will"); such a word counts only where jieba's guess at unknown
            # words joins them too (高中 in its 高中时). Three or more rarely happen by
            # accident (美联储, 办公室).
            elif len(word) == 2 and not any(word in g for g in guessed):
                yield word, _Kind.UNJOINED
            else:
                yield word, _Kind.WORD


def verb_inside(word: str, is_word: Callable[[str], bool]) -> str | None:
    """The word of two characters or more before an aspect particle or resultative
    complement that ends ``word`` (不行 in 不行了), where ``is_word`` says it is a corpus
    word; None otherwise. A lone character (用 in 用完) is found inside any word: it
    says too little to stand for the word asked about."""
    for tail in _AFTER_VERB:
        stem = word[: -len(tail)]
        if word.endswith(tail) and len(stem) >= 2 and is_word(stem):
            return stem
    return None


def measure_word(word: str) -> str | None:
    """The measure word of a quantity of two characters (倍 of 几倍, 轮 of 几轮); None
    otherwise. A text says the number otherwise (增长了5-6倍, 多轮交互); and CC-CEDICT
    lists some quantities as words (几倍), so "业务涨了几倍" read as a word the corpus
    lacks."""
    if len(word) == 2 and word[0] in _NUMBERS and word[1] in _MEASURES:
        return word[1]
    return None


def quantity_keys(word: str) -> tuple[str, ...]:
    """The other quantities with the measure word of ``word`` (多轮, 5轮 for 几轮), as
    match keys; none where it is no quantity. The measure word alone is no key: most
    are common inside other words (本 in 基本, 次 in 其次, 场 in 市场)."""
    measure = measure_word(word)
    if measure is None:
        return ()
    return tuple(n + measure for n in _NUMBERS_AND_DIGITS if n + measure != word)


def parts_inside(word: str, words_of: Callable[[str], list[str]]) -> tuple[str, ...]:
    """The corpus words of two characters or more inside a word the corpus lacks, as
    the index's segmenter cuts it (驾驶 in 无人驾驶, 真实 in 真实感): a paraphrase
    often says the same thing with another compound on the same morpheme (自动驾驶).
    Lone characters are left out: they are found inside any word."""
    return tuple(w for w in dict.fromkeys(words_of(word)) if len(w) >= 2 and w != word)


def absent_words(run: str, absent: Collection[str], present: Collection[str]) -> list[str]:
    """The absent dictionary words of a Han run, cut as a reader would: the fewest
    words (corpus words and absent words alike), then the fewest single characters,
    then the fewest absent words (given the choice, a run is not read as a word the
    corpus lacks). The index's segmenter cannot do it: it has never seen those words,
    and cuts 比特币 as 对比 + 特 + 币."""
    # best[i]: (words, single characters, absent words) of the best cut of run[:i].
    best: list[tuple[int, int, int]] = [(0, 0, 0)] + [(len(run) + 1, 0, 0)] * len(run)
    back = [0] * (len(run) + 1)
    for i in range(1, len(run) + 1):
        for n in range(1, min(_LONGEST, i) + 1):
            word = run[i - n : i]
            if n > 1 and word not in absent and word not in present:
                continue
            words, singles, missing = best[i - n]
            cost = (words + 1, singles + (n == 1), missing + (word in absent))
            if cost < best[i]:
                best[i], back[i] = cost, i - n
    out = []
    i = len(run)
    while i > 0:
        word = run[back[i] : i]
        if word in absent:
            out.append(word)
        i = back[i]
    return out[::-1]
