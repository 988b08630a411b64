"""Console adapter: try the bot with no tokens at all. Plain-text rendering lives here."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from adapters.text import entry_note, mark
from bot import messages
from bot.core import CorpusBot
from bot.models import Reply, Result

WIDTH_LIMIT = 4000  # a terminal is patient, but an answer should still fit a screen


def _attribution(r: Result) -> str:
    who = r.speaker or "narration"
    role = f" ({r.role.value})" if r.speaker else ""
    date = f", {r.date}" if r.date else ""
    link = f"\n    {r.source_url}" if r.source_url else ""
    return f"  — {who}{role}, 《{r.title}》{date}{link}"


def render_text(reply: Reply, bold: tuple[str, str] = ("**", "**")) -> str:
    lines: list[str] = list(reply.notices)
    if reply.message:
        lines.append(reply.message)
    for n, r in enumerate(reply.results, reply.offset + 1):
        if r.context:
            lines.append(f"    … {r.context}")
        lines.append(f"{n}. {mark(r.text, r.highlights, *bold)}")
        lines.append(_attribution(r))
    for e in reply.events:
        sources = "; ".join(s.title for s in e.sources)
        note = entry_note(e)
        conflict = f"  [{note}]" if note else ""
        lines.append(f"{e.when}  {e.text}{conflict}\n            — {sources}")
    if reply.next_offset is not None:
        shown = reply.next_offset
        lines.append(messages.MORE_RESULTS.format(shown=shown, total=reply.total))
    text = "\n".join(lines)
    return text if len(text) <= WIDTH_LIMIT else text[: WIDTH_LIMIT - 1] + "…"


class ConsoleSender:
    """Posts digest excerpts to standard output (the `console` platform)."""

    def __init__(self, stdout: TextIO = sys.stdout) -> None:
        self.stdout = stdout

    async def send(self, channel: str, reply: Reply, key: object = None) -> None:
        print(render_text(reply), file=self.stdout, flush=True)


def run_console(
    bot: CorpusBot,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    banner: Callable[[], str] | None = None,
) -> int:
    """A chat in the terminal: one line in, one answer out; `more` pages."""
    if banner:
        print(banner(), file=stdout)
    last: tuple[str, int | None] | None = None  # (query, where its next page starts)
    while True:
        if stdin.isatty():
            print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return 0
        text = line.strip()
        if text.lower() in {"quit", "exit", ":q"}:
            return 0
        if not text:
            continue
        if text.lower() in {"more", "next", "更多"} and last:
            if last[1] is None:
                print(messages.NO_MORE.format(query=last[0]), file=stdout, flush=True)
                continue
            reply = bot.ask(last[0], offset=last[1])
            last = (last[0], reply.next_offset)
        else:
            reply = bot.ask(text)
            last = (text, reply.next_offset)
        print(render_text(reply), file=stdout, flush=True)
        print(file=stdout)
