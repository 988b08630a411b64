"""One person's conversation: ``more`` pages the previous query.

The console keeps one for its whole run and ``ask`` one across its TEXTs, so
``corpusbot ask "/quote 数据墙" more`` shows the first two pages. Slack and Discord page
with their More buttons instead, which carry the offset in the button itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot import messages
from bot.core import CorpusBot
from bot.models import Command, Reply

MORE_WORDS = frozenset({"more", "next", "更多"})


@dataclass(frozen=True)
class Turn:
    """A reply and which page of its query it is (1 for a fresh query; None when the
    reply shows no page: nothing more, or nothing to page)."""

    reply: Reply
    page: int | None


@dataclass(frozen=True)
class _Last:
    text: str
    reply: Reply
    page: int


class Session:
    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
        self._last: _Last | None = None

    def ask(self, text: str) -> Turn:
        if text.strip().lower() in MORE_WORDS:
            return self._more(text.strip())
        reply = self.bot.ask(text)
        if reply.command is Command.HELP:
            reply = replace(reply, message=f"{reply.message}\n{messages.SESSION_HELP}")
        self._last = _Last(text, reply, 1)
        return Turn(reply, 1)

    def _more(self, word: str) -> Turn:
        last = self._last
        if last is None:
            return Turn(Reply(Command.ERROR, word, message=messages.NOTHING_TO_PAGE), None)
        if last.reply.next_offset is None:
            done = Reply(
                last.reply.command,
                last.reply.query,
                message=messages.NO_MORE.format(query=messages.echo(last.text)),
                offset=last.reply.offset,
                total=last.reply.total,
            )
            return Turn(done, None)
        reply = self.bot.ask(last.text, offset=last.reply.next_offset, corpus=last.reply.corpus)
        self._last = _Last(last.text, reply, last.page + 1)
        return Turn(reply, last.page + 1)
