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

import contextlib
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
    """``init`` never writes into a folder that holds anything: a file there may be
    someone's, and a deployment half over another is neither."""


def init_deployment(directory: Path) -> list[Path]:
    """Create the folder and its files; return the files written. All or nothing: when
    a step fails (no permission, a full disk, a file where a folder goes) everything
    this call made is removed again before the error is raised."""
    config = directory / "config"
    files = {
        config / "corpusbot.toml": _template("corpusbot.toml"),
        config / "speakers.toml": _template("speakers.toml"),
        config / "articles.toml": _template("articles.toml"),
        config / "normalise.toml": normalise_rules(),
        config / "slack-manifest.yml": _packaged("slack-manifest.yml"),
    }
    if directory.exists() and not directory.is_dir():
        raise DeploymentExistsError(f"{directory} is a file, not a folder; nothing was changed")
    if directory.is_dir():
        held = sorted(p.name for p in directory.iterdir())
        if held:
            shown = ", ".join(held[:5]) + (", …" if len(held) > 5 else "")
            raise DeploymentExistsError(
                f"{directory} is not empty (it holds {shown}); nothing was changed "
                "(choose a new or empty folder)"
            )
    made: list[Path] = []  # in the order made, removed in reverse on failure
    try:
        for folder in [*reversed(directory.parents), directory]:
            if not folder.is_dir():
                folder.mkdir()
                made.append(folder)
        for name in FOLDERS:
            (directory / name).mkdir()
            made.append(directory / name)
        for path, text in files.items():
            made.append(path)  # before writing: a write that fails may leave a file
            path.write_text(text, encoding="utf-8")
    except BaseException:
        _remove(made)
        raise
    return list(files)


def _remove(made: list[Path]) -> None:
    """Undo ``made`` (files and empty folders), newest first, as far as it can."""
    for path in reversed(made):
        # What cannot be removed stays; the error that brought us here is what is reported.
        with contextlib.suppress(OSError):
            path.rmdir() if path.is_dir() else path.unlink(missing_ok=True)


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
