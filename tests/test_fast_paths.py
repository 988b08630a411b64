"""Fast paths give exactly what the plain code gave (#14): each is checked against its
plain version, kept here as the reference, on the bundled corpus and the test texts.

- ``Folder.fold_lines``: the whole text folded once, then split, is each line's fold;
- ``Folder.script_of``: differing characters counted in C; the characters s2tw changes
  everywhere and somewhere counted from OpenCC's tables, which settles most texts
  without converting them; a long text converted to Traditional only as far as its
  verdict needs;
- ``store.dumps``: an article's records through the C JSON encoder;
- the boilerplate step: its second pass reuses the first pass's verdicts per line;
- ``dates.find_dated``: the cheap scan for a date's characters misses no date, and
  trying the date pattern only where a date can begin finds what its own scan finds;
- ``textfold.nfkc``: compatibility characters decomposed first, then NFKC;
- the sentence splitter jumps between the characters it acts on; the Markdown rules
  are skipped where a text lacks their characters; control characters are counted by
  a regex scan;
- the query lexicon: readings per pypinyin word, substrings tried only while they begin
  a dictionary word, counts in C;
- the speaker finder's name pattern: the article's names compiled apart from the English
  forms no article changes;
- the ingest tagger's word -> tag table copied from ``jieba.posseg``'s own."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

import opencc
import pytest

from bot import s2tw_chars, textfold
from bot.config import Settings
from bot.ingest import dates, decode, repairs, store
from bot.ingest import sentences as sentences_module
from bot.ingest.pipeline import Ingestor
from bot.ingest.speakers import build_table
from bot.ingest.speakers import finder as finder_module
from bot.ingest.speakers.finder import PersonFinder
from bot.ingest.store import article_to_dict, load_articles
from bot.query import lexicon
from bot.search.tokenize import Tokenizer
from bot.textfold import HAN_RE, Folder, Script
from tests import opencc_tables
from tests.conftest import DATA

_SAMPLES = [
    "第一行　全角ＡＢＣ 50,000 美元\n\n  第二行\t\tTabs  and  Σ\n軟體與數據\r\n最後,123,456",
    "ΟΔΟΣ\nfinal Σ\n\u2028分隔\u3000符\n",
    "\n",
    "",
]


def _texts(settings: Settings) -> list[str]:
    raw = sorted(settings.corpus.raw_dir.iterdir())
    data = sorted(p for p in DATA.rglob("*") if p.suffix in (".txt", ".md"))
    return [p.read_text(encoding="utf-8") for p in (*raw, *data)] + _SAMPLES


def test_fold_lines_is_each_lines_fold(settings: Settings, folder: Folder) -> None:
    for text in _texts(settings):
        assert folder.fold_lines(text) == [folder.fold(line) for line in text.split("\n")]


def _plain_script_of(folder: Folder, text: str) -> Script:
    han = "".join(HAN_RE.findall(text))
    if not han:
        return Script.NONE
    simplified, traditional = folder.to_simplified(han), folder.to_traditional(han)
    trad_only = sum(1 for a, b in zip(han, simplified, strict=False) if a != b)
    simp_only = sum(1 for a, b in zip(han, traditional, strict=False) if a != b)
    if trad_only == simp_only == 0:
        return Script.NONE
    return Script.TRADITIONAL if trad_only > simp_only else Script.SIMPLIFIED


def test_script_of_counts_as_the_plain_loop(settings: Settings, folder: Folder) -> None:
    texts = _texts(settings)
    paragraphs = [p for t in texts for p in t.split("\n")]
    for text in texts + paragraphs:
        assert folder.script_of(text) == _plain_script_of(folder, text), text[:40]


def test_script_of_converts_a_prefix_only_when_the_whole_agrees(
    settings: Settings, folder: Folder
) -> None:
    """Long texts are converted to Traditional only as far as needed: whole articles
    one after another in every script order, a Simplified text whose characters stay by
    phrase (皇后 in s2tw, a first prefix showing none), and one whose traditional tail
    outweighs what its first prefix shows (the second, longer prefix)."""
    raw = [p.read_text(encoding="utf-8") for p in sorted(settings.corpus.raw_dir.iterdir())]
    by_script: dict[Script, list[str]] = defaultdict(list)
    for text in raw:
        by_script[_plain_script_of(folder, text)].append(text)
    simplified, traditional = by_script[Script.SIMPLIFIED], by_script[Script.TRADITIONAL]
    assert simplified and traditional
    texts = [
        *(s + t for s in simplified for t in traditional),
        *(t + s for s in simplified for t in traditional),
        "".join(simplified) + "".join(traditional) * 3,
        "皇后" * 1600,
        "皇后" * 1600 + "这个国家" * 300,
        "乾燥" * 1600,
        simplified[0][:1500] + "".join(traditional),
        "皇后" * 600 + "".join(simplified) + traditional[0],
    ]
    for text in texts:
        assert len(HAN_RE.findall(text)) >= 2048
        assert folder.script_of(text) == _plain_script_of(folder, text), text[:40]


def _s2tw_tables_or_skip() -> None:
    """Another OpenCC than the tables': ``script_of`` converts every text, as before
    the tables (slower, never wrong), until ``python -m tests.opencc_tables`` is run."""
    if opencc.__version__ != s2tw_chars.OPENCC_VERSION:
        assert textfold._s2tw_bounds("中文") is None
        pytest.skip(f"OpenCC {opencc.__version__}, tables of {s2tw_chars.OPENCC_VERSION}")


def test_s2tw_tables_are_the_installed_openccs() -> None:
    """``bot/s2tw_chars.py`` is what ``python -m tests.opencc_tables`` writes from the
    installed OpenCC."""
    _s2tw_tables_or_skip()
    assert opencc_tables.TARGET.read_text(encoding="utf-8") == opencc_tables.render()


def test_s2tw_bounds_hold_and_settle_real_texts(settings: Settings, folder: Folder) -> None:
    """The counts bound what s2tw changes, in context, on every text and paragraph
    (phrases that keep a character: 皇后, 公里; that change one: 一只); real articles
    are settled by them."""
    _s2tw_tables_or_skip()
    texts = _texts(settings)
    paragraphs = [p for t in texts for p in t.split("\n")]
    odd = ["皇后" * 300, "三公里的路", "一只猫和一只狗", "乾燥的天气", "若干年后他干了", "頭髮"]
    settled = 0
    for text in texts + paragraphs + odd:
        han = "".join(HAN_RE.findall(text))
        traditional = folder.to_traditional(han)
        assert len(traditional) == len(han)
        changed = sum(1 for a, b in zip(han, traditional, strict=True) if a != b)
        bounds = textfold._s2tw_bounds(han)
        assert bounds is not None
        assert bounds[0] <= changed <= bounds[1], text[:40]
        if text in texts and len(han) > 500:
            trad_only = sum(
                1 for a, b in zip(han, folder.to_simplified(han), strict=False) if a != b
            )
            settled += bounds[0] >= max(trad_only, 1) or bounds[1] < trad_only
    assert settled > 20
    for text in odd:
        assert folder.script_of(text) == _plain_script_of(folder, text), text


def test_s2tw_bounds_count_alike_through_sets_and_numpy(settings: Settings) -> None:
    """Short texts are counted through sets (no numpy, no s2tw to load at start-up), long
    ones through numpy: the same counts, a text repeated across the threshold scaling them."""
    _s2tw_tables_or_skip()
    for text in _texts(settings)[:20]:
        han = "".join(HAN_RE.findall(text))[: textfold.SCRIPT_COUNTS_FROM - 1]
        if not han:
            continue
        short = textfold._s2tw_bounds(han)
        times = textfold.SCRIPT_COUNTS_FROM // len(han) + 1
        long = textfold._s2tw_bounds(han * times)
        assert short is not None and long is not None
        assert long == (short[0] * times, short[1] * times), text[:40]


def test_articles_are_written_as_the_standard_encoder_writes_them(settings: Settings) -> None:
    """``store.dumps`` encodes the records through the C encoder: byte for byte what
    ``json.dumps(..., indent=1, sort_keys=True)`` gives, for every bundled article and
    for values an article could hold."""
    for article in load_articles(settings.corpus.articles_dir):
        plain = json.dumps(article_to_dict(article), ensure_ascii=False, indent=1, sort_keys=True)
        assert store.dumps(article) == plain + "\n", article.id
    odd = {
        "a": [],
        "b": {},
        "c": [1.5, float("nan"), float("inf"), -0.0, 1e100, True, None, 'x"\u2028\n\t}\n{'],
        "d": {"z": {"y": [[], {}]}},
        "e": store._Records([{"k": "}\n{", "n": None, "f": 0.25}, {"k": "{", "b": False}]),
        "f": store._Records([]),
        "g": store._Records([{"x": 1}, {}]),
    }
    out: list[str] = []
    store._emit(odd, "\n", out)
    assert "".join(out) == json.dumps(odd, ensure_ascii=False, indent=1, sort_keys=True)


def _plain_drop_boilerplate(rules: repairs.BoilerplateRules, folder: Folder, text: str) -> str:
    """The step as it was: the whole text folded, every line matched, on every call."""
    lines = text.split("\n")
    folded = [folder.fold(line) for line in lines]
    content = [i for i, line in enumerate(lines) if line.strip()]
    cut = len(lines)
    if content:
        threshold = content[int(len(content) * (1 - rules.tail_fraction))]
        for i in content:
            if i >= threshold and any(p.search(folded[i].strip()) for p in rules.tail_markers):
                cut = i
                break
    return "\n".join(
        line
        for line, key in zip(lines[:cut], folded[:cut], strict=True)
        if not (line.strip() and any(p.search(key.strip()) for p in rules.lines))
    )


def test_boilerplate_passes_drop_what_the_plain_step_drops(
    settings: Settings, folder: Folder, ingestor: Ingestor
) -> None:
    rules = repairs.BoilerplateRules(
        lines=tuple(re.compile(p) for p in settings.corpus.boilerplate_lines),
        tail_markers=tuple(re.compile(p) for p in settings.corpus.boilerplate_tail_markers),
    )
    steps = repairs.default_steps(ingestor.word_score, rules, folder)
    dropped = 0
    for text in _texts(settings):
        for name, step in steps:
            result = step(text)
            if name.startswith("boilerplate"):
                assert result.text == _plain_drop_boilerplate(rules, folder, text), name
                dropped += result.changes
            text = result.text
    assert dropped > 10


def test_every_date_holds_a_hint_character(settings: Settings) -> None:
    texts = [
        *_texts(settings),
        "今年1月20日", "同年11月", "第二天", "上周", "周二", "星期三", "禮拜天", "日前",
        "上个月", "March 2024", "on May 10th", "in 2016", "2025/6/12", "２０２５年",
    ]  # fmt: skip
    found = 0
    for text in texts:
        for m in dates._DATE.finditer(text):
            assert dates._DATE_HINT.search(m.group(0)), m.group(0)
            found += 1
    assert found > 50


def test_dates_are_tried_where_the_full_scan_finds_them(settings: Settings) -> None:
    texts = [
        *(line for text in _texts(settings) for line in text.split("\n")),
        "今年1月20日", "同年11月", "第二天", "上周5月16日", "周二", "星期三", "禮拜天", "日前",
        "上个月", "XMarch 2024", "on May 10th", "in 2016", "2025/6/12", "２０２５年", "十二月五日",
        "in mid-June", "January 5th and 6th of 2020", "ſince 2016", "this WEEK", "12 31",
    ]  # fmt: skip
    found = 0
    for text in texts:
        plain = [(m.span(), m.lastgroup) for m in dates._DATE.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in dates._date_matches(text)] == plain, text
        found += len(plain)
    assert found > 50


def test_nfkc_is_unicodedatas(settings: Settings) -> None:
    texts = [*_texts(settings), *textfold._COMPAT, "ｶﾞ", "e\u0301ﾞ", "¨\u0301", "①½"]
    for text in texts:
        assert textfold.nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)


def _plain_split_sentences(text: str) -> tuple[str, ...]:
    """The splitter as it stepped through every character, for reference."""
    sentences: list[str] = []
    stack: list[str] = []
    opened_at = start = i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if stack and ch == stack[-1]:
            stack.pop()
        elif ch in sentences_module._OPEN and not (ch == '"' and stack and stack[-1] == '"'):
            if not stack:
                opened_at = i
            stack.append(sentences_module._OPEN[ch])
        elif not stack and (
            ch in sentences_module._ENDS or (ch == "." and sentences_module._english_end(text, i))
        ):
            j = i + 1
            while j < n and (
                text[j] in sentences_module._ENDS or text[j] in sentences_module._CLOSERS
            ):
                j += 1
            sentences.append(text[start:j])
            start = i = j
            continue
        if stack and i - opened_at > 400:
            stack.clear()
        i += 1
    if start < n:
        sentences.append(text[start:])
    return tuple(s for s in (x.strip() for x in sentences) if s)


def test_sentences_split_as_the_character_loop_split_them(settings: Settings) -> None:
    lines = [line for text in _texts(settings) for line in text.split("\n")]
    # Quotations left open past the 400 characters they are honoured for.
    lines += ["“" + "很长的话，" * 90 + "。还有。", "他说：“" + "x" * 398 + "。”好。", '"a. B."c。']
    for line in lines:
        assert sentences_module._split_sentences(line) == _plain_split_sentences(line), line


def test_markdown_rules_skipped_only_where_they_cannot_match(settings: Settings) -> None:
    for text in _texts(settings):
        plain, count = text, 0
        for pattern, repl, _needs in repairs._MD_RULES:
            plain, n = pattern.subn(repl, plain)
            count += n
        assert repairs.strip_markdown(text) == repairs.StepResult(plain, count)


def test_control_characters_counted_as_translate_counted_them(settings: Settings) -> None:
    deleted = dict.fromkeys(c for c in range(32) if chr(c) not in "\n\r\t\f")
    for text in [*_texts(settings), "\x00\x01a\x0b\x0c\x0e\t\n\r\x1f\x7f", "\x00" * 9]:
        controls = len(text) - len(text.translate(deleted))
        assert decode._control_ratio(text) == controls / max(1, len(text))


@pytest.fixture(scope="module")
def folded(settings: Settings, folder: Folder) -> list[str]:
    articles = load_articles(settings.corpus.articles_dir)
    texts = [p.text for a in articles for p in a.passages] + [a.title.value or "" for a in articles]
    return [folder.fold(t) for t in texts]


def _plain_substrings(text: str, max_len: int) -> Iterator[str]:
    for run in lexicon._HAN_RUN.findall(text):
        for i in range(len(run)):
            for j in range(i + 1, min(len(run), i + max_len) + 1):
                yield run[i:j]


def _plain_document_frequencies(folded: list[str], words: Iterable[str]) -> Counter[str]:
    known = set(words)
    df: Counter[str] = Counter()
    for text in folded:
        df.update({s for s in _plain_substrings(text, lexicon.MAX_HEADWORD) if s in known})
    return df


def _plain_pinyin_map(folded: list[str], words: set[str]) -> dict[str, list[str]]:
    from pypinyin import Style, lazy_pinyin

    counts: Counter[str] = Counter()
    readings: dict[str, str] = {}
    for text in folded:
        for run in lexicon._HAN_RUN.findall(text):
            syll = lazy_pinyin(run, style=Style.NORMAL, v_to_u=False, neutral_tone_with_five=False)
            if len(syll) != len(run):
                continue
            for i in range(len(run)):
                for n in lexicon.PINYIN_LENGTHS:
                    if i + n > len(run):
                        break
                    s = run[i : i + n]
                    counts[s] += 1
                    readings.setdefault(s, "".join(syll[i : i + n]))
    by_reading: dict[str, Counter[str]] = defaultdict(Counter)
    for s, n in counts.items():
        if n >= lexicon.PINYIN_MIN_COUNT or s in words:
            by_reading[readings[s]][s] = n
    return {
        r: sorted(c, key=lambda s: (s not in words, -c[s], s))[: lexicon.PINYIN_PER_READING]
        for r, c in by_reading.items()
    }


def test_document_frequencies_equal_the_plain_substring_pass(
    folded: list[str], folder: Folder
) -> None:
    entries, _ = lexicon._read_cedict(folder)
    words = {e.word for e in entries}
    fast = lexicon._document_frequencies(folded, words)
    assert fast == _plain_document_frequencies(folded, words)
    assert len(fast) > 3000


def test_pinyin_map_equals_lazy_pinyin_run_by_run(folded: list[str], folder: Folder) -> None:
    words = {
        w
        for text in folded
        for w in Tokenizer(folder).words(text)
        if re.fullmatch(r"[\u4e00-\u9fff]+", w)
    }
    fast = lexicon._pinyin_map(folded, words)
    assert fast == _plain_pinyin_map(folded, words)
    # Heteronyms read as in their context, as lazy_pinyin reads the whole run.
    assert "shuju" in fast and "数据" in fast["shuju"]


def test_a_word_reads_as_lazy_pinyin_reads_its_run() -> None:
    from pypinyin import Style, lazy_pinyin

    read = lexicon._han_words_reader()
    for run in ("长江长大了", "重庆重要的重量", "行长在银行行走", "了解了", "𠀀中文"):
        plain = lazy_pinyin(run, style=Style.NORMAL, v_to_u=False, neutral_tone_with_five=False)
        assert read(run) == plain
        assert read(run) == plain  # from the cache


def test_name_pattern_matches_as_the_whole_alternation(
    settings: Settings, folder: Folder, ingestor: Ingestor
) -> None:
    """The speaker finder's names and the English forms, compiled apart, match as one
    alternation of both does: ``finditer`` over every line, ``match`` at every position."""
    table = build_table(folder, settings.corpus.speakers, {}, [])
    for path in sorted((DATA / "speakers").glob("*.expected.tsv")):
        for row in path.read_text(encoding="utf-8").splitlines():
            name = row.rsplit("\t", 1)[-1]
            if name not in ("-", "") and table.resolve(name) is None:
                table.add(name)
    finder = PersonFinder(table, ingestor.is_person)
    split = finder.pattern
    whole = re.compile(f"{split.names.pattern}|{finder_module._LATIN_FORMS.pattern}")
    assert len(split.names.pattern) > 200
    found = 0
    for text in _texts(settings):
        for line in text.split("\n"):
            plain = [(m.span(), m.group(0)) for m in whole.finditer(line)]
            assert [(m.span(), m.group(0)) for m in split.finditer(line)] == plain, line
            found += len(plain)
            for at in range(len(line)):
                m, p = split.match(line, at), whole.match(line, at)
                assert (m and m.span()) == (p and p.span()), (line, at)
    assert found > 500


def test_the_ingest_tagger_has_the_table_jiebas_own_reads(ingestor: Ingestor) -> None:
    import jieba.posseg

    segmenter = ingestor._segmenter
    assert ingestor._tagger.word_tag_tab == jieba.posseg.POSTokenizer(segmenter).word_tag_tab
    assert ingestor._tagger.word_tag_tab is not jieba.posseg.dt.word_tag_tab
