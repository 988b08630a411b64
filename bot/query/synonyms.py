"""Related wording: 营收 finds 收入, 川普 finds 特朗普. From an explicit table in
config (``search.synonyms``), from corpus words that share a specific English
sense in CC-CEDICT, and, for a dictionary word the corpus never uses, from corpus
words that share one of its one-word senses (便宜 -> 低成本; see lexicon.py): a
paraphrase in other words still meets the passage. Synonyms weigh less than what was
typed, related words less again.

The Chinese Open Wordnet's synonyms (专心 -> 全神贯注) are a step of their own, weighed
as related words: a word a person chose is no sure synonym of a wordnet neighbour."""

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
        out = _Alternatives(found, text)
        for word in dict.fromkeys(words_of(text)):
            # Configured rows may name phrases jieba cuts apart ("A轮"): match them whole.
            others = configured.get(word, []) + lexicon.senses.get(word, [])
            out.add(word, others, SYNONYM_WEIGHT, Origin.SYNONYM)
        for word in _spelled_words(text, lexicon.related):
            out.add(word, lexicon.related[word], RELATED_WEIGHT, Origin.SYNONYM)
        for key, others in configured.items():
            if key in text and key not in words_of(text):
                out.add(key, others, SYNONYM_WEIGHT, Origin.SYNONYM)
        return found.with_terms(tuple(out.terms))

    return step


def make_wordnet_step(lexicon: Lexicon, folder: Folder) -> QueryStep:
    """Corpus words that share a small synset with a typed word (lexicon.py ``wordnet``),
    each typed word's an alternative group weighed as a related word: a passage that
    says it in other words is found, never above one that says it as typed."""

    def step(found: Interpretation) -> Interpretation:
        text = folder.fold(typed_text(found))
        if not text.strip():
            return found
        out = _Alternatives(found, text)
        for word in _spelled_words(text, lexicon.wordnet):
            out.add(word, lexicon.wordnet[word], RELATED_WEIGHT, Origin.WORDNET)
        return found.with_terms(tuple(out.terms))

    return step


class _Alternatives:
    """The terms of an interpretation as a step adds other words for typed ones: each
    typed word's others are one new group, and a word already searched or typed is
    not added again."""

    def __init__(self, found: Interpretation, text: str) -> None:
        self.terms = list(found.terms)
        self._text = text
        self._group = found.next_group()
        self._seen = {t.text for t in found.terms}

    def add(self, word: str, others: Sequence[str], weight: float, origin: Origin) -> None:
        added = [o for o in dict.fromkeys(others) if o not in self._seen and o not in self._text]
        for other in added:
            self.terms.append(Term(other, weight, origin, word, self._group))
            self._seen.add(other)
        self._group += bool(added)


def _spelled_words(text: str, known: Mapping[str, object]) -> list[str]:
    """The words of ``text`` that ``known`` holds, longest first from the left, found by
    their spelling: a dictionary word the corpus never uses (``related``) is cut into
    characters by the index's segmenter, and a wordnet lemma need not be one of its words."""
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
