"""Normalisation: a pipeline of small, named, pure steps (in the manner of ftfy).

Each step takes text and returns a ``StepResult``: the new text, how many places it
changed and what it found but could not repair. ``run_pipeline`` applies them in order
and keeps the counts, so ingest can report what each step did to each article. Golden
cases for every step live in ``tests/data/repairs.jsonl``.

The display text stays faithful to the source: no step converts script or width.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from bot.ingest.labels import CAPS_COLON, CAPS_PERIOD
from bot.ingest.names import TRANSLIT, trim_transliteration
from bot.ingest.sentences import TITLES
from bot.textfold import HAN, HAN_RE, Folder


@dataclass(frozen=True)
class StepResult:
    text: str
    changes: int = 0
    unresolved: tuple[str, ...] = ()


Step = Callable[[str], StepResult]


@dataclass(frozen=True)
class PipelineResult:
    text: str
    changes: dict[str, int]
    unresolved: tuple[str, ...]


def run_pipeline(text: str, steps: Sequence[tuple[str, Step]]) -> PipelineResult:
    changes: dict[str, int] = {}
    unresolved: list[str] = []
    for name, step in steps:
        result = step(text)
        text = result.text
        if result.changes:
            changes[name] = result.changes
        unresolved.extend(f"{name}: {note}" for note in result.unresolved)
    return PipelineResult(text, changes, tuple(unresolved))


# ---- 1. line endings and invisible characters ------------------------------------------

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def unify_line_endings(text: str) -> StepResult:
    new = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    new = new.replace("\u00a0", " ").replace("\u3000", " ")
    return StepResult(new, int(new != text))


# ---- 1b. page furniture of a PDF's text -----------------------------------------------
#
# Text taken from a PDF keeps its pages: a break (a form feed, or a marker line such as
# "--- Page 3 ---", "Page 3 of 9", "- 3 -", "第3页 共9页") and, beside each break, the
# page's running header or footer ("1/9/91", "Transcript of ..."). Both sit inside
# sentences that run on from one page to the next, so the words after a break read as a
# paragraph nobody said. A running line is told by its repeating, digits aside, beside most breaks.

_PAGE_MARK = (
    r"-{1,3} ?(?:page )?\d+(?: of \d+)? ?-{1,3}|page \d+(?: of \d+)?|\[page \d+\]"
    r"|第 ?\d+ ?[页頁](?:[ ，,/]*共 ?\d+ ?[页頁])?"
)
_PAGE_BREAK = re.compile(f"\f|{_PAGE_MARK}", re.IGNORECASE)
_ANY_MARK = re.compile(f"^[ \t]*(?:{_PAGE_MARK})[ \t]*$", re.IGNORECASE | re.MULTILINE)
_RUNNING_MAX = 60  # characters: a running header or footer is one short line
_RUNNING_SHARE = 0.5  # of the breaks, beside which the same line stands
_RUNNING_LEAST = 3  # breaks, at least, beside which the same line stands
_PAGE_LINES = 10  # written lines a page holds, at the median
_DIGITS = re.compile(r"\d+")
_FORM_FEEDS = re.compile("\n?(?:\f\n?)+")
_CLOSED = re.compile(r"[.!?。！？…:：\"”’)）」』]$")


def drop_page_furniture(text: str) -> StepResult:
    if "\f" not in text and _ANY_MARK.search(text) is None:
        return StepResult(text)
    # A form feed is a break of its own, one for a run of them (a blank page), and adds
    # no blank line the text did not have.
    lines = _FORM_FEEDS.sub("\n\f\n", text).split("\n")
    breaks = [i for i, line in enumerate(lines) if _PAGE_BREAK.fullmatch(line.strip(" \t"))]
    if len(breaks) < 2:
        return StepResult(text)
    drop = set(breaks)
    if _page_lines(lines, breaks) >= _PAGE_LINES:
        drop |= _running_lines(lines, breaks)
    return StepResult("\n".join(_joined_pages(lines, drop)), len(drop))


def _page_lines(lines: list[str], breaks: list[int]) -> int:
    """The median number of written lines between two breaks: a PDF's page holds tens,
    a song's numbered verse ("- 2 -") or an article's numbered section a few."""
    counts = sorted(
        sum(1 for line in lines[a + 1 : b] if line.strip()) for a, b in pairwise(breaks)
    )
    return counts[len(counts) // 2]


def _running_lines(lines: list[str], breaks: list[int]) -> set[int]:
    """The running header or footer lines: the same short line (digits aside) beside at
    least ``_RUNNING_LEAST`` breaks and half of them, and nowhere else ("Q:", "Speaker 2
    0:15", "CHAPTER 2" stand elsewhere too, and are the text's)."""
    found: set[int] = set()
    skip = set(breaks)
    least = max(_RUNNING_LEAST, _RUNNING_SHARE * len(breaks))
    anywhere = Counter(key for line in lines if (key := _running_key(line)))
    for side in (-1, 1):  # the footers before the breaks, the headers after them
        # (the first page's header opens the text, the last page's footer ends it)
        edge = len(lines) if side == -1 else -1
        beside = {
            i for b in [*breaks, edge] if (i := _next_written(lines, b, side, skip)) is not None
        }
        keyed = {i: key for i in beside if (key := _running_key(lines[i]))}
        keys = Counter(keyed.values())
        found |= {i for i, key in keyed.items() if least <= keys[key] == anywhere[key]}
    return found


def _joined_pages(lines: list[str], drop: set[int]) -> list[str]:
    """The lines kept. The blank lines around dropped furniture go only where the page
    before stops mid-sentence and the next goes on in lower case ("As you know, our" ¶
    "--- Page 4 ---" ¶ "interpretation of …"): the pages' lines then meet as wrapped
    lines do. Elsewhere (after a heading, between Han lines) they stay as they were."""
    kept: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].strip(" \t\n") and i not in drop:
            kept.append(lines[i])
            i += 1
            continue
        run = i  # a run of blank lines and furniture, decided once
        while i < len(lines) and (not lines[i].strip(" \t\n") or i in drop):
            i += 1
        joins = (
            any(n in drop for n in range(run, i))
            and bool(kept)
            and i < len(lines)
            and not _CLOSED.search(kept[-1].rstrip())
            and _LOWER_START.match(lines[i].strip()) is not None
        )
        if not joins:
            kept += [line for n, line in enumerate(lines[run:i], run) if n not in drop]
    return kept


