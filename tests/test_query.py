"""The query-understanding steps, on golden cases (tests/data/query_steps.jsonl) over
the real corpus lexicon, and what they change in answers."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from bot.core import CorpusBot
from bot.display import highlight_spans
from bot.evaluate import load_queries
from bot.grammar import parse
from bot.models import Command
from bot.query.english import MAX_ALTERNATIVES, MAX_TRANSLATED_GROUPS
from bot.query.english_words import (
    DICTIONARY_WORDS_FILE,
    dictionary_words,
    latin_neighbours,
    one_slip,
    search_form,
    stem,
    write_dictionary_words,
)
from bot.query.lexicon import cedict_path
from bot.query.pinyin import plain_reading
from bot.query.repair import make_mojibake_repair
from bot.query.steps import corpus_word
from bot.query.uncovered import (
    absent_words,
    measure_word,
    parts_inside,
    quantity_keys,
    verb_inside,
)
from bot.search.tokenize import Tokenizer
from bot.textfold import Folder
from tests.conftest import DATA

CASES = [json.loads(line) for line in (DATA / "query_steps.jsonl").read_text("utf-8").splitlines()]
FORMS = [json.loads(line) for line in (DATA / "search_forms.jsonl").read_text("utf-8").splitlines()]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['step']}:{c['input']}" for c in CASES])
def test_query_step_golden_case(bot: CorpusBot, case: dict) -> None:
    found = bot.interpret(parse(f"/{case['command']} {case['input']}"))
    terms = {(t.text.strip(), t.origin.value): t.weight for t in found.terms}
    for text, origin, *weight in case.get("expect", []):
        assert (text, origin) in terms, (case, terms)
        if weight:
            assert terms[text, origin] == weight[0]
    for text, origin in case.get("absent", []):
        assert (text, origin) not in terms, (case, terms)
    for origin in case.get("none_from", []):  # no term at all from that step
        assert all(o != origin for _, o in terms), (case, terms)
    if case.get("unchanged"):
        assert [(t.text, t.origin.value) for t in found.terms] == [(case["input"], "typed")]
    if "typed" in case:
        assert [t.text.strip() for t in found.terms if t.origin.value == "typed"] == [case["typed"]]
    if "searched" in case:
        assert [t.text for t in found.searched] == case["searched"]
    changes = {n.step: n.added + n.reweighted + n.removed for n in found.notes}
    if case.get("unchanged"):
        assert not any(changes.values()), found.notes
    if case.get("expect"):
        assert changes[case["step"]], found.notes


def test_word_forms_meet_on_both_sides() -> None:
    assert stem("founded") == stem("found")
    assert stem("chips") == stem("chip")
    assert stem("enterprises") == stem("enterprise")
    assert stem("news") != stem("new")
    assert plain_reading("shù") == plain_reading("shu4") == "shu"
    assert plain_reading("lǜ") == "lv"


@pytest.fixture(scope="module")
def tokenizer(folder: Folder) -> Tokenizer:
    return Tokenizer(folder)


@pytest.mark.parametrize("case", FORMS, ids=[c["word"] for c in FORMS])
def test_search_form_golden_case(tokenizer: Tokenizer, folder: Folder, case: dict) -> None:
    """One rule for a word's search form, used alike by the index's tokens, the ranking
    of the query's words and the highlights."""
    assert search_form(case["word"]) == case["form"], case["why"]
    if case["word"].isascii() and case["word"].isalpha():  # one token of its own
        assert tokenizer.tokens(case["word"]) == [case["form"]]
    text = f"They said {case['word']}."
    marked = [text[s:e] for s, e in highlight_spans(text, [case["form"]], folder)]
    assert marked == [case["word"]]


def test_final_e_words_meet_their_forms_as_the_lemma_table_says() -> None:
    """Where dropping a final -e makes another dictionary word (note/not, hope/hop,
    care/car), a one-syllable word's regular forms meet their own lemma as LemmInflect's
    lemma table (AGID) gives it, and never the other word's."""
    table = resources.files("lemminflect") / "resources" / "lemma_lu.csv.gz"
    common = dictionary_words().common
    checked = 0
    for row in gzip.decompress(table.read_bytes()).decode("utf-8").splitlines():
        form, category, lemmas = row.split(",", 2)
        lemma = lemmas  # a form of two lemmas (tared: tar/tare) tells nothing
        if category != "verb" or not form.isalpha() or lemma not in common:
            continue
        other = lemma[:-1] if lemma.endswith("e") else lemma + "e"
        core = lemma.removesuffix("e")
        one_syllable = re.fullmatch(r"[^aeiou]*[aeiou][b-df-hj-np-tvz]", core)
        if other not in common or len(core) < 3 or not one_syllable:
            continue
        if form in (lemma + "s", core + "ed", core + "ing", core + "es"):
            assert search_form(form) == search_form(lemma) != search_form(other), (form, lemma)
            checked += 1
    assert checked > 100


