"""The segmenter: rjieba cuts as jieba (the reference) does, the pruned dictionary
keeps jieba's cuts, and the saved index names the segmenter that cut it."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
from pathlib import Path

import pytest

from bot.app import build_bot
from bot.config import Settings
from bot.evaluate import load_queries
from bot.ingest.store import load_articles
from bot.search.tokenize import Tokenizer, write_pruned_dictionary
from bot.textfold import Folder
from tests.conftest import DATA


@pytest.fixture(scope="module")
def corpus(settings: Settings) -> tuple[list[str], list[str], list[str]]:
    """Passage texts, turn and title texts, and the user words the app would use."""
    articles = load_articles(settings.corpus.articles_dir)
    tables = [settings.corpus.speakers, *(a.speakers for a in articles)]
    names = {n for t in tables for name, aliases in t.items() for n in (name, *aliases)}
    passages = [p.text for a in articles for p in a.passages]
    turns = [t.text for a in articles for t in a.turns] + [a.title.value or "" for a in articles]
    return passages, turns, [*settings.corpus.user_words, *sorted(names)]


@pytest.fixture(scope="module")
def reference(folder: Folder, corpus) -> Tokenizer:  # type: ignore[no-untyped-def]
    return Tokenizer(folder, corpus[2], None, "jieba")  # jieba, full dictionary


def test_rjieba_cuts_the_corpus_and_the_queries_as_jieba(
    folder: Folder, corpus, reference: Tokenizer
) -> None:  # type: ignore[no-untyped-def]
    passages, _, user_words = corpus
    fast = Tokenizer(folder, user_words, None, "rjieba")
    queries = [q["ask"] for q in load_queries(DATA / "dev.jsonl")]
    for text in [*passages, *queries]:
        assert fast.tokens(text) == reference.tokens(text), text
        assert fast.words(text) == reference.words(text), text


def test_latin_runs_with_inner_punctuation_are_split_as_jieba_does(folder: Folder) -> None:
    fast = Tokenizer(folder, ["gpt-4o"], None, "rjieba")
    jieba = Tokenizer(folder, ["gpt-4o"], None, "jieba")
    for text, words in (
        ("GPT-3 和 character.ai", ["gpt", "3", "character", "ai"]),
        ("2024-09-26 增长 13.5% 或 80%", ["2024", "09", "26", "增长", "13.5%", "80%"]),
        ("gpt-4o", ["gpt-4o"]),  # a user word stays whole, as in jieba
    ):
        assert fast.tokens(text) == jieba.tokens(text)
        assert fast.tokens(text)[: len(words)] == words


def test_the_pruned_dictionary_cuts_the_corpus_as_the_full_one(
    folder: Folder, corpus, reference: Tokenizer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    passages, turns, user_words = corpus
    write_pruned_dictionary([*turns, *user_words], folder, tmp_path / "jieba.dict")
    pruned = Tokenizer(folder, user_words, tmp_path / "jieba.dict", "jieba")
    for text in passages:
        assert pruned.tokens(text) == reference.tokens(text), text


def test_the_saved_index_records_its_segmenter_and_a_mismatch_rebuilds(
    index_settings: Settings, folder: Folder, tmp_path: Path
) -> None:
    def settings_for(segmenter: str) -> Settings:
        search = dataclasses.replace(index_settings.search, index_dir=tmp_path, segmenter=segmenter)
        return dataclasses.replace(index_settings, search=search)

    manifest = tmp_path / "rank-bm25" / "manifest.json"
    build_bot(settings_for("rjieba"), "rank-bm25", None, folder)
    saved = json.loads(manifest.read_text(encoding="utf-8"))
    assert saved["segmenter"] == "rjieba"
    assert saved["segmenter_version"] == importlib.metadata.version("rjieba")

    rebuilt: list[str] = []
    bot = build_bot(settings_for("jieba"), "rank-bm25", rebuilt.append, folder)
    assert rebuilt, "another segmenter makes the saved index stale"
    assert json.loads(manifest.read_text(encoding="utf-8"))["segmenter"] == "jieba"
    assert (tmp_path / "rank-bm25" / "jieba.dict").is_file()
    assert bot.ask("/quote 数据铸造厂").results

    # Another release of the same segmenter: the manifest says so, and it is rebuilt.
    build_bot(settings_for("rjieba"), "rank-bm25", None, folder)
    saved = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps(saved | {"segmenter_version": "0.0.1"}), encoding="utf-8")
    again: list[str] = []
    build_bot(settings_for("rjieba"), "rank-bm25", again.append, folder)
    assert again, "a segmenter of another version makes the saved index stale"


def test_the_pruned_dictionary_saved_with_the_index_cuts_the_corpus_as_the_whole_one(
    index_settings: Settings, folder: Folder, corpus, reference: Tokenizer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    search = dataclasses.replace(index_settings.search, index_dir=tmp_path)
    build_bot(dataclasses.replace(index_settings, search=search), "rank-bm25", None, folder)
    passages, _, user_words = corpus
    pruned = Tokenizer(folder, user_words, tmp_path / "rank-bm25" / "jieba.dict", "rjieba")
    for text in passages:
        assert pruned.tokens(text) == reference.tokens(text), text
