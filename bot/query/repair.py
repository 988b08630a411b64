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
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from itertools import product
from math import prod

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
    vowel_slip,
    word_lists,
)
from bot.query.lexicon import PINYIN_LENGTHS, Lexicon
from bot.query.pinyin import make_syllable_test
from bot.query.terms import Interpretation, Origin, Term, typed_text, word_spans
from bot.textfold import HAN, HAN_RE, Folder, fold_chars

# ---- mojibake ---------------------------------------------------------------------------

LOST = "\ufffd"
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# The codecs a page misreads UTF-8 as, most common first.
MOJIBAKE_CODECS = ("gbk", "big5", "cp1252")
# A lost byte is guessed from corpus words of up to this many characters around it.
CONTEXT_CHARS = 3
# Corpus words (and frequent substrings) a damaged stretch may hold are this long at most.
LONGEST_WORD = max(PINYIN_LENGTHS)

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


def _utf8_pieces(data: Bytes, open_end: bool = True) -> list[str | list[str]] | None:
    """UTF-8 read from bytes with gaps: a character, or the characters a character with
    a lost byte may be ([] where its lead byte is lost). None: these are not UTF-8.
    ``open_end``: the bytes may stop inside a character (its bytes lost at the end)."""
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
        if i + n > len(data) and not open_end:
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


def _inside_character(data: Bytes) -> bool:
    """Whether the bytes stop inside a UTF-8 character (its last lead byte's character
    needs more bytes)."""
    for back in range(1, min(4, len(data)) + 1):
        b = data[-back]
        if b is None or not 0x80 <= b <= 0xBF:
            return b is not None and _utf8_length(b) > back
    return False


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


def _whole_run(run: str, codec: str) -> list[str | list[str]] | None:
    """The run read back as UTF-8, when all of it is mojibake of ``codec``."""
    data = _shown_bytes(run, codec)
    pieces = _utf8_pieces(data) if data is not None else None
    # UTF-8 is strict: bytes of real Chinese or accented text are almost never valid
    # UTF-8, and a repaired run is always shorter.
    if not pieces or len(pieces) >= len(run):
        return None
    if all(isinstance(p, str) and p.isascii() for p in pieces):
        return None
    return pieces


def _readable(ch: str) -> bool:
    """A character a damaged stretch between intact Chinese can have been. Not another
    script's letter or punctuation: 目 shown as GBK is the bytes C4 BF, which are UTF-8
    for "Ŀ", so 项目鏁版嵁 would lose 目."""
    return bool(_READABLE.match(ch))


def _holds_word(
    left: str, pieces: list[str | list[str]], right: str, is_word: Callable[[str], bool]
) -> bool:
    """Whether the characters read back make a corpus word, alone or with the intact
    characters beside them (客 + 户公 + 司: 客户)."""
    left, right = left[-LONGEST_WORD + 1 :], right[: LONGEST_WORD - 1]
    text = left + "".join(p if isinstance(p, str) else " " for p in pieces) + right
    inside = range(len(left), len(text) - len(right))
    return any(
        is_word(text[a : a + k])
        for k in range(2, LONGEST_WORD + 1)
        for a in range(len(text) - k + 1)
        if a + k > inside.start and a < inside.stop
    )


def _foreign(ch: str) -> bool:
    """A letter or mark of another script than Chinese (ģ, ͬ): where a whole run reads
    back to one, the run most often took in an intact neighbour."""
    return unicodedata.category(ch)[0] in "LM" and not _readable(ch)


# Han, CJK punctuation and kana, fullwidth forms, general punctuation (“”…—), the
# middle dot of names (瓦汉·彼得罗西安).
_READABLE = re.compile(f"[{HAN}\u3000-\u30ff\uff00-\uffef\u2010-\u205e\u00b7]")


