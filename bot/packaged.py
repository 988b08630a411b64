"""Where the files that ship with corpusbot live: default settings, the tables ``init``
copies, and the bundled corpus that ``--demo`` answers from.

In a wheel they are package data under ``bot/data/`` (setup.py maps them there from the
repository's top-level ``config/`` and ``seeds/``); in a source checkout they are those
top-level folders themselves. Either way the layout is the same, so the default
config's relative paths (``../seeds/raw``) hold in both.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES = PACKAGE_DIR / "templates"


def data_root() -> Path:
    """The folder holding ``config/`` and ``seeds/``: the installed copy, else the checkout."""
    installed = PACKAGE_DIR / "data"
    if (installed / "config" / "corpusbot.toml").is_file():
        return installed
    return PACKAGE_DIR.parent


def demo_config() -> Path:
    return data_root() / "config" / "corpusbot.toml"


def demo_state_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the demo keeps what it writes (index, ledger): never inside the package,
    which may be read-only. ``$XDG_CACHE_HOME/corpusbot/demo``."""
    cache = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "corpusbot" / "demo"
