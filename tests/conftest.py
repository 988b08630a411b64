from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.ingest.pipeline import Ingestor
from bot.search.index import SyncReport, configured_words, sync_index
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


@pytest.fixture(scope="session")
def index_settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Default settings with a private index folder for the whole test session."""
    root = tmp_path_factory.mktemp("index")
    return dataclasses.replace(
        settings, search=dataclasses.replace(settings.search, index_dir=root)
    )


@pytest.fixture(scope="session")
def bot(index_settings: Settings, folder: Folder):  # type: ignore[no-untyped-def]
    from bot.app import build_bot

    return build_bot(index_settings, engine="rank-bm25", folder=folder)


@pytest.fixture(scope="session")
def tantivy_bot(index_settings: Settings, folder: Folder):  # type: ignore[no-untyped-def]
    from bot.app import build_bot

    return build_bot(index_settings, engine="tantivy", folder=folder)


@dataclass(frozen=True)
class Deployment:
    """The bundled articles copied into a test's own folder (``articles``), indexed there:
    for the tests that change articles under a saved index and compare it with a fresh
    build of the same articles."""

    root: Path
    settings: Settings
    folder: Folder
    seeds: tuple[Path, ...]  # the bundled article files, sorted

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    def at(self, index: str) -> Settings:
        """The settings reading ``articles`` and indexing them in ``root/index``."""
        return dataclasses.replace(
            self.settings,
            corpus=dataclasses.replace(self.settings.corpus, articles_dir=self.articles),
            search=dataclasses.replace(self.settings.search, index_dir=self.root / index),
        )

    def sync(self, engine: str, index: str = "live") -> SyncReport:
        """Bring the index ``root/index`` in step with ``articles``, as ingest does."""
        live = self.at(index)
        words = configured_words(live.corpus)
        people = live.corpus.speakers
        return sync_index(self.articles, live.search, self.folder, words, engine, people=people)[1]


@pytest.fixture
def deployment(settings: Settings, folder: Folder, tmp_path: Path) -> Deployment:
    """Every bundled article in a folder of the test's own; nothing indexed yet."""
    seeds = tuple(sorted((ROOT / "seeds" / "articles").glob("*.json")))
    (tmp_path / "articles").mkdir()
    for path in seeds:
        shutil.copy(path, tmp_path / "articles")
    return Deployment(tmp_path, settings, folder, seeds)


def make_config(tmp_path: Path, replace: dict[str, str] | None = None) -> Path:
    """A copy of config/ in tmp_path, reading the bundled seeds, writing under tmp_path."""
    target = tmp_path / "config"
    shutil.copytree(ROOT / "config", target, dirs_exist_ok=True)
    main = target / "corpusbot.toml"
    text = main.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    text = text.replace('"../seeds/', f'"{ROOT}/seeds/')
    text = text.replace('"../var/', f'"{tmp_path}/var/')
    main.write_text(text, encoding="utf-8")
    return main


# ---- the loopback fakes of Slack and Discord, and an adapter on each ---------------------

SLACK_SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture
async def slack_fake():  # type: ignore[no-untyped-def]
    from tests.fake_slack import FakeSlack

    server = FakeSlack()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def slack_adapter(bot, slack_fake):  # type: ignore[no-untyped-def]
    """The Slack adapter on the fake, HTTP mode's signing secret set; closed after."""
    from adapters.slack import SlackAdapter, SlackEnv

    adapter = SlackAdapter(bot, SlackEnv("xoxb-test", None, SLACK_SECRET, slack_fake.api_url))
    yield adapter
    await adapter.close()  # its connection pool, its search threads


@pytest.fixture
async def discord_fake(monkeypatch):  # type: ignore[no-untyped-def]
    import discord

    from tests.fake_discord import FakeDiscord

    server = FakeDiscord()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.base)
    yield server
    await server.close()
