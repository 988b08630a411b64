"""Everything is built here, from settings: no module-level clients or state, so a
test can build as many bots as it likes, each on its own files."""

from __future__ import annotations

from collections.abc import Callable

from bot.config import Settings
from bot.core import CorpusBot
from bot.errors import CorpusMissingError
from bot.reload import Reloader
from bot.search.index import SearchIndex, configured_words, open_index
from bot.textfold import Folder


def build_bot(
    settings: Settings,
    engine: str | None = None,
    progress: Callable[[str], None] | None = None,
    folder: Folder | None = None,
) -> CorpusBot:
    index = build_index(settings, engine, progress, folder)
    search = settings.search
    return CorpusBot(
        index,
        search.results,
        search.max_query_chars,
        synonyms=search.synonyms,
        floors=search.floors,
        show_source_script=search.show_source_script,
    )


def build_index(
    settings: Settings,
    engine: str | None = None,
    progress: Callable[[str], None] | None = None,
    folder: Folder | None = None,
) -> SearchIndex:
    """The articles now on disk, indexed (the saved index, brought in step with them)."""
    folder = folder or Folder()
    corpus = settings.corpus
    if not any(corpus.articles_dir.glob("*.json")):
        raise CorpusMissingError(f"no normalised articles in {corpus.articles_dir}")
    # Every speaker name and alias, configured or found in an article, stays one token.
    words = configured_words(corpus)
    # Articles are read when first needed: a large corpus starts without reading it all.
    return open_index(
        None,
        corpus.articles_dir,
        settings.search,
        folder,
        words,
        engine,
        progress,
        people=corpus.speakers,
    )


def build_reloader(bot: CorpusBot, settings: Settings) -> Reloader:
    """Live reload for ``python -m bot run``: the articles folder watched, SIGHUP heard."""
    folder = bot.index.folder
    return Reloader(bot, lambda: build_index(settings, folder=folder), settings.corpus.articles_dir)
