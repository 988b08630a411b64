"""What a person typed -> weighted search terms, explained.

``understand(text, steps)`` runs small named steps in order, as the ingest repairs
run: each takes an ``Interpretation`` and returns one, and a ``StepNote`` records what
it added, reweighted or removed. Steps are pure and total: a plain Chinese query goes
through every step unchanged. The terms come out in ``ask --json`` as "interpreted".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.query.terms import Interpretation, Origin, StepNote, Term

QueryStep = Callable[[Interpretation], Interpretation]


def understand(text: str, steps: Sequence[tuple[str, QueryStep]]) -> Interpretation:
    found = Interpretation(text, (Term(text, 1.0, Origin.TYPED, text, 0),))
    notes = []
    for name, step in steps:
        before = found.terms
        found = step(found)
        notes.append(_note(name, before, found.terms))
    return Interpretation(found.typed, found.terms, tuple(notes))


def _note(name: str, before: tuple[Term, ...], after: tuple[Term, ...]) -> StepNote:
    old = {(t.text, t.origin, t.group): t.weight for t in before}
    new = {(t.text, t.origin, t.group): t.weight for t in after}
    added = sum(1 for k in new if k not in old)
    reweighted = sum(1 for k, w in new.items() if k in old and old[k] != w)
    removed = sum(1 for k in old if k not in new)
    return StepNote(name, added, reweighted, removed)