def test_dictionary_words_are_what_cc_cedict_gives(tmp_path: Path) -> None:
    """The word list search forms consult is made from the installed CC-CEDICT by
    ``write_dictionary_words``, word for word."""
    made = tmp_path / DICTIONARY_WORDS_FILE.name
    write_dictionary_words(cedict_path(), made)
    assert gzip.decompress(made.read_bytes()) == gzip.decompress(DICTIONARY_WORDS_FILE.read_bytes())


def test_interpreted_terms_are_in_the_reply(bot: CorpusBot) -> None:
    reply = bot.ask("/quote shuju qiang")
    assert ("数据墙", "pinyin") in {(t.text, t.origin.value) for t in reply.interpreted}
    assert "数据墙" in reply.results[0].text


def test_english_finds_chinese_passages_and_never_matches_on_function_words(
    bot: CorpusBot,
) -> None:
    assert "数据墙" in bot.ask("/quote data wall").results[0].text
    # "the" and "in" must not carry an English query to 《The Information》.
    reply = bot.ask("/quote the in")
    assert reply.command is Command.ERROR and "common words" in (reply.message or "")


def test_only_common_words_get_a_message_saying_so(bot: CorpusBot) -> None:
    reply = bot.ask("whosaid 的 了 是")
    assert reply.command is Command.ERROR and "common words" in (reply.message or "")
    assert "punctuation" in (bot.ask("/quote ？！").message or "")


def test_honest_misses(bot: CorpusBot) -> None:
    assert not bot.ask("/quote 量子计算机").results
    assert not bot.ask("/quote bake sourdough bread").results
    assert not bot.ask("/timeline 巧克力蛋糕").events
    reply = bot.ask("/whosaid 我们要在火星上建立一座城市")
    assert not [r for r in reply.results if r.speaker]
    assert "No speaker" in (reply.message or "")


def test_a_natural_question_is_answered_by_the_answer_turn(bot: CorpusBot) -> None:
    top = bot.ask("/quote 王认为AI应用现在处于什么阶段?").results[:3]
    answers = [r for r in top if r.role.value == "interviewee"]
    assert any("早期" in r.text for r in answers)
    assert any(r.context for r in answers), "the question is shown as context"


def test_an_answer_past_a_summary_line_still_answers_its_question(bot: CorpusBot) -> None:
    """The Time interview puts a "總結:" line between each question and its answer."""
    top = bot.ask("/quote 為什么AI數據工作無法自動化?").results[0]
    assert top.role.value == "interviewee" and "自相矛盾" in top.text
    assert top.context and "無法實現AI數據工作的自動化" in top.context


def test_a_paraphrase_finds_the_answer_worded_otherwise(bot: CorpusBot) -> None:
    """Function words (没法, 好好, 自己) weigh little and a passage that holds the
    content words in one sentence ranks above ones that repeat one of them."""
    top = bot.ask("/quote 企业为什么没法好好利用自己的数据").results[:3]
    assert any("组织不善" in r.text for r in top)
    # A dictionary word the corpus never uses (招人) meets the one it does (招聘, 雇佣).
    assert "雇佣最有才华的人才" in bot.ask("/quote 公司招人应该看什么").results[0].text


def test_the_longest_common_run_is_what_a_matcher_finds() -> None:
    from difflib import SequenceMatcher

    from bot.search.rank import longest_common_run

    pairs = [("数据铸造厂", "AI的数据铸造厂。"), ("企业利用数据", "企业在利用这些数据"), ("", "x")]
    for short, text in pairs:
        block = SequenceMatcher(None, short, text, autojunk=False).find_longest_match()
        assert longest_common_run(short, text) == block.size


