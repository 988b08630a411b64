"""The platform-neutral core: text or ``Query`` in, ``Reply`` out.

Slack, Discord, the console, ``python -m bot ask`` and the daily excerpt all call
``CorpusBot.ask`` or ``CorpusBot.answer``; none of them searches on its own.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from bot import messages
from bot.errors import UserInputError
from bot.grammar import parse
from bot.models import (
    Command,
    Passage,
    Query,
    Reply,
    Result,
    SourceRef,
    TimelineEntry,
)
from bot.search.index import EventRecord, SearchIndex
from bot.search.tokenize import highlight_spans

log = logging.getLogger(__name__)

# How many hits are ranked for paging ("More") and for whosaid's speaker vote.
CANDIDATES = 60
TIMELINE_PAGE = 20
# Two speakers whose best turns score within this ratio are reported as a tie.
TIE_RATIO = 0.9
_NOT_TEXT = re.compile(r"[\W_]+")


class CorpusBot:
    def __init__(self, index: SearchIndex, results: int = 3, max_query_chars: int = 500) -> None:
        self.index = index
        self.results = results
        self.max_query_chars = max_query_chars

    # ---- entry points -----------------------------------------------------------------

    def ask(self, text: str, offset: int = 0) -> Reply:
        """Answer what a person typed; bad input becomes a reply, never an exception."""
        try:
            query = parse(text, self.max_query_chars, self.results, offset)
        except UserInputError as err:
            log.info("rejected input %r: %s", text[:80], err)
            return Reply(
                Command.ERROR, (text or "").strip()[: self.max_query_chars], message=str(err)
            )
        return self.answer(query)

    async def ask_off_loop(self, text: str, offset: int = 0) -> Reply:
        """``ask`` in a worker thread, for adapters on an event loop: search never
        blocks the loop, and a bug becomes the internal-error reply plus a log line."""
        try:
            return await asyncio.to_thread(self.ask, text, offset)
        except Exception:
            log.exception("answering %r failed", text[:80])
            return Reply(Command.ERROR, text, message=messages.INTERNAL_ERROR)

    def answer(self, query: Query) -> Reply:
        if query.command is Command.HELP:
            return Reply(Command.HELP, query.text, message=messages.HELP)
        tokens = self.index.query_tokens(query.text)
        if not tokens:
            return Reply(Command.ERROR, query.text, message=messages.NOTHING_SEARCHABLE)
        if query.command is Command.WHOSAID:
            reply = self._whosaid(query, tokens)
        elif query.command is Command.TIMELINE:
            reply = self._timeline(query, tokens)
        else:
            reply = self._quote(query, tokens)
        if query.notices:
            reply = _with_notices(reply, query.notices)
        return reply

    def passage_reply(self, passage: Passage) -> Reply:
        """One passage as a reply, in its own script (the daily excerpt)."""
        return Reply(Command.QUOTE, "", results=(self._result(passage, 0.0, [], "none"),))

    # ---- /quote -----------------------------------------------------------------------

    def _quote(self, query: Query, tokens: list[str]) -> Reply:
        hits = self.index.passage_engine.search(tokens, CANDIDATES)
        phrase = self._phrase(query.text)
        words = self._query_words(query.text)
        ranked = sorted(
            ((self.index.passages[i], s * self._rerank(phrase, words, i)) for i, s in hits),
            key=lambda x: -x[1],
        )
        if not ranked:
            hint = messages.NO_HITS_HINT_QUOTE
            return Reply(
                Command.QUOTE,
                query.text,
                message=messages.NO_HITS.format(query=query.text, hint=hint),
            )
        page = ranked[query.offset : query.offset + query.limit]
        if not page:
            return Reply(
                Command.QUOTE, query.text, message=messages.NO_MORE.format(query=query.text)
            )
        script = self.index.tokenizer.folder.script_of(query.text)
        results = tuple(self._result(p, score, tokens, script) for p, score in page)
        return Reply(
            Command.QUOTE,
            query.text,
            results=results,
            offset=query.offset,
            next_offset=_next(query, len(ranked)),
            total=len(ranked),
        )

    # ---- /whosaid ---------------------------------------------------------------------

    def _whosaid(self, query: Query, tokens: list[str]) -> Reply:
        hits = self.index.passage_engine.search(tokens, CANDIDATES)
        phrase = self._phrase(query.text)
        best: dict[str, tuple[float, Passage]] = {}
        top = hits[0][1] if hits else 1.0
        for i, score in hits:
            passage = self.index.passages[i]
            if passage.speaker is None:
                continue
            # Saying the words matters more than sharing vocabulary with them.
            value = score / top + 2.0 * _containment(phrase, self._phrase(passage.text))
            if passage.speaker not in best or value > best[passage.speaker][0]:
                best[passage.speaker] = (value, passage)
        script = self.index.tokenizer.folder.script_of(query.text)
        if not best:
            fallback = [(self.index.passages[i], s) for i, s in hits[: query.limit]]
            return Reply(
                Command.WHOSAID,
                query.text,
                results=tuple(self._result(p, s, tokens, script) for p, s in fallback),
                message=messages.NO_SPEAKER.format(query=query.text)
                if fallback
                else messages.NO_HITS.format(query=query.text, hint=messages.NO_HITS_HINT_OTHER),
            )
        ranked = sorted(best.values(), key=lambda x: -x[0])
        message = None
        if len(ranked) > 1 and ranked[1][0] >= TIE_RATIO * ranked[0][0]:
            names = " and ".join(p.speaker or "" for _, p in ranked[:2])
            message = messages.WHOSAID_TIE.format(names=names)
        page = ranked[query.offset : query.offset + query.limit]
        if not page:
            return Reply(
                Command.WHOSAID, query.text, message=messages.NO_MORE.format(query=query.text)
            )
        results = tuple(
            self._result(p, score, tokens, script, with_context=True) for score, p in page
        )
        return Reply(
            Command.WHOSAID,
            query.text,
            results=results,
            message=message,
            offset=query.offset,
            next_offset=_next(query, len(ranked)),
            total=len(ranked),
        )

    # ---- /timeline --------------------------------------------------------------------

    def _timeline(self, query: Query, tokens: list[str]) -> Reply:
        hits = self.index.event_engine.search(tokens, 400)
        if not hits:
            return Reply(
                Command.TIMELINE,
                query.text,
                message=messages.TIMELINE_EMPTY.format(query=query.text),
            )
        # Keep events that are clearly about the topic, not every sentence sharing a word.
        floor = 0.35 * hits[0][1]
        records = [self.index.events[i] for i, s in hits if s >= floor]
        script = self.index.tokenizer.folder.script_of(query.text)
        entries = self._merge_events(records, script)
        limit = max(query.limit, TIMELINE_PAGE)
        page = entries[query.offset : query.offset + limit]
        if not page:
            return Reply(
                Command.TIMELINE, query.text, message=messages.NO_MORE.format(query=query.text)
            )
        paged = Query(query.command, query.text, query.offset, limit)
        return Reply(
            Command.TIMELINE,
            query.text,
            events=tuple(page),
            offset=query.offset,
            next_offset=_next(paged, len(entries)),
            total=len(entries),
        )

    def _merge_events(self, records: Sequence[EventRecord], script: str) -> list[TimelineEntry]:
        """One entry per (fact, date): the same sentence reported by two articles is one
        event with two sources; the same fact with two dates is two entries, each
        naming the other date as a conflict."""
        groups: list[list[EventRecord]] = []
        keys: list[set[str]] = []
        for record in records:
            grams = self._grams(record.event.text)
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
        entries: list[TimelineEntry] = []
        for group in groups:
            by_date: dict[str, list[EventRecord]] = {}
            for record in group:
                by_date.setdefault(record.event.date, []).append(record)
            dates = sorted(by_date)
            for date, members in by_date.items():
                first = members[0]
                sources = tuple(
                    dict.fromkeys(
                        SourceRef(
                            m.article.id,
                            self._display(m.article.title.value or m.article.id, script),
                            m.article.source_url.value,
                            m.article.published.value,
                        )
                        for m in members
                    )
                )
                entries.append(
                    TimelineEntry(
                        date=date,
                        text=self._display(first.event.text, script),
                        article_id=first.article.id,
                        sources=sources,
                        conflicts=tuple(d for d in dates if d != date),
                    )
                )
        entries.sort(key=lambda e: (e.date, e.article_id, e.text))
        return entries

    # ---- helpers ----------------------------------------------------------------------

    def _phrase(self, text: str) -> str:
        return _NOT_TEXT.sub("", self.index.tokenizer.folder.fold(text))

    def _query_words(self, text: str) -> list[str]:
        words = {self._phrase(w) for w in self.index.tokenizer.words(text)}
        return [w for w in words if w]

    def _rerank(self, phrase: str, words: list[str], passage_index: int) -> float:
        """BM25 counts a name several times over (word and bigrams), so a passage that
        repeats one query word can beat one that has them all. Reward the share of the
        query's distinct words present (Lucene's classic coordination factor) and the
        query appearing verbatim."""
        text = self._phrase(self.index.passages[passage_index].text)
        coord = sum(1 for w in words if w in text) / len(words) if words else 1.0
        return (0.5 + 0.5 * coord) * (1 + _containment(phrase, text))

    def _grams(self, text: str) -> set[str]:
        """The fact without who and when: names and dates differ in wording between
        articles ("亚历山大·王" / "Alexandr Wang", "2021年" / "2022年")."""
        folded = self._phrase(text)
        for form in self.index.aliases:
            folded = folded.replace(_NOT_TEXT.sub("", form.folded), "")
        folded = re.sub(r"\d+|[年月日]", "", folded)
        return {folded[i : i + 2] for i in range(len(folded) - 1)}

    def _display(self, text: str, script: str) -> str:
        folder = self.index.tokenizer.folder
        if script == "traditional":
            return folder.to_traditional(text)
        if script == "simplified":
            return folder.to_simplified(text)
        return text

    def _result(
        self, p: Passage, score: float, tokens: list[str], script: str, with_context: bool = False
    ) -> Result:
        article = self.index.articles[p.article_id]
        display = self._display(p.text, script)
        context = None
        if with_context and p.prev_id:
            before = self.index.by_id[p.prev_id].text.split("\n")[-1]
            context = self._display(before[-120:], script)
        return Result(
            passage_id=p.id,
            text=display,
            original_text=p.text,
            highlights=highlight_spans(display, tokens, self.index.tokenizer.folder),
            speaker=p.speaker,
            role=p.role,
            article_id=p.article_id,
            title=self._display(article.title.value or article.id, script),
            date=article.published.value,
            source_url=article.source_url.value,
            score=round(score, 4),
            context=context,
        )


def _containment(phrase: str, text: str) -> float:
    """How much of the (folded) query appears verbatim in the (folded) passage: the
    longest common run, as a share of the query."""
    if not phrase:
        return 0.0
    if phrase in text:
        return 1.0
    match = SequenceMatcher(None, phrase, text, autojunk=False).find_longest_match(
        0, len(phrase), 0, len(text)
    )
    return match.size / len(phrase) if match.size >= 4 else 0.0


def _similar(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= 0.6


def _next(query: Query, total: int) -> int | None:
    nxt = query.offset + query.limit
    return nxt if nxt < total else None


def _with_notices(reply: Reply, notices: tuple[str, ...]) -> Reply:
    return replace(reply, notices=reply.notices + notices)
