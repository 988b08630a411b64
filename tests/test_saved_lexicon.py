"""The query lexicon as saved beside the index and loaded at start-up (#14): a line per
field, each decoded when first read, and the absent words looked up by bisection in
their sorted text. Loading must give back exactly what was built, on the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import CorpusBot
from bot.query.lexicon import Lexicon


def test_a_saved_lexicon_loads_as_it_was_built(bot: CorpusBot, tmp_path: Path) -> None:
    built = bot.index.lexicon
    path = tmp_path / "lexicon.json"
    built.save(path, "key")
    loaded = Lexicon.load(path, "key")
    assert loaded == built
    # Field by field as plain values too (a decoded field compares as a mapping).
    for name in ("english", "glossary", "pinyin", "senses", "related", "kept", "irregular"):
        assert dict(getattr(loaded, name)) == dict(getattr(built, name)), name
    assert loaded.absent == built.absent
    assert loaded.pinyin.get("shuju") == built.pinyin.get("shuju")


def test_a_lexicon_of_other_articles_is_refused(bot: CorpusBot, tmp_path: Path) -> None:
    path = tmp_path / "lexicon.json"
    bot.index.lexicon.save(path, "key")
    with pytest.raises(ValueError):
        Lexicon.load(path, "another key")


def test_absent_words_are_found_by_bisection_as_a_set_finds_them(bot: CorpusBot) -> None:
    text = bot.index.lexicon.absent
    words = text.split("\n")
    assert words == sorted(words) and len(words) > 1000
    absent = bot.index.lexicon.absent_words()
    assert len(absent) == len(words)
    assert all(w in absent for w in words)
    # Neighbours in the order that are not words: prefixes, extensions, the ends.
    others = {w[:-1] for w in words} | {w + "的" for w in words} | {"", "\n", "一", "\U0002ffff"}
    for other in others - set(words):
        assert other not in absent, other
    # Words the corpus uses are never absent.
    assert "数据" not in absent and "公司" not in absent