def test_a_related_word_alone_holds_part_of_its_word() -> None:
    """爱好 asked, 兴趣 found (the corpus speaks of interest, never of a hobby): beside a
    name only, the related word holds as much of its word as it weighs in the search;
    beside another content word of the query held as typed, all of it."""
    from bot.query.synonyms import RELATED_WEIGHT
    from bot.search.rank import Unit, held_share

    name = Unit(("alexandrwang",), 3.0, content=False)
    hobby = Unit(("爱好",), 3.0, related=("兴趣",))
    assert held_share([name, hobby], "alexandrwang对此很感兴趣") == pytest.approx(RELATED_WEIGHT)
    team = Unit(("团队",), 3.0)
    assert held_share([name, hobby, team], "alexandrwang的团队很感兴趣") == 1.0
    # A lone character is found inside any word (住 in 记住): it is no content word held.
    live = Unit(("住",), 2.0)
    assert held_share([Unit(("lucyguo",), 3.0, content=False), live], "记住了") == 2 / 5


def test_a_function_word_found_cannot_make_up_for_a_word_missed() -> None:
    from bot.search.rank import FUNCTION_WORD_WEIGHT, Unit, coverage, held_share

    units = [Unit(("dropbox",), 3.0), Unit(("职位",), 3.0), Unit(("过",), 2.6, optional=True)]
    text = "这个我曾在dropbox遇到过挑战"
    assert coverage(units, text) == pytest.approx(5.6 / 8.6)  # the ranking: as rare as it is
    held = (3.0 + FUNCTION_WORD_WEIGHT) / (6.0 + FUNCTION_WORD_WEIGHT)
    assert held_share(units, text) == pytest.approx(held)


def test_the_digits_of_a_latin_word_are_no_verbatim_phrase() -> None:
    from bot.search.rank import verbatim_key

    assert verbatim_key("whatisthepriceofanh200gpu", ()) == ""  # "200" is in any price
    assert verbatim_key("数剧标注永不过时", ()) == "数剧标注永不过时"


def test_people_who_never_speak_are_folded(bot: CorpusBot) -> None:
    assert any("扎克伯格" in r.text for r in bot.ask("/quote 小扎").results)
    altman = bot.ask("/quote Sam Altman").results
    assert any("奥特曼" in r.text or "奧特曼" in r.text for r in altman)


@pytest.mark.parametrize("engine", ["rank-bm25", "tantivy"])
def test_names_of_people_who_never_speak_are_folded_in_the_index(
    bot: CorpusBot, tantivy_bot: CorpusBot, engine: str
) -> None:
    """The index side, without any query step: the canonical name's tokens alone find
    the passages that write the name another way (奥特曼, 扎克伯格)."""
    index = (bot if engine == "rank-bm25" else tantivy_bot).index
    altman = index.search_passages(index.tokens("Sam Altman"), 10)
    assert altman and all("奥特曼" in index.folder.fold(h.passage.text) for h in altman)
    zuckerberg = index.search_passages(index.tokens("Mark Zuckerberg"), 20)
    texts = [h.passage.text for h in zuckerberg]
    assert any("扎克伯格" in t and "Zuckerberg" not in t for t in texts)


def test_highlights_cover_whole_latin_words_only(bot: CorpusBot) -> None:
    for result in bot.ask("/quote the information on scale").results:
        for start, end in result.highlights:
            before = result.text[start - 1 : start]
            after = result.text[end : end + 1]
            assert not (before.isascii() and before.isalnum()), result.text[start - 3 : end + 3]
            assert not (after.isascii() and after.isalnum()), result.text[start - 3 : end + 3]


def test_quotes_are_verbatim_in_their_own_script(bot: CorpusBot) -> None:
    # Article 001 is Traditional: a Traditional query shows it exactly as stored.
    for result in bot.ask("/quote 這聽起來有點可怕").results:
        if result.article_id.startswith("001"):
            assert result.text == result.original_text
            assert result.converted_from is None
    # A Simplified query over Traditional text converts, and says so.
    reply = bot.ask("/quote 这听起来有点可怕")
    converted = [r for r in reply.results if r.converted_from == "traditional"]
    assert converted and any("source is Traditional" in n for n in reply.notices)


