"""``corpusbot`` (the same as ``python -m bot``): the command line. Every feature is
reachable from here."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot import packaged
from bot.config import (
    CONFIG_ENV,
    ConfigChoice,
    ConfigSource,
    Settings,
    discover_config,
    load_settings,
    with_state_dir,
)
from bot.errors import ConfigError, CorpusbotError, CorpusMissingError

log = logging.getLogger("bot")


CONFIG_HELP = (
    f"settings file (TOML); default: ${CONFIG_ENV}, else ./config/corpusbot.toml, "
    "else the packaged demo"
)


def prog_name() -> str:
    """How the person started us, for usage lines and hints: ``python -m bot``, or the
    installed script by the name it was run as (``corpusbot``)."""
    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None) == "bot.__main__":
        return "python -m bot"
    script = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return script if script and not script.endswith(".py") and script != "-c" else "corpusbot"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog_name(),
        description="corpusbot: quotes, speakers and timelines from a corpus of articles and "
        "interviews. With no command, chat with it in the terminal.",
    )
    # Also at the top, so `corpusbot --config FILE` (or --demo) starts the console with it.
    parser.add_argument("--config", type=Path, dest="root_config", metavar="FILE", help=CONFIG_HELP)
    parser.add_argument(
        "--demo", action="store_true", dest="root_demo", help="use the bundled demo corpus"
    )
    parser.add_argument("-v", "--verbose", action="store_true", dest="root_verbose")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, metavar="FILE", help=CONFIG_HELP)
    common.add_argument("--demo", action="store_true", help="use the bundled demo corpus")
    common.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command")

    init = sub.add_parser(
        "init", help="create a deployment folder: commented config files, corpus/, var/"
    )
    init.add_argument("directory", type=Path, metavar="DIR")

    ingest = sub.add_parser("ingest", parents=[common], help="normalise raw files into articles")
    ingest.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: corpus.raw_dir)"
    )

    ask = sub.add_parser("ask", parents=[common], help="answer commands, e.g. '/quote 数据墙'")
    ask.add_argument("--json", action="store_true", help="one JSON object per TEXT, one per line")
    ask.add_argument("--engine", choices=["rank-bm25", "tantivy"], help="override search.engine")
    ask.add_argument("texts", nargs="+", metavar="TEXT")

    evaluate = sub.add_parser("eval", parents=[common], help="score a query file (JSON lines)")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument(
        "--engine", choices=["rank-bm25", "tantivy"], help="override search.engine"
    )
    evaluate.add_argument(
        "--json",
        action="store_true",
        help="one JSON object: totals, per command, per group and every query's outcome",
    )

    sub.add_parser("console", parents=[common], help="chat in the terminal (the default)")

    digest = sub.add_parser("digest", help="the daily excerpt: preview, post, history")
    digest_sub = digest.add_subparsers(dest="digest_command", required=True)
    for name, text in (
        ("preview", "show what would be posted; the ledger is not touched"),
        ("post", "post now unless already posted for that date"),
        ("history", "list what was posted"),
    ):
        cmd = digest_sub.add_parser(name, parents=[common], help=text)
        cmd.add_argument("--target", help="target name from [[digest.targets]]")
        cmd.add_argument("--new-ledger", action="store_true", help=NEW_LEDGER_HELP)
        if name != "history":
            cmd.add_argument("--date", type=_date, help="local date YYYY-MM-DD (default: today)")

    run = sub.add_parser(
        "run",
        parents=[common],
        help="run Slack/Discord (from tokens in the environment) and the digest",
    )
    run.add_argument(
        "--slack-http",
        action="store_true",
        help="serve Slack over HTTP (needs SLACK_SIGNING_SECRET) instead of Socket Mode",
    )
    run.add_argument("--port", type=_port, default=3000, help="port for --slack-http")
    run.add_argument(
        "--host",
        default="127.0.0.1",
        help="address for --slack-http (default 127.0.0.1; 0.0.0.0 behind a load balancer)",
    )
    run.add_argument(
        "--once",
        action="store_true",
        help="exit with an error if Slack or Discord cannot be reached, instead of retrying",
    )
    run.add_argument("--new-ledger", action="store_true", help=NEW_LEDGER_HELP)

    sync = sub.add_parser(
        "discord-sync",
        parents=[common],
        help="register the Discord commands globally (or with --guild)",
    )
    sync.add_argument("--guild", type=int, help="one server id instead of global")

    bench = sub.add_parser("bench", parents=[common], help="speed and memory of both engines")
    bench.add_argument(
        "--passages",
        type=_whole(1),
        nargs="*",
        default=[10_000, 100_000, 1_000_000],
        help="synthetic passages per engine row (none: only the bundled and real-text rows)",
    )
    bench.add_argument(
        "--engines", nargs="+", default=["rank-bm25", "tantivy"], choices=["rank-bm25", "tantivy"]
    )
    bench.add_argument("--queries", type=_whole(1), default=200, help="timed queries per run")
    bench.add_argument("--json", action="store_true", help="one JSON object per engine and size")
    bench.add_argument(
        "--include-slow",
        action="store_true",
        help="also run rank-bm25 above 100k passages (seconds per query)",
    )
    bench.add_argument(
        "--slack",
        type=_whole(1),
        metavar="N",
        help="instead: N signed slash commands at once against the real Slack HTTP adapter",
    )
    bench.add_argument("--slack-serve", action="store_true", help=argparse.SUPPRESS)
    bench.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    bench.add_argument("--start", nargs=3, help=argparse.SUPPRESS)
    # A timed start, asking its optional query (bench.START_QUERY when none: #14).
    bench.add_argument("--start-bundled", nargs="?", const="", help=argparse.SUPPRESS)
    bench.add_argument(
        "--real-mb",
        type=_megabytes,
        nargs="*",
        default=[10, 100],
        help="ingest + index MB of resampled real text (none: skip)",
    )
    bench.add_argument("--real-child", choices=["lexicon", "no-lexicon"], help=argparse.SUPPRESS)
    return parser


NEW_LEDGER_HELP = "start a new ledger where the configured one is empty or not a ledger"


def _whole(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``least`` (a count of queries or
    passages, a port), refused with a usage line instead of failing deep inside."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be at least {least}, not {value}")
        return value

    return parse


def _port(text: str) -> int:
    value = _whole(1)(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port (1 to 65535): {value}")
    return value


def _megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of MB: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of MB, not {text}")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    verbose = getattr(args, "verbose", False) or args.root_verbose
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        if args.command == "init":
            return _init(args)
        choice = discover_config(
            getattr(args, "config", None) or args.root_config,
            os.environ,
            Path.cwd(),
            demo=getattr(args, "demo", False) or args.root_demo,
        )
        settings = load_settings(choice.path)
        if choice.source is ConfigSource.DEMO:
            settings = with_state_dir(settings, packaged.demo_state_dir())
        if not _bench_child(args):
            print(f"{prog_name()}: {_describe(choice, settings)}", file=sys.stderr, flush=True)
        try:
            return _dispatch(args, settings, choice)
        except CorpusMissingError as err:
            from bot import messages

            hint = messages.CORPUS_MISSING_HINT.format(
                raw=settings.corpus.raw_dir, prog=prog_name()
            )
            raise CorpusMissingError(f"{err}. {hint}") from err
    except CorpusbotError as err:
        log.debug("command failed", exc_info=True)
        # A config error says so itself ("config error: search.results: …"): no second prefix.
        print(err if isinstance(err, ConfigError) else f"error: {err}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as err:
        # A dependency the project declares but this Python lacks: the code was updated
        # and the install was not (a new package in pyproject.toml). Imported lazily,
        # such a package is first missed mid-command; say what to do, not a traceback.
        from bot import messages

        log.debug("missing module", exc_info=True)
        print(
            f"error: {messages.MISSING_PACKAGE.format(name=err.name, python=sys.executable)}",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): not an error worth a traceback.
        sys.stderr.close()
        return 141


def _bench_child(args: argparse.Namespace) -> bool:
    return args.command == "bench" and bool(
        args.child
        or args.start
        or args.start_bundled is not None
        or args.real_child
        or args.slack_serve
    )


def _describe(choice: ConfigChoice, settings: Settings) -> str:
    text = choice.describe()
    if choice.source is ConfigSource.DEMO:
        text += f"; index and ledger under {settings.search.index_dir.parent}"
    return text


def _init(args: argparse.Namespace) -> int:
    from bot import messages
    from bot.deploy import init_deployment, shell_path

    try:
        init_deployment(args.directory)
    except OSError as err:
        # A path under a file, a read-only or full disk: the operator's to fix, not a bug.
        reason = err.strerror or str(err)
        if err.filename and Path(err.filename) != Path(args.directory):
            reason += f": {err.filename}"  # which of the folders or files it was
        raise CorpusbotError(
            messages.INIT_FAILED.format(dir=args.directory, reason=reason)
        ) from err
    print(messages.INIT_DONE.format(dir=shell_path(args.directory), prog=prog_name()))
    return 0


def _dispatch(args: argparse.Namespace, settings: Settings, choice: ConfigChoice) -> int:
    if args.command == "ingest":
        if choice.source is ConfigSource.DEMO:
            from bot import messages

            raise CorpusbotError(messages.DEMO_READ_ONLY.format(prog=prog_name()))
        return _ingest(args, settings)
    if args.command == "ask":
        return _ask(args, settings)
    if args.command == "eval":
        return _eval(args, settings)
    if args.command in (None, "console"):
        return _console(settings)
    if args.command == "bench":
        return _bench(args, settings)
    if args.command == "digest":
        return _digest(args, settings)
    if args.command == "run":
        import asyncio  # here, not at start: a command-line answer never needs it

        from adapters.run import serve

        port = args.port if args.slack_http else None
        options = {"host": args.host, "once": args.once, "new_ledger": args.new_ledger}
        asyncio.run(serve(settings, os.environ, port, prog=prog_name(), **options))
        return 0
    if args.command == "discord-sync":
        import asyncio

        from adapters.run import discord_sync

        count = asyncio.run(discord_sync(settings, os.environ, args.guild))
        print(
            f"synced {count} commands " + (f"to server {args.guild}" if args.guild else "globally")
        )
        return 0
    raise AssertionError(args.command)


def _bot(settings: Settings, engine: str | None = None):  # type: ignore[no-untyped-def]
    from bot.app import build_bot

    return build_bot(settings, engine)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from adapters.console import answer, render_text, style_for
    from bot import messages
    from bot.replyjson import reply_to_json
    from bot.safe_text import clean
    from bot.session import Session

    # One session across the TEXTs: `ask "/quote 数据墙" more` shows pages 1 and 2.
    session = Session(_bot(settings, args.engine))
    style = style_for(sys.stdout)
    failed = False
    for text in args.texts:
        turn = answer(session, clean(text, "ask"))
        failed = failed or turn.reply.message == messages.INTERNAL_ERROR
        if args.json:
            shown = {**reply_to_json(turn.reply), "page": turn.page}
            print(json.dumps(shown, ensure_ascii=False), flush=True)
        else:
            print(render_text(turn.reply, style), end="\n\n", flush=True)
    return 1 if failed else 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from bot.evaluate import evaluate, group_table, load_queries, miss_line, summary, to_json

    queries = load_queries(args.file)
    bot = _bot(settings, args.engine)
    outcomes = evaluate(bot, queries, bot.index.folder)
    if args.json:
        print(json.dumps(to_json(outcomes), ensure_ascii=False))
        return 0 if all(o.ok for o in outcomes) else 1
    for o in outcomes:
        if not o.ok:
            print(miss_line(o))
    # Per group when the queries carry one (the held-out set does); the summary line,
    # per command, stays last.
    if table := group_table(outcomes):
        print(table)
    print(summary(outcomes))
    return 0 if all(o.ok for o in outcomes) else 1


def _console(settings: Settings) -> int:
    from adapters.console import console_banner, run_console

    bot = _bot(settings)
    return run_console(bot, banner=lambda: console_banner(bot, prog_name()))


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from bot.ingest import pool
    from bot.ingest.pipeline import summarise

    raw = settings.corpus.raw_dir
    if not args.paths and not raw.is_dir():
        # Not "0 articles ingested, 1 files skipped": the setting is what to fix.
        what = "is a file, not a folder" if raw.exists() else "folder not found"
        raise ConfigError("corpus.raw_dir", f"{what}: {raw}")
    started = time.perf_counter()
    reports = pool.ingest(settings.corpus, args.paths or [raw])
    for report in reports:
        print(report.render())
    print(summarise(reports, time.perf_counter() - started))
    failed = sum(1 for r in reports if r.error)
    if any(
        not r.error for r in reports
    ):  # the index follows the articles now, not at the first query
        print(pool.update_index(settings.corpus, settings.search).render())
    removed = sum(1 for r in reports if r.removed)
    print(f"{len(reports) - failed - removed} articles ingested, {failed} files skipped")
    return 1 if failed else 0


def _bench(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from bot import bench

    if args.slack or args.slack_serve:
        from adapters import slack_bench

        if args.slack_serve:
            slack_bench.serve_child(settings)
            return 0
        row = slack_bench.run(getattr(args, "config", None), settings, args.slack)
        print(slack_bench.to_json(row) if args.json else slack_bench.format_row(row))
        return 0 if row["answered"] == args.slack else 1
    if args.child:
        engine, size, profile, directory = args.child
        bench.child_build_and_query(engine, int(size), Path(profile), Path(directory))
        return 0
    if args.start:
        engine, directory, profile = args.start
        bench.child_start(engine, Path(directory), Path(profile))
        return 0
    if args.start_bundled is not None:
        bench.child_start_bundled(_bot(settings), args.start_bundled)
        return 0
    if args.real_child:
        bench.child_real_text(settings, lexicon=args.real_child == "lexicon")
        return 0

    def emit(row: dict) -> None:  # type: ignore[type-arg]
        if args.json:
            print(json.dumps({k: row.get(k) for k in bench.JSON_KEYS} | row), flush=True)
        else:
            print(f"measured {row['engine']} at {row['passages']} passages", file=sys.stderr)

    bot = _bot(settings)
    rows = bench.run_bench(
        bot,
        settings.path,
        args.passages,
        args.engines,
        args.queries,
        emit,
        args.include_slow,
        args.real_mb,
    )
    if not args.json:
        print(bench.format_table(rows))
        for line in bench.speedups(rows):
            print(line)
    return 0


def _digest(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.console import ConsoleSender, render_text, style_for
    from bot.digest.ledger import Ledger
    from bot.digest.service import DigestService, PostOutcome

    ledger = Ledger(settings.digest.ledger, new_ledger=args.new_ledger)
    try:
        bot = _bot(settings)
        service = DigestService(
            bot,
            ledger,
            settings.digest.targets,
            {"console": ConsoleSender()},
            settings.digest.grace,
        )
        if args.digest_command == "history":
            print(service.history_text(args.target))
            return 0
        target = service.target(args.target)
        now = dt.datetime.now(dt.UTC)
        day = args.date or now.astimezone(target.timezone).date()
        if args.digest_command == "preview":
            outcome = service.preview(target, day)
            reply = outcome.reply
            print(render_text(reply, style_for(sys.stdout)) if reply else outcome.message)
            return 0
        import asyncio

        from adapters.run import send_only
        from bot import messages

        async def post() -> PostOutcome:
            # The same ledger as `run`'s scheduler: a date posted by either is not
            # posted again by the other.
            async with send_only(bot, os.environ, target) as senders:
                poster = DigestService(
                    bot, ledger, settings.digest.targets, senders, settings.digest.grace
                )
                return await poster.post(target, day, now, wait_s=30)

        outcome = asyncio.run(post())
        if outcome.posted:
            message = f", message {outcome.message_id}" if outcome.message_id else ""
            print(
                messages.DIGEST_POSTED.format(
                    target=target.name,
                    date=day,
                    platform=target.platform,
                    channel=target.channel,
                    message=message,
                ),
                file=sys.stderr if target.platform == "console" else sys.stdout,
            )
        else:
            print(outcome.message)
        return 1 if outcome.failed else 0
    finally:
        ledger.close()