def _damaged_stretches(
    run: str, codec: str, is_word: Callable[[str], bool]
) -> list[tuple[int, int, list[str | list[str]]]]:
    """Stretches of a run that are mojibake of ``codec`` between intact characters
    (数据的ç¨€ç¼ºæ€§: 数据的 stays, ç¨€ç¼ºæ€§ is 稀缺性), as (start, end, pieces): the
    most characters read back, then the fewest stretches. A stretch is two characters
    or more, reads back shorter, to readable characters only, holding a corpus word,
    and loses bytes only where they show as "�". The same strict UTF-8 as a whole run,
    so intact Chinese seldom decodes, and the rest keeps the chance ones out: of 100,000
    runs of three random CC-CEDICT words none is changed (four were without them)."""
    shown = [_shown_bytes(ch, codec) for ch in run]
    n = len(run)
    # best[i]: (characters read back, -stretches, the first stretch from i or None)
    best: list[tuple[int, int, tuple[int, int, list[str | list[str]]] | None]] = [(0, 0, None)] * (
        n + 1
    )
    for i in range(n - 1, -1, -1):
        best[i] = (best[i + 1][0], best[i + 1][1], None)
        data: Bytes = []
        for j in range(i + 1, n + 1):
            ch_bytes = shown[j - 1]
            if ch_bytes is None:
                break
            data += ch_bytes
            if _inside_character(data):
                continue
            pieces = _utf8_pieces(data, open_end=False)
            if pieces is None:
                break  # whole characters that are not UTF-8: no longer stretch is either
            if j - i < 2 or len(pieces) >= j - i:
                continue
            if not all(_readable(p) for p in pieces if isinstance(p, str)):
                continue
            if not _holds_word(run[:i], pieces, run[j:], is_word):
                continue
            pieces = [p if isinstance(p, str) else [c for c in p if _readable(c)] for p in pieces]
            score = (best[j][0] + j - i, best[j][1] - 1)
            if score > best[i][:2]:
                best[i] = (*score, (i, j, pieces))
    out = []
    i = 0
    while i < n:
        stretch = best[i][2]
        if stretch is None:
            i += 1
            continue
        out.append(stretch)
        i = stretch[1]
    return out


def make_mojibake_repair(is_word: Callable[[str], bool], fold: Callable[[str], str]) -> Step:
    """``is_word``: whether a (Simplified or Traditional) string is a corpus word; it
    decides what a lost byte was."""

    def repair_mojibake(text: str) -> StepResult:
        changes = 0

        def repair(m: re.Match[str]) -> str:
            nonlocal changes
            run = m.group()
            whole = next(filter(None, (_whole_run(run, c) for c in MOJIBAKE_CODECS)), None)
            if whole and not any(_foreign(p) for p in whole if isinstance(p, str)):
                changes += 1
                return _resolve(whole, is_word, fold)
            # Else damaged stretches beside intact characters, in the codec that reads
            # back the most of the run: a whole run that reads back to another script's
            # letters is most often one whose intact neighbour decoded by chance (模 of
            # 模鍨嬫渶: ģ型最).
            found = [_damaged_stretches(run, c, is_word) for c in MOJIBAKE_CODECS]
            stretches = max(found, key=lambda f: sum(e - s for s, e, _ in f))
            if whole and not stretches:  # accented Latin text shown as cp1252 ("Ã©")
                changes += 1
                return _resolve(whole, is_word, fold)
            for start, end, pieces in reversed(stretches):
                changes += 1
                run = run[:start] + _resolve(pieces, is_word, fold) + run[end:]
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
        # Two corpus terms typed without their space ("scaleai": Scale AI) before a
        # slip of one ("scaleapi", a letter added).
        joined = {
            f"{word[:cut]} {word[cut:]}"
            for cut in range(2, len(word) - 1)
            if word[:cut] in lexicon.latin and word[cut:] in lexicon.latin
        }
        if len(joined) == 1:
            return joined.pop()
        index = by_slip()
        near = {t for key in slips(word) | {word} for t in index.get(key, ())}
        near = {t for t in near if one_slip(word, t) or vowel_slip(word, t)}
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


# ---- homophones: a character typed for another of the same sound ----------------------

# Windows of this many characters are tried, longest first (数剧墙 before 数剧).
HOMOPHONE_LENGTHS = (4, 3, 2)
# A window whose characters' readings combine in more ways is left alone.
MAX_READING_COMBINATIONS = 16


