"""A word the fold rewrites alone but some passages keep is searched in both forms.

OpenCC's tw2sp segments text by its phrase table before converting, so what a word
folds to can depend on its neighbour: 核心 alone folds to 内核 (Taiwan's word for the
mainland's "kernel"), and so do most passages' 核心, but 的核心 stays. Every query term
is folded alone, so a query for 核心 (typed, read from "hexin", or translated) would
miss the passages that kept it. The lexicon holds, for each corpus word the fold
rewrites alone, the contexts in which passages keep it (``Lexicon.kept``); this step
adds them beside the word:

- a translated or pinyin candidate gains them as alternatives in its own group;
- a typed word gains them as another written form of itself (weight 1.0, shown as
  "synonym" with the word as searched, 内核, as ``source``: how the ranking counts a
  typed word's alternatives).
"""

from __future__ import annotations

from functools import lru_cache

from bot.query import QueryStep
from bot.query.lexicon import Lexicon
from bot.query.terms import Interpretation, Origin, Term, typed_text
from bot.textfold import Folder

_CANDIDATES = (Origin.PINYIN, Origin.ENGLISH, Origin.GLOSSARY)


def make_fold_step(lexicon: Lexicon, folder: Folder) -> QueryStep:
    fold = lru_cache(maxsize=4096)(folder.fold)

    def step(found: Interpretation) -> Interpretation:
        if not lexicon.kept:
            return found
        terms = list(found.terms)
        seen = {(t.text, t.group) for t in terms}
        for term in found.terms:
            if term.origin in _CANDIDATES:
                for context in lexicon.kept.get(fold(term.text), ()):
                    if (context, term.group) not in seen:
                        seen.add((context, term.group))
                        terms.append(
                            Term(context, term.weight, term.origin, term.source, term.group)
                        )
        searched = fold(typed_text(found))
        group = found.next_group()
        for word, contexts in lexicon.kept.items():
            added = [c for c in contexts if word in searched and c not in searched]
            for context in added:
                terms.append(Term(context, 1.0, Origin.SYNONYM, word, group))
            group += bool(added)
        return found.with_terms(tuple(terms))

    return step
