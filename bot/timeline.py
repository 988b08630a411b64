"""Timeline entries from event hits: one entry per (fact, date).

The same sentence reported by two articles is one event with two sources; the same
fact with two dates is two entries, each naming the other date as a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.models import SourceRef, TimelineEntry
from bot.search.index import EventRecord

# Two facts whose bigrams overlap this much (of the shorter) are one fact.
SAME_FACT = 0.6
_DATE_PARTS = re.compile(r"\d+|[年月日]")


def fact_bigrams(key: str, name_forms: Sequence[str]) -> set[str]:
    """The fact without who and when: names and dates differ in wording between
    articles ("亚历山大·王" / "Alexandr Wang", "2021年" / "2022年"). ``key`` is the
    sentence's match key (folded, no punctuation); ``name_forms`` are folded names."""
    for form in name_forms:
        key = key.replace(form, "")
    key = _DATE_PARTS.sub("", key)
    return {key[i : i + 2] for i in range(len(key) - 1)}


def merge_events(
    records: Sequence[EventRecord],
    fact_key: Callable[[str], set[str]],
    shown: Callable[[str], str],
) -> list[TimelineEntry]:
    """Entries in date order; ``shown`` turns stored text into display text."""
    groups: list[list[EventRecord]] = []
    keys: list[set[str]] = []
    for record in records:
        grams = fact_key(record.event.text)
        for group, gram_set in zip(groups, keys, strict=True):
            head = group[0]
            same_sentence = (
                head.article.id == record.article.id and head.event.text == record.event.text
            )
            if not same_sentence and _similar(grams, gram_set):
                group.append(record)
                break
        else:
            groups.append([record])
            keys.append(grams)
    entries = [entry for group in groups for entry in _entries(group, shown)]
    entries.sort(key=lambda e: (e.date, e.article_id, e.text))
    return entries


def _entries(group: list[EventRecord], shown: Callable[[str], str]) -> list[TimelineEntry]:
    by_date: dict[str, list[EventRecord]] = {}
    for record in group:
        by_date.setdefault(record.event.date, []).append(record)
    dates = sorted(by_date)
    entries = []
    for date, members in by_date.items():
        sources = tuple(
            dict.fromkeys(
                SourceRef(
                    m.article.id,
                    shown(m.article.title.value or m.article.id),
                    m.article.source_url.value,
                    m.article.published.value,
                )
                for m in members
            )
        )
        first = members[0]
        entries.append(
            TimelineEntry(
                date=date,
                text=shown(first.event.text),
                article_id=first.article.id,
                sources=sources,
                conflicts=tuple(d for d in dates if d != date),
            )
        )
    return entries


def _similar(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= SAME_FACT