def make_homophone_step(
    lexicon: Lexicon, folder: Folder, words_of: Callable[[str], list[str]]
) -> QueryStep:
    """A pinyin input method offers every character of a sound, and a slip picks the
    wrong one: 数剧墙 or 数据强 for 数据墙, 高管换想 for 高管幻想. Such a character is no part
    of any corpus word, so the segmenter leaves it alone; a window around it that reads
    like exactly one corpus word, one character apart (that lone character), is that
    word. Two-character windows only where both are lone. Never a window the
    dictionary knows as a word of its own (退学 is no slip for anything), nor a
    character of a longer one the corpus lacks (伟达 of 英伟达 is no slip for 伟大), nor
    one with a question word's character (在哪 is not 在那)."""
    lists = word_lists()
    asking = {w for w in lists["question_words_zh"] if len(w) == 1}
    grammatical = lists["grammatical_chars_zh"]
    absent = lexicon.absent_words

    def readings(window: str) -> set[str]:
        options = [lexicon.char_readings.get(ch, ()) for ch in window]
        if not all(options) or prod(len(o) for o in options) > MAX_READING_COMBINATIONS:
            return set()
        return {"".join(p) for p in product(*options)}

    def a_word(text: str) -> bool:
        return len(text) == 2 and lexicon.is_word(text)

    def in_absent_word(folded: str, at: int, window: tuple[int, int]) -> bool:
        """Whether the character at ``at`` lies in a dictionary word the corpus never
        uses that reaches past ``window`` (start, end), within its Han run: the
        segmenter knows no such word, so it cut it into lone characters. Not one inside
        the window: a slip often makes a real word (无理 for 物理, 麻生 for 麻省)."""
        words = absent()
        for start in range(max(0, at - LONGEST_WORD + 1), at + 1):
            for end in range(at + 1, min(len(folded), start + LONGEST_WORD) + 1):
                word = folded[start:end]
                outside = start < window[0] or end > window[1]
                if outside and len(word) >= 2 and _HAN_RUNS.fullmatch(word) and word in words:
                    return True
        return False

    def correction(folded: str, at: int, n: int, lone: list[bool]) -> str | None:
        """The corpus word the window of ``n`` characters at ``at`` was meant to be."""
        window = folded[at : at + n]
        if asking & set(window) or window in absent():
            return None
        near = set()
        for reading in readings(window):
            for word in lexicon.pinyin.get(reading, ()):
                if len(word) != len(window) or words_of(word) != [word]:
                    continue
                differ = [i for i, (a, b) in enumerate(zip(word, window, strict=True)) if a != b]
                if len(differ) != 1 or not lone[differ[0]] or window[differ[0]] in grammatical:
                    continue
                # The character makes a word with its neighbour outside the window
                # (贱 of 小贱人 is 贱人's): it was meant, not slipped. So does one inside
                # a dictionary word the corpus lacks (达 of 英伟达 is no slip for 大).
                d = at + differ[0]
                if a_word(folded[d - 1 : d + 1] if differ[0] == 0 else "") or a_word(
                    folded[d : d + 2] if differ[0] == n - 1 else ""
                ):
                    continue
                if in_absent_word(folded, d, (at, at + n)):
                    continue
                near.add(word)
        return near.pop() if len(near) == 1 else None

    def lone_positions(folded: str) -> set[int]:
        """Where the segmenter cuts a Han character as a word of its own."""
        spans = word_spans(folded, words_of)
        return {start for start, _, word in spans if HAN_RE.fullmatch(word)}

    def step(found: Interpretation) -> Interpretation:
        text = typed_text(found)
        folded = fold_chars(text, folder)
        lone = lone_positions(folded)
        fixes = []
        for run in _HAN_RUNS.finditer(folded):
            i = run.start()
            while i < run.end() - 1:
                for n in HOMOPHONE_LENGTHS:
                    alone = [p in lone for p in range(i, i + n)]
                    if i + n > run.end() or not any(alone):
                        continue
                    if n == 2 and not all(alone):
                        continue
                    fixed = correction(folded, i, n, alone)
                    if fixed:
                        fixes.append((i, i + n, text[i : i + n], fixed))
                        i += n - 1
                        break
                i += 1
        return rewrite(found, fixes, Origin.SPELLING) if fixes else found

    return step


_HAN_RUNS = re.compile(f"[{HAN}]+")


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