def _next_written(lines: list[str], start: int, step: int, skip: set[int]) -> int | None:
    i = start + step
    while 0 <= i < len(lines) and (not lines[i].strip(" \t\n") or i in skip):
        i += step
    return i if 0 <= i < len(lines) else None


def _running_key(line: str) -> str | None:
    line = line.strip()
    return _DIGITS.sub("#", line) if 0 < len(line) <= _RUNNING_MAX else None


# ---- 2. GBK byte-straddle damage ------------------------------------------------------
#
# A pinyin annotator worked on GBK bytes and sometimes matched a false character made
# of the trail byte of one real character and the lead byte of the next (…9E|C4… read
# as 災). It wrote "(zāi)" after that false character, i.e. *inside* the real one, so
# the stream decodes wrongly from there: the lead byte and "(" become one "?", then the
# text is misaligned by a byte until a single-byte character realigns it. To repair:
# find the lead byte whose false character reads as annotated, put it back, drop the
# annotation and decode the misaligned run again.

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_SYLLABLE = f"[a-z{_TONED}]{{1,6}}"
_DAMAGE = re.compile(f"(?P<prev>[{HAN}])\\?(?P<py>{_SYLLABLE})\\)(?P<rest>[^\\n]*)")
# Windows code page 936 has one single-byte extension that Python's gbk codec lacks.
_CP936_EXTRA = {"€": b"\x80"}


def _gbk_bytes(text: str) -> bytes | None:
    try:
        return b"".join(_CP936_EXTRA.get(ch) or ch.encode("gbk") for ch in text)
    except UnicodeEncodeError:
        return None


@lru_cache(maxsize=8192)
def _readings(char: str) -> frozenset[str]:
    """The toned readings of one character. Remembered: the straddle repair asks them of
    every false character a trail byte can make (up to 126 per damage site, the same
    ones at every site of an article) and the annotation step of each annotated
    character, and pypinyin takes tens of microseconds a character (#14)."""
    # Imported here: pypinyin costs 0.2 s to import, and the query side imports this
    # module for its repair steps, so a top-level import would slow every start-up.
    from pypinyin import Style, pinyin

    return frozenset(
        unicodedata.normalize("NFC", r) for r in pinyin(char, style=Style.TONE, heteronym=True)[0]
    )


def load_tables() -> None:
    """Load pypinyin's tables now (see ``Ingestor.preload``)."""
    _readings("中")


def _decode_realigned(data: bytes) -> tuple[str, bool] | None:
    """Decode bytes whose misalignment may end in a second lossy '?' (lead byte + one
    byte lost). Returns (text, lost_one_char) or None when the bytes make no sense."""
    try:
        return data.decode("gbk"), False
    except UnicodeDecodeError as err:
        if data[err.start + 1 : err.start + 2] != b"?":
            return None
        head = data[: err.start]
        tail = data[err.start + 2 :]
        try:
            return head.decode("gbk") + "?" + tail.decode("gbk"), True
        except UnicodeDecodeError:
            return None


