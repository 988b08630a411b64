"""What a reader sees: passages as ``Result``s in the asker's script, with the matched
words marked.

A quote bot must never alter a quotation in the reader's own script: when the query's
script is the passage's, the text is shown exactly as stored. Only when they differ is
it converted, with OpenCC's phrase-aware ``s2tw`` / ``tw2s`` (phrase tables choose the
character: 了解 stays 了解 and 為了解開 is not turned into 為瞭解開; the ``p`` variants
would also swap vocabulary, 数据 -> 資料, which rewrites the speaker's words), and the
reply says so. ``search.show_source_script`` turns conversion off altogether.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import opencc

from bot import messages
from bot.models import Command, Passage, Relevance, Reply, Result, Role, SpeakerKind
from bot.query.english_words import search_form
from bot.search.index import SearchIndex
from bot.textfold import Folder, Script, fold_chars

# How much of the turn before a whosaid answer is shown as context.
CONTEXT_CHARS = 120
_LATIN_TERM = re.compile(r"[0-9a-z][0-9a-z.'-]*")
_WORD_CHAR = re.compile(r"[0-9A-Za-z]")
_LETTERS = re.compile(r"[a-z]+")
_LETTER_WORD = re.compile(r"(?<![0-9a-z])[a-z]+(?![0-9a-z])")
SCRIPT_NAMES = {Script.TRADITIONAL: "Traditional", Script.SIMPLIFIED: "Simplified"}


class Display:
    def __init__(self, index: SearchIndex, *, show_source_script: bool = False) -> None:
        self.index = index
        self.folder = index.folder
        self.show_source_script = show_source_script
        # Loaded on first use (tw2s alone takes about 60 ms): most answers convert
        # nothing, or one way only.
        self._converters: dict[str, opencc.OpenCC] = {}

    def _converter(self, config: str) -> opencc.OpenCC:
        found = self._converters.get(config)
        if found is None:
            found = self._converters[config] = opencc.OpenCC(config)
        return found

    def script_of(self, text: str) -> Script:
        return self.folder.script_of(text)

    def shown(self, text: str, script: Script) -> str:
        """``text`` for a reader of ``script`` (titles, events): converted only when its
        own script is another."""
        source = self.folder.script_of(text)
        return self._convert(text, source, script)[0]

    def _convert(self, text: str, source: Script, wanted: Script) -> tuple[str, bool]:
        if (
            self.show_source_script
            or wanted is Script.NONE
            or source is Script.NONE
            or source is wanted
        ):
            return text, False
        if wanted is Script.TRADITIONAL:
            return self._converter("s2tw").convert(text), True
        return self._converter("tw2s").convert(text), True

    def source_script(self, passage: Passage) -> Script:
        stored = self.index.articles[passage.article_id].script.value
        if stored in (Script.TRADITIONAL, Script.SIMPLIFIED):
            return Script(stored)
        return self.folder.script_of(passage.text)

    def result(
        self,
        passage: Passage,
        score: float,
        tokens: Iterable[str],
        script: Script,
        *,
        before: Passage | None = None,
    ) -> Result:
        """``before``: a turn whose end is shown first (whosaid's proof, or the question
        an answer replies to)."""
        article = self.index.articles[passage.article_id]
        source = self.source_script(passage)
        text, converted = self._convert(passage.text, source, script)
        shown_before = None
        if before is not None:
            last_line = before.text.split("\n")[-1]
            shown_before = self._convert(last_line[-CONTEXT_CHARS:], source, script)[0]
        return Result(
            passage_id=passage.id,
            text=text,
            original_text=passage.text,
            highlights=highlight_spans(text, tokens, self.folder),
            speaker=passage.speaker,
            role=passage.role,
            article_id=passage.article_id,
            title=self._convert(article.title.value or article.id, source, script)[0],
            date=article.published.value,
            source_url=article.source_url.value,
            score=round(score, 4),
            context=shown_before,
            converted_from=source if converted else None,
        )

    def reply(
        self,
        command: Command,
        query: str,
        results: tuple[Result, ...],
        *,
        script: Script,
        page: tuple[int, int | None, int],
        message: str | None = None,
        relevance: Relevance | None = None,
    ) -> Reply:
        """A reply of results in ``script``, noting any converted from its source's."""
        offset, next_offset, total = page
        notices = _conversion_notices(results, script, offset)
        if command is Command.WHOSAID and results:
            # Worded for the answer, the first result, only: the notices stand above the
            # results, so one about a lower result (another speaker's reported turn) read
            # as the answer. The others say "(reported)" in their own attribution.
            answer = results[0]
            if answer.role is Role.REPORTED and answer.speaker:
                # Reported speech is the article's wording of what someone said: the
                # answer says "according to", never that these are the speaker's words.
                notices += (
                    messages.WHOSAID_REPORTED.format(speaker=answer.speaker, title=answer.title),
                )
            # A group or a narrator is no one person: the answer says what it is.
            worded = {SpeakerKind.GROUP: messages.WHOSAID_GROUP,
                      SpeakerKind.NARRATOR: messages.WHOSAID_NARRATOR}  # fmt: skip
            if answer.speaker:  # the article read only for an answer that names someone
                kind = self.index.articles[answer.article_id].kind_of(answer.speaker)
                if kind in worded:
                    notices += (worded[kind].format(speaker=answer.speaker, title=answer.title),)
        return Reply(
            command,
            query,
            results=results,
            message=message,
            notices=notices,
            offset=offset,
            next_offset=next_offset,
            total=total,
            relevance=relevance,
        )


def _conversion_notices(
    results: tuple[Result, ...], script: Script, offset: int
) -> tuple[str, ...]:
    """One notice per source script converted from, naming the results it concerns
    when not all are: a whole-reply notice above a first result quoted as written
    would say that quotation was converted."""
    if script not in SCRIPT_NAMES:
        return ()
    numbers: dict[Script, list[int]] = {}
    for n, r in enumerate(results, offset + 1):
        if r.converted_from in SCRIPT_NAMES:
            numbers.setdefault(Script(r.converted_from), []).append(n)
    shown = SCRIPT_NAMES[script]
    return tuple(
        messages.CONVERTED.format(shown=shown, source=SCRIPT_NAMES[source])
        if len(which) == len(results)
        else messages.converted_some(which, shown, SCRIPT_NAMES[source])
        for source, which in numbers.items()
    )


def highlight_spans(text: str, terms: Iterable[str], folder: Folder) -> tuple[tuple[int, int], ...]:
    """Merged (start, end) spans of ``text`` where any folded term occurs. A Latin term
    marks whole words only ("on" never marks part of "Information")."""
    haystack = fold_chars(text, folder)
    spans: list[tuple[int, int]] = []
    wanted = {t for t in terms if len(t) > 1}  # single characters would mark noise
    for term in wanted:
        latin = _LATIN_TERM.fullmatch(term) is not None
        start = haystack.find(term)
        while start != -1:
            end = start + len(term)
            if not latin or _whole_word(text, start, end):
                spans.append((start, end))
            start = haystack.find(term, start + 1)
    # Search tokens of English words are their search forms ("talk" for "talked"): mark
    # each word of the text whose search form is one.
    forms = {t for t in wanted if _LETTERS.fullmatch(t)}
    if forms:
        spans.extend(
            m.span() for m in _LETTER_WORD.finditer(haystack) if search_form(m.group()) in forms
        )
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return tuple(merged)


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not _WORD_CHAR.fullmatch(before or " ") and not _WORD_CHAR.fullmatch(after or " ")
