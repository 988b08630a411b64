"""English documents in a team corpus that mixes them with Chinese ones: two White
House briefings (a press briefing and a press gaggle) beside classical Chinese texts
(《論語》, 《三国演义》, 《红楼梦》), through the real ingest, index and query steps on both
engines. English questions about English text must find the English passages, never be
turned into classical Chinese (how -> 何如, talk -> 说) and outranked by it.

Golden questions: ``tests/data/english_mixed.jsonl`` ("expect": a substring of one of
the first three results; "chinese": a Chinese query over the same corpus)."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil

import pytest

from bot.app import build_bot
from bot.config import Settings
from bot.core import CorpusBot
from bot.display import highlight_spans
from bot.ingest.pipeline import Ingestor
from bot.ingest.store import load_articles
from bot.models import Article, Role
from bot.query.terms import Origin
from bot.search.tokenize import Tokenizer
from bot.textfold import Folder
from tests.conftest import DATA

TEXTS = (
    DATA / "speakers" / "wh_briefing_2023-07-26.md",
    DATA / "wh_gaggle_2023-11-14.md",
    DATA / "lunyu_xueer.txt",
    DATA / "speakers" / "sgyy_004.txt",
    DATA / "speakers" / "hlm_057.txt",
)
ENGLISH = ("wh_briefing_2023-07-26", "wh_gaggle_2023-11-14")
GOLDEN = [
    json.loads(line) for line in (DATA / "english_mixed.jsonl").read_text("utf-8").splitlines()
]
FORMS = [
    json.loads(line) for line in (DATA / "english_forms.jsonl").read_text("utf-8").splitlines()
]
ENGINES = ("rank-bm25", "tantivy")


@pytest.fixture(scope="module")
def mixed(settings: Settings, folder: Folder, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("mixed")
    raw = root / "raw"
    raw.mkdir()
    for path in TEXTS:
        shutil.copy(path, raw)
    mixed = dataclasses.replace(
        settings,
        corpus=dataclasses.replace(settings.corpus, raw_dir=raw, articles_dir=root / "articles"),
        search=dataclasses.replace(settings.search, index_dir=root / "index"),
    )
    reports = Ingestor(mixed.corpus, folder).run([raw])
    assert all(r.error is None for r in reports)
    return mixed


@pytest.fixture(scope="module")
def bots(mixed: Settings, folder: Folder) -> dict[str, CorpusBot]:
    return {engine: build_bot(mixed, engine, folder=folder) for engine in ENGINES}


def _article(mixed: Settings, name: str) -> Article:
    return {a.id: a for a in load_articles(mixed.corpus.articles_dir)}[name]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("row", GOLDEN, ids=[r["ask"] for r in GOLDEN])
def test_english_questions_find_the_english_passage(
    bots: dict[str, CorpusBot], engine: str, row: dict[str, str]
) -> None:
    reply = bots[engine].ask(row["ask"])
    top = [r.text for r in reply.results[:3]]
    assert any(row["expect"] in text for text in top), (row["ask"], top)
    if not row.get("chinese"):
        assert reply.results[0].article_id in ENGLISH, (row["ask"], top)


def test_question_and_function_words_are_never_translated(bots: dict[str, CorpusBot]) -> None:
    """The briefings hold "how", "talk", "did" and "the" in English; they still ask,
    they are no topic to translate into 何如, 焉 or 说."""
    reply = bots["rank-bm25"].ask("how long did Biden and Xi talk")
    searched = {(t.source.lower(), t.origin) for t in reply.interpreted if t.weight > 0}
    asked = {"how", "did", "and", "talk"}
    assert not {s for s, _ in searched} & asked, searched
    assert all(t.weight == 0 for t in reply.interpreted if t.source.lower() in asked)
    forms = bots["rank-bm25"].ask("is he talking to them")
    assert all(t.weight == 0 for t in forms.interpreted if t.source == "talking")


@pytest.mark.parametrize("row", FORMS, ids=[r["ask"] for r in FORMS])
def test_english_words_search_the_forms_the_corpus_writes(
    bots: dict[str, CorpusBot], row: dict
) -> None:
    """A question's English word finds the English text in the forms the text writes it
    ("leads" finds "led", "falls" finds "fell" and "fallen"), from LemmInflect's lemma
    table where no ending rule reaches; golden cases: ``tests/data/english_forms.jsonl``."""
    reply = bots["rank-bm25"].ask(row["ask"])
    english = {t.text for t in reply.interpreted if t.origin is Origin.ENGLISH and t.weight > 0}
    latin = {t for t in english if t.isascii()}
    if "searched" in row:
        assert set(row["searched"]) <= latin, (row["why"], english)
        assert row["searched"] or not english, (row["why"], english)
    assert not set(row.get("absent", [])) & english, (row["why"], english)


def test_translations_of_an_english_word_weigh_less_than_the_word(
    bots: dict[str, CorpusBot],
) -> None:
    reply = bots["rank-bm25"].ask("grain deal")
    typed = [t for t in reply.interpreted if t.source == "deal" and t.text == "deal"]
    translated = [t for t in reply.interpreted if t.source == "deal" and t.text != "deal"]
    assert typed and typed[0].weight == 1.0
    assert translated and all(t.weight < 1.0 for t in translated)
    assert all(t.origin is Origin.ENGLISH for t in typed + translated)
    # Another form of a word the corpus holds ("enter") is held too: the index stems.
    entered = bots["rank-bm25"].ask("trucks entered Gaza").interpreted
    assert [t.weight for t in entered if t.text == "entered"] == [1.0]
    assert all(t.weight < 1.0 for t in entered if t.source == "entered" and t.text != "entered")


def test_sentences_of_english_narration_keep_their_space(mixed: Settings) -> None:
    """Sentences regrouped into turns and passages meet as written: "now. I know", not
    "now.I know"; Chinese sentences still meet with no space."""
    glued = re.compile(r"[a-z][.?!][A-Z]")
    for name in ENGLISH:
        for passage in _article(mixed, name).passages:
            assert not glued.search(passage.text), passage.text
    classical = _article(mixed, "sgyy_004")
    assert not any(re.search(r"[。！？」”] [\u4e00-\u9fff]", p.text) for p in classical.passages)


def test_a_briefing_is_answered_to_reporters(mixed: Settings) -> None:
    """ "Q" of a briefing is a reporter (role kept: interviewer); the named speakers
    answer; the interviewee is the one who answers most, never a place or a name the
    text only mentions."""
    for name in ENGLISH:
        article = _article(mixed, name)
        roles = {(t.speaker, t.role) for t in article.turns if t.speaker}
        assert ("Reporter", Role.INTERVIEWER) in roles
        assert ("Mr. Kirby", Role.INTERVIEWEE) in roles
        assert ("Ms. Jean-Pierre", Role.INTERVIEWEE) in roles
        assert "Interviewer" not in {s for s, _ in roles}
        assert (article.interviewee.value, article.interviewee.source) == ("Mr. Kirby", "text")


def test_english_word_forms_meet_and_names_stay(folder: Folder) -> None:
    """Light stemming on both sides (the query side's ``stem``): "talks", "talked",
    "talking" and "talk" are one token; names and terms keep one token each."""
    tokenizer = Tokenizer(folder)
    assert set(tokenizer.tokens("talks talked talking talk")) == {"talk"}
    assert tokenizer.tokens("Meta YC DeepSeek GPT-4 OpenAI H100") == [
        "meta",
        "yc",
        "deepseek",
        "gpt",
        "4",
        "openai",
        "h100",
    ]
    assert tokenizer.tokens("数据墙 data walls") == ["数据", "墙", "data", "wall", "数据", "据墙"]


def test_a_stem_highlights_the_word_as_written(folder: Folder) -> None:
    text = "They talked about the talks; Information stays whole."
    marked = [text[s:e] for s, e in highlight_spans(text, ["talk", "on"], folder)]
    assert marked == ["talked", "talks"]


@pytest.fixture(scope="module")
def chandra(
    settings: Settings, folder: Folder, tmp_path_factory: pytest.TempPathFactory
) -> CorpusBot:
    """Two NASA releases about Chandra: one names the James Webb Space Telescope and
    likens a shock wave to a traffic jam, the other shows a labeled image."""
    root = tmp_path_factory.mktemp("chandra")
    raw = root / "raw"
    raw.mkdir()
    for name in ("nasa_chandra_movies.md", "nasa_chandra_vent.md"):
        shutil.copy(DATA / name, raw)
    chandra = dataclasses.replace(
        settings,
        corpus=dataclasses.replace(settings.corpus, raw_dir=raw, articles_dir=root / "articles"),
        search=dataclasses.replace(settings.search, index_dir=root / "index"),
    )
    assert all(r.error is None for r in Ingestor(chandra.corpus, folder).run([raw]))
    return build_bot(chandra, "rank-bm25", folder=folder)


def test_a_name_is_no_form_of_a_word(chandra: CorpusBot) -> None:
    """Tokens are made from lower-cased text: "James" stemmed as "jam" found the
    traffic jam, and "jam" the telescope. A name is searched as written, while every
    form of a word still meets the others ("labels", "labeling" find "labeled")."""
    james = chandra.ask("/quote James").results
    assert james and all(re.search(r"\bJames\b", r.text) for r in james), james
    jam = chandra.ask("/quote jam").results
    assert jam and all(re.search(r"\bjam\b", r.text) for r in jam), jam
    assert [r.text for r in chandra.ask("/quote jams").results] == [r.text for r in jam]
    for asked in ("label", "labels", "labeling"):
        top = chandra.ask(f"/quote {asked}").results
        assert top and "labeled" in top[0].text, (asked, top)


@pytest.fixture(scope="module")
def novel(settings: Settings, folder: Folder, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A team corpus of English fiction only: Pride and Prejudice, chapters I and II."""
    root = tmp_path_factory.mktemp("novel")
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(DATA / "speakers" / "austen_pp_01.txt", raw)
    novel = dataclasses.replace(
        settings,
        corpus=dataclasses.replace(settings.corpus, raw_dir=raw, articles_dir=root / "articles"),
        search=dataclasses.replace(settings.search, index_dir=root / "index"),
    )
    assert all(r.error is None for r in Ingestor(novel.corpus, folder).run([raw]))
    return novel


@pytest.mark.parametrize("engine", ENGINES)
def test_an_english_word_the_index_holds_by_its_stem_is_never_cut(
    novel: Settings, folder: Folder, engine: str
) -> None:
    """The index holds "single" and "fortune" by their search forms ("singl", "fortun");
    asked as typed, they were words the corpus never used and were cut into two it does
    ("sing" + "le", "for" + "tun"), so the novel's first sentence did not match."""
    bot = build_bot(novel, engine, folder=folder)
    reply = bot.ask("/quote a single man in possession of a good fortune")
    assert reply.results, reply.message
    assert reply.results[0].text.startswith("It is a truth universally acknowledged")
    whosaid = bot.ask("/whosaid you have no compassion on my poor nerves")
    assert whosaid.results and whosaid.results[0].speaker == "Mrs. Bennet"