def make_gbk_straddle_repair(word_score: Callable[[str], float]) -> Step:
    """``word_score`` rates how plausible a text is as Chinese (higher is better); it
    decides between lead bytes whose false characters share the annotated reading."""

    def repair_gbk_straddles(text: str) -> StepResult:
        out: list[str] = []
        pos = 0
        changes = 0
        notes: list[str] = []
        for m in _DAMAGE.finditer(text):
            if m.start() < pos:
                continue
            prev, reading, rest = m.group("prev"), m.group("py"), m.group("rest")
            # The misaligned run ends before the next damage site on the same line.
            nxt = _DAMAGE.search(rest)
            run = rest[: nxt.start() + 1] if nxt else rest
            context = text[max(0, m.start() - 8) : m.start()]
            fixed = _repair_one(context, prev, reading, run, word_score)
            out.append(text[pos : m.start()])
            if fixed is None:
                notes.append(f"cannot repair '{m.group(0)[:16]}'")
                out.append(m.group(0)[: 2 + len(reading) + 1])
                pos = m.start() + 2 + len(reading) + 1
                continue
            repaired, lost = fixed
            out.append(prev + repaired)
            changes += 1
            if lost:
                where = context[-1:] + prev + repaired.split("?")[0]
                notes.append(f"one character lost after '{where}'")
            pos = m.start("rest") + len(run)
        out.append(text[pos:])
        return StepResult("".join(out), changes, tuple(notes))

    return repair_gbk_straddles


def _repair_one(
    context: str, prev: str, reading: str, run: str, word_score: Callable[[str], float]
) -> tuple[str, bool] | None:
    prev_bytes = _gbk_bytes(prev)
    # Only the part of the run that GBK can encode was decoded wrongly.
    end = len(run)
    for i, ch in enumerate(run):
        if _gbk_bytes(ch) is None:
            end = i
            break
    run_bytes = _gbk_bytes(run[:end])
    if prev_bytes is None or len(prev_bytes) != 2 or run_bytes is None:
        return None
    trail = prev_bytes[-1:]
    candidates: list[tuple[float, str, bool]] = []
    for lead in range(0x81, 0xFF):
        try:
            false_char = (trail + bytes([lead])).decode("gbk")
        except UnicodeDecodeError:
            continue
        if len(false_char) != 1 or reading not in _readings(false_char):
            continue
        decoded = _decode_realigned(bytes([lead]) + run_bytes)
        if decoded is None:
            continue
        candidates.append((word_score(context + prev + decoded[0]), decoded[0], decoded[1]))
    if not candidates:
        return None
    candidates.sort(key=lambda c: -c[0])
    if len(candidates) > 1 and math.isclose(candidates[0][0], candidates[1][0]):
        return None  # two readings fit equally well: report rather than guess
    _, repaired, lost = candidates[0]
    return repaired + run[end:], lost


# ---- 3. pinyin annotations -----------------------------------------------------------

_ANNOTATION = re.compile(f"(?P<han>[{HAN}])[(（](?P<py>{_SYLLABLE})[)）]")


def remove_pinyin_annotations(text: str) -> StepResult:
    """ "數(shù)據(jù)" -> "數據". A parenthesis after a Han character is an annotation when it
    holds one pinyin syllable that is a reading of that character, or carries a tone
    mark; "(agentic)", "(MIT)" and "(Alexandr Wang)" are left alone."""
    count = 0

    def drop(m: re.Match[str]) -> str:
        nonlocal count
        syllable = unicodedata.normalize("NFC", m.group("py"))
        toned = any(c in _TONED for c in syllable)
        # A tone mark is never English; an untoned syllable must be a reading.
        if toned or syllable in _readings(m.group("han")):
            count += 1
            return m.group("han")
        return m.group(0)

    return StepResult(_ANNOTATION.sub(drop, text), count)


# ---- 4. HTML remnants ----------------------------------------------------------------

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>\n]*)?/?>")
# A closing tag whose "<" was eaten by damage upstream ("?/span>").
_ORPHAN_CLOSE = re.compile(r"(?<![\w<])/(?:span|div|p|a|b|i|em|strong|section|font|br)>")
_ENTITY = re.compile(r"&(?:nbsp|amp|lt|gt|quot|apos|#\d{1,6}|#x[0-9a-fA-F]{1,6});")


# A picture's caption is furniture, not text: the element goes with its content.
_CAPTION = re.compile(r"<figcaption\b[^>]*>.*?</figcaption>", re.S | re.I)


