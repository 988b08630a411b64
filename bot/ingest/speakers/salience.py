"""Pronouns: the last person named, and whether a 他/她/he/she is a clause's subject
(never inside 其他 or 他們, never the object in 拉他说)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ingest.speakers.lexicon import OPENERS, PRONOUN_EN, PRONOUN_ZH


@dataclass
class Salience:
    """The last person named, for 他/她/he/she."""

    last: str | None = None

    def mention(self, person: str | None) -> None:
        if person:
            self.last = person


def pronoun_at(clause: str) -> int | None:
    """A pronoun that is the clause's subject: 他说, 她便笑道, "she said"; not the
    object in 拉他说."""
    m = PRONOUN_ZH.search(clause) or PRONOUN_EN.search(clause)
    if m is None:
        return None
    opened = clause[: m.start()].strip()
    if opened and OPENERS.sub("", opened) and m.re is PRONOUN_ZH:
        return None
    return m.start()
