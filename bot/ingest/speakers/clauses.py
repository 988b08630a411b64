"""Utterance units and clauses: a quotation with the words that lead into it, or a
whole sentence; the clause a verb belongs to, and its head without opening words."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.ingest.sentences import split_sentences
from bot.ingest.speakers import fiction_en
from bot.ingest.speakers.lexicon import (
    ASIDE,
    CLAUSE_SPLIT,
    EN_TAIL,
    ENDS_INSIDE,
    NEGATED,
    NEWS_ADVERBIAL,
    NEWS_VERB,
    NOTE_MARK,
    OPENERS,
    QUOTE,
    TAIL,
)


def utterances(text: str) -> Iterator[str]:
    """Sentences; a sentence with several quotations (fiction's dialogue runs on in one
    sentence) is cut after each, and a short attribution after the last one ("，他说。",
    ", said Doe.") stays with it."""
    for sentence in split_sentences(text):
        quotes = list(QUOTE.finditer(sentence))
        if len(quotes) < 2 and not (quotes and ENDS_INSIDE.search(quotes[0].group(0))):
            yield sentence  # one quotation: the sentence is its utterance, as written
            continue
        # A quotation that ends its own sentence ("…呢。”") and narration after it:
        # the narration is not part of the utterance ("…呢。”宝玉来至上房，…").
        start = 0
        for i, q in enumerate(quotes):
            end = q.end()
            if i == len(quotes) - 1:
                tail = sentence[end:]
                if is_attribution_tail(tail):
                    end = len(sentence)
            if sentence[start:end].strip():
                yield sentence[start:end]
            start = end
        if sentence[start:].strip():
            yield sentence[start:]


_FICTION_TAIL_WORDS = 12  # longer, and the sentence has gone on to something else


def is_attribution_tail(tail: str) -> bool:
    """ "，他说。", ", Doe said."; in English also a long one that starts with its verb,
    the rest being who the speaker is (", said Sabrina Savage, principal investigator
    at Marshall for Hi-C Flare.")."""
    t = NOTE_MARK.sub("", tail).strip()
    short = ASIDE.sub("", without_adverbials(t))  # "OFAC负责人…(Andrea M. Gacki)在声明中说"
    zh = TAIL.match(short) if 0 < len(short) <= 40 else None
    if zh and NEWS_VERB.search(zh.group(0)[-3:]) and len(short[zh.end() :].strip(" ，,。")) >= 4:
        # "“…。”外交部发言人表示，中方反对。": a news verb with its own clause after it
        # reports something new; it is not the quotation's attribution.
        zh = None
    if zh and NEGATED.search(zh.group(0)):
        zh = None  # "“…”掌柜也不再问": he asked nothing
    if zh or EN_TAIL.match(t):
        return True
    # English fiction's own: "“Oh, hush!” the Rabbit whispered in a frightened tone.",
    # "“…,” Alice gently remarked".
    return len(t.split()) <= _FICTION_TAIL_WORDS and fiction_en.named_after(t) is not None


def last_clause(text: str) -> str:
    clauses = [c for c in CLAUSE_SPLIT.split(QUOTE.sub("，", text)) if c.strip()]
    return clauses[-1] if clauses else ""


def clause_head(clause: str) -> str:
    """The clause without the words that open it before its subject."""
    return OPENERS.sub("", clause.strip())


def last_quote(unit: str) -> re.Match[str] | None:
    found = None
    for found in QUOTE.finditer(unit):  # noqa: B007 - the last one is wanted
        pass
    if found is None or len(found.group(0)) < 4:
        return None  # “不敢”: a quoted word, not an utterance
    return found


def without_adverbials(clause: str) -> str:
    """ "外交部发言人汪文斌在例行记者会上表示" -> "外交部发言人汪文斌表示": where, when and to
    whom news said it, which stand between the speaker and the verb and name no one
    (the 记者 of "记者会" is not the indefinite speaker of "有记者问")."""
    return NEWS_ADVERBIAL.sub("", clause)