def strip_html_remnants(text: str) -> StepResult:
    text, count = _CAPTION.subn("", text)

    def gone(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return ""

    def entity(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return html.unescape(m.group(0))

    new = _TAG.sub(gone, text)
    new = _ORPHAN_CLOSE.sub(gone, new)
    new = _ENTITY.sub(entity, new)
    return StepResult(new, count)


# ---- 5. Markdown marks ---------------------------------------------------------------

# Each rule with the characters at least one of which every match of it holds: a text
# without any is not scanned (most Chinese text has no "_", "#", "![" or "\\").
_MD_RULES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), "", ("![",)),  # images
    # links, also "[2、[title]](url)": keep the label, drop the address
    (re.compile(r"\[((?:[^\[\]\n]|\[[^\]\n]*\])*)\]\(\s*https?://[^)\s]*\)"), r"\1", ("](",)),
    (re.compile(r"^[ \t]*#{1,6}[ \t]*", re.M), "", ("#",)),  # heading marks
    (re.compile(r"^[ \t]*(?:[*_-][ \t]*){3,}$", re.M), "", ("*", "_", "-")),  # horizontal rules
    # list bullets: "- 子曰：…" is the line "子曰：…" (a name must open its clause)
    (re.compile(r"^[ \t]*[-*+][ \t]+(?=\S)", re.M), "", ("-", "*", "+")),
    (re.compile(r"\*{2,}"), "", ("**",)),  # bold, and the empty "******" of broken labels
    # emphasis by _, opened after a space or an opening mark, closed before a space or a
    # closing mark ("“_You’d_ better”", "the _Queen_,"); never inside a word (snake_case)
    (re.compile(r"(?:(?<=[\s“‘\"(\[「『—])|^)_{1,2}(?=\S)", re.M), "", ("_",)),
    (re.compile(r"(?<=\S)_{1,2}(?=[\s”’\"),.;:!?\]」』—]|$)", re.M), "", ("_",)),
    (re.compile(r"\\([-*_#\[\]()>!`])"), r"\1", ("\\",)),  # backslash escapes
)


def strip_markdown(text: str) -> StepResult:
    count = 0
    for pattern, repl, needs in _MD_RULES:
        if any(mark in text for mark in needs):
            text, n = pattern.subn(repl, text)
            count += n
    return StepResult(text, count)


# ---- 5a. illustration marks ----------------------------------------------------------

# Project Gutenberg's mark for a picture of the printed book, with its caption and credit
# ("[Illustration: “He came down to see the place” [_Copyright 1894 by George Allen._]]"),
# over several lines at most: the caption is no one's words and the credit no speaker.
_ILLUSTRATION = re.compile(
    r"[ \t]*\[Illustration(?:[:.][^\[\]]{0,400}(?:\[[^\[\]]{0,200}\][^\[\]]{0,200})*)?\][ \t]*"
)


def drop_illustrations(text: str) -> StepResult:
    if "[Illustration" not in text:
        return StepResult(text)
    new, count = _ILLUSTRATION.subn("", text)
    return StepResult(new, count)


# ---- 5b. Simplified -> Traditional conversion damage ----------------------------------
#
# A converter that maps each Simplified character to one Traditional character, blind to
# the words around it, picks the wrong one wherever a character has several: 体系 ->
# 體係, 那么 -> 那麽, 上面 -> 上麵, 只有 -> 隻有, 制定 -> 製定, 阿里巴巴 -> 阿裏巴巴, 谷歌 ->
# 穀歌. OpenCC converts phrase by phrase, so a round trip (to Simplified and back) puts
# the right character back. Only these known wrong picks are changed, and only in a text
# that shows several of them: elsewhere OpenCC's own preferences (臺/台, 裡/裏, 儘/盡)
# are not this damage, and a text that uses them is left as written.

# The wrong pick -> the character a round trip must give for the change to be made.
S2T_WRONG_PICKS: dict[str, str] = {
    "係": "系", "麽": "麼", "麵": "面", "隻": "只", "製": "制", "裏": "里", "穀": "谷",
    "鬆": "松", "髮": "發", "纔": "才", "誌": "志", "註": "注", "彙": "匯", "衝": "沖",
    "嚮": "向", "幾": "几", "乾": "干", "範": "范", "闆": "板", "鬍": "胡", "醜": "丑",
    "捨": "舍", "鹹": "咸", "僕": "仆", "捲": "卷", "鬥": "斗", "徵": "征", "傢": "家",
    "佈": "布", "夥": "伙", "繫": "系", "週": "周", "託": "托", "摺": "折", "餘": "余",
    "檯": "台", "後": "后", "曆": "歷", "蘋": "苹", "瞭": "了", "迴": "回", "僱": "雇",
}  # fmt: skip
_WRONG_PICK = re.compile(f"[{''.join(S2T_WRONG_PICKS)}]")
# A text is damaged when it shows at least this many wrong picks, of two kinds or more.
S2T_MIN_DAMAGE = 3


