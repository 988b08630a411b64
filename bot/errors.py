"""One hierarchy of errors that reach a person.

Every error a user or an operator should read derives from ``CorpusbotError``; its
``str()`` is the short message to show. Anything else that escapes is a bug and is
logged with its traceback by the caller, while the user gets ``messages.INTERNAL_ERROR``.
"""

from __future__ import annotations


class CorpusbotError(Exception):
    """Base class: the message is safe and meant to be shown as is."""


class UserInputError(CorpusbotError):
    """The request cannot be served as typed (empty, unknown command, nothing searchable)."""


class ConfigError(CorpusbotError):
    """The configuration is missing, malformed or names something that does not exist.

    ``key`` is the setting at fault (``search.results``), named once in the message; ""
    when the fault is the settings file as a whole (not found, not TOML), whose path the
    problem then names: ``config error: /srv/bot/corpusbot.toml is not valid TOML (…)``."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        self.problem = problem
        super().__init__(f"config error: {key}: {problem}" if key else f"config error: {problem}")


class SourceFileError(CorpusbotError):
    """An input file of the corpus cannot be read (binary, empty, undecodable)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class CorpusMissingError(CorpusbotError):
    """There is no normalised corpus to search yet."""


class IndexWriteError(CorpusbotError):
    """The search index cannot be saved (read-only or full disk)."""


class LedgerError(CorpusbotError):
    """The digest ledger cannot be opened or written (corrupt, locked, unreachable)."""


class DeliveryError(CorpusbotError):
    """A platform cannot take a message (a channel that cannot receive, a refused send)."""


class PlatformUnreachableError(CorpusbotError):
    """Slack or Discord cannot be reached over the network (and no retry was wanted)."""
