"""Names fold to one canonical form on both sides: a passage that says "小扎" and a
query that says "Mark Zuckerberg" meet on the canonical name's tokens. The table
holds everyone named in config/speakers.toml and in the articles' speaker tables,
whether or not they ever speak."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from bot.query import QueryStep
from bot.query.english_words import latin_words
from bot.query.terms import Interpretation, Origin, Term, carve, typed_text
from bot.textfold import Folder, fold_chars


@dataclass(frozen=True)
class AliasForm:
    folded: str
    canonical: str


def folded_forms(tables: Iterable[Mapping[str, Sequence[str]]], folder: Folder) -> dict[str, str]:
    """Every folded form of two or more characters of a name (the canonical name and its
    aliases) -> the canonical name; the first table to name a form keeps it. The index
    folds these forms into the canonical name's tokens, the query steps into the name."""
    found: dict[str, str] = {}
    folds: dict[str, str] = {}  # tables repeat names (one per article): each folded once
    for table in tables:
        for canonical, aliases in table.items():
            for form in (canonical, *aliases):
                folded = folds.get(form)
                if folded is None:
                    folded = folds[form] = folder.fold(form)
                if len(folded) >= 2:
                    found.setdefault(folded, canonical)
    return found


@dataclass(frozen=True)
class AliasTable:
    """Folded forms, longest first. One-character short forms ("王") are only safe
    inside their own article, so they are left out."""

    forms: tuple[AliasForm, ...]
    # People who speak in the articles. The index folds every form of everyone's name
    # into the canonical name's tokens; a question about a speaker asks what they said.
    speakers: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        tables: Iterable[Mapping[str, Sequence[str]]],
        folder: Folder,
        speakers: Iterable[str] = (),
    ) -> AliasTable:
        tables = list(tables)
        found = folded_forms(tables, folder)
        surnames: dict[str, set[str]] = {}
        for canonical in dict.fromkeys(c for table in tables for c in table):
            *given, last = folder.fold(canonical).split(" ")
            if given and len(last) >= 3 and last.isascii() and last.isalpha():
                surnames.setdefault(last, set()).add(canonical)
        # "Wang" alone is Alexandr Wang when no one else in the tables is a Wang.
        for last, people in surnames.items():
            if len(people) == 1:
                found.setdefault(last, next(iter(people)))
        ordered = sorted(found.items(), key=lambda x: (-len(x[0]), x[0]))
        return cls(tuple(AliasForm(f, c) for f, c in ordered), frozenset(speakers))

    def canonicals_in(self, folded: str) -> list[tuple[str, str]]:
        """(form, canonical name) for each name form found in folded text."""
        return [(f.folded, f.canonical) for f in self.forms if f.folded in folded]

    def forms_of(self, canonical: str) -> list[str]:
        """Every folded form of one person's name."""
        return [f.folded for f in self.forms if f.canonical == canonical]

    def canonical_of(self, folded: str) -> str | None:
        """The canonical name whose form ``folded`` is, whole."""
        return next((f.canonical for f in self.forms if f.folded == folded), None)


def make_alias_step(table: AliasTable, folder: Folder) -> QueryStep:
    """Every name form in the query adds the canonical name, which the index adds to
    every passage holding any form of the name. For a person who never speaks the
    other written forms are added too, as alternatives of one group ("小扎" -> 扎克伯格 |
    马克·扎克伯格 | Mark Zuckerberg): the passages name them in many ways, and every way
    is then highlighted (an index built before names were folded still finds them)."""

    def step(found: Interpretation) -> Interpretation:
        seen = {t.text for t in found.terms if t.origin is Origin.ALIAS}
        terms = list(found.terms)
        group = found.next_group()
        text = typed_text(found)
        chars = fold_chars(text, folder)
        spans = []
        for form, canonical in table.canonicals_in(folder.fold(found.typed)):
            if canonical in seen:
                continue
            seen.add(canonical)
            names = [canonical]
            start = chars.find(form)
            if canonical not in table.speakers and start >= 0:
                # The typed form joins the group: the name counts once, in any form.
                names += [text[start : start + len(form)], *table.forms_of(canonical)]
                spans.append((start, start + len(form)))
            for name in dict.fromkeys(names):
                terms.append(Term(name, 1.0, Origin.ALIAS, form, group))
            group += 1
        found = found.with_terms(tuple(terms))
        return carve(found, spans) if spans else found

    return step


def make_read_name_step(table: AliasTable, folder: Folder) -> QueryStep:
    """A name read from pinyin or translated from English ("xiaozha" -> 小扎, a form of
    Mark Zuckerberg's) is that person, as if typed: its group becomes the name's, the
    canonical name and, for someone who never speaks, every written form (小扎 alone is
    in one title and no passage)."""

    def step(found: Interpretation) -> Interpretation:
        seen = {t.text for t in found.terms if t.origin is Origin.ALIAS}
        firsts: dict[int, Term] = {}
        for t in found.terms:
            if t.origin in (Origin.PINYIN, Origin.ENGLISH):
                firsts.setdefault(t.group, t)
        named: dict[int, list[Term]] = {}
        for group, first in firsts.items():
            canonical = table.canonical_of(folder.fold(first.text))
            if canonical is None or canonical in seen:
                continue
            seen.add(canonical)
            names = [canonical, first.text]
            if canonical not in table.speakers:
                names += table.forms_of(canonical)
            named[group] = [
                Term(n, 1.0, Origin.ALIAS, first.source, group) for n in dict.fromkeys(names)
            ]
        if not named:
            return found
        kept = tuple(t for t in found.terms if t.group not in named)
        return found.with_terms(kept + tuple(t for terms in named.values() for t in terms))

    return step


def name_words(found: Interpretation) -> set[str]:
    """Latin words of the names found in the query: never translated or read as pinyin."""
    return {w for t in found.terms if t.origin is Origin.ALIAS for *_, w in latin_words(t.source)}


SPEAKER_FOCUS_WEIGHT = 0.2


def make_speaker_focus_step(table: AliasTable, folder: Folder) -> QueryStep:
    """A question about a speaker ("Wang 怎么看数据墙?", "what did Wang say about
    data?") asks what that person said, not where the name occurs: the name then weighs
    little as a search term (the answer ranks that speaker's own turns first, see
    ``rank.prefer_speakers``). Runs after the question step; other queries pass."""

    def step(found: Interpretation) -> Interpretation:
        if not any(t.origin is Origin.QUESTION for t in found.terms):
            return found
        speakers = {
            t.group for t in found.terms if t.origin is Origin.ALIAS and t.text in table.speakers
        }
        if not speakers:
            return found
        text = typed_text(found)
        chars = fold_chars(text, folder)
        spans = []
        for t in found.terms:
            if t.group in speakers and (start := chars.find(t.source)) >= 0:
                spans.append((start, start + len(t.source)))
        terms = tuple(
            replace(t, weight=SPEAKER_FOCUS_WEIGHT) if t.group in speakers else t
            for t in found.terms
        )
        return carve(found.with_terms(terms), spans)

    return step
