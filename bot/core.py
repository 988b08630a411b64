"""The platform-neutral core: text or ``Query`` in, ``Reply`` out.

Slack, Discord, the console, ``python -m bot ask`` and the daily excerpt all call
``CorpusBot.ask`` or ``CorpusBot.answer``; none of them searches on its own. This
module only dispatches: what was asked is worked out in ``bot.query``, ranking is in
``bot.search.rank``, event merging in ``bot.timeline``, what a reader sees in
``bot.display``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Generic, TypeVar

from bot import messages
from bot.config import RelevanceFloors
from bot.display import Display
from bot.errors import UserInputError
from bot.grammar import parse
from bot.models import Command, Passage, Query, Relevance, Reply, Role, SpeakerKind
from bot.query import understand
from bot.query.steps import Steps, default_steps
from bot.query.terms import Interpretation, Origin
from bot.query.uncovered import (
    OtherAbsent,
    other_absent_words,
    uncovered_words,
    unknown_names,
)
from bot.reload import SwapGate
from bot.search import measures, rank
from bot.search.index import EventHit, EventRecord, Hit, SearchIndex
from bot.textfold import Script
from bot.timeline import (
    event_within,
    is_headline,
    merge_events,
    read_fact,
    topic_parties,
    topic_shares,
    topic_text,
)

log = logging.getLogger(__name__)

# How many hits are ranked for paging ("More") and for whosaid's speaker vote.
CANDIDATES = 60
TIMELINE_CANDIDATES = 400
TIMELINE_PAGE = 20
# Timeline keeps events clearly about the topic, not every sentence sharing a word.
TIMELINE_FLOOR = 0.35
# The quote search's passages whose events answer a topic no event words as typed.
QUOTED_PASSAGES = 2
# The digest's topic pool: passages scoring at least this share of the best one.
TOPIC_FLOOR = 0.2
TOPIC_CANDIDATES = 500
FOLD_MEMO = 20_000  # folded texts remembered (passages, questions, event contexts)
# An answer may follow its question past this many speakerless passages (a heading, a
# summary line).
ANSWER_GAP = 2
# A turn this short that names its own speaker is an introduction, not an answer.
INTRODUCTION_CHARS = 60
# Whosaid: a passage with no named speaker holding this much of the typed words as one
# run is where the words are, though nobody is named for them (a damaged character or
# two still counts).
VERBATIM = 0.8
# Terms weighing less than this (question words) are searched but not highlighted.
HIGHLIGHT_WEIGHT = 0.5

T = TypeVar("T")
Handler = Callable[[Query, Interpretation], Reply]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    offset: int
    next_offset: int | None
    total: int


def paginate(items: Sequence[T], offset: int, limit: int) -> Page[T] | None:
    """The page at ``offset``; None when the offset is past the end."""
    page = items[offset : offset + limit]
    if not page:
        return None
    nxt = offset + limit
    return Page(page, offset, nxt if nxt < len(items) else None, len(items))


class CorpusBot:
    def __init__(
        self,
        index: SearchIndex,
        results: int = 3,
        max_query_chars: int = 500,
        *,
        synonyms: Sequence[Sequence[str]] = (),
        floors: RelevanceFloors | None = None,
        show_source_script: bool = False,
    ) -> None:
        self.page_size = results
        self.max_query_chars = max_query_chars
        self.floors = floors or RelevanceFloors()
        self._synonyms = synonyms
        self._show_source_script = show_source_script
        self._use(index)
        self._gate = SwapGate()  # live reload: an answer never straddles an index swap
        self._handlers: dict[Command, Handler] = {
            Command.QUOTE: self._quote,
            Command.WHOSAID: self._whosaid,
            Command.TIMELINE: self._timeline,
        }

    # ---- entry points -----------------------------------------------------------------

    def ask(self, text: str, offset: int = 0, corpus: str = "") -> Reply:
        """Answer what a person typed; bad input becomes a reply, never an exception.
        ``corpus``: the version a page button carries (``Reply.corpus``)."""
        try:
            query = parse(text, self.max_query_chars, self.page_size, offset)
        except UserInputError as err:
            log.info("rejected input %r: %s", text[:80], err)
            return Reply(
                Command.ERROR, (text or "").strip()[: self.max_query_chars], message=str(err)
            )
        return self.answer(query, corpus)

    async def ask_off_loop(self, text: str, offset: int = 0, corpus: str = "") -> Reply:
        """``ask`` in a worker thread, for adapters on an event loop: search never
        blocks the loop, and a bug becomes the internal-error reply plus a log line."""
        import asyncio  # here: a command-line answer never loads it (start-up time)

        try:
            return await asyncio.to_thread(self.ask, text, offset, corpus)
        except Exception:
            log.exception("answering %r failed", text[:80])
            return Reply(Command.ERROR, text, message=messages.INTERNAL_ERROR)

    def swap_index(self, index: SearchIndex) -> None:
        """Serve ``index`` from now on (live reload, ``bot.reload``): answers in flight
        finish on the old one first."""
        with self._gate.swapping():
            self._use(index)

    def _use(self, index: SearchIndex) -> None:
        self.index = index
        # Folding (OpenCC) is most of an answer's time, and the same passages are folded
        # by the ranking, the floor and the speaker vote: once each is enough.
        self._fold = lru_cache(maxsize=FOLD_MEMO)(index.folder.fold)
        self.display = Display(index, show_source_script=self._show_source_script)
        self.steps: dict[Command, Steps] = default_steps(
            index.lexicon, index.names, index.folder, index.words, self._synonyms
        )

    def answer(self, query: Query, corpus: str = "") -> Reply:
        """``corpus``: the version a page was asked from; when a reload has changed the
        corpus since, the page says so (it still comes, from the current corpus)."""
        with self._gate.reading():
            reply = self._answer(query)
            version = self.index.version
        reply = replace(reply, corpus=version)
        if corpus and version and corpus != version:
            reply = replace(reply, notices=(messages.CORPUS_CHANGED, *reply.notices))
        return reply

    def _answer(self, query: Query) -> Reply:
        if query.command is Command.HELP:
            return Reply(Command.HELP, query.text, message=messages.HELP)
        found = self.interpret(query)
        if not self._searchable(found) and query.dates is None:
            common = re.search(r"[^\W_]", query.search_text)
            message = messages.ONLY_COMMON_WORDS if common else messages.NOTHING_SEARCHABLE
            log.info("nothing to search for in %r", query.text[:80])
            return Reply(Command.ERROR, query.text, message=message, interpreted=found.terms)
        reply = self._handlers.get(query.command, self._quote)(query, found)
        reply = replace(reply, interpreted=found.terms)
        if query.notices:
            reply = replace(reply, notices=reply.notices + query.notices)
        return reply

    def interpret(self, query: Query) -> Interpretation:
        """What the query asks for: its search terms, and where each came from."""
        steps = self.steps.get(query.command, self.steps[Command.QUOTE])
        return understand(query.search_text, steps)

    def passage_reply(self, passage: Passage) -> Reply:
        """One passage as a reply, in its own script (the daily excerpt)."""
        with self._gate.reading():
            result = self.display.result(passage, 0.0, [], Script.NONE)
        return Reply(Command.QUOTE, "", results=(result,))

    def passages_about(self, topic: str, floor: float = TOPIC_FLOOR) -> list[Passage]:
        """Passages clearly about ``topic``: scoring at least ``floor`` of the best one."""
        with self._gate.reading():
            found = self.interpret(Query(Command.QUOTE, topic))
            hits = self.index.search_passages(found, TOPIC_CANDIDATES)
        if not hits:
            return []
        return [h.passage for h in hits if h.score >= floor * hits[0].score]

    # ---- handlers ---------------------------------------------------------------------

    def _quote(self, query: Query, found: Interpretation) -> Reply:
        ranked, relevance, asked = self._quoted(query.text, found)
        if not ranked:
            hint = messages.NO_HITS_HINT_QUOTE
            message = messages.NO_HITS.format(query=messages.echo(query.text), hint=hint)
            return _message(query, message, relevance)
        return self._results_page(
            Command.QUOTE,
            query,
            found,
            [(h.passage, h.score) for h in ranked],
            self._question_of if asked else lambda _passage: None,
            relevance=relevance,
        )

    def _quoted(self, text: str, found: Interpretation) -> tuple[list[Hit], Relevance, bool]:
        """The quote search for ``text``: its passages in rank order once one clears the
        quote floor (none otherwise), its relevance, and whether it is a question."""
        hits = self.index.search_passages(found, CANDIDATES)
        phrase = self._key(text)
        uncovered = self._uncovered(found)
        units = self._units(found, uncovered)
        ranked = rank.rerank(hits, phrase, units, self._fold)
        asked = any(t.origin is Origin.QUESTION for t in found.terms) or "?" in text
        named: set[str] = set()
        if asked:
            ranked = rank.pair_answers(ranked, self._answer_of)
            named = {t.text for t in found.terms if t.origin is Origin.ALIAS}
            ranked = rank.prefer_speakers(ranked, named)
        verbatim = rank.verbatim_key(phrase, uncovered)
        wanted = measures.asked(self._fold(found.typed)) if asked else ()
        given: dict[str, bool] = {}  # by passage id: the floor and the order both ask

        def gives(hit: Hit) -> bool:
            if hit.passage.id not in given:
                folded = self._fold(self._floor_text(hit.passage, named))
                given[hit.passage.id] = all(m.given_in(folded) for m in wanted)
            return given[hit.passage.id]

        def share(hit: Hit) -> float:
            held = self._share(units, verbatim, self._floor_text(hit.passage, named))
            # A question for a number of people, a length of time or an age is not
            # answered by a text giving none.
            return held if not wanted or gives(hit) else rank.PART_SHARE * held

        ranked, best = rank.floor_first(ranked, share, self.floors.quote)
        if wanted:  # and the texts that give it answer first
            ranked = sorted(ranked, key=lambda hit: not gives(hit))
        return ranked, Relevance(best, self.floors.quote, uncovered), asked

    def _whosaid(self, query: Query, found: Interpretation) -> Reply:
        """A speaker is named only where one attributed turn holds the phrase (its
        words, or the phrase verbatim): votes are per turn, and each is judged alone."""
        hits = self.index.search_passages(found, CANDIDATES)
        uncovered = self._uncovered(found)
        units = self._units(found, uncovered)
        phrase = self._key(query.text)
        verbatim = rank.verbatim_key(phrase, uncovered)

        def share(passage: Passage) -> float:
            return self._share(units, verbatim, passage.text)

        votes, best = rank.floor_first(
            rank.vote_speakers(
                hits, phrase, self._key, lambda p: share(p) >= self.floors.whosaid, self._own_voice
            ),
            lambda v: share(v.passage),
            self.floors.whosaid,
        )
        relevance = Relevance(best, self.floors.whosaid, uncovered)
        unattributed = self._said_unattributed(hits, phrase)
        said = max((rank.containment(phrase, self._key(v.passage.text)) for v in votes), default=0)
        # The words are there, but nobody is named for them: show where, name no one, even
        # when a speaker's turn shares enough words to clear the floor without saying them.
        if unattributed and unattributed[0][1] > said:
            return self._results_page(
                Command.WHOSAID,
                query,
                found,
                unattributed,
                lambda _passage: None,  # the turn before could read as its speaker
                message=messages.WHOSAID_UNATTRIBUTED.format(query=messages.echo(query.text)),
                relevance=relevance,
            )
        if not votes:
            message = messages.NO_SPEAKER_SAID.format(query=messages.echo(query.text))
            return _message(query, message, relevance)
        tie = None
        if rank.is_tie(votes):
            names = " and ".join(self._voice(v.passage) for v in votes[:2])
            tie = messages.WHOSAID_TIE.format(names=names)
        return self._results_page(
            Command.WHOSAID,
            query,
            found,
            [(v.passage, v.value) for v in votes],
            self._turn_before,  # whosaid's proof
            message=tie,
            relevance=relevance,
        )

    def _own_voice(self, passage: Passage) -> bool:
        """Whether the turn's speaker is its article's alone: a narrator or a group (the
        "我" of two stories are two people), not a person."""
        article = self.index.articles.get_or_none(passage.article_id)
        if article is None or passage.speaker is None:
            return False
        return article.kind_of(passage.speaker) is not SpeakerKind.PERSON

    def _voice(self, passage: Passage) -> str:
        """The speaker's name, with the article's title for a narrator or a group."""
        speaker = passage.speaker or ""
        if not self._own_voice(passage):
            return speaker
        title = self.index.articles[passage.article_id].title.value
        return messages.VOICE_IN_ARTICLE.format(speaker=speaker, title=title)

    def _timeline(self, query: Query, found: Interpretation) -> Reply:
        dates = query.dates
        relevance = None
        if self._searchable(found):
            # No uncovered words: an event and its article's lead say what happened in
            # their own words, and a topic's word the corpus lacks is most often one of
            # them said otherwise (达标 for 营收目标, 登报 for 广告), not something else.
            units = self._units(found, None)
            absent = self._absent_names(found, units)
            if absent:
                shown = "、".join(self._as_typed(word, query.text) for word in absent)
                message = messages.TIMELINE_NAME_ABSENT.format(
                    query=messages.echo(query.text), names=shown
                )
                return _message(query, message, Relevance(0.0, self.floors.timeline, absent))
            candidates = self.index.search_events(found, TIMELINE_CANDIDATES)
            # A topic's share is judged over all its events at once (``topic_shares``).
            keys = [self._key(self._topic_text(h.record)) for h in candidates]
            shared, held = rank.above_floor(
                list(zip(candidates, self._topic_shares(units, keys), strict=True)),
                lambda pair: pair[1],
                self.floors.timeline,
            )
            hits = [hit for hit, _share in shared]
            relevance = Relevance(held, self.floors.timeline)
            if not hits:
                hits, relevance = self._events_of_quoted(query, found, candidates, relevance)
            if not hits:
                message = messages.TIMELINE_EMPTY.format(query=messages.echo(query.text))
                return _message(query, message, relevance)
            # The floor is taken from the best event in the dates asked for, so a strong
            # match in another year does not hide the ones asked for.
            best = next(
                (h.score for h in hits if dates is None or event_within(dates, h.record.event)),
                None,
            )
            if best is None:
                return _message(query, _no_events_within(query))
            # A headline that holds the topic (with its lead) stays whatever its score:
            # BM25 ranks a short headline low beside paragraphs that repeat the words.
            records = [
                h.record
                for h in hits
                if h.score >= TIMELINE_FLOOR * best or is_headline(h.record.event)
            ]
        else:  # only dates: every event of the corpus
            records = list(self.index.events())
        script = _script(self.display, query)
        names = [rank.run_together(form) for form in self.index.name_forms]
        entries = merge_events(
            records,
            lambda text: read_fact(self.index.folder.fold(text), names),
            lambda text: self.display.shown(text, script),
            dates,
        )
        if dates is not None and not entries:
            return _message(query, _no_events_within(query))
        page = paginate(entries, query.offset, max(query.limit, TIMELINE_PAGE))
        if page is None:
            return _message(query, messages.NO_MORE.format(query=messages.echo(query.text)))
        return Reply(
            Command.TIMELINE,
            query.text,
            events=tuple(page.items),
            offset=page.offset,
            next_offset=page.next_offset,
            total=page.total,
            relevance=relevance,
        )

    # ---- helpers ----------------------------------------------------------------------

    def _events_of_quoted(
        self,
        query: Query,
        found: Interpretation,
        candidates: Sequence[EventHit],
        relevance: Relevance,
    ) -> tuple[list[EventHit], Relevance]:
        """A topic no event holds enough of ("疫情期间公司扩张过快": the event says 快速
        扩张时期在招聘方面犯过的错误) can still be what a passage is about: the quote search
        reads whole passages, with the quote floor. The events of the paragraphs of its
        best passages answer it (an event is a dated sentence inside its paragraph)."""
        ranked, quoted, _asked = self._quoted(query.search_text, found)
        best = {(h.passage.article_id, h.passage.paragraph) for h in ranked[:QUOTED_PASSAGES]}
        hits = [h for h in candidates if (h.record.article.id, h.record.event.paragraph) in best]
        return (hits, quoted) if hits else ([], relevance)

    def _results_page(
        self,
        command: Command,
        query: Query,
        found: Interpretation,
        ranked: Sequence[tuple[Passage, float]],
        context: Callable[[Passage], Passage | None],
        *,
        message: str | None = None,
        relevance: Relevance | None = None,
    ) -> Reply:
        """The page of ``ranked`` (passage, score) the query asks for, in the asker's
        script with the query's words highlighted; ``context``: the turn whose end is
        shown before each (None: none). ``relevance`` rides on every reply it makes,
        the "no more" one included."""
        page = paginate(ranked, query.offset, query.limit)
        if page is None:
            message = messages.NO_MORE.format(query=messages.echo(query.text))
            return _message(query, message, relevance)
        script = _script(self.display, query)
        tokens = self._highlight_tokens(found)
        results = tuple(
            self.display.result(passage, score, tokens, script, before=context(passage))
            for passage, score in page.items
        )
        return self.display.reply(
            command,
            query.text,
            results,
            script=script,
            page=(page.offset, page.next_offset, page.total),
            message=message,
            relevance=relevance,
        )

    def _key(self, text: str) -> str:
        return rank.unpunctuated(self._fold(text))

    def _topic_shares(self, units: Sequence[rank.Unit], keys: Sequence[str]) -> list[float]:
        return topic_shares(units, keys, self.floors.timeline, self.index.lexicon.proper_names)

    def _topic_text(self, record: EventRecord) -> str:
        return topic_text(record, self.index.event_context(record))

    def _searchable(self, found: Interpretation) -> bool:
        return any(self.index.tokens(t.text) for t in found.searched)

    def _share(self, units: Sequence[rank.Unit], phrase: str, text: str) -> float:
        """How much of the query a text holds: its weighted words, or the typed phrase
        verbatim where that says more (a damaged query still matches its own words).
        ``phrase``: ``rank.verbatim_key`` of the query."""
        key = self._key(text)
        return max(rank.held_share(units, key), rank.containment(phrase, key))

    def _uncovered(self, found: Interpretation) -> tuple[str, ...]:
        return uncovered_words(
            found,
            self.index.lexicon,
            self.index.folder,
            self.index.words,
            self._written,
        )

    def _absent_names(self, found: Interpretation, units: Sequence[rank.Unit]) -> tuple[str, ...]:
        """The proper names a timeline topic names that the corpus never uses and no
        step gave a counterpart (日本 in "胡锦涛访问日本" over a corpus that never names
        Japan). A topic's other absent words read as said otherwise (达标 for 营收目标),
        but a place or a party is named: as ``timeline.unreported`` says of a name the
        corpus has, no event about it, whatever else it holds. Not in a topic naming two
        parties or more that the corpus has (特朗普和扎克伯格在白宫), which asks what passed
        between them."""
        corpus_names = self.index.lexicon.proper_names
        named = [u for u in units if u.content and any(k in corpus_names for k in u.keys)]
        # (a party the corpus never writes is no party it names: "Scale AI 和 Toyota")
        parties = [u for u in topic_parties(units) if any(map(self._written, u.keys))]
        if len(parties) + len(named) > 1:
            return ()
        names = self.index.lexicon.absent_name_words()
        unknown = unknown_names(found, self.index.lexicon, self.index.folder)
        return tuple(w for w in self._uncovered(found) if w in names or w in unknown)

    def _as_typed(self, word: str, typed: str) -> str:
        """A folded query word as the query wrote it (Japan, 豐田, 輝達 for 英伟达): the
        shortest stretch of it that folds to the word (folding changes a word's length
        by a character or two at most); else as folded."""
        for size in range(max(1, len(word) - 2), len(word) + 3):
            for start in range(len(typed) - size + 1):
                if self._fold(typed[start : start + size]) == word:
                    return typed[start : start + size]
        return word

    def _units(self, found: Interpretation, uncovered: Sequence[str] | None) -> list[rank.Unit]:
        """``uncovered``: None where the words the corpus lacks do not count (timeline)."""
        other = (
            OtherAbsent()
            if uncovered is None
            else other_absent_words(found, self.index.lexicon, self.index.folder, self.index.words)
        )
        return rank.query_units(
            found,
            self._unit_words,
            self._rarity,
            self._key,
            self.index.names.forms_of,
            self.index.folder.fold,
            uncovered or (),
            other,
        )

    def _unit_words(self, text: str) -> list[str]:
        """Dictionary words, where a Chinese compound the corpus never uses ("企业应用")
        is split into two words it does use (企业 + 应用). Never a Latin word: the index
        holds it by its search form ("fortune" as "fortun"), and "for" + "tun" is no
        reading of it."""
        out = []
        for word in self.index.words(text):
            parts = [word]
            if len(word) >= 4 and not word.isascii() and not self.index.doc_freq(word):
                for cut in range(2, len(word) - 1):
                    left, right = word[:cut], word[cut:]
                    if self.index.doc_freq(left) and self.index.doc_freq(right):
                        parts = [left, right]
                        break
            out += parts
        return out

    def _written(self, text: str) -> bool:
        """Whether the corpus holds a token of ``text``."""
        return any(self.index.doc_freq(t) for t in self.index.tokens(text))

    def _rarity(self, text: str) -> float:
        """How rare the rarest token of ``text`` is; 0 when it has none (a stop character)."""
        return max((self.index.rarity(t) for t in self.index.tokens(text)), default=0.0)

    def _highlight_tokens(self, found: Interpretation) -> list[str]:
        """Tokens of the terms that matter (names in every written form among them)."""
        return [
            token
            for term in found.searched
            if term.weight >= HIGHLIGHT_WEIGHT
            for token in self.index.tokens(term.text)
        ]

    def _answer_of(self, question: Passage) -> Passage | None:
        """The turn that answers an interviewer's question: the next one with a speaker,
        past a heading or a summary line the article puts in between."""
        passage = question
        for _ in range(ANSWER_GAP + 1):
            if not passage.next_id:
                return None
            passage = self.index.passage(passage.next_id)
            if passage.article_id != question.article_id or passage.role is Role.INTERVIEWER:
                return None
            if passage.speaker and passage.role is not Role.NARRATION:
                return None if _introduction(passage) else passage
        return None

    def _question_of(self, passage: Passage) -> Passage | None:
        """The interviewer's question a turn answers (None: it answers none)."""
        if passage.role in (Role.INTERVIEWER, Role.NARRATION) or not passage.speaker:
            return None
        before = passage
        for _ in range(ANSWER_GAP + 1):
            if not before.prev_id:
                return None
            before = self.index.passage(before.prev_id)
            if before.article_id != passage.article_id:
                return None
            if before.role is Role.INTERVIEWER:
                return before
            if before.speaker and before.role is not Role.NARRATION:
                return None
        return None

    def _said_unattributed(self, hits: Sequence[Hit], phrase: str) -> list[tuple[Passage, float]]:
        """Passages without a named speaker (narration, an unattributed line) that hold
        the typed words verbatim, best first: whosaid's "found, but said by whom?"."""
        said = [
            (h.passage, share)
            for h in hits
            if h.passage.speaker is None
            and (share := rank.containment(phrase, self._key(h.passage.text))) >= VERBATIM
        ]
        return sorted(said, key=lambda item: -item[1])

    def _turn_before(self, passage: Passage) -> Passage | None:
        return self.index.passage(passage.prev_id) if passage.prev_id else None

    def _floor_text(self, passage: Passage, asked_of: set[str]) -> str:
        """What the quote floor reads: a turn with the question just before it, and with
        its speaker's name when the query asks about them (``asked_of``): a question
        about someone is answered by their own turns, which rarely say their name."""
        text = self._with_question(passage)
        return f"{passage.speaker}\n{text}" if passage.speaker in asked_of else text

    def _with_question(self, passage: Passage) -> str:
        """The turn with the question just before it, if any."""
        question = self._question_of(passage)
        if question is None or question.id != passage.prev_id:
            return passage.text
        return question.text + "\n" + passage.text


def _introduction(turn: Passage) -> bool:
    """A short turn that names its own speaker ("我是Scale AI的创始人兼CEO,Alexandr
    Wang。") introduces them after a host's opening; it answers no question, so the
    opening's words must not carry it to the top of a question's results."""
    speaker = turn.speaker
    return len(turn.text) <= INTRODUCTION_CHARS and speaker is not None and speaker in turn.text


def _message(query: Query, message: str, relevance: Relevance | None = None) -> Reply:
    return Reply(query.command, query.text, message=message, relevance=relevance)


def _script(display: Display, query: Query) -> Script:
    """The reply's script: the query's, or, when its words have no Han characters that
    tell ("Meta", "2025年"), the whole input's, command word included ("時間線 Meta")."""
    script = display.script_of(query.text)
    if script is Script.NONE and query.word:
        return display.script_of(query.word + " " + query.text)
    return script


def _no_events_within(query: Query) -> str:
    assert query.dates is not None
    if query.search_text:
        return messages.TIMELINE_NONE_WITHIN.format(
            query=query.search_text, dates=query.dates.label
        )
    return messages.TIMELINE_NONE_DATED.format(dates=query.dates.label)
