"""Damaged queries are repaired before anything reads them, as ingest repairs articles.

- Text pasted from a broken page: UTF-8 bytes shown as GBK, Big5 or Windows-1252
  ("鏁版嵁澧" for 数据墙, "æ•°æ®" for 数据). Each run of non-ASCII characters is turned
  back into the bytes the page showed and read as UTF-8; where the page lost a byte
  (shown as "�", or an odd byte at the end), the character it belonged to is the one
  that makes a corpus word with its neighbours, or is left out when none does.
- The ingest's own steps that apply to a few pasted words (invisible characters,
  "數(shù)據(jù)" pinyin annotations, HTML remnants) run as they do on articles.
- A misspelt Latin term ("Perplexty") becomes the corpus term one keyboard slip away
  ("Perplexity"): a letter dropped, added or two swapped, never a different letter
  (Mixtral is not Mistral, H200 is not H100), only for words the corpus and the
  dictionary both lack, and only where exactly one corpus term is that close.

A repair rewrites the typed text (``Interpretation.typed`` too), so every later step
reads the query as it was meant;
``ask --json`` shows it as a term of weight 0 ("from": "repaired" or "spelling"), whose
``source`` is what was typed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from itertools import product

from bot.ingest.repairs import (
    Step,
    StepResult,
    _gbk_bytes,
    remove_pinyin_annotations,
    run_pipeline,
    strip_html_remnants,
    unify_line_endings,
)
from bot.query import QueryStep
from bot.query.english_words import (
    MIN_SPELLING_LENGTH,
    latin_words,
    one_slip,
    search_form,
    slips,
    word_lists,
)
from bot.query.lexicon import Lexicon
from bot.query.pinyin import make_syllable_test
from bot.query.terms import Interpretation, Origin, Term, typed_text

# ---- mojibake ---------------------------------------------------------------------------

LOST = "\ufffd"
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# The codecs a page misreads UTF-8 as, most common first.
MOJIBAKE_CODECS = ("gbk", "big5", "cp1252")
# A lost byte is guessed from corpus words of up to this many characters around it.
CONTEXT_CHARS = 3

Bytes = list[int | None]  # None: a byte the page lost


def _shown_bytes(run: str, codec: str) -> Bytes | None:
    """The bytes a page decoding with ``codec`` read as ``run``; None where it cannot
    have shown it. Windows-1252 pages show the five undefined bytes as C1 controls."""
    out: Bytes = []
    for ch in run:
        if ch == LOST:
            out.append(None)
            continue
        data = _gbk_bytes(ch) if codec == "gbk" else _encoded(ch, codec)
        if data is None:
            return None
        out.extend(data)
    return out


def _encoded(ch: str, codec: str) -> bytes | None:
    try:
        return ch.encode(codec)
    except UnicodeEncodeError:
        return bytes([ord(ch)]) if codec == "cp1252" and 0x80 <= ord(ch) < 0xA0 else None


def _utf8_length(lead: int) -> int:
    """How many bytes a UTF-8 character starting with ``lead`` has; 0: no lead byte."""
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _utf8_pieces(data: Bytes) -> list[str | list[str]] | None:
    """UTF-8 read from bytes with gaps: a character, or the characters a character with
    a lost byte may be ([] where its lead byte is lost). None: these are not UTF-8."""
    out: list[str | list[str]] = []
    i = 0
    while i < len(data):
        lead = data[i]
        if lead is None:  # its length is unknown: skip to the next lead byte
            i += 1
            while i < len(data) and (data[i] is None or 0x80 <= data[i] <= 0xBF):  # type: ignore[operator]
                i += 1
            out.append([])
            continue
        n = _utf8_length(lead)
        if not n:
            return None
        seq = data[i : i + n] + [None] * max(0, i + n - len(data))
        if any(b is not None and not 0x80 <= b <= 0xBF for b in seq[1:]):
            return None
        if None in seq:
            out.append(_completions(seq))
        else:
            try:
                out.append(bytes(seq).decode("utf-8"))  # type: ignore[arg-type]
            except UnicodeDecodeError:
                return None
        i += n
    return out


def _completions(seq: Bytes) -> list[str]:
    """Every character whose UTF-8 bytes fit ``seq`` (its lost bytes any trail byte)."""
    choices = [[b] if b is not None else range(0x80, 0xC0) for b in seq]
    out = []
    for option in product(*choices):
        try:
            out.append(bytes(option).decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return out


def _resolve(
    pieces: list[str | list[str]], is_word: Callable[[str], bool], fold: Callable[[str], str]
) -> str:
    """A character with a lost byte is the one that makes the longest corpus word with
    the characters beside it (of variants that fold alike, 墙/墻, the folded one); none,
    or two different ones equally good: it is left out (a space)."""
    text = [p if isinstance(p, str) else "" for p in pieces]
    for i, piece in enumerate(pieces):
        if isinstance(piece, str):
            continue
        left = "".join(text[:i])[-CONTEXT_CHARS:]
        right = "".join(text[i + 1 :])[:CONTEXT_CHARS]
        best: dict[str, int] = {}
        for ch in piece:
            for a in range(len(left) + 1):
                for b in range(len(right) + 1):
                    word = left[len(left) - a :] + ch + right[:b]
                    if len(word) >= 2 and is_word(word):
                        best[ch] = max(best.get(ch, 0), len(word))
        top = [ch for ch, n in best.items() if n == max(best.values())]
        if len({fold(ch) for ch in top}) == 1:
            text[i] = next((ch for ch in top if fold(ch) == ch), top[0])
        else:
            text[i] = " "
    return "".join(text)


def make_mojibake_repair(is_word: Callable[[str], bool], fold: Callable[[str], str]) -> Step:
    """``is_word``: whether a (Simplified or Traditional) string is a corpus word; it
    decides what a lost byte was."""

    def repair_mojibake(text: str) -> StepResult:
        changes = 0

        def repair(m: re.Match[str]) -> str:
            nonlocal changes
            run = m.group()
            for codec in MOJIBAKE_CODECS:
                data = _shown_bytes(run, codec)
                pieces = _utf8_pieces(data) if data is not None else None
                # UTF-8 is strict: bytes of real Chinese or accented text are almost
                # never valid UTF-8, and a repaired run is always shorter.
                if not pieces or len(pieces) >= len(run):
                    continue
                if all(isinstance(p, str) and p.isascii() for p in pieces):
                    continue
                changes += 1
                return _resolve(pieces, is_word, fold)
            return run

        return StepResult(_NON_ASCII_RUN.sub(repair, text), changes)

    return repair_mojibake


def query_repairs(
    is_word: Callable[[str], bool], fold: Callable[[str], str]
) -> tuple[tuple[str, Step], ...]:
    """The ingest steps that apply to a few pasted words, and mojibake first of all
    (its misread characters would otherwise look like annotations or names)."""
    return (
        ("line_endings", unify_line_endings),
        ("mojibake", make_mojibake_repair(is_word, fold)),
        ("pinyin_annotations", remove_pinyin_annotations),
        ("html_remnants", strip_html_remnants),
    )


# ---- spelling ---------------------------------------------------------------------------


def make_spelling_step(lexicon: Lexicon) -> QueryStep:
    is_pinyin = make_syllable_test(lexicon)

    @cache
    def by_slip() -> dict[str, list[str]]:
        """Corpus Latin terms by each of their slips (built the first time a word needs
        it: most queries have none)."""
        index: dict[str, list[str]] = defaultdict(list)
        for term in lexicon.latin:
            if len(term) >= MIN_SPELLING_LENGTH - 1 and term.isalpha():
                for key in slips(term) | {term}:
                    index[key].append(term)
        return index

    def known_word(word: str) -> bool:
        lists = word_lists()
        return (
            word in lexicon.latin
            or word in lexicon.dictionary_near
            or search_form(word) in lexicon.english
            or word in lists["english_stopwords"]
            or word in lists["question_words_en"]
        )

    def correction(word: str) -> str | None:
        if len(word) < MIN_SPELLING_LENGTH or not word.isalpha() or known_word(word):
            return None
        if is_pinyin(word):
            return None
        index = by_slip()
        near = {t for key in slips(word) | {word} for t in index.get(key, ())}
        near = {t for t in near if one_slip(word, t)}
        return near.pop() if len(near) == 1 else None

    def step(found: Interpretation) -> Interpretation:
        text = typed_text(found)
        fixes = []
        for s, e, word in latin_words(text):
            fixed = correction(word)
            if fixed:
                typed = text[s:e]
                fixes.append((s, e, typed, fixed.capitalize() if typed[0].isupper() else fixed))
        return rewrite(found, fixes, Origin.SPELLING) if fixes else found

    return step


# ---- the step ---------------------------------------------------------------------------


def rewrite(
    found: Interpretation, fixes: list[tuple[int, int, str, str]], origin: Origin
) -> Interpretation:
    """Put each fix (start, end, typed, fixed) into the typed text, and show each as a
    term of weight 0 that names what was typed."""
    text = typed_text(found)
    group = found.next_group()
    records = []
    for start, end, typed, fixed in sorted(fixes, reverse=True):
        text = text[:start] + fixed + text[end:]
        records.append(Term(fixed.strip(), 0.0, origin, typed.strip(), group))
        group += 1
    terms = tuple(
        Term(text, t.weight, t.origin, t.source, t.group) if t.origin is Origin.TYPED else t
        for t in found.terms
    )
    # Repairs run first, before any step blanks a span: the repaired text is then what
    # later steps take as typed (positions in it, names found in it).
    typed = text if typed_text(found) == found.typed else found.typed
    return replace(found, typed=typed, terms=terms + tuple(reversed(records)))


def make_repair_step(is_word: Callable[[str], bool], fold: Callable[[str], str]) -> QueryStep:
    steps = query_repairs(is_word, fold)

    def step(found: Interpretation) -> Interpretation:
        text = typed_text(found)
        repaired = run_pipeline(text, steps).text
        if repaired == text:
            return found
        return rewrite(found, [(0, len(text), text, repaired)], Origin.REPAIRED)

    return step
