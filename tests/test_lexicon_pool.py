"""The lexicon read over a pool is the one-process build's, exactly (#14): the bundled
articles, with a pinyin cap low enough that the reading stops part way."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.ingest.store import load_articles
from bot.query import lexicon
from bot.search.index import _load_article
from bot.search.lexicon_pool import build_pooled
from bot.search.tokenize import Tokenizer
from bot.textfold import Folder


@pytest.mark.parametrize("scan_chars", [lexicon.PINYIN_SCAN_CHARS, 20_000])
def test_pooled_lexicon_equals_the_one_process_build(
    settings: Settings, folder: Folder, monkeypatch: pytest.MonkeyPatch, scan_chars: int
) -> None:
    monkeypatch.setattr(lexicon, "PINYIN_SCAN_CHARS", scan_chars)
    files = sorted(Path(settings.corpus.articles_dir).glob("*.json"))
    articles = load_articles(settings.corpus.articles_dir)
    texts = [p.text for a in articles for p in a.passages]
    titles = [a.title.value or "" for a in articles]
    # Names as user words, as the index gives them: the workers must cut alike.
    names = sorted({name for a in articles for name in a.speakers})
    tokenizer = Tokenizer(folder, names)
    one = lexicon.build_lexicon(texts, folder, tokenizer.words, titles)
    pooled = build_pooled(files, _load_article, tokenizer, workers=2)
    assert pooled == one
    assert one.glossary and one.pinyin and one.english and one.latin
