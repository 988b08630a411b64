"""Timeline entries from event hits: one entry per (fact, date), filtered by dates.

Two reports are the same fact when their sentences share most bigrams once names and
dates are left out (the same sentence copied by two articles), or when they give the
same date for the same kind of action by the same named party ("Scale AI成立于2016年"
and "2016年,他…联合创立了Scale AI": founding, Scale AI, 2016); a party is a Latin name,
a speaker's name, or a run of four Han characters both reports share. One fact is one entry
with every source; the same fact with two dates is two entries, each naming the other
date as a conflict. An entry merged from differently worded reports shows the other
wording's clause after its own sentence, so a reader sees what was merged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from bot.datefilter import admits
from bot.ingest.event_kinds import clause_around
from bot.models import DateFilter, Event, EventKind, SourceRef, TimelineEntry
from bot.search.index import EventRecord
from bot.search.rank import Unit, topic_share
from bot.textfold import HAN

# Two facts whose bigrams overlap this much (of the shorter) are one fact.
SAME_FACT = 0.6
# A span open to the time of writing, when that is unknown, runs to here.
OPEN_END = "2100"
# Between an entry's own sentence and the clauses of other wordings merged into it.
WORDING_SEPARATOR = " ／ "
_DATE_PARTS = re.compile(r"\d+|[年月日]")
_LATIN_NAME = re.compile(r"[a-z][a-z0-9]*(?:[ .&-][a-z0-9]+)*")
_NOT_TEXT = re.compile(r"[\W_]+")
_HAN_RUN = re.compile(f"[{HAN}]{{4,}}")

# Kinds of action a chronology reports, each with the words that say it (folded:
# Simplified, lower case). Data, not rules: a new kind is one more line.
ACTIONS: dict[str, tuple[str, ...]] = {
    "found": ("成立", "创立", "创办", "创建", "创始", "founded", "co-founded", "cofounded"),
    "drop out": ("辍学", "退学", "dropped out"),
    "billionaire": ("亿万富翁", "billionaire"),
    "acquire": ("收购", "并购", "acquired", "acquisition of"),
    "invest": ("入股", "注资", "投资了", "invested in"),
    "raise": ("融资", "募资", "筹集", "raised"),
    "launch": ("推出", "发布", "上线", "launched", "released", "unveiled"),
    "join": ("加入", "加盟", "joined"),
    "leave": ("离职", "辞职", "卸任", "resigned", "stepped down"),
    "appoint": ("任命", "出任", "appointed"),
    "sign": ("签署", "签订", "签约", "signed"),
    "list": ("上市", "ipo", "went public"),
    "born": ("出生", "生于", "was born"),
    "die": ("去世", "逝世", "died"),
    "graduate": ("毕业", "graduated"),
}
# Latin words too common to name a party ("AI智能体", "CEO").
GENERIC_LATIN = frozenset({"ai", "ceo", "cto", "cfo", "ipo", "app", "case"})


@dataclass(frozen=True)
class Fact:
    """What identifies a reported fact across wordings: its bigrams without names and
    dates, the kinds of action it reports, and the parties it names."""

    bigrams: frozenset[str]
    actions: frozenset[str]
    names: frozenset[str]
    # Runs of four Han characters left once names, dates and action words are out:
    # two reports sharing one name the same party in Chinese ("青禾科技").
    runs: frozenset[str] = frozenset()

    def same_party(self, other: Fact) -> bool:
        return bool(self.names & other.names or self.runs & other.runs)


def read_fact(folded: str, name_forms: Sequence[str]) -> Fact:
    """``folded`` is the sentence's search fold; ``name_forms`` are folded speaker
    names and aliases without punctuation, longest first."""
    key = _NOT_TEXT.sub("", folded)
    names = {form for form in name_forms if form in key}
    for form in name_forms:
        key = key.replace(form, "")
    key = _DATE_PARTS.sub("", key)
    names |= {r for r in _LATIN_NAME.findall(folded) if len(r) > 1 and r not in GENERIC_LATIN}
    actions = {kind for kind, words in ACTIONS.items() if any(w in folded for w in words)}
    plain = key
    for kind in actions:
        for word in ACTIONS[kind]:
            plain = plain.replace(word, " ")
    runs = {run[i : i + 4] for run in _HAN_RUN.findall(plain) for i in range(len(run) - 3)}
    return Fact(
        frozenset(key[i : i + 2] for i in range(len(key) - 1)),
        frozenset(actions),
        frozenset(names),
        frozenset(runs),
    )


def is_headline(event: Event) -> bool:
    """A news report's headline event: dated by its publication day, with no date words
    of its own (``bot.ingest.dates.find_events``)."""
    return not event.expression


def topic_text(record: EventRecord, context: str) -> str:
    """What a timeline topic is matched against: the event with its paragraph
    (``context``), and for a headline the article's lead too. A headline is short, so
    a topic worded as the article words the fact ("股权" for "入股") would miss the
    very event the article is about."""
    if not is_headline(record.event):
        return context
    return context + " " + record.article.lead


def topic_parties(units: Sequence[Unit]) -> list[Unit]:
    """The names a timeline topic is asked of (``rank.topic_share``'s ``parties``): not a
    content word, not a function word, not a Latin word too common to name a party."""
    return [
        u
        for u in units
        if not u.content and not u.optional and not all(k in GENERIC_LATIN for k in u.keys)
    ]


def topic_shares(
    units: Sequence[Unit], texts: Sequence[str], floor: float, names: Collection[str] = ()
) -> list[float]:
    """Each event's share of a timeline topic (``rank.topic_share``); ``texts``: the
    events' ``topic_text`` as match keys; ``floor``: the share that answers; ``names``:
    the corpus words that are proper names (``Lexicon.proper_names``). What no event alone can
    tell: a topic naming a place or a party that no answering event holds
    (``unreported``) is answered by none of them, however much of the rest one holds."""
    parties = topic_parties(units)
    shares = [topic_share(units, text, parties) for text in texts]
    answers = [text for text, share in zip(texts, shares, strict=True) if share >= floor]
    if unreported(units, parties, answers, names):
        return [0.0] * len(texts)
    return shares


def unreported(
    units: Sequence[Unit],
    parties: Sequence[Unit],
    answers: Sequence[str],
    names: Collection[str] = (),
) -> list[Unit]:
    """The proper names (``names``: a place, a company, a person) a topic asked of one
    party names beside it that no answering event holds: "X 访问日本" where the events
    say X visited elsewhere, "X 和英国国防部的合同" where the contract is another
    country's. The party and the act are held, so the share clears the floor, but the
    answer is another fact.

    Only names: an act or a thing an event says in its own words (没完成收入目标 for 未能
    达到营收目标, 第一轮融资 for A 轮资金), and the floor judges those. Nor a topic naming
    two or more parties, which asks what passed between them and is answered by an event
    naming them all in its own words (``rank.topic_share``), nor a word the corpus never
    uses, searched as its characters or through related words (五角大楼)."""
    if len(parties) != 1 or not answers:
        return []
    return [
        unit
        for unit in units
        if unit.content
        and not unit.optional
        and not unit.related
        and any(key in names for key in unit.keys)
        and not any(unit.held(text) for text in answers)
    ]


def event_within(dates: DateFilter, event: Event) -> bool:
    return admits(dates, event.date, _span_end(event.kind, event.end))


def _span_end(kind: EventKind, end: str | None) -> str | None:
    if kind is not EventKind.SPAN:
        return None
    return end or OPEN_END


def merge_events(
    records: Sequence[EventRecord],
    fact_of: Callable[[str], Fact],
    shown: Callable[[str], str],
    dates: DateFilter | None = None,
) -> list[TimelineEntry]:
    """Entries in date order; ``shown`` turns stored text into display text; ``dates``:
    only the entries within them (a span when any part of it is). Every report is
    grouped first, those outside the dates too: a report outside them can join two
    inside into one fact, and its date is an inside entry's conflict. The dates are
    tested before an entry is written out (its sources' titles shown)."""
    entries = [
        entry
        for group in group_reports(records, fact_of)
        for entry in _entries(group, shown, dates)
    ]
    entries.sort(key=lambda e: (e.date, e.article_id, e.text))
    return entries


Member = tuple[EventRecord, Fact]
# What a report says it did, when, and by whom: (date, kind of action, "name"/"run", party).
Deed = tuple[str, str, str, str]


def group_reports(
    records: Sequence[EventRecord], fact_of: Callable[[str], Fact]
) -> list[list[Member]]:
    """The reports grouped as facts, in the order their first reports come. A report
    joins the first group whose first report says the same sentence (``_similar``) or
    one of whose reports gives its date for its kind of action by its party, unless
    that first report is its own sentence in its own article (``_same_sentence``).

    Those groups are looked up, not read one by one (a corpus holds hundreds of
    thousands of reports): by deed, and by bigram with the prefix filter of similarity
    joins. Two bigram sets share at least ``_needed(m)`` bigrams (m: the smaller set's
    size) when similar, so the smaller set's ``_prefix(m)`` rarest bigrams, in one
    order for all, hold one of the other set's: a report's rarest bigrams are looked up
    among every bigram of the groups' first reports, and all its bigrams among the
    rarest of theirs. Each group found is then tested as before."""
    # A corpus repeats its sentences (a report copied by several articles; a year of a
    # large corpus holds the same dated sentence many times): each is read once.
    facts = {text: fact_of(text) for text in dict.fromkeys(r.event.text for r in records)}
    members = [(record, facts[record.event.text]) for record in records]
    counts = Counter(b for _, fact in members for b in fact.bigrams)
    rarest_first = {b: i for i, b in enumerate(sorted(counts, key=lambda b: (counts[b], b)))}
    groups: list[list[Member]] = []
    by_bigram: dict[str, list[int]] = {}  # every bigram of each group's first report
    by_rare_bigram: dict[str, list[int]] = {}  # the rarest of them (``_prefix``)
    by_deed: dict[Deed, set[int]] = {}
    for record, fact in members:
        ordered = sorted(fact.bigrams, key=rarest_first.__getitem__)
        rare = ordered[: _prefix(len(ordered))]
        near = {g for b in rare for g in by_bigram.get(b, ())}
        near |= {g for b in ordered for g in by_rare_bigram.get(b, ())}
        similar = {g for g in near if _similar(fact.bigrams, groups[g][0][1].bigrams)}
        deeds = _deeds(record, fact)
        same_deed = {g for deed in deeds for g in by_deed.get(deed, ())}
        joins = [g for g in similar | same_deed if not _same_sentence(groups[g][0][0], record)]
        if joins:
            at = min(joins)
            groups[at].append((record, fact))
        else:
            at = len(groups)
            groups.append([(record, fact)])
            for b in ordered:
                by_bigram.setdefault(b, []).append(at)
            for b in rare:
                by_rare_bigram.setdefault(b, []).append(at)
        for deed in deeds:
            by_deed.setdefault(deed, set()).add(at)
    return groups


def _deeds(record: EventRecord, fact: Fact) -> list[Deed]:
    date = record.event.date
    return [
        (date, action, side, party)
        for action in fact.actions
        for side, parties in (("name", fact.names), ("run", fact.runs))
        for party in parties
    ]


def _same_sentence(head: EventRecord, record: EventRecord) -> bool:
    """Two dates of one sentence are two events, not a conflict."""
    return head.article.id == record.article.id and head.event.text == record.event.text


@cache
def _needed(size: int) -> int:
    """The fewest bigrams two sets share to be ``_similar`` when the smaller has ``size``."""
    return next(k for k in range(size + 1) if k / size >= SAME_FACT)


def _prefix(size: int) -> int:
    """How many of its rarest bigrams a set of ``size`` must share with a similar set."""
    return size - _needed(size) + 1 if size else 0


def _entries(
    group: list[Member], shown: Callable[[str], str], within: DateFilter | None
) -> list[TimelineEntry]:
    """One entry per date of the group, of those ``within`` the dates asked for (None: all)."""
    by_date: dict[str, list[Member]] = {}
    for member in group:
        by_date.setdefault(member[0].event.date, []).append(member)
    dates = sorted(by_date)
    entries = []
    for date, members in by_date.items():
        records = [record for record, _ in members]
        kind, end = _kind(records), records[0].event.end
        if within is not None and not admits(within, date, _span_end(kind, end)):
            continue
        sources = tuple(
            dict.fromkeys(
                SourceRef(
                    r.article.id,
                    shown(r.article.title.value or r.article.id),
                    r.article.source_url.value,
                    r.article.published.value,
                )
                for r in records
            )
        )
        first = records[0]
        entries.append(
            TimelineEntry(
                date=date,
                text=shown(_wordings(members)),
                article_id=first.article.id,
                sources=sources,
                conflicts=tuple(d for d in dates if d != date),
                kind=kind,
                end=end,
            )
        )
    return entries


def _wordings(members: list[tuple[EventRecord, Fact]]) -> str:
    """The first report's sentence, then the date clause of each differently worded one."""
    head, head_fact = members[0]
    parts = [head.event.text]
    for record, fact in members[1:]:
        if _similar(fact.bigrams, head_fact.bigrams):
            continue
        event = record.event
        at = event.text.find(event.expression)
        clause = (
            clause_around(event.text, at, at + len(event.expression)) if at >= 0 else event.text
        )
        if not any(clause in part for part in parts):
            parts.append(clause)
    return WORDING_SEPARATOR.join(parts)


def _kind(records: Iterable[EventRecord]) -> EventKind:
    """A span if the first report is one; else happened if any report says so."""
    kinds = [r.event.kind for r in records]
    if kinds[0] is EventKind.SPAN:
        return EventKind.SPAN
    return EventKind.HAPPENED if EventKind.HAPPENED in kinds else kinds[0]


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= SAME_FACT
