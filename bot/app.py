"""Everything is built here, from settings: no module-level clients or state, so a
test can build as many bots as it likes, each on its own files."""

from __future__ import annotations

from collections.abc import Callable

from bot.config import Settings
from bot.core import CorpusBot
from bot.ingest.store import load_articles
from bot.search.index import configured_words, open_index
from bot.textfold import Folder


def build_bot(
    settings: Settings,
    engine: str | None = None,
    progress: Callable[[str], None] | None = None,
    folder: Folder | None = None,
) -> CorpusBot:
    folder = folder or Folder()
    articles = load_articles(settings.corpus.articles_dir)
    corpus = settings.corpus
    # Every speaker name and alias, configured or found in an article, stays one token.
    words = configured_words(corpus)
    index = open_index(
        articles, corpus.articles_dir, settings.search, folder, words, engine, progress
    )
    return CorpusBot(index, settings.search.results, settings.search.max_query_chars)
