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


def test_a_character_common_in_the_chinese_texts_is_frequent_however_few_they_are(
    folder: Folder,
) -> None:
    """A corpus mostly in English: a character in most Chinese passages is frequent as in
    a Chinese corpus, so where a word translates it exactly ("hit": 打击; "China": 中国),
    the character (中, 打) is no candidate: it would match every Chinese passage."""
    english = [f"Briefing {n}: the press secretary spoke about trade." for n in range(200)]
    chinese = ["我和他去日本，打击犯罪。", "天和地，打人。", "你和我打球。", "山和水，打开。"]
    chinese += ["新年和新闻，中国。", "中间的人，新的。"]
    built = lexicon.build_lexicon(english + chinese, folder, Tokenizer(folder, []).words, [])
    assert built.english["hit"] == ["打击"]
    assert built.english["china"] == ["中国"]