def make_s2t_damage_repair(
    to_simplified: Callable[[str], str], to_traditional: Callable[[str], str]
) -> Step:
    """``to_simplified``/``to_traditional``: OpenCC t2s and s2tw (phrase-aware)."""

    def repair_s2t_damage(text: str) -> StepResult:
        fixes: list[tuple[int, str]] = []
        if len(_WRONG_PICK.findall(text)) < S2T_MIN_DAMAGE:
            return StepResult(text)
        # One conversion each way for the whole text; lines whose length changed
        # (a rare one-to-two mapping) are left as they are.
        starts, suspects = [], []
        start = 0
        for line in text.split("\n"):
            if _WRONG_PICK.search(line):
                starts.append(start)
                suspects.append(line)
            start += len(line) + 1
        again_lines = to_traditional(to_simplified("\n".join(suspects))).split("\n")
        if len(again_lines) != len(suspects):
            return StepResult(text)
        for start, line, again in zip(starts, suspects, again_lines, strict=True):
            if len(again) == len(line) and again != line:
                # Only a wrong pick can be fixed: its positions, not every character.
                for pick in _WRONG_PICK.finditer(line):
                    i = pick.start()
                    if S2T_WRONG_PICKS[pick.group()] == again[i]:
                        fixes.append((start + i, again[i]))
        kinds = {text[i] for i, _ in fixes}
        if len(fixes) < S2T_MIN_DAMAGE or len(kinds) < 2:
            return StepResult(text)
        chars = list(text)
        for i, now in fixes:
            chars[i] = now
        return StepResult("".join(chars), len(fixes))

    return repair_s2t_damage


# ---- 6. boilerplate lines ------------------------------------------------------------


@dataclass(frozen=True)
class BoilerplateRules:
    """Patterns match the *folded* line (Simplified, NFKC, lower case), so one
    pattern covers both scripts. A tail marker in the last part of a document drops
    everything from it to the end (link lists, adverts, contact blocks)."""

    lines: tuple[re.Pattern[str], ...]
    tail_markers: tuple[re.Pattern[str], ...]
    tail_fraction: float = 0.4


def make_drop_boilerplate(rules: BoilerplateRules, folder: Folder) -> Step:
    """The step runs twice per article (before and after wrapped lines are joined), and
    nearly every line reaches the second pass unchanged. A line's folded key and its
    verdicts depend on the line alone, so they are kept from one call to the next (the
    last call's lines only): the second pass folds and matches just the joined lines."""
    last: dict[str, _LineVerdict] = {}

    def drop_boilerplate(text: str) -> StepResult:
        nonlocal last
        lines = text.split("\n")
        known = _line_verdicts(lines, last, rules, folder)
        last = known
        content_lines = [i for i, line in enumerate(lines) if line.strip()]
        cut = len(lines)
        if content_lines:
            threshold = content_lines[int(len(content_lines) * (1 - rules.tail_fraction))]
            for i in content_lines:
                if i >= threshold and known[lines[i]].tail_marker(rules):
                    cut = i
                    break
        kept: list[str] = []
        dropped = sum(1 for i in content_lines if i >= cut)
        for line in lines[:cut]:
            if line.strip() and known[line].boilerplate(rules):
                dropped += 1
                continue
            kept.append(line)
        return StepResult("\n".join(kept), dropped)

    return drop_boilerplate


class _LineVerdict:
    """One line's folded key (stripped) and, once asked, whether it is boilerplate and
    whether it is a tail marker."""

    __slots__ = ("_boilerplate", "_tail", "key")

    def __init__(self, key: str) -> None:
        self.key = key
        self._boilerplate: bool | None = None
        self._tail: bool | None = None

    def boilerplate(self, rules: BoilerplateRules) -> bool:
        if self._boilerplate is None:
            self._boilerplate = _matches(self.key, rules.lines)
        return self._boilerplate

    def tail_marker(self, rules: BoilerplateRules) -> bool:
        if self._tail is None:
            self._tail = _matches(self.key, rules.tail_markers)
        return self._tail


def _line_verdicts(
    lines: list[str], last: dict[str, _LineVerdict], rules: BoilerplateRules, folder: Folder
) -> dict[str, _LineVerdict]:
    """Each distinct line's verdict: the last call's where it had the line, the others
    folded in one conversion (``fold_lines`` gives each line its own fold)."""
    known = {line: last[line] for line in lines if line in last}
    new = [line for line in dict.fromkeys(lines) if line not in known]
    if new:
        for line, key in zip(new, folder.fold_lines("\n".join(new)), strict=True):
            known[line] = _LineVerdict(key.strip())
    return known


def _matches(folded: str, patterns: Sequence[re.Pattern[str]]) -> bool:
    return any(p.search(folded) for p in patterns)


# ---- 7. lost middle dots in transliterated names -------------------------------------

# Both open where a Han run does: a match could start later in the run only where one
# starting with the run matched already, and trying every start of a long run, each
# scanning to its end, made this step quadratic in the run's length (#14).
_PAIR = re.compile(
    f"(?<![{HAN}])(?P<zh>[{HAN}]+(?:\\?[{HAN}]+)+)"
    f"[(（](?P<en>[A-Z][\\w'.-]*(?: [A-Z][\\w'.-]*)+)[)）]"
)
_LOOSE = re.compile(f"(?<![{HAN}])(?P<left>[{HAN}]{{2,}})\\?(?P<right>[{HAN}]{{2,}})")


