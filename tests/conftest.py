from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.ingest.pipeline import Ingestor
from bot.textfold import Folder

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED_EVAL = ROOT.parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def folder() -> Folder:
    return Folder()


@pytest.fixture(scope="session")
def ingestor(settings: Settings, folder: Folder) -> Ingestor:
    return Ingestor(settings.corpus, folder)


@pytest.fixture
def tmp_settings(settings: Settings, tmp_path: Path) -> Settings:
    """The default settings, writing articles, indexes and ledgers under tmp_path."""
    return dataclasses.replace(
        settings,
        corpus=dataclasses.replace(settings.corpus, articles_dir=tmp_path / "articles"),
        search=dataclasses.replace(settings.search, index_dir=tmp_path / "index"),
        digest=dataclasses.replace(settings.digest, ledger=str(tmp_path / "ledger.sqlite3")),
    )