@pytest.mark.parametrize("query", ["/quote 王的父母是做什么的", "/quote 数据墙", "/quote 卡塔尔"])
def test_a_conversion_notice_names_the_results_it_concerns(bot: CorpusBot, query: str) -> None:
    """A reply mixing passages quoted as written with converted ones numbers the
    converted; one converted throughout says so for all."""
    reply = bot.ask(query)
    converted = [n for n, r in enumerate(reply.results, 1) if r.converted_from]
    notices = [n for n in reply.notices if "source is" in n]
    if not converted:
        assert not notices
    elif len(converted) == len(reply.results):
        assert notices == ["Shown in Simplified; the source is Traditional."]
    else:
        assert len(notices) == 1 and notices[0].startswith("Result")
        assert [int(n) for n in re.findall(r"\d+", notices[0])] == converted


def test_a_question_about_a_speaker_ranks_their_turns_first(bot: CorpusBot) -> None:
    top = bot.ask("/quote what did Wang say about data?").results[:3]
    assert top and all(r.speaker == "Alexandr Wang" for r in top)
    assert all("数据" in r.text or "數據" in r.text for r in top)


def test_a_damaged_query_finds_what_it_meant(bot: CorpusBot) -> None:
    # 数据铸造厂 pasted from a page that showed its UTF-8 bytes as GBK.
    reply = bot.ask("/quote 鏁版嵁閾搁�犲巶")
    assert "数据铸造厂" in reply.results[0].text
    reply = bot.ask("/quote Perplexty")
    assert ("Perplexity", "spelling") in {(t.text, t.origin.value) for t in reply.interpreted}
    assert "Perplexity" in reply.results[0].text


def test_a_damaged_stretch_after_intact_words_finds_what_it_meant(bot: CorpusBot) -> None:
    # 数据的稀缺性 whose last three characters were pasted from a Windows-1252 page.
    reply = bot.ask("/quote 数据的" + "稀缺性".encode().decode("cp1252"))
    assert "数据的稀缺性" in reply.results[0].text


def test_unspaced_pinyin_of_two_words_finds_what_the_spaced_form_finds(bot: CorpusBot) -> None:
    assert (
        bot.ask("/quote gaoguanhuanxiang").results[0]
        == bot.ask("/quote gaoguan huanxiang").results[0]
    )


def test_intact_text_is_never_taken_for_mojibake(bot: CorpusBot) -> None:
    """Every passage of the corpus, a run of real Chinese as a query might hold it, goes
    through the mojibake repair unchanged."""
    index = bot.index
    repair = make_mojibake_repair(corpus_word(index.lexicon, index.folder), index.folder.fold)
    changed = [p.text for p in index.passages if repair(p.text).changes]
    assert not changed


def test_a_keyboard_slip_is_a_letter_dropped_added_or_swapped() -> None:
    assert one_slip("perplexty", "perplexity") and one_slip("zuckerbreg", "zuckerberg")
    assert one_slip("metaa", "meta") and not one_slip("mixtral", "mistral")
    assert not one_slip("meta", "meta")
    assert latin_neighbours({"metal", "exiting", "banana"}, ["meta", "existing"]) == {
        "metal",
        "exiting",
    }


def test_a_long_english_query_is_bounded(bot: CorpusBot) -> None:
    text = (
        "/quote whoever has more chips wins, and the three pillars of AI are compute, data "
        "and algorithms, while chatbots are still the main application for most large "
        "enterprises, which are like cancer according to the founders of the data foundry"
    )
    found = bot.interpret(parse(text))
    groups = Counter(t.group for t in found.searched if t.origin.value == "english")
    assert len(groups) <= MAX_TRANSLATED_GROUPS
    assert max(groups.values()) <= MAX_ALTERNATIVES


def test_a_verb_of_several_words_is_one_meaning() -> None:
    """ "to take office" is 就职: neither "take" nor "office" alone."""
    from bot.query.lexicon import sense_keys

    assert [k for k, _ in sense_keys("to take office")] == ["tak offic"]
    assert ("data", 0.5) in sense_keys("data wall")


def test_paraphrases_of_our_own(bot: CorpusBot, folder) -> None:  # type: ignore[no-untyped-def]
    """tests/data/paraphrase.jsonl: everyday wording of what passages and events say
    formally, written from the articles (not from any held-out miss), and questions
    the corpus cannot answer. None of the honest misses may find anything; of the
    rest, at least as many as when the set was written pass."""
    from bot.evaluate import evaluate, load_queries

    outcomes = evaluate(bot, load_queries(DATA / "paraphrase.jsonl"), folder)
    assert all(o.ok for o in outcomes if o.group == "none"), outcomes
    assert sum(o.ok for o in outcomes if o.group != "none") >= 18, outcomes