def restore_name_dots(text: str) -> StepResult:
    """ "马克?扎克伯格(Mark Zuckerberg)" -> "马克·扎克伯格(...)", then every other
    "马克?扎克伯格" in the text; and "?" between two runs of transliteration characters."""
    names: dict[str, str] = {}
    for m in _PAIR.finditer(text):
        zh, en = m.group("zh"), m.group("en")
        parts = zh.split("?")
        if len(parts) - 1 != en.count(" "):
            continue
        # The Han run may start before the name ("…兼CEO" is not Han, "的伊利亚" is).
        head = trim_transliteration(parts[0])
        names["?".join([head, *parts[1:]])] = "·".join([head, *parts[1:]])
    count = 0
    for damaged in sorted(names, key=len, reverse=True):
        count += text.count(damaged)
        text = text.replace(damaged, names[damaged])

    def loose(m: re.Match[str]) -> str:
        nonlocal count
        left, right = m.group("left"), m.group("right")
        if (
            left[-2:]
            and all(c in TRANSLIT for c in left[-2:])
            and all(c in TRANSLIT for c in right[:2])
        ):
            count += 1
            return f"{left}·{right}"
        return m.group(0)

    text = _LOOSE.sub(loose, text)
    return StepResult(text, count)


# ---- 8. hard-wrapped lines -----------------------------------------------------------

_CONTINUATION_START = re.compile(r"^[,，、;；.。:：!！?？)）」』”]")
# A new "Name：" line after a complete sentence starts a new turn, never a wrapped line.
_LABEL_START = re.compile(r"^[^\s：:，,。]{1,20}[：:]")
_COMPLETE = re.compile(r"[。！？!?.」”\"]$")
# A press transcript's question or answer letter, set off by two spaces or a full stop:
# "Q    And on…", "Q. Sir, …" (not "A spokesman said", one space).
_QA_START = re.compile(r"^(?:Q|A|問|问|答)(?:\.\s|\s{2,}|\u3000)")
# The labels that open a turn on a line of their own: "Name：", a label in capitals that
# may hold spaces ("MS. JEAN-PIERRE:  It's a good question"), the record's "MR. BOEHNE.",
# and a reporter's "Q" ("Q    And on the strike…", "Q. Sir, …").
_TURN_LABELS = (_LABEL_START, CAPS_COLON, CAPS_PERIOD, _QA_START)
_LATIN_START = re.compile(r"^[(\[\"'“‘]*[A-Za-z0-9&+]")
_LOWER_START = re.compile(r"^[(\[\"'“‘]*[a-z]")
_LATIN_CLOSING = "%.,;:!?'\"&+)]’”-"


def _latin_end(text: str) -> bool:
    """``text`` ends in Latin: a letter or digit, with its closing punctuation ("now.",
    "Doe.”", "50%"); "嗎?" is Han with a question mark, and "嗎? AI" would be a space too
    many. Read from the end (a regular expression searched from every position of a long
    Han line, #14)."""
    last = text.rstrip().rstrip(_LATIN_CLOSING)[-1:]
    return last.isascii() and last.isalnum()


# An English line cut at a wrap width (most wrap at 70-80 characters) in the middle of a
# sentence: in a document without blank lines between paragraphs it still goes on.
_WRAP_WIDTH = 60


# A title written with a full stop ends no sentence: "…, Mr." ¶ "Hawkins,” said he".
_WRITTEN_TITLES = [form for t in TITLES for form in (t.capitalize(), t.upper())]
_TITLE_AT_END = re.compile(rf"\b(?:{'|'.join(_WRITTEN_TITLES)})\.$")


def _wrapped_english(line: str, following: str, wrap: Wrap) -> bool:
    """``line`` was hard-wrapped before ``following``: a long Latin line that stops
    mid-sentence (no closing punctuation), then more Latin text. How long is long is
    the document's (see ``Wrap``)."""
    line = line.rstrip()
    long = len(line) >= wrap.width or (
        wrap.lower_from is not None
        and len(line) >= wrap.lower_from
        and _LOWER_START.match(following.strip()) is not None
        and _LABEL_START.match(following.strip()) is None  # ("bob: yes, …": a chat's turn)
    )
    return (
        long
        and _latin_end(line)
        and (not _COMPLETE.search(line) or _TITLE_AT_END.search(line) is not None)
        and not line.endswith(":")
        and _LATIN_START.match(following.strip()) is not None
    )


