"""``python -m bot eval FILE.jsonl``: score a query file (the format of
shared/eval/dev.jsonl) and list the misses.

- quote: an expected substring in the top 3, after folding script, case and spaces;
- whosaid: the top speaker is one of the expected names;
- timeline: every expected (date prefix, texts) event is present (texts: the wordings
  one article or another gives it, any one of them), and the events are in date order;
- ``expect_none``: the right answer is nothing: quote and timeline return no results or
  events, whosaid no result with a speaker.

A query may carry a ``"group"`` (the kind of asking it tests: english, pinyin, damaged,
none ...); the scores are then also broken down by group (``group_scores``), as the
held-out set ``eval/heldout.jsonl`` is.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core import CorpusBot
from bot.errors import UserInputError
from bot.models import Reply
from bot.textfold import Folder


@dataclass(frozen=True)
class Outcome:
    id: str
    kind: str
    ok: bool
    detail: str
    group: str | None = None


@dataclass(frozen=True)
class Score:
    """How many queries of one command or one group passed."""

    name: str
    passed: int
    total: int

    @property
    def share(self) -> float:
        return self.passed / self.total if self.total else 0.0


def load_queries(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise UserInputError(f"cannot read {path}: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise UserInputError(f"cannot read {path}: not UTF-8 text (byte {err.start})") from None
    queries = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            item["ask"], item["kind"]
        except (ValueError, KeyError, TypeError):
            raise UserInputError(f"{path}:{n}: not a query object with 'ask' and 'kind'") from None
        queries.append(item)
    if not queries:
        # 0/0 would pass: a query file emptied by mistake must not look like success.
        raise UserInputError(f"{path}: no queries (one JSON object per line)")
    return queries


def evaluate(bot: CorpusBot, queries: list[dict[str, Any]], folder: Folder) -> list[Outcome]:
    def norm(text: str) -> str:
        return re.sub(r"\s+", "", folder.fold(text))

    outcomes = []
    for q in queries:
        reply = bot.ask(q["ask"])
        ok, detail = _judge(q, reply, norm)
        group = str(q["group"]) if q.get("group") else None
        outcomes.append(Outcome(str(q.get("id", q["ask"])), q["kind"], ok, detail, group))
    return outcomes


def _judge(q: dict[str, Any], reply: Reply, norm: Any) -> tuple[bool, str]:
    kind = q["kind"]
    if q.get("expect_none"):
        return _judge_none(kind, reply)
    if kind == "quote":
        texts = [norm(r.text) for r in reply.results[:3]]
        wanted = [norm(e) for e in q.get("expect", [])]
        ok = any(w in t for w in wanted for t in texts)
        return ok, "" if ok else f"top 3: {[r.text[:40] for r in reply.results[:3]]}"
    if kind == "whosaid":
        top = reply.results[0].speaker if reply.results else None
        names = {norm(e) for e in q.get("expect", [])}
        ok = top is not None and norm(top) in names
        return ok, "" if ok else f"top speaker: {top!r}"
    if kind == "timeline":
        events = [(e.date, norm(e.text)) for e in reply.events]
        missing = []
        for prefix, texts in q.get("expect_events", []):
            if not any(
                d.startswith(prefix) and any(norm(t) in text for t in texts) for d, text in events
            ):
                missing.append(f"{prefix} {texts}")
        in_order = [d for d, _ in events] == sorted(d for d, _ in events)
        ok = not missing and in_order
        return ok, "" if ok else f"missing {missing}" + ("" if in_order else "; out of order")
    return False, f"unknown kind {kind!r}"


def _judge_none(kind: str, reply: Reply) -> tuple[bool, str]:
    """The right answer is "nothing": no results or events; for whosaid, no result
    that names a speaker."""
    if kind == "whosaid":
        named = [r.speaker for r in reply.results if r.speaker]
        return not named, "" if not named else f"named {named[0]!r}"
    if kind == "timeline":
        return not reply.events, "" if not reply.events else f"{len(reply.events)} events"
    shown = [r.text[:40] for r in reply.results[:3]]
    return not reply.results, "" if not reply.results else f"top 3: {shown}"


def _scores(names: list[str], oks: list[bool]) -> list[Score]:
    """Scores per name, in the order each name first occurs."""
    total = Counter(names)
    passed = Counter(n for n, ok in zip(names, oks, strict=True) if ok)
    return [Score(n, passed[n], total[n]) for n in total]


def command_scores(outcomes: list[Outcome]) -> list[Score]:
    return sorted(_scores([o.kind for o in outcomes], [o.ok for o in outcomes]), key=_name)


def group_scores(outcomes: list[Outcome]) -> list[Score]:
    """Scores per group, in the order the groups first occur in the file; queries
    without a group are left out (an empty list when none has one)."""
    grouped = [o for o in outcomes if o.group]
    return _scores([o.group or "" for o in grouped], [o.ok for o in grouped])


def _name(score: Score) -> str:
    return score.name


def miss_line(o: Outcome) -> str:
    where = f"{o.kind}, {o.group}" if o.group else o.kind
    return f"MISS {o.id} ({where}): {o.detail}"


def group_table(outcomes: list[Outcome]) -> str:
    """A plain-text table of the group scores ("" when no query has a group)."""
    scores = group_scores(outcomes)
    if not scores:
        return ""
    width = max(len("group"), *(len(s.name) for s in scores))
    lines = [f"{'group':<{width}}  passed  share"]
    for s in scores:
        lines.append(f"{s.name:<{width}}  {f'{s.passed}/{s.total}':>6}  {s.share:>5.0%}")
    return "\n".join(lines)


def summary(outcomes: list[Outcome]) -> str:
    passed = sum(o.ok for o in outcomes)
    parts = ", ".join(f"{s.name} {s.passed}/{s.total}" for s in command_scores(outcomes))
    return f"eval: {passed}/{len(outcomes)} passed ({parts})"


def to_json(outcomes: list[Outcome]) -> dict[str, Any]:
    """The whole result as one JSON-ready object: totals, per command, per group, and
    every query's outcome."""

    def scores(items: list[Score]) -> dict[str, dict[str, int]]:
        return {s.name: {"passed": s.passed, "total": s.total} for s in items}

    return {
        "passed": sum(o.ok for o in outcomes),
        "total": len(outcomes),
        "commands": scores(command_scores(outcomes)),
        "groups": scores(group_scores(outcomes)),
        "queries": [
            {"id": o.id, "kind": o.kind, "group": o.group, "ok": o.ok, "detail": o.detail}
            for o in outcomes
        ],
    }
