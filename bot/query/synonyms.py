"""Related wording: 营收 finds 收入, 川普 finds 特朗普. From an explicit table in
config (``search.synonyms``), from corpus words that share a specific English
sense in CC-CEDICT, and, for a dictionary word the corpus never uses, from corpus
words that share one of its one-word senses (便宜 -> 低成本; see lexicon.py): a
paraphrase in other words still meets the passage. Synonyms weigh less than what was
typed, related words less again."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.query import QueryStep
from bot.query.lexicon import Lexicon
from bot.query.terms import Interpretation, Origin, Term, typed_text
from bot.textfold import Folder

SYNONYM_WEIGHT = 0.6
RELATED_WEIGHT = 0.4
_LONGEST = 4


def make_synonym_step(
    lexicon: Lexicon,
    table: Sequence[Sequence[str]],
    folder: Folder,
    words_of: Callable[[str], list[str]],
) -> QueryStep:
    configured: dict[str, list[str]] = {}
    for row in table:
        folded = [folder.fold(w) for w in row]
        for w in folded:
            configured.setdefault(w, []).extend(o for o in folded if o != w)

    def step(found: Interpretation) -> Interpretation:
        text = folder.fold(typed_text(found))
        if not text.strip():
            return found
        terms = list(found.terms)
        group = found.next_group()
        seen = {t.text for t in terms}
        for word in dict.fromkeys(words_of(text)):
            # Configured rows may name phrases jieba cuts apart ("A轮"): match them whole.
            others = configured.get(word, []) + lexicon.senses.get(word, [])
            added = [o for o in dict.fromkeys(others) if o not in seen and o not in text]
            for other in added:
                terms.append(Term(other, SYNONYM_WEIGHT, Origin.SYNONYM, word, group))
                seen.add(other)
            group += bool(added)
        for word in _unknown_words(text, lexicon.related):
            added = [o for o in lexicon.related[word] if o not in seen and o not in text]
            for other in added:
                terms.append(Term(other, RELATED_WEIGHT, Origin.SYNONYM, word, group))
                seen.add(other)
            group += bool(added)
        for key, others in configured.items():
            if key in text and key not in words_of(text):
                added = [o for o in others if o not in seen and o not in text]
                for other in added:
                    terms.append(Term(other, SYNONYM_WEIGHT, Origin.SYNONYM, key, group))
                    seen.add(other)
                group += bool(added)
        return found.with_terms(tuple(terms))

    return step


def _unknown_words(text: str, known: Mapping[str, object]) -> list[str]:
    """The dictionary words of ``text`` the corpus never uses, longest
    first from the left. The index's segmenter cuts them into characters: found here
    by their spelling."""
    out = []
    i = 0
    while i < len(text):
        for n in range(_LONGEST, 1, -1):
            if text[i : i + n] in known:
                out.append(text[i : i + n])
                i += n
                break
        else:
            i += 1
    return out