RELEVANCE = load_queries(DATA / "relevance.jsonl")
UNCOVERED = [q for q in RELEVANCE if "uncovered" in q]


@pytest.mark.parametrize("case", UNCOVERED, ids=[q["ask"] for q in UNCOVERED])
def test_uncovered_words_golden_case(bot: CorpusBot, case: dict) -> None:
    """Words the corpus lacks with no counterpart, found whole (裁员, not 裁 + 员); a
    word a step relates to a corpus word (招人 -> 招聘), a name, a Latin word (but one
    typed with a digit or in capitals that the corpus never writes: IPO, A100) and a
    word spelt across a word boundary (都会 in 九成都会失败) are not."""
    reply = bot.ask(case["ask"])
    assert reply.relevance is not None
    assert list(reply.relevance.uncovered) == case["uncovered"]


BACKOFF = [json.loads(line) for line in (DATA / "uncovered_backoff.jsonl").open(encoding="utf-8")]


@pytest.mark.parametrize("case", BACKOFF, ids=[c.get("word") or c["ask"] for c in BACKOFF])
def test_uncovered_word_backs_off_golden_case(bot: CorpusBot, case: dict) -> None:
    """tests/data/uncovered_backoff.jsonl: a word the corpus lacks that is a corpus
    verb with a particle is no uncovered word (知道了 -> 知道); the corpus words inside
    one (驾驶 in 无人驾驶) hold part of it at the floor, never all of it; a quantity
    (几倍) is none either, another quantity of the text with its measure word (5-6倍)
    holds part of it; a pair jieba's guess does not join (家乡) is held only whole."""
    if case["case"] == "verb":
        assert verb_inside(case["word"], set(case["corpus"]).__contains__) == case["expected"]
    elif case["case"] == "measure":
        assert measure_word(case["word"]) == case["expected"]
    elif case["case"] == "quantity":
        keys = quantity_keys(case["word"])
        assert set(case["includes"]) <= set(keys) and not set(case["excludes"]) & set(keys)
    elif case["case"] == "parts":
        assert list(parts_inside(case["word"], bot.index.words)) == case["expected"]
    else:
        reply = bot.ask(case["ask"])
        assert reply.relevance is not None
        assert list(reply.relevance.uncovered) == case["uncovered"]
        assert reply.relevance.matched is case["matched"], reply.relevance
        if "expect" in case:
            assert any(case["expect"] in r.text for r in reply.results[:3]), reply.results


def test_absent_words_are_cut_as_a_reader_would() -> None:
    # The fewest words: 对 + 比特币, not 对比 + 特 + 币 as a segmenter that never saw 比特币.
    assert absent_words("王对比特币", {"比特币"}, {"对比", "王"}) == ["比特币"]
    # Given the choice, a run is not read as a word the corpus lacks.
    assert absent_words("亲自给", {"自给"}, {"亲自"}) == []
    assert absent_words("裁员了", {"裁员"}, set()) == ["裁员"]


def test_wordnet_relates_by_small_shared_synsets() -> None:
    """A word the corpus lacks meets corpus words through one small synset; a corpus
    word, found as typed anyway, only through two (one is often another sense); a
    large synset relates nothing."""
    from collections import Counter

    from bot.query.lexicon import SYNSET_MAX_WORDS, _wordnet_related

    synsets = [
        ["取代", "替代", "代理"],
        ["取代", "替代"],
        ["夜晚", "晚上"],
        ["坚持", "支持", "维持"],
        ["大", *(f"大{i}" for i in range(SYNSET_MAX_WORDS))],
    ]
    corpus = {"取代", "替代", "代理", "晚上", "坚持", "支持", "大0"}
    related = _wordnet_related(synsets, corpus, Counter({w: 1 for w in corpus}))
    assert related["取代"] == ["替代"]
    assert related["夜晚"] == ["晚上"]
    assert "坚持" not in related and "大1" not in related


def test_chinese_open_wordnet_ships_with_its_licence(folder) -> None:  # type: ignore[no-untyped-def]
    from bot.query.lexicon import read_wordnet, wordnet_path

    assert "Chinese Open Wordnet" in wordnet_path().with_name(
        "chinese_wordnet_LICENSE.txt"
    ).read_text("utf-8")
    assert any({"节省", "节约"} <= set(s) for s in read_wordnet(folder))