# A document wrapped narrower than most (a PDF's text at 55-70 columns) is read at its
# own margin: from the longer lines of its running Latin text (this quantile of their
# lengths), where there are enough of them and the margin is a prose one.
_MARGIN_QUANTILE = 0.9
_MARGIN_LINES = 20
_NARROWEST_MARGIN = 50
_OWN_WRAP_SHARE = 0.8  # of the margin: a line this long was wrapped at it
_PROSE_SHARE = 0.15  # of the running lines, those holding a sentence's end and the next
_SENTENCE_INSIDE = re.compile(r"[a-z][.?!][\"”’]? [A-Z]")
# A line half the margin long that stops mid-sentence before a word in lower case was
# wrapped too: a PDF's proportional type wraps a line of capitals early ("CHAIRMAN
# GREENSPAN. Good morning, everyone. This is an" ¶ "update on actions …").
_LOWER_NEXT_SHARE = 0.5


@dataclass(frozen=True)
class Wrap:
    """How long a Latin line is when it was wrapped at the document's margin: from
    ``width``, or from ``lower_from`` before a word in lower case (a document whose
    own margin was read)."""

    width: int = _WRAP_WIDTH
    lower_from: int | None = None


def _wrap_of(lines: list[str]) -> Wrap:
    """The document's ``Wrap``: ``_WRAP_WIDTH``, or narrower where its own margin is
    (a line of the FOMC record, wrapped at 55-70 columns, stayed a paragraph)."""
    running = [
        line.rstrip()
        for line, nxt in pairwise(lines)
        if line.strip() and nxt.strip() and _latin_end(line)
    ]
    if len(running) < _MARGIN_LINES:
        return Wrap()
    lengths = sorted(map(len, running))
    margin = lengths[int(_MARGIN_QUANTILE * (len(lengths) - 1))]
    # Prose wrapped at a margin runs its sentences across lines, so many lines hold a
    # sentence's end and the next one's start (a third of the FOMC record's, of Treasure
    # Island's); headlines, a list, verse and a chat log hold none.
    prose = sum(1 for line in running if _SENTENCE_INSIDE.search(line)) / len(running)
    if margin < _NARROWEST_MARGIN or prose < _PROSE_SHARE:
        return Wrap()
    width = min(_WRAP_WIDTH, round(_OWN_WRAP_SHARE * margin))
    return Wrap(width, round(_LOWER_NEXT_SHARE * margin))


