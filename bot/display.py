"""What a reader sees: passages as ``Result``s in the asker's script, with the matched
words marked. Stored text is never changed; only what is shown is converted."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from bot.models import Passage, Result
from bot.search.index import SearchIndex
from bot.textfold import Folder, Script

# How much of the turn before a whosaid answer is shown as context.
CONTEXT_CHARS = 120


class Display:
    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.folder = index.folder

    def script_of(self, text: str) -> Script:
        return self.folder.script_of(text)

    def shown(self, text: str, script: Script) -> str:
        if script is Script.TRADITIONAL:
            return self.folder.to_traditional(text)
        if script is Script.SIMPLIFIED:
            return self.folder.to_simplified(text)
        return text

    def result(
        self,
        passage: Passage,
        score: float,
        tokens: Iterable[str],
        script: Script,
        *,
        context: bool = False,
    ) -> Result:
        """``context``: also show the end of the turn before (whosaid's proof)."""
        article = self.index.articles[passage.article_id]
        text = self.shown(passage.text, script)
        before = None
        if context and passage.prev_id:
            last_line = self.index.passage(passage.prev_id).text.split("\n")[-1]
            before = self.shown(last_line[-CONTEXT_CHARS:], script)
        return Result(
            passage_id=passage.id,
            text=text,
            original_text=passage.text,
            highlights=highlight_spans(text, tokens, self.folder),
            speaker=passage.speaker,
            role=passage.role,
            article_id=passage.article_id,
            title=self.shown(article.title.value or article.id, script),
            date=article.published.value,
            source_url=article.source_url.value,
            score=round(score, 4),
            context=before,
        )


def fold_chars(text: str, folder: Folder) -> str:
    """A fold of ``text`` with exactly one character per character, so positions in
    it are positions in ``text`` (for highlighting matches in the display text)."""
    simplified = folder.to_simplified(text)
    if len(simplified) != len(text):
        simplified = text
    out = []
    for ch in simplified:
        f = unicodedata.normalize("NFKC", ch).lower()
        out.append(f if len(f) == 1 else ch.lower())
    return "".join(out)


def highlight_spans(text: str, terms: Iterable[str], folder: Folder) -> tuple[tuple[int, int], ...]:
    """Merged (start, end) spans of ``text`` where any folded term occurs."""
    haystack = fold_chars(text, folder)
    spans: list[tuple[int, int]] = []
    for term in {t for t in terms if len(t) > 1}:  # single characters would mark noise
        start = haystack.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = haystack.find(term, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return tuple(merged)
