"""Console adapter: try the bot with no tokens at all. Plain-text rendering lives here.

In a terminal it is a small REPL: line editing and history through the standard
library's ``readline`` (GNU readline or libedit, whichever Python was built with; no
extra dependency, and it runs in the worker thread ``corpusbot run`` gives it, where
prompt_toolkit would want its own event loop), bold matches and clickable links as
ANSI/OSC 8 sequences (not with NO_COLOR or TERM=dumb), and Ctrl-D or Ctrl-C leaves
with a newline so the shell prompt starts on a clean line. Piped in, it reads lines
and prints plain text, as it always did.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from adapters.text import entry_note, mark
from bot import messages
from bot.core import CorpusBot
from bot.models import Command, Reply, Result
from bot.safe_text import clean, tolerant
from bot.session import Session, Turn

WIDTH_LIMIT = 4000  # a terminal is patient, but an answer should still fit a screen
PROMPT = "> "
QUIT_WORDS = frozenset({"quit", "exit", ":q"})
HISTORY_LENGTH = 1000

log = logging.getLogger(__name__)


def answer(session: Session, text: str) -> Turn:
    """The session's answer to ``text``; a failure on our side (a bug, a damaged index
    file) is the internal-error reply and one log line, as in Slack and Discord, and the
    console or the rest of `ask`'s texts go on. The traceback is logged at -v."""
    try:
        return session.ask(text)
    except Exception as err:
        log.error("answering %r failed: %s: %s", text[:80], type(err).__name__, err)
        log.debug("answering %r failed", text[:80], exc_info=True)
        return Turn(Reply(Command.ERROR, text, message=messages.INTERNAL_ERROR), None)


@dataclass(frozen=True)
class Style:
    """How emphasis and links are written: Markdown-ish text, or terminal sequences."""

    bold: tuple[str, str] = ("**", "**")
    terminal: bool = False

    def link(self, url: str) -> str:
        if not self.terminal:
            return url
        # OSC 8 makes it clickable where the terminal supports it; underlined anyway.
        return f"\x1b]8;;{url}\x1b\\\x1b[4m{url}\x1b[24m\x1b]8;;\x1b\\"


PLAIN = Style()
TERMINAL = Style(bold=("\x1b[1m", "\x1b[22m"), terminal=True)


def style_for(stream: TextIO, environ: Mapping[str, str] = os.environ) -> Style:
    """Terminal styling only for a terminal that wants it (https://no-color.org)."""
    wanted = not environ.get("NO_COLOR") and environ.get("TERM", "") != "dumb"
    return TERMINAL if wanted and _isatty(stream) else PLAIN


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _attribution(r: Result, style: Style) -> str:
    who = r.speaker or messages.NARRATION
    role = f" ({r.role.value})" if r.speaker else ""
    date = f", {r.date}" if r.date else ""
    link = f"\n    {style.link(r.source_url)}" if r.source_url else ""
    return f"  — {who}{role}, 《{r.title}》{date}{link}"


def render_text(reply: Reply, style: Style = PLAIN) -> str:
    lines: list[str] = list(reply.notices)
    if reply.message:
        lines.append(reply.message)
    for n, r in enumerate(reply.results, reply.offset + 1):
        if r.context:
            lines.append(f"    … {r.context}")
        lines.append(f"{n}. {mark(r.text, r.highlights, *style.bold)}")
        lines.append(_attribution(r, style))
    for e in reply.events:
        sources = "; ".join(s.title for s in e.sources)
        note = entry_note(e)
        conflict = f"  [{note}]" if note else ""
        lines.append(f"{e.when}  {e.text}{conflict}\n            — {sources}")
    if reply.next_offset is not None:
        shown = reply.next_offset
        lines.append(messages.MORE_RESULTS.format(shown=shown, total=reply.total))
    text = "\n".join(lines)
    if len(text) > WIDTH_LIMIT:
        text = text[: WIDTH_LIMIT - 1] + "…" + (TERMINAL_RESET if style.terminal else "")
    return text


TERMINAL_RESET = "\x1b[0m\x1b]8;;\x1b\\"  # a cut answer must not leave bold or a link open


class ConsoleSender:
    """Posts digest excerpts to standard output (the `console` platform)."""

    def __init__(self, stdout: TextIO = sys.stdout) -> None:
        self.stdout = stdout

    async def send(self, channel: str, reply: Reply, key: object = None) -> None:
        print(render_text(reply, style_for(self.stdout)), file=self.stdout, flush=True)


