"""What a person typed -> a ``Query``. The same grammar serves slash commands,
mentions, the console and ``python -m bot ask``.

"/quote X", "quote X", "引用 X", "引用X" and plain "X" are quote searches; "whosaid",
"谁说", "誰說" ask who said it; "timeline", "时间线", "時間線" list dated events. A
timeline query may name dates ("/timeline Meta 2025", "时间线 2024年以来"): they become
its ``DateFilter`` and the rest is its topic.
"""

from __future__ import annotations

import difflib
import re

from bot import messages
from bot.datefilter import extract
from bot.errors import UserInputError
from bot.models import Command, Query

COMMAND_WORDS: dict[str, Command] = {
    "quote": Command.QUOTE,
    "q": Command.QUOTE,
    "引用": Command.QUOTE,
    "whosaid": Command.WHOSAID,
    "who": Command.WHOSAID,
    "谁说": Command.WHOSAID,
    "誰說": Command.WHOSAID,
    "谁说的": Command.WHOSAID,
    "誰說的": Command.WHOSAID,
    "timeline": Command.TIMELINE,
    "时间线": Command.TIMELINE,
    "時間線": Command.TIMELINE,
    "help": Command.HELP,
    "帮助": Command.HELP,
    "幫助": Command.HELP,
}
# Chinese command words may run straight into the query ("谁说竞争就是做得更好").
_CHINESE_PREFIXES = sorted((w for w in COMMAND_WORDS if not w.isascii()), key=len, reverse=True)
_SEPARATORS = " \t\n:：,，"


def parse(text: str, max_chars: int = 500, limit: int = 3, offset: int = 0) -> Query:
    """Raises UserInputError (with the message to show) for unusable input."""
    text = (text or "").strip()
    if not text:
        raise UserInputError(messages.EMPTY_QUERY)
    command: Command | None = None
    rest = text
    typed = ""  # the command word as typed
    if text.startswith("/"):
        word, _, rest = text[1:].partition(" ")
        typed = word
        command = COMMAND_WORDS.get(word.lower())
        if command is None:
            raise UserInputError(
                messages.UNKNOWN_COMMAND.format(command="/" + word, nearest="/" + nearest(word))
            )
    else:
        word, _, tail = text.partition(" ")
        if word.lower() in COMMAND_WORDS:
            command, rest, typed = COMMAND_WORDS[word.lower()], tail, word
        else:
            for prefix in _CHINESE_PREFIXES:
                if text.startswith(prefix):
                    command, rest, typed = COMMAND_WORDS[prefix], text[len(prefix) :], prefix
                    break
    command = command or Command.QUOTE
    rest = rest.strip(_SEPARATORS)
    if command is Command.HELP:
        return Query(Command.HELP, rest)
    if not rest:
        raise UserInputError(messages.EMPTY_QUERY)
    notices: tuple[str, ...] = ()
    if len(rest) > max_chars:
        rest = rest[:max_chars]
        notices = (messages.QUERY_TRUNCATED.format(limit=max_chars),)
    if not re.search(r"\w", rest):
        raise UserInputError(messages.NOTHING_SEARCHABLE)
    if command is Command.TIMELINE:
        dates, topic = extract(rest)
        if not re.search(r"\w", topic):
            topic = ""
        return Query(command, rest, offset, limit, notices, dates, topic, typed)
    return Query(command, rest, offset=offset, limit=limit, notices=notices, word=typed)


def nearest(word: str) -> str:
    names = ["quote", "whosaid", "timeline", "help"]
    match = difflib.get_close_matches(word.lower(), names, n=1, cutoff=0.0)
    return match[0] if match else "help"
