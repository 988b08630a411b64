"""``python -m bot``: the command line. Every feature is reachable from here."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import DEFAULT_CONFIG, Settings, load_settings
from bot.errors import CorpusbotError

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="settings file (TOML)")
    common.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command")

    ingest = sub.add_parser("ingest", parents=[common], help="normalise raw files into articles")
    ingest.add_argument("paths", nargs="*", type=Path, help="files or folders (default: seeds/raw)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        settings = load_settings(getattr(args, "config", None))
        return _dispatch(args, settings)
    except CorpusbotError as err:
        log.debug("command failed", exc_info=True)
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "ingest":
        return _ingest(args, settings)
    raise AssertionError(args.command)


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.ingest.pipeline import Ingestor
    from bot.textfold import Folder

    ingestor = Ingestor(settings.corpus, Folder())
    reports = ingestor.run(args.paths or [settings.corpus.raw_dir])
    for report in reports:
        print(report.render())
    failed = sum(1 for r in reports if r.error)
    print(f"{len(reports) - failed} articles ingested, {failed} files skipped")
    return 1 if failed else 0