def console_banner(bot: CorpusBot, prog: str) -> str:
    """The console's first lines: the corpus served now, and how to go on from here
    (``prog``: the program as it was started, ``python -m bot`` or ``corpusbot``)."""
    index = bot.index
    return messages.CONSOLE_BANNER.format(
        articles=len(index.articles),
        passages=len(index.passages),
        engine=index.engine_name,
        prog=prog,
    )


def run_console(
    bot: CorpusBot,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    banner: Callable[[], str] | None = None,
) -> int:
    """A chat in the terminal: one line in, one answer out; `more` pages, `help` says
    how, `quit`, Ctrl-D or Ctrl-C leave."""
    if banner:
        print(banner(), file=stdout, flush=True)
    session = Session(bot)
    style = style_for(stdout)
    interactive = _isatty(stdin)
    stdin = tolerant(stdin)  # invalid bytes reach clean() below instead of raising
    with _line_reader(stdin, stdout, interactive) as read_line:
        while True:
            try:
                line = read_line()
            except (EOFError, KeyboardInterrupt):
                # Ctrl-D or Ctrl-C at the prompt: end the prompt's line, then leave.
                print(file=stdout, flush=True)
                return 0
            if line is None:
                return 0
            text = clean(line, "console").strip()
            if text.lower() in QUIT_WORDS:
                return 0
            if not text:
                continue
            try:
                turn = answer(session, text)
            except KeyboardInterrupt:
                if not interactive:
                    raise
                print(file=stdout, flush=True)
                return 0
            print(render_text(turn.reply, style), file=stdout, flush=True)
            print(file=stdout, flush=True)


@contextlib.contextmanager
def _line_reader(
    stdin: TextIO, stdout: TextIO, interactive: bool
) -> Iterator[Callable[[], str | None]]:
    """``read()`` returns the next line, or None at the end of piped input."""
    if not interactive:
        yield lambda: stdin.readline() or None
        return
    if stdin is sys.stdin and stdout is sys.stdout and _isatty(stdout):
        # input() edits the line with readline once the module is imported.
        _restore_terminal_at_exit(stdin)
        history = _load_history()
        try:
            yield lambda: input(PROMPT)
        finally:
            _save_history(history)
        return

    def prompt_and_read() -> str | None:  # a terminal that is not ours (tests, run)
        print(PROMPT, end="", file=stdout, flush=True)
        return stdin.readline() or None

    yield prompt_and_read


def _restore_terminal_at_exit(stdin: TextIO) -> None:
    """readline switches echo and line mode off while it waits for a line; a process
    that ends then (Ctrl-C in ``corpusbot run``, where the console is a worker thread
    the signal never reaches) must hand the shell its terminal back as it found it."""
    try:
        import termios

        fd = stdin.fileno()
        saved = termios.tcgetattr(fd)
    except (ImportError, OSError, ValueError):
        return

    def restore() -> None:
        with contextlib.suppress(OSError, ValueError):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)

    atexit.register(restore)


async def run_console_beside_loop(bot: CorpusBot, banner: Callable[[], str] | None) -> int:
    """The console next to an event loop (``corpusbot run`` with no platform tokens).

    It runs in a daemon thread: Ctrl-C reaches the loop, which stops, and the process
    ends even while the thread still waits for a line (a pool thread would be joined
    at exit and hang until Enter)."""
    import asyncio  # here: `ask` and the console alone never start an event loop

    loop = asyncio.get_running_loop()
    done: asyncio.Future[int] = loop.create_future()

    def finish(code: int) -> None:
        if not done.done():
            done.set_result(code)

    def work() -> None:
        code = 1
        try:
            code = run_console(bot, banner=banner)
        finally:
            with contextlib.suppress(RuntimeError):  # the loop already closed (Ctrl-C)
                loop.call_soon_threadsafe(finish, code)

    threading.Thread(target=work, name="console", daemon=True).start()
    return await done


def history_file(environ: Mapping[str, str] = os.environ) -> Path:
    state = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "corpusbot" / "history"


def _load_history() -> Path | None:
    try:
        import readline
    except ImportError:  # a Python built without it: plain input() still works
        return None
    path = history_file()
    readline.set_history_length(HISTORY_LENGTH)
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    return path


def _save_history(path: Path | None) -> None:
    if path is None:
        return
    import readline

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(path)