_FEW_BLANK = 0.05  # of the written lines, the blank lines of a hard-wrapped document
_WRAPPED_SHARE = 0.7


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether the document's lines run on into the next at a wrap width: most lines
    followed by another are long Latin lines (Chinese paragraphs, one a line, vary)."""
    inner = [line.rstrip() for line, nxt in pairwise(lines) if line.strip() and nxt.strip()]
    long = sum(1 for line in inner if len(line) >= _WRAP_WIDTH and _latin_end(line))
    return bool(inner) and long >= _WRAPPED_SHARE * len(inner)


# A document that ends this share of its lines with a blank line writes each paragraph
# on one line: it is not hard-wrapped.
_UNWRAPPED_SHARE = 0.8
_ENDS_IN_A_WORD = re.compile(r"[A-Za-z0-9]$")
_TITLE_WORDS = 3


def _unwrapped(lines: list[str]) -> bool:
    """Whether the document writes its paragraphs on one line each (most lines are
    followed by a blank one), so a line break inside a block is no wrap."""
    written = [n for n, line in enumerate(lines) if line.strip()]
    alone = sum(1 for n in written if n + 1 == len(lines) or not lines[n + 1].strip())
    return bool(written) and alone >= _UNWRAPPED_SHARE * len(written)


_INDENT = re.compile("(?:[ \t]{2,}|\u3000)(?=\\S)")
_INDENTED_LEAST, _INDENTED_MOST = 0.1, 0.8  # of a document's written lines


def _indents_paragraphs(lines: list[str]) -> bool:
    """A document with no blank lines whose paragraphs open with an indent (spaces or
    an ideographic space) and go on in lines without one: a hard-wrapped e-text."""
    written = [line for line in lines if line.strip()]
    opening = sum(1 for line in written if _INDENT.match(line))
    return opening >= 3 and _INDENTED_LEAST * len(written) <= opening <= _INDENTED_MOST * len(
        written
    )


def _line_of_its_own(line: str) -> bool:
    """In a document that is not hard-wrapped, an English line of some words with no
    closing punctuation above another: a title, a byline or a caption ("…Look at Solar
    Flares" over " The High-Resolution Coronal Imager, or Hi-C, launches…"). Not a
    Chinese line that a copy broke inside a name ("…2022年，Alexandr" ¶ "Wang成为")."""
    line = line.rstrip()
    return (
        _ENDS_IN_A_WORD.search(line) is not None
        and HAN_RE.search(line) is None
        and len(line.split()) >= _TITLE_WORDS
    )


def join_text(left: str, right: str) -> str:
    """Two pieces of one text joined: Han meets Han with no space, Latin meets Latin
    with one (wrapped lines here; sentences regrouped into turns and passages)."""
    left, right = left.rstrip(), right.lstrip()
    if not left:
        return right
    if not right:
        return left
    space = " " if _latin_end(left) and _LATIN_START.match(right) else ""
    return left + space + right


def rejoin_wrapped_lines(text: str) -> StepResult:
    """Paragraphs end at blank lines when the document uses them; then single line
    breaks are hard wraps. Without blank lines every line is a paragraph, except one
    that starts with continuing punctuation or follows a long English line cut
    mid-sentence (a one-paragraph statement wrapped at 70 columns). Han meets Han with
    no space, Latin meets Latin with one ("JP\\nMorgan" -> "JP Morgan")."""
    lines = text.strip("\n").split("\n")
    blank = sum(1 for line in lines if not line.strip())
    written = len(lines) - blank
    # (a hard-wrapped novel with long paragraphs has few blank lines, yet they are its
    # only paragraph breaks: Treasure Island as Project Gutenberg has it, 54 in 282 lines)
    uses_blank_lines = blank >= 0.25 * max(1, written) or (
        blank >= _FEW_BLANK * written and _hard_wrapped(lines)
    )
    unwrapped = uses_blank_lines and _unwrapped(lines)
    indented = not uses_blank_lines and _indents_paragraphs(lines)
    wrap: Wrap | None = None  # read at the first Latin line that may be wrapped

    def wrapped(line: str, following: str) -> bool:
        nonlocal wrap
        if not _latin_end(line):
            return False
        wrap = wrap or _wrap_of(lines)
        return _wrapped_english(line, following, wrap)

    paragraphs: list[str] = []
    joins = 0
    current: str | None = None
    current_line = ""  # the last line of ``current``, to see whether it was wrapped
    for line in lines:
        if not line.strip():
            if current is not None:
                paragraphs.append(current)
            current = None
            continue
        if current is None:
            if paragraphs and _CONTINUATION_START.match(line.strip()) and not uses_blank_lines:
                paragraphs[-1] = join_text(paragraphs[-1], line)
                joins += 1
            else:
                current = current_line = line.strip()
            continue
        head = line.strip()
        starts_turn = any(shape.match(head) for shape in _TURN_LABELS) and _COMPLETE.search(
            current.rstrip()  # (a markdown line break's spaces)
        )
        own_line = unwrapped and _line_of_its_own(current_line)
        # Paragraphs that open with an indent, and nothing else marks them: a line with
        # none goes on with the paragraph ("    “不上城，”…所以" ¶ "倒也看不出…").
        joined = indented and not _INDENT.match(line)
        if (
            joined
            or (uses_blank_lines and not starts_turn and not own_line)
            or _CONTINUATION_START.match(line.strip())
            or (wrapped(current_line, line) and not own_line)
        ):
            current = join_text(current, line)
            current_line = line.strip()
            joins += 1
        else:
            paragraphs.append(current)
            current = current_line = line.strip()
    if current is not None:
        paragraphs.append(current)
    return StepResult("\n".join(paragraphs), joins)


# ---- 9. whitespace -------------------------------------------------------------------


def tidy_whitespace(text: str) -> StepResult:
    new = "\n".join(re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.split("\n"))
    new = re.sub(r"\n{2,}", "\n", new).strip()
    return StepResult(new, int(new != text.strip()))


# ---- the registry ----------------------------------------------------------------------


def default_steps(
    word_score: Callable[[str], float], boilerplate: BoilerplateRules, folder: Folder
) -> tuple[tuple[str, Step], ...]:
    """The named steps in the order ingest runs them (ftfy's ``FIXERS``, in order).
    ``word_score`` rates Han text as Chinese (see ``make_gbk_straddle_repair``)."""
    drop = make_drop_boilerplate(boilerplate, folder)
    # The folder's own t2s and s2tw converters (the same configs): loading a second
    # pair cost every ingest worker their tables' load time and memory again (#14).
    s2t = make_s2t_damage_repair(folder.to_simplified, folder.to_traditional)
    return (
        ("line_endings", unify_line_endings),
        ("page_furniture", drop_page_furniture),
        ("gbk_straddles", make_gbk_straddle_repair(word_score)),
        ("pinyin_annotations", remove_pinyin_annotations),
        ("html_remnants", strip_html_remnants),
        ("markdown", strip_markdown),
        ("illustrations", drop_illustrations),
        ("s2t_conversion", s2t),
        ("boilerplate_lines", drop),
        ("name_dots", restore_name_dots),
        ("wrapped_lines", rejoin_wrapped_lines),
        # Some boilerplate is only recognisable once its wrapped halves are joined.
        ("boilerplate_paragraphs", drop),
        ("whitespace", tidy_whitespace),
    )
