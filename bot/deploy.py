"""``corpusbot init DIR``: a deployment folder of one's own, as ``errbot --init`` makes.

    DIR/config/corpusbot.toml   settings, commented; every path relative to it
    DIR/config/speakers.toml    speaker names and aliases (empty, with an example)
    DIR/config/articles.toml    per-article fields (empty, with an example)
    DIR/config/normalise.toml   the packaged boilerplate rules, without the demo's terms
    DIR/config/slack-manifest.yml
    DIR/corpus/                 raw .txt/.md files go here
    DIR/articles/, DIR/var/     written by ingest (articles) and the bot (index, ledger)

Started in DIR, ``corpusbot`` finds ``./config/corpusbot.toml`` by itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot import packaged
from bot.errors import CorpusbotError

FOLDERS = ("config", "corpus", "articles", "var")
NO_USER_WORDS = """[search]
# Terms of your corpus the segmenter should keep whole (added to jieba as user words,
# alongside every speaker name and alias), e.g. ["数据墙", "合成数据"].
user_words = []
"""


class DeploymentExistsError(CorpusbotError):
    """``init`` never overwrites a file someone may have edited."""


def init_deployment(directory: Path) -> list[Path]:
    """Create the folder and its files; return the files written."""
    config = directory / "config"
    files = {
        config / "corpusbot.toml": _template("corpusbot.toml"),
        config / "speakers.toml": _template("speakers.toml"),
        config / "articles.toml": _template("articles.toml"),
        config / "normalise.toml": normalise_rules(),
        config / "slack-manifest.yml": _packaged("slack-manifest.yml"),
    }
    existing = [str(path) for path in files if path.exists()]
    if existing:
        raise DeploymentExistsError(
            f"{directory} already holds {', '.join(existing)}; nothing was changed "
            "(choose an empty folder, or edit those files)"
        )
    for name in FOLDERS:
        (directory / name).mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)


def normalise_rules() -> str:
    """The packaged normalise.toml with its corpus terms emptied: the boilerplate and
    label rules are about Chinese web copies in general, the user words are the demo's."""
    text = _packaged("normalise.toml")
    head, found, _ = text.partition("\n[search]")
    if not found:
        return text
    return head.rstrip("\n") + "\n\n" + NO_USER_WORDS


def _template(name: str) -> str:
    return (packaged.TEMPLATES / name).read_text(encoding="utf-8")


def _packaged(name: str) -> str:
    return (packaged.data_root() / "config" / name).read_text(encoding="utf-8")


def shell_path(path: Path) -> str:
    """A path as a person would type it (quoted when it needs to be)."""
    text = str(path)
    return text if re.fullmatch(r"[\w./~+-]+", text) else "'" + text.replace("'", "'\\''") + "'"
