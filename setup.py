"""Packaging: what pyproject.toml cannot say declaratively.

The wheel ships the repository's top-level ``config/`` and ``seeds/`` folders inside the
``bot`` package as ``bot/data/config`` and ``bot/data/seeds/{raw,articles}``, so an
installed ``corpusbot`` has its default settings, the tables ``init`` copies and the
bundled corpus for ``--demo``, while git keeps one copy of each file, where a reader of
the repository expects it. ``bot/packaged.py`` finds them in either place.
Every other setting lives in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

# Package name inside the wheel -> folder in the repository.
DATA = {
    "bot.data.config": "config",
    "bot.data.seeds.raw": "seeds/raw",
    "bot.data.seeds.articles": "seeds/articles",
}

setup(
    # Namespace discovery: a sub-package without __init__.py (bot/ingest) is shipped too.
    packages=[
        *find_namespace_packages(
            include=["bot", "bot.*", "adapters", "adapters.*"], exclude=["*.__pycache__"]
        ),
        *DATA,
    ],
    package_dir=DATA,
    package_data={
        "bot.templates": ["*.toml"],  # what `corpusbot init` writes
        # the query steps' word lists; the English words of CC-CEDICT's glosses
        "bot.query": [
            "words.toml",
            "dictionary_words.txt.gz",
            "chinese_wordnet.tab.gz",  # the Chinese Open Wordnet, with its licence
            "chinese_wordnet_LICENSE.txt",
        ],
        "bot.data.config": ["*.toml", "*.yml"],
        "bot.data.seeds.raw": ["*.txt", "*.md"],
        "bot.data.seeds.articles": ["*.json"],
    },
)
