"""The search core: tokenizer, engines, index persistence, the three commands."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from bot.app import build_bot
from bot.config import Settings
from bot.core import CorpusBot
from bot.display import highlight_spans
from bot.evaluate import evaluate, load_queries
from bot.models import Command, Passage, Role
from bot.replyjson import reply_to_json
from bot.search import measures, rank
from bot.search.index import Hit
from bot.search.tokenize import Tokenizer
from bot.textfold import Folder
from tests.conftest import DATA, ROOT, make_config


@pytest.fixture(scope="module")
def tokenizer(folder: Folder) -> Tokenizer:
    return Tokenizer(folder, ["扎克伯格", "数据铸造厂"])


def test_tokens_fold_script_width_and_case(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokens("數據鑄造廠") == tokenizer.tokens("数据铸造厂")
    assert tokenizer.tokens("ＡＩ　Tutor") == ["ai", "tutor"]
    assert "数据铸造厂" in tokenizer.tokens("我们打造数据铸造厂")  # user word kept whole
    assert {"数据", "据铸", "铸造"} <= set(tokenizer.tokens("数据铸造厂"))  # Han bigrams


def test_tokens_drop_punctuation_and_emoji(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokens("！？…… 🎉🎉") == []
    assert tokenizer.tokens("Llama 3.1 开源")[:2] == ["llama", "3.1"]


def test_thousands_separators_are_folded(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokens("50,000塊") == tokenizer.tokens("50000块")
    assert tokenizer.tokens("1,2") == ["1", "2"]  # not a thousands separator


def test_a_passage_with_all_query_words_beats_one_repeating_some(bot: CorpusBot) -> None:
    # Two mentions of the name must not outweigh the one passage that has the number.
    top = bot.ask("/quote 扎克伯格 143亿美元").results[0]
    assert "143" in top.text


def test_taiwan_vocabulary_is_folded(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokens("軟體") == tokenizer.tokens("软件")


def test_highlights_land_on_the_display_text(folder: Folder) -> None:
    text = "我們正在打造AI的數據鑄造廠。"
    spans = highlight_spans(text, ["数据铸造厂"], folder)
    assert [text[s:e] for s, e in spans] == ["數據鑄造廠"]


def test_dev_eval_passes_on_both_engines(bot: CorpusBot, tantivy_bot: CorpusBot, folder) -> None:
    queries = load_queries(DATA / "dev.jsonl")
    for engine_bot in (bot, tantivy_bot):
        misses = [o for o in evaluate(engine_bot, queries, folder) if not o.ok]
        assert not misses, (engine_bot.index.engine_name, misses)


def test_engines_agree_on_the_top_result(bot: CorpusBot, tantivy_bot: CorpusBot) -> None:
    queries = [q["ask"] for q in load_queries(DATA / "dev.jsonl") if q["kind"] != "timeline"]
    queries += [
        "/quote 合成数据",
        "/quote 国防部 合同",
        "/quote Meta 超级智能团队",
        "/quote 高管幻想",
    ]
    for ask in queries:
        a, b = bot.ask(ask), tantivy_bot.ask(ask)
        assert a.results and b.results, ask
        # tantivy stores a document's length in one byte, as Lucene does, so a near tie
        # (within that rounding) may break the other way; the scores themselves agree.
        a_scores = {r.passage_id: r.score for r in a.results}
        b_top = b.results[0]
        assert b_top.passage_id in a_scores, ask
        assert b_top.score == pytest.approx(a_scores[b_top.passage_id], rel=0.05), ask
        assert b_top.score == pytest.approx(a.results[0].score, rel=0.05), ask


def test_index_is_saved_loaded_and_rebuilt_when_stale(
    index_settings: Settings, folder: Folder, tmp_path
) -> None:
    settings = dataclasses.replace(
        index_settings, search=dataclasses.replace(index_settings.search, index_dir=tmp_path)
    )
    built: list[str] = []
    build_bot(settings, "rank-bm25", built.append, folder)
    assert built, "first open builds"
    loaded: list[str] = []
    build_bot(settings, "rank-bm25", loaded.append, folder)
    assert not loaded, "second open loads the saved index"
    stale = dataclasses.replace(
        settings,
        corpus=dataclasses.replace(
            settings.corpus, user_words=(*settings.corpus.user_words, "新词")
        ),
    )
    rebuilt: list[str] = []
    build_bot(stale, "rank-bm25", rebuilt.append, folder)
    assert rebuilt, "a change of tokens makes the saved index stale"


def test_a_corrupt_manifest_is_rebuilt(index_settings: Settings, folder: Folder, tmp_path) -> None:
    settings = dataclasses.replace(
        index_settings, search=dataclasses.replace(index_settings.search, index_dir=tmp_path)
    )
    build_bot(settings, "rank-bm25", None, folder)
    (tmp_path / "rank-bm25" / "manifest.json").write_text("{not json", encoding="utf-8")
    again = build_bot(settings, "rank-bm25", None, folder)
    assert again.ask("/quote 数据铸造厂").results


def test_answer_in_the_script_of_the_query(bot: CorpusBot) -> None:
    traditional = bot.ask("/quote 數據鑄造廠").results[0]
    simplified = bot.ask("/quote 数据铸造厂").results[0]
    assert traditional.passage_id == simplified.passage_id
    assert "數據鑄造廠" in traditional.text and "数据铸造厂" in simplified.text
    assert traditional.original_text == simplified.original_text


def test_quote_results_carry_attribution_and_paging(bot: CorpusBot) -> None:
    reply = bot.ask("/quote 数据")
    assert len(reply.results) == 3
    first = reply.results[0]
    assert first.title and first.article_id and first.highlights
    assert reply.next_offset == 3
    more = bot.ask("/quote 数据", offset=3)
    assert not {r.passage_id for r in more.results} & {r.passage_id for r in reply.results}


def test_whosaid_names_the_speaker_with_the_turn_and_context(bot: CorpusBot) -> None:
    reply = bot.ask("/whosaid 你的输入是什么")
    top = reply.results[0]
    assert top.speaker == "Aditya Agarwal"
    assert "你的输入是什么" in top.text
    assert top.context  # one line of what came before


def test_whosaid_reports_a_tie_instead_of_picking(bot: CorpusBot) -> None:
    reply = bot.ask("/whosaid 数据墙")
    speakers = [r.speaker for r in reply.results[:2]]
    assert reply.message and "Two speakers" in reply.message
    assert set(speakers) == {"Alexandr Wang", "Aditya Agarwal"}


def test_whosaid_words_reported_speech_as_according_to(bot: CorpusBot) -> None:
    reply = bot.ask("/whosaid 数据的稀缺性将成为未来AI发展的重要瓶颈")
    top = reply.results[0]
    assert (top.speaker, top.role) == ("Alexandr Wang", Role.REPORTED)
    assert any(n.startswith("According to 《") and "Alexandr Wang" in n for n in reply.notices)
    quoted = bot.ask("/whosaid 你的输入是什么")  # a labelled turn: his own words
    assert not any("According to" in n for n in quoted.notices)


def test_whosaid_words_only_the_answer(bot: CorpusBot) -> None:
    """The notices stand above the results: one about a lower result's reported turn
    (another speaker, another article) read as the answer to the question."""
    reply = bot.ask("/whosaid 竞争就是做得更好")
    top = reply.results[0]
    assert top.speaker == "Alexandr Wang" and top.role is not Role.REPORTED
    assert any(r.role is Role.REPORTED for r in reply.results[1:])  # the case worded before
    assert not any("According to" in n for n in reply.notices), reply.notices


def test_a_self_introduction_answers_no_question(bot: CorpusBot) -> None:
    """A host's opening names China and Wang; the turn after it is his self-introduction
    ("我是Scale AI的創始人兼CEO,Alexandr Wang。"), which answers nothing: his turns on
    China come first."""
    reply = bot.ask("/quote what does Wang think about China")
    assert not reply.results[0].text.startswith("我是"), reply.results[0].text
    assert "中国" in reply.results[0].text or "中國" in reply.results[0].text


def test_whosaid_votes_with_a_turn_that_says_it(bot: CorpusBot) -> None:
    """A speaker's vote is their turn that holds the phrase, not one that shares five
    characters of it verbatim ("数据是 AI 系统的生命线"), and their own words before a
    report of them ("他还提到了…瓶颈")."""
    top = bot.ask("/whosaid 数据是AI的瓶颈").results[0]
    assert top.speaker == "Alexandr Wang" and top.role is not Role.REPORTED
    assert "瓶颈" in top.text or "瓶頸" in top.text, top.text


def test_a_model_number_is_part_of_its_name(bot: CorpusBot) -> None:
    """ "Llama 4" is one word to the floor: its 4 alone was held by every event saying
    4月 or 24岁, and listed the 2016 founding under the topic."""
    events = bot.ask("/timeline Llama 4").events
    assert events and all(e.date.startswith("2025-04") for e in events), events


def test_whosaid_accepts_an_alias_in_the_query(bot: CorpusBot) -> None:
    reply = bot.ask("谁说 美国必须释放能源潜力")
    assert reply.command is Command.WHOSAID
    assert reply.results[0].speaker == "Alexandr Wang"


def test_timeline_is_in_event_order_with_sources_and_conflicts(bot: CorpusBot) -> None:
    reply = bot.ask("/timeline 白手起家 亿万富翁")
    dates = [e.date for e in reply.events]
    assert dates == sorted(dates)
    by_date = {e.date: e for e in reply.events}
    assert by_date["2021"].conflicts == ("2022",)
    assert by_date["2022"].conflicts == ("2021",)
    founding = bot.ask("/timeline 麻省理工 辍学 创立")
    first = [e for e in founding.events if e.date == "2016"]
    assert len(first) == 1 and len(first[0].sources) == 2  # one event, two articles


def test_timeline_uses_the_paragraph_for_pronoun_subjects(bot: CorpusBot) -> None:
    reply = bot.ask("/timeline 亚历山大·王 净资产")
    assert any("他的净资产" in e.text and e.date == "2025-04" for e in reply.events)


@pytest.mark.parametrize(
    ("text", "command", "fragment"),
    [
        ("", Command.ERROR, "Please add some words"),
        ("/quote   ", Command.ERROR, "Please add some words"),
        ("/quot 数据墙", Command.ERROR, "Did you mean `/quote`"),
        ("/timelin AI", Command.ERROR, "Did you mean `/timeline`"),
        ("！？。。。 🎉", Command.ERROR, "nothing I can search"),
        ("/quote zzqqxxyyvv", Command.QUOTE, "Nothing in the corpus matches"),
        ("help", Command.HELP, "/whosaid"),
        ("/help", Command.HELP, "/timeline"),
    ],
)
def test_bad_input_gets_a_clear_reply(bot: CorpusBot, text: str, command, fragment) -> None:
    reply = bot.ask(text)
    assert reply.command is command
    assert fragment in (reply.message or "")


def test_an_over_long_query_is_cut_with_a_notice(bot: CorpusBot) -> None:
    reply = bot.ask("/quote " + "数据" * 400)
    assert reply.query == ("数据" * 400)[:500]
    assert any("500" in n for n in reply.notices)
    assert reply.results


def test_a_long_query_that_finds_nothing_is_echoed_by_its_start(bot: CorpusBot) -> None:
    # A pasted paragraph of words the corpus lacks: the reply must stay short.
    asked = "Xylqor Vantrebbe Quozzlemark Plindorf " * 8
    reply = bot.ask("/quote " + asked)
    assert not reply.results
    assert "Xylqor Vantrebbe" in (reply.message or "")
    assert len(reply.message or "") < len(asked)
    assert "…" in (reply.message or "")


@pytest.mark.parametrize(
    ("text", "command", "query"),
    [
        ("quote 数据墙", Command.QUOTE, "数据墙"),
        ("引用 数据墙", Command.QUOTE, "数据墙"),
        ("whosaid 竞争就是做得更好", Command.WHOSAID, "竞争就是做得更好"),
        ("谁说竞争就是做得更好", Command.WHOSAID, "竞争就是做得更好"),
        ("誰說：這聽起來有點可怕", Command.WHOSAID, "這聽起來有點可怕"),
        ("时间线 华盛顿邮报", Command.TIMELINE, "华盛顿邮报"),
        ("時間線 華盛頓郵報", Command.TIMELINE, "華盛頓郵報"),
        ("数据墙", Command.QUOTE, "数据墙"),
        ("Timeline Scale AI", Command.TIMELINE, "Scale AI"),
    ],
)
def test_mention_grammar(bot: CorpusBot, text: str, command: Command, query: str) -> None:
    reply = bot.ask(text)
    assert (reply.command, reply.query) == (command, query)


def test_cli_ask_json_contract(tmp_path) -> None:
    config = make_config(tmp_path)
    texts = [
        "/quote 数据墙",
        "谁说 竞争就是做得更好",
        "/timeline 华盛顿邮报 广告",
        "/nope x",
        "",
        "/quote Scale AI 裁员了多少人",
    ]
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--config", str(config), *texts],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    commands = ["quote", "whosaid", "timeline", "error", "error", "quote"]
    assert [line["command"] for line in lines] == commands
    for line in lines:
        assert set(line) == {
            "command", "query", "results", "events", "message", "page", "interpreted",
            "relevance",
        }  # fmt: skip
    assert lines[0]["relevance"] == {"share": 1.0, "floor": 0.5, "matched": True, "uncovered": []}
    assert lines[3]["relevance"] is None  # nothing was searched
    # Why a query was judged a miss: the word the corpus lacks, and the share held.
    miss = lines[5]["relevance"]
    assert (miss["matched"], miss["uncovered"]) == (False, ["裁员"]) and miss["share"] < 0.5
    assert not lines[5]["results"] and lines[5]["message"]
    assert {"term": "数据墙", "weight": 1.0, "from": "typed", "source": "数据墙"} in lines[0][
        "interpreted"
    ]
    result_keys = {
        "text",
        "speaker",
        "role",
        "article_id",
        "title",
        "date",
        "source_url",
        "passage_id",
        "score",
    }
    assert set(lines[0]["results"][0]) >= result_keys
    assert lines[1]["results"][0]["speaker"] == "Alexandr Wang"
    assert lines[2]["events"][0]["date"].startswith("2025-01")
    assert lines[3]["message"]
    assert (tmp_path / "var" / "index").is_dir()  # --config was honoured


def test_cli_reports_a_config_error_naming_the_key(tmp_path) -> None:
    bad = make_config(tmp_path, {'engine = "auto"': 'engine = "elastic"'})
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--config", str(bad), "/quote x"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 2
    assert "search.engine" in out.stderr and "Traceback" not in out.stderr


def test_an_unwritable_index_folder_is_a_clear_error(index_settings: Settings, folder, tmp_path):
    from bot.errors import IndexWriteError

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the index folder should be", encoding="utf-8")
    settings = dataclasses.replace(
        index_settings, search=dataclasses.replace(index_settings.search, index_dir=blocker)
    )
    with pytest.raises(IndexWriteError, match=r"set search\.index_dir to a writable folder"):
        build_bot(settings, "rank-bm25", None, folder)


# Per kind, on both engines: queries written for the relevance floor (real text of the
# corpus), paraphrases that must still be answered and questions about what the corpus
# does not have that must get "nothing matches", English questions (the README, "Honest
# misses"). The least counts are what this code passes: a fall is a regression.
# English 17 -> 16 when Latin keys became whole words (rank.holds): re05 "what do Wang's
# parents do for a living?" had passed on the "s" of "Wang's" held by the s of DeepSeek.
RELEVANCE_LEAST = {"paraphrase": 12, "none": 40, "question": 10, "timeline_topic": 6, "english": 16}


def test_honest_misses_and_paraphrases_on_both_engines(
    bot: CorpusBot, tantivy_bot: CorpusBot, folder
) -> None:
    queries = load_queries(DATA / "relevance.jsonl")
    for engine_bot in (bot, tantivy_bot):
        outcomes = evaluate(engine_bot, queries, folder)
        passed = {g: sum(o.ok for o in outcomes if o.group == g) for g in RELEVANCE_LEAST}
        misses = [o for o in outcomes if not o.ok]
        assert all(passed[g] >= n for g, n in RELEVANCE_LEAST.items()), (passed, misses)


def test_whosaid_names_no_one_for_words_no_turn_holds(bot: CorpusBot) -> None:
    reply = bot.ask("/whosaid 今天天气很好")  # 今天, 很 and 好 are said; 天气 never
    assert not reply.results and reply.message
    assert reply.relevance is not None and reply.relevance.uncovered == ("天气",)


def test_quote_results_are_in_score_order(bot: CorpusBot) -> None:
    """A question about a speaker ranks their own turns first; the scores shown say so."""
    for ask in ("/quote Alexandr Wang 怎么看数据墙?", "/quote 王认为AI应用现在处于什么阶段?"):
        reply = bot.ask(ask)
        scores = [r.score for r in reply.results]
        assert scores and scores == sorted(scores, reverse=True), (ask, scores)
        assert reply.relevance is not None and reply.relevance.matched


def test_interpreted_shows_the_typed_words_left_without_the_places_of_the_rest(
    bot: CorpusBot,
) -> None:
    """A Latin name left typed in an English question ("Wang grew up in Santa Fe, …":
    the corpus has it in no form) is shown as the words, not padded with the spaces
    where the translated words were. (Los Alamos, which the corpus writes 洛斯阿拉莫斯,
    is found by its sound since: tests/test_transliteration.py.)"""
    reply = bot.ask("/quote Wang grew up in Santa Fe, where the atomic bomb was born")
    typed = [t["term"] for t in reply_to_json(reply)["interpreted"] if t["from"] == "typed"]
    assert typed and all(t == t.strip() and "  " not in t for t in typed)
    assert any("Santa Fe" in t for t in typed)


@pytest.mark.parametrize(
    ("text", "gives"),
    [
        ("即使员工人数已达数百人", True),
        ("团队只有十九名研究员", True),
        ("我们有500人", True),
        ("一百多人参加了会议", True),
        ("周围有很多人在做各种各样的事情", False),  # many, no number
        ("但作为一名优秀的axios记者", False),  # a, not how many
        ("大多数人并不知道", False),
        ("we now have about 500 full-time employees", True),
        ("a team of two dozen researchers", True),
        ("we hired 1,200 people last year", True),
        ("it often people who know the data best", False),  # often, not ten
        ("many people asked about it", False),
    ],
)
def test_a_number_of_people_is_a_number_before_a_word_that_counts_people(
    text: str, gives: bool
) -> None:
    """A question for a number of people (多少人, 几位) is answered only by a text that
    gives one (``measures.PEOPLE``)."""
    assert measures.asked("meta的超级智能团队一共有多少人") == (measures.PEOPLE,)
    assert not measures.asked("扎克伯格有几个女儿")
    assert measures.asked("how many employees does scale ai have") == (measures.PEOPLE,)
    assert measures.asked("how many full-time people work there") == (measures.PEOPLE,)
    assert not measures.asked("how many images did they label")
    assert measures.PEOPLE.given_in(text) is gives


@pytest.mark.parametrize(
    ("question", "measure"),
    [
        ("how long did biden and xi talk", measures.DURATION),
        ("scale ai花了多久才盈利", measures.DURATION),
        ("他在yc待了几个月", measures.DURATION),
        ("how old was wang when he founded scale", measures.AGE),
        ("王创立scale时几岁", measures.AGE),
    ],
)
def test_a_question_for_a_time_or_an_age_asks_that_measure(question: str, measure) -> None:
    assert measures.asked(question) == (measure,)


@pytest.mark.parametrize(
    "question",
    ["这几年scale ai发展如何", "几年内为卡塔尔落地几十个ai应用", "how does scale ai label data"],
)
def test_these_few_years_ask_no_measure(question: str) -> None:
    assert measures.asked(question) == ()


@pytest.mark.parametrize(
    ("text", "measure", "gives"),
    [
        ("the call lasted 2 hours and 20 minutes", measures.DURATION, True),
        ("过去 12 到 18 个月的热潮中", measures.DURATION, True),
        ("我们花了三年时间", measures.DURATION, True),
        ("大约半年以后", measures.DURATION, True),
        ("2016年,他从麻省理工辍学", measures.DURATION, False),  # a year, no length of time
        ("今年3月,他与施密特联合撰写", measures.DURATION, False),  # March
        ("截至2025年4月20日", measures.DURATION, False),
        ("2016年,年仅19岁的他从麻省理工学院辍学", measures.AGE, True),
        ("he dropped out of mit at 19", measures.AGE, True),
        ("a 28-year-old billionaire", measures.AGE, True),
        ("他从麻省理工学院辍学,创立了scale ai", measures.AGE, False),
    ],
)
def test_a_text_gives_a_time_or_an_age_as_a_number_with_its_unit(
    text: str, measure, gives: bool
) -> None:
    """Real wording of the bundled corpus and of the White House call (corpus B)."""
    assert measure.given_in(text) is gives


def test_a_narrator_votes_in_its_own_story_a_person_in_every_article() -> None:
    """/whosaid votes once per speaker: a person's turns in two articles are one voter
    (their best turn), but the "我" of two first-person stories are two narrators, so
    the second story's narrator is not hidden behind the first's (鲁迅: 故乡, 祝福)."""

    def hit(article: str, speaker: str, text: str, score: float) -> Hit:
        pid = f"{article}#{score}"
        return Hit(Passage(pid, article, 0, 0, speaker, Role.QUOTED, text, None, None), score)

    hits = [
        hit("guxiang", "我", "是的。", 3.0),
        hit("zhufu", "我", "是的。", 2.9),
        hit("guxiang", "闰土", "是的，老爷。", 2.0),
        hit("zhufu", "闰土", "是的。", 1.0),
    ]
    narrators = {("guxiang", "我"), ("zhufu", "我")}

    def votes(own_voice):  # type: ignore[no-untyped-def]
        found = rank.vote_speakers(hits, "是的", str, lambda _p: True, own_voice)
        return [(v.speaker, v.passage.article_id) for v in found]

    by_kind = votes(lambda p: (p.article_id, p.speaker) in narrators)
    assert by_kind == [("我", "guxiang"), ("我", "zhufu"), ("闰土", "guxiang")]
    assert votes(lambda _p: False) == [("我", "guxiang"), ("闰土", "guxiang")]


@pytest.mark.parametrize(
    ("text", "key", "held"),
    [
        ("He said it again.", "ai", False),  # a short word inside another
        ("Scale AI的客户", "ai", True),
        ("用AI标注数据", "ai", True),
        ("They talked for hours.", "talk", True),  # a word's stem: its other forms
        ("a scary moment", "car", False),  # a word inside another
        ("the riding instruments", "rid", True),  # "ride" searched as its stem
        ("at Marshall Space Flight Center", "mar", False),  # "Mars": no form of it
        ("let us use it", "us", True),
        ("to use it", "us", False),
        ("成立于2021年", "1", False),  # a number inside another
        ("“-1”阶段", "1", True),
        ("Meta的Llama 4模型", "llama\x1f4", True),  # versioned_keys("llama4")
        ("Meta的Llama 40模型", "llama\x1f4", False),
        ("在大学里", "学", True),  # Han anywhere
    ],
)
def test_a_latin_key_is_held_as_a_word_han_anywhere(text: str, key: str, held: bool) -> None:
    """The floors' text keys keep a break between two Latin words or numbers, so a Latin
    key is found from a word's start, and a number or a short word only whole."""
    assert rank.holds(rank.unpunctuated(text.lower()), key) is held
    assert rank.versioned_keys("llama4") == ("llama4", "llama\x1f4")
