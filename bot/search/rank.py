"""Ranking over engine hits: pure functions, no engine, no tokenizer.

BM25 scores each token on its own; these steps look at the passage as a whole: how
much of the query it holds verbatim, how many of the query's words it has, and, for
whosaid, which speaker's best turn says the phrase.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from bot.models import Passage, Role
from bot.query.english_words import search_form, spelled_form
from bot.query.synonyms import RELATED_WEIGHT
from bot.query.terms import Interpretation, Origin
from bot.query.uncovered import OtherAbsent, parts_inside, quantity_keys
from bot.search.index import Hit
from bot.textfold import HAN_RE, Folder

# Two speakers whose best turns score within this ratio are reported as a tie.
TIE_RATIO = 0.9
# A query word absent from the corpus weighs like a rare word, no more: an unknown
# English word left untranslated must not outweigh everything that was found.
MAX_UNIT_WEIGHT = 3.0
# A word the corpus lacks with no counterpart through any step (bot/query/uncovered.py)
# is what the query asks about and nothing holds: it weighs more than any word found.
UNCOVERED_WEIGHT = 6.0
# A corpus word inside an uncovered word (驾驶 in 无人驾驶: bot/query/uncovered.py) holds
# this share of it: the same morpheme in another compound (自动驾驶) is often the same
# thing said otherwise, but not always (无人 in 无人机), so it never holds it whole.
PART_SHARE = 0.5
# A typed word of one Han character is found anywhere in a text, inside other words
# too (时 in 同时, 高 in 提高): finding it says less than finding a word, however rare.
SINGLE_CHAR_WEIGHT = 2.0
# A function word (自己, 还要, 过) is no topic: where a text says it too it counts towards
# the floor, but as one common word, whatever its rarity, so it cannot make up for the
# word asked about that the text lacks. (The ranking still weighs it by its rarity.)
FUNCTION_WORD_WEIGHT = 1.0
# A timeline event holding less than this share of a topic's content words (by weight)
# is not about the topic, whatever names it shares with it ("Scale AI 收购了哪些公司" is
# not answered by an event that names Scale AI and says 公司, a common word, but no 收购).
MOST_OF_TOPIC = 0.5
# Terms that stand for a typed word in other words (a related one holds part of it).
_RELATIONS = (Origin.SYNONYM, Origin.WORDNET)
_NOT_TEXT = re.compile(r"[\W_]+")

KeyOf = Callable[[str], str]
T = TypeVar("T")


def match_key(folder: Folder, text: str) -> str:
    """Folded text without spaces, punctuation or symbols: what "verbatim" compares."""
    return unpunctuated(folder.fold(text))


def unpunctuated(folded: str) -> str:
    """Without spaces and punctuation, except that two Latin words or numbers keep a
    ``WORD_BREAK`` between them: a key is then held as a whole word, not inside another
    ("ai" in "said", "1" in "2021")."""
    return _NOT_TEXT.sub(_break_or_nothing, folded)


def run_together(folded: str) -> str:
    """Without any space or punctuation, words run together: how a timeline fact's
    sentence is keyed to be compared across wordings (``timeline.read_fact``)."""
    return _NOT_TEXT.sub("", folded)


# Between two Latin words or numbers in a key; no word character, so no query holds it.
WORD_BREAK = "\x1f"
_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_ONE_LETTER = re.compile(r"[A-Za-z]")


def _break_or_nothing(m: re.Match[str]) -> str:
    text, start, end = m.string, m.start(), m.end()
    if start == 0 or end == len(text):
        return ""
    return WORD_BREAK if text[start - 1] in _ASCII and text[end] in _ASCII else ""


def versioned_keys(key: str) -> tuple[str, ...]:
    """A key and, for a name joined to its version ("llama4", "gpt4o"), the key of it
    written apart ("Llama 4"), which holds a word break."""
    apart = _VERSION_APART.sub(WORD_BREAK, key)
    return (key, apart) if apart != key else (key,)


_VERSION_APART = re.compile(r"(?<=[a-z])(?=[0-9])")


def holds(text_key: str, key: str) -> bool:
    """Whether a text key holds ``key``: Han anywhere (学 in 大学); a Latin word or a
    number as a whole word, or a Latin word as the form of the text's word it opens
    ("talk" in "talked", "rid" of "ride" in "riding"; not "mar" of "Mars" in
    "Marshall", "ai" in "said", "1" in "2021" or "4" in "Llama 40")."""
    start = text_key.find(key)
    if start < 0 or not key or key[0] not in _ASCII or key[-1] not in _ASCII:
        return start >= 0
    last = key.rsplit(WORD_BREAK, 1)[-1]
    while start >= 0:
        end = start + len(key)
        if start == 0 or text_key[start - 1] not in _ASCII:
            if end == len(text_key) or text_key[end] not in _ASCII:
                return True
            if last.isalpha():
                run = _LETTERS.match(text_key, end - len(last))
                if run is not None and _form_of(run.group(0), last):
                    return True
        start = text_key.find(key, start + 1)
    return False


_LETTERS = re.compile("[a-z]+")


@lru_cache(maxsize=65536)
def _form_of(word: str, key: str) -> bool:
    """Whether ``word`` (in a text) is a form of the query word searched as ``key``."""
    return key in (spelled_form(word), search_form(word))


def containment(phrase: str, text: str) -> float:
    """How much of the (folded) query appears verbatim in the (folded) passage: the
    longest common run, as a share of the query."""
    if not phrase:
        return 0.0
    if phrase in text:
        return 1.0
    size = longest_common_run(phrase, text)
    return size / len(phrase) if size >= 4 else 0.0


_LATIN_RUN = re.compile(f"[a-z{WORD_BREAK}]+")


def verbatim_key(phrase: str, uncovered: Sequence[str]) -> str:
    """What of the query the floor may find verbatim (``containment``), for a damaged
    query that still matches its own words: its Han and digits. Latin words are found
    whole as units, and a long name would hold the share alone ("alexandrwang" is most
    of "Alexandr Wang 养的宠物"). Nothing when a word is uncovered: a verbatim run stops
    short of the word the corpus lacks, and says nothing about it. Nothing either when
    no Han is left: the digits of a Latin word alone ("200" of "H200 GPU") are found in
    any passage that gives a number."""
    rest = "" if uncovered else _LATIN_RUN.sub("", phrase)
    return rest if HAN_RE.search(rest) else ""


def longest_common_run(short: str, text: str) -> int:
    """The length of the longest run of ``short`` that ``text`` holds. A run of n holds
    runs of every shorter length, so the length is searched by halves, each step a few
    substring tests (in C) instead of a matcher indexing the whole passage."""
    lo, hi = 0, len(short)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if any(short[i : i + mid] in text for i in range(len(short) - mid + 1)):
            lo = mid
        else:
            hi = mid - 1
    return lo


def rerank(
    hits: Sequence[Hit], phrase: str, units: Sequence[Unit], fold: Callable[[str], str]
) -> list[Hit]:
    """BM25 counts each token on its own, so a passage that repeats one query word can
    beat one that has them all, and one that has them far apart can beat one that says
    them in one sentence. Reward the weighted share of the query's units the passage
    holds (Lucene's classic coordination factor, each unit weighed by its rarity), the
    share its best sentence holds (an answer usually says the question's words
    together), and the query appearing verbatim."""

    def factor(passage: Passage) -> float:
        folded = fold(passage.text)
        text = unpunctuated(folded)
        whole = coverage(units, text)
        near = max((coverage(units, unpunctuated(c)) for c in clauses(folded)), default=0.0)
        return (0.5 + 0.25 * whole + 0.25 * near) * (1 + containment(phrase, text))

    scored = [Hit(h.passage, h.score * factor(h.passage)) for h in hits]
    return sorted(scored, key=lambda h: -h.score)


_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")


def clauses(folded: str) -> list[str]:
    """The sentences of a (folded) text."""
    return [c for c in _SENTENCE_END.split(folded) if c.strip()]


@dataclass(frozen=True)
class SpeakerVote:
    """A speaker's best turn for the phrase, and how well it says it."""

    speaker: str
    value: float
    passage: Passage


def vote_speakers(
    hits: Sequence[Hit],
    phrase: str,
    key_of: KeyOf,
    clears: Callable[[Passage], bool],
    own_voice: Callable[[Passage], bool] = lambda _passage: False,
) -> list[SpeakerVote]:
    """One vote per named speaker, best first. Saying the words matters more than
    sharing vocabulary with them. A speaker's vote is their best turn among those that
    clear the floor (``clears``), their own words before a report of them: a turn that
    shares five characters verbatim ("数据是 AI 系统的生命线" for "数据是AI的瓶颈") must not
    stand for the speaker whose other turn says the whole of it. ``own_voice``: whether
    a turn's speaker is its article's alone, one vote there (the "我" of two stories
    are two narrators); asked only of a name heard in more than one article."""
    Ranked = tuple[tuple[bool, bool, float], SpeakerVote]
    by_article: dict[tuple[str, str], Ranked] = {}
    top = hits[0].score if hits else 1.0
    for hit in hits:
        speaker = hit.passage.speaker
        if speaker is None:
            continue
        value = hit.score / top + 2.0 * containment(phrase, key_of(hit.passage.text))
        cleared = clears(hit.passage)
        rank_key = (cleared, cleared and hit.passage.role is not Role.REPORTED, value)
        who = (speaker, hit.passage.article_id)
        if who not in by_article or rank_key > by_article[who][0]:
            by_article[who] = (rank_key, SpeakerVote(speaker, value, hit.passage))
    articles = Counter(speaker for speaker, _ in by_article)
    best: dict[Hashable, Ranked] = {}
    for (speaker, article), ranked in by_article.items():
        alone = articles[speaker] > 1 and own_voice(ranked[1].passage)
        voter: Hashable = (speaker, article) if alone else speaker
        if voter not in best or ranked[0] > best[voter][0]:
            best[voter] = ranked
    return sorted((vote for _, vote in best.values()), key=lambda v: -v.value)


def is_tie(votes: Sequence[SpeakerVote]) -> bool:
    return len(votes) > 1 and votes[1].value >= TIE_RATIO * votes[0].value


# ---- how much of the query a hit holds (the relevance floors) ---------------------------


@dataclass(frozen=True)
class Unit:
    """One thing the query asks about: its alternatives as match keys, and its weight
    (how rare it is in the corpus: finding a rare word says more than a common one)."""

    keys: tuple[str, ...]
    weight: float
    # A function word counts where the text says it too, and is not missed where not.
    optional: bool = False
    # Related words of a word the corpus never uses, found through one of its dictionary
    # senses (爱好 -> 兴趣, 招人 -> 招聘): a paraphrase's word, or only the same sense.
    related: tuple[str, ...] = ()
    # What the query asks about. Not a name, nor a Latin word typed in a Chinese query
    # (Scale AI, MIT, Dropbox): those say whom or what it is asked of.
    content: bool = True
    # Corpus words inside an uncovered word (驾驶 in 无人驾驶): each holds ``PART_SHARE``.
    parts: tuple[str, ...] = ()

    def held(self, text_key: str, related: float = 1.0) -> float:
        """How much of the unit a text holds (0 to its weight); ``related``: the share
        of it a related word holds."""
        if any(holds(text_key, k) for k in self.keys):
            return self.weight
        if any(holds(text_key, k) for k in self.related):
            return related * self.weight
        if any(holds(text_key, k) for k in self.parts):
            return PART_SHARE * self.weight
        return 0.0

    def lone_characters(self) -> bool:
        """Whether every key is one Han character, found inside any word (学 in 大学)."""
        return all(HAN_RE.fullmatch(k) for k in self.keys)

    def holds_word(self, text_key: str) -> bool:
        """Whether a text holds this content word as typed or by a synonym, and not by a
        lone character (found inside any word) or a related word only."""
        return (
            self.content
            and not self.optional
            and any(holds(text_key, k) for k in self.keys if not HAN_RE.fullmatch(k))
        )


# A name and its version or model number are one word ("Llama 4", "GPT 4", "H 100"):
# the number alone would be held by any text saying 4月 or 24岁. A name is capitalised
# ("over 100" stays two words), and a year is no version ("AI 2024").
_VERSIONED = re.compile(r"\b([A-Z][A-Za-z]*) (\d{1,3}(?:\.\d)?)\b")


def query_units(
    found: Interpretation,
    words_of: Callable[[str], list[str]],
    rarity: Callable[[str], float],
    key_of: KeyOf,
    forms_of: Callable[[str], Sequence[str]],
    fold: Callable[[str], str],
    uncovered: Sequence[str] = (),
    other: OtherAbsent | None = None,
) -> list[Unit]:
    """Typed words one by one (with their synonyms as alternatives: a word with
    synonyms is one unit even where the segmenter cuts it), every group a step
    translated, and each name found (any of its forms); question words are left out.
    ``uncovered``: folded typed words the corpus lacks with no counterpart, each one
    unit whole (the segmenter would cut 裁员 into characters the corpus has), with the
    corpus words inside it as its parts (驾驶 in 无人驾驶); the first weighs
    ``UNCOVERED_WEIGHT``, any other as a rare word. ``other``: the words the corpus
    lacks that are not uncovered, each one unit whole: a pair jieba's guess does not
    join (家乡), and a quantity (几倍), whose parts are the text's quantities with its
    measure word (5-6倍)."""
    synonyms: dict[str, list[str]] = {}
    related: dict[str, list[str]] = {}
    groups: dict[int, list[str]] = {}
    names: dict[int, list[str]] = {}
    name_keys = []
    for term in found.searched:
        # A name the query asks about as a speaker too: the floor reads a turn with its
        # speaker's name (the speaker's own turns rarely say it).
        if term.origin in (Origin.ALIAS, Origin.TRANSLITERATION):
            names.setdefault(term.group, []).append(term.text)
            name_keys.append(key_of(term.source))
    units = []
    chinese = bool(HAN_RE.search(found.typed))
    for searched in names.values():  # the canonical name first
        forms = [*searched, *forms_of(searched[0])]
        keys = tuple(dict.fromkeys(k for k in map(key_of, forms) if k))
        units.append(Unit(keys, min(MAX_UNIT_WEIGHT, rarity(searched[0])), content=False))
    for term in found.searched:
        if term.origin in _RELATIONS and term.weight <= RELATED_WEIGHT:
            related.setdefault(key_of(term.source), []).append(term.text)
            synonyms.setdefault(key_of(term.source), [])
        elif term.origin is Origin.SYNONYM:
            synonyms.setdefault(key_of(term.source), []).append(term.text)
        elif term.origin in (Origin.ENGLISH, Origin.GLOSSARY, Origin.PINYIN):
            groups.setdefault(term.group, []).append(term.text)
    other = other or OtherAbsent()
    lacked = False
    for term in found.searched:
        if term.origin is Origin.TYPED:
            text = fold(_VERSIONED.sub(r"\1\2", term.text))
            for word in uncovered:
                if word in text:
                    parts = tuple(k for k in map(key_of, parts_inside(word, words_of)) if k)
                    # A query asks about one thing: a second word the corpus lacks says
                    # no more surely that the corpus lacks it (a paraphrase in everyday
                    # words has several: 靠烧钱融资的商业计划走不通).
                    weight = MAX_UNIT_WEIGHT if lacked else UNCOVERED_WEIGHT
                    units.append(Unit((key_of(word),), weight, parts=parts))
                    text = text.replace(word, " ")
                    lacked = True
            for word in (*other.quantities, *other.unjoined):
                if word in text:
                    # As much as its characters would weigh searched alone.
                    weight = sum(min(SINGLE_CHAR_WEIGHT, rarity(c)) for c in word)
                    units.append(Unit((key_of(word),), weight, parts=quantity_keys(word)))
                    text = text.replace(word, " ")
            for source, others in synonyms.items():
                if source and source in text:
                    keys = tuple(dict.fromkeys(k for k in map(key_of, [source, *others]) if k))
                    near = tuple(k for k in map(key_of, related.get(source, [])) if k)
                    units.append(Unit(keys, min(MAX_UNIT_WEIGHT, rarity(source)), related=near))
                    text = text.replace(source, " ")
            for word in dict.fromkeys(words_of(text)):
                if any(key_of(word) in name for name in name_keys):
                    continue  # part of a name: counted with the name
                if _ONE_LETTER.fullmatch(word):
                    continue  # the "s" of "Wang's", an initial: no word of the topic
                forms = [spelled_form(word), *synonyms.get(word, [])]
                # "Llama4" as the segmenter was given it; the text may write "Llama 4".
                keys = tuple(v for k in map(key_of, forms) if k for v in versioned_keys(k))
                if keys:
                    cap = SINGLE_CHAR_WEIGHT if HAN_RE.fullmatch(word) else MAX_UNIT_WEIGHT
                    named = chinese and not HAN_RE.search(word)  # a Latin word as typed
                    # A quantity (几轮) is said with another number in the text (多轮).
                    parts = quantity_keys(key_of(word))
                    units.append(Unit(keys, min(cap, rarity(word)), content=not named, parts=parts))
    for term in found.searched:
        if term.origin is Origin.FUNCTION:
            # A function word is no topic, but a passage that says it too is closer.
            weight = min(MAX_UNIT_WEIGHT, rarity(term.text))
            units.append(Unit((key_of(term.text),), weight, optional=True))
    for texts in groups.values():
        keys = tuple(k for k in (key_of(spelled_form(t)) for t in texts) if k)
        if keys:
            # As rare as its commonest alternative that is searched at all; alternatives
            # that are all single characters (visit -> 访 | 赴) weigh as a typed one does.
            weights = [w for w in (rarity(t) for t in texts) if w > 0]
            if all(HAN_RE.fullmatch(k) for k in keys):
                weights.append(SINGLE_CHAR_WEIGHT)
            units.append(Unit(keys, min([MAX_UNIT_WEIGHT, *weights])))
    return units


def held_share(units: Sequence[Unit], text_key: str) -> float:
    """How much of a quote or whosaid query a text holds: the floor both judge by.

    Beside a content word of the query held as typed (or by a synonym), the text is
    about what was asked, and a related word holds its word whole. Without one, what
    it holds may be only the names the query is asked of ("Scale AI", "Alexandr Wang"),
    lone characters found inside other words, and a related word that shares a sense
    with the word asked about (爱好 -> 兴趣: the corpus speaks of interest, never of a
    hobby): a related word then holds as much of its word as it weighs in the search,
    and the share is at most the share of the content words alone."""
    typed, related, overall = _whole_share(units, text_key)
    content = _content_words(units)
    if not content or typed:
        return overall
    return min(overall, coverage(content, text_key, related))


def topic_share(units: Sequence[Unit], text_key: str, parties: Sequence[Unit]) -> float:
    """How much of a timeline topic an event's text holds (``held_share`` for a topic);
    ``parties``: the names the topic is asked of (``timeline.topic_parties``).

    An event naming the company is no answer to "<company> 被起诉" unless it says the
    rest: the share is always at most that of the content words, and half of it when
    the event holds less than half of them (a common word of the topic beside the name
    is not the topic). A content word the corpus lacks is searched as its characters
    (退学 -> 退, 学), found inside any word (学 in 大学), so it is no content word there.
    Where a topic has no other and asks it of names commoner than a lone character (the
    corpus's subject, named by most events), those characters hold at most
    ``PART_SHARE`` of it: "Scale AI 被起诉" is not answered by an event naming Scale AI
    and saying 白手起家. A topic of names alone ("/timeline Scale AI") is every event
    about them; a topic naming two or more parties asks what passed between them, and
    an event naming all of them is about that even when it words the act otherwise
    ("Meta 收购 Scale" for "入股")."""
    _, related, overall = _whole_share(units, text_key)
    content = _content_words(units)
    if not content:
        return overall
    if len(parties) > 1 and all(u.held(text_key) for u in parties):
        return overall
    words = [u for u in content if not u.lone_characters()]
    if words:
        held = coverage(words, text_key, related)
    elif parties and all(u.weight < SINGLE_CHAR_WEIGHT for u in parties):
        # Beside names commoner than a lone character, only words the corpus lacks.
        held = PART_SHARE * coverage(content, text_key, related)
    else:  # a rarer name ("王从MIT退学"), or characters alone ("王的身家"): as they hold
        return overall
    share = min(overall, held)
    return share / 2 if held < MOST_OF_TOPIC else share


def _whole_share(units: Sequence[Unit], text_key: str) -> tuple[bool, float, float]:
    """Whether a text holds a content word of the query as typed, the share of its
    word a related word then holds, and the share of the whole query the text holds."""
    typed = any(unit.holds_word(text_key) for unit in units)
    related = 1.0 if typed else RELATED_WEIGHT
    return typed, related, coverage(units, text_key, related, FUNCTION_WORD_WEIGHT)


def _content_words(units: Sequence[Unit]) -> list[Unit]:
    return [u for u in units if u.content and not u.optional]


def coverage(
    units: Sequence[Unit],
    text_key: str,
    related: float = 1.0,
    function_words: float = MAX_UNIT_WEIGHT,
) -> float:
    """The weighted share of the query's units found in a text (1.0: all of them);
    ``related``: the share of its unit a related word holds; ``function_words``: the
    most a function word found weighs."""
    found = total = 0.0
    for unit in units:
        held = unit.held(text_key, related)
        if unit.optional:
            held = min(held, function_words)
        found += held
        total += held if unit.optional else unit.weight
    if not total:
        return 1.0 if not any(not u.optional for u in units) else 0.0
    return found / total


def prefer_speakers(hits: Sequence[Hit], speakers: set[str]) -> list[Hit]:
    """A question about what someone said or thinks ("Wang 怎么看数据墙?") is answered
    first by that person's own turns, then by the rest, each in rank order. The lead
    is added to their scores (the best score of the rest), so the order stays the
    order of the scores shown."""
    own = [h for h in hits if h.passage.speaker in speakers]
    rest = [h for h in hits if h.passage.speaker not in speakers]
    lead = max((h.score for h in rest), default=0.0)
    return [Hit(h.passage, h.score + lead) for h in own] + rest


def _split_at_floor(
    items: Sequence[T], share: Callable[[T], float], floor: float
) -> tuple[list[T], list[T], float]:
    """The items at or above ``floor``, those below, each in their order, and the best
    share of any item; each share is taken once."""
    shares = [share(item) for item in items]
    above = [item for item, held in zip(items, shares, strict=True) if held >= floor]
    below = [item for item, held in zip(items, shares, strict=True) if held < floor]
    return above, below, max(shares, default=0.0)


def above_floor(
    items: Sequence[T], share: Callable[[T], float], floor: float
) -> tuple[list[T], float]:
    """The items holding at least ``floor`` of the query, in their order, and the best
    share of any item: when none is left the answer is an honest "nothing matches"."""
    above, _below, best = _split_at_floor(items, share, floor)
    return above, best


def floor_first(
    items: Sequence[T], share: Callable[[T], float], floor: float
) -> tuple[list[T], float]:
    """As ``above_floor``, but once one item clears the floor the rest follow it, in
    their order: the floor decides whether the query is answered, not which passages
    answer it. The share is a count of words, and a paraphrase's or a question's own
    passage often holds fewer of them than a passage that merely shares its topic."""
    above, below, best = _split_at_floor(items, share, floor)
    return (above + below if above else []), best


# ---- an interviewer's question brings its answer ------------------------------------------


def pair_answers(hits: Sequence[Hit], answer_of: Callable[[Passage], Passage | None]) -> list[Hit]:
    """For a query that is a question: where a hit is an interviewer's question, the
    answer turn after it takes its place with its score (when higher than its own),
    to be shown with the question as context. The asker wants what was answered."""
    best: dict[str, Hit] = {}
    for hit in hits:
        answer = answer_of(hit.passage) if hit.passage.role is Role.INTERVIEWER else None
        chosen = Hit(answer, hit.score) if answer else hit
        held = best.get(chosen.passage.id)
        if held is None or chosen.score > held.score:
            best[chosen.passage.id] = chosen
    return sorted(best.values(), key=lambda h: -h.score)
