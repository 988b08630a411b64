"""English query words -> Chinese search terms, from CC-CEDICT inverted and restricted
to the corpus (see lexicon.py) and from the corpus's own glossary.

- Phrases before single words: "data wall" is looked up whole before "data", "wall".
- Each English word (or phrase) becomes one group of 3-6 candidate Chinese words; a
  passage scores for the best candidate it has, so "data" -> 数据 | 资料 counts once.
- Two candidates that stand side by side in the corpus (数据 + 墙 -> 数据墙) add the
  joined word.
- Function words weigh nothing on their own ("the" never matches 《The Information》).
- Latin words the corpus uses as they are (Meta, YC, Sequoia) and names stay typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import pairwise

from bot.query import QueryStep
from bot.query.aliases import name_words
from bot.query.english_words import (
    dictionary_words,
    latin_words,
    regular_bases,
    regular_forms,
    search_form,
    without_possessive,
    word_lists,
)
from bot.query.lexicon import Lexicon
from bot.query.terms import Interpretation, Origin, Term, carve, typed_text
from bot.query.transliteration import guess
from bot.textfold import HAN_RE

MAX_PHRASE = 4
# A word the dictionary has in no form finds a word derived from its stem, noun first
# ("automated" -> "automation", else "automatic"): CC-CEDICT glosses many concepts by
# their noun or adjective only.
DERIVED = ("ion", "ation", "ic", "al", "ment")
# A clipped word ("bot" of "robot") has at least this many letters, and lost at most so
# many from the front.
MIN_CLIPPED = 3
MAX_CLIPPED_OFF = 3
JOINED_WEIGHT = 1.0
# A word the corpus also holds in English ("deal", "grain") is found as typed first; its
# translations only reach the Chinese passages on the topic, and must not outrank an
# English passage with the word itself on a single character's rarity (处, 年).
KEPT_TRANSLATION_WEIGHT = 0.5
# The engines' work grows with groups x alternatives (each alternative is a clause of
# its tokens): a pasted English paragraph made 24 groups of up to 7. Dev English
# queries use at most 5 groups of 6; past these caps a query searches its first
# words, each with its best candidates, and says so in "interpreted" (weight 0).
MAX_TRANSLATED_GROUPS = 12
MAX_ALTERNATIVES = 6
MAX_JOINED = 2


def make_english_step(lexicon: Lexicon) -> QueryStep:
    lists = word_lists()
    stop, asks = lists["english_stopwords"], lists["question_words_en"]
    particles, how_measures = lists["phrasal_particles"], lists["how_measures"]
    # Any -ing or -ed form of a question word asks ("talking" as "talk"); an -s form only
    # where it is listed ("says"): "talks" is as often a noun, the topic asked about.
    ask_stems = frozenset(search_form(a) for a in word_lists()["question_words_en"])

    def asking(word: str) -> bool:
        return word in asks or (word.endswith(("ing", "ed")) and search_form(word) in ask_stems)

    @lru_cache(maxsize=4096)
    def held(word: str) -> bool:
        """The corpus holds the word in English, in this form or another: the index
        stems both sides, so "entered" finds "enter". The forms tried are the regular
        ones of its stem (finding the form of every corpus word would cost a big corpus's first
        English query half a second)."""
        if word in lexicon.latin:
            return True
        base = search_form(word)
        forms = [base + end for end in ("", "s", "e", "es", "ed", "d", "ing")]
        forms += [base + base[-1:] + "ing", base + base[-1:] + "ed", base[:-1] + "ies"]
        forms += [base[:-1] + "ied", base + "l" + "ed", base + "l" + "ing"]
        if base.endswith("e"):  # a kept final -e (note: noted, noting; write: writing)
            forms += [base[:-1] + "ed", base[:-1] + "ing"]
        return any(f in lexicon.latin and search_form(f) == base for f in forms)

    @cache
    def written() -> dict[str, list[str]]:
        """The forms the corpus writes in English of each lemma no ending rule reaches
        (meet: met; take: taken, took): a team's English text says "met" where the
        question says "meets". Made at the first English word, not at start-up (the
        saved lexicon decodes a field when first read)."""
        forms: dict[str, list[str]] = {}
        for key, lemma in lexicon.irregular.items():
            if held(key) and search_form(key) == key:
                forms.setdefault(lemma, []).append(key)
        return forms

    def other_forms(word: str) -> list[str]:
        """The corpus's own English forms of ``word``'s lemma, other than its own
        ("meets" -> met; "met" -> meet, where the corpus writes "meeting")."""
        form = search_form(word)
        lemma = lexicon.irregular.get(form, form)
        # A short word's stem may be no lemma ("flies" -> "fli"): its spelling's bases.
        lemmas = dict.fromkeys([lemma, *sorted(search_form(b) for b in regular_bases(word))])
        forms = [f for f in lemmas if f != form and held(f)]
        forms += [f for lemma in lemmas for f in written().get(lemma, [])]
        return [f for f in dict.fromkeys(forms) if f != form]

    def lookup(key: str) -> tuple[list[str], Origin] | None:
        if key in lexicon.glossary:
            extra = [w for w in lexicon.english.get(key, []) if w not in lexicon.glossary[key]]
            return lexicon.glossary[key] + extra, Origin.GLOSSARY
        if lexicon.english.get(key):  # a key with no corpus candidate translates to nothing
            return lexicon.english[key], Origin.ENGLISH
        return None

    @lru_cache(maxsize=4096)
    def known(part: str, clipped: bool = True) -> str | None:
        """The dictionary key of a word, or of the one longer word it is clipped from
        ("bot" -> "robot", "net" -> "internet"; ``clipped``: False for a capitalised word,
        which is a name's as often: "Elon" is no "echelon")."""
        part = search_form(part)
        if part in lexicon.english:
            return part
        for ending in ("est", "er"):  # biggest -> big, faster -> fast: unknown forms only
            base = part.removesuffix(ending)
            if base != part and len(base) >= 3:
                for form in (base, base[:-1] if base[-1] == base[-2] else base, base + "e"):
                    if form in lexicon.english:
                        return form
        adjective = adverb_base(part)  # exponentially -> exponential: unknown forms only
        if adjective and search_form(adjective) in lexicon.english:
            return search_form(adjective)
        for ending in DERIVED:  # automated -> automation: a derived word, unknown forms only
            if part + ending in lexicon.english:
                return part + ending
        if len(part) < MIN_CLIPPED or not clipped:
            return None
        longer = [
            k
            for k in lexicon.english
            if k.endswith(part) and len(k) - len(part) <= MAX_CLIPPED_OFF and k.isalpha()
        ]
        return longer[0] if len(longer) == 1 else None

    def compound(word: str) -> list[str] | None:
        """ "chatbots" -> "chat" + "bot" (-> "robot"): an unknown word made of two known
        ones. Not a word the dictionary has, in this form or its lemma's: its parts are
        words too, but not its sense ("headquartered" is no head + quarter; where the
        corpus uses none of its translations it stays as typed, a word it lacks)."""
        if in_dictionary(word):
            return None
        for cut in range(3, len(word) - 2):
            left, right = known(word[:cut]), known(word[cut:])
            if left and right:
                return [left, right]
        return None

    def dictionary_names(text: str, aliases: set[str]) -> set[int]:
        """Starts of capitalised words that make a name the dictionary translates and
        the corpus writes in Chinese: a run looked up whole first ("New Mexico" ->
        新墨西哥州, "San Francisco" -> 旧金山; "New" alone is no name), then a word the
        dictionary has only as a name ("London", "Ukraine"; never "Passes", a common
        word written as a product's name). Names of the speakers table (``aliases``)
        and names the corpus writes in English stay as they are."""
        words = capitalised_words(text)
        starts: set[int] = set()
        i = 0
        while i < len(words):
            run = name_run(text, words, i)
            for j in range(len(run), 1, -1):
                # A name the corpus writes in English too stays as typed, as before.
                if any(w in aliases for *_, w in run[:j]) or all(held(w) for *_, w in run[:j]):
                    continue
                if lookup(" ".join(search_form(w) for *_, w in run[:j])):
                    starts.update(s for s, _, _ in run[:j])
                    i += j - 1
                    break
            else:
                w = without_possessive(words[i][2])  # "Bloomberg's report": Bloomberg
                known = dictionary_words()
                # Only a name: no common word shares its key ("Los" is "lose"'s "los").
                form = search_form(w)
                name = w in known.words and not (regular_forms(form) | {w}) & known.common
                if name and w not in aliases and not held(w) and lookup(form):
                    starts.add(words[i][0])
            i += 1
        return starts

    def sounded_names(text: str, aliases: set[str], taken: set[int]) -> list[Sounded]:
        """Capitalised names the corpus writes only in transliteration, found by their
        sound (``transliteration.guess``): a run of capitalised words looked up whole
        first ("Los Alamos" -> 洛斯阿拉莫斯), then a word alone. Not a name of the speakers
        table, one the corpus writes in English, one the dictionary translated
        (``taken``), a common English word ("Data"), nor an acronym (IPO)."""
        common = dictionary_words().common

        def name_like(s: int, e: int, w: str) -> bool:
            if s in taken or w in aliases or held(w) or text[s:e].isupper():
                return False
            return w not in stop and not asking(w) and w.isalpha()

        words = capitalised_words(text)
        out: list[Sounded] = []
        i = 0
        while i < len(words):
            run = name_run(text, words, i)
            for j in range(len(run), 0, -1):
                part = run[:j]
                if not all(name_like(*w) for w in part):
                    continue
                if all(w in common or regular_forms(search_form(w)) & common for *_, w in part):
                    continue  # English words, capitalised
                heard = guess(" ".join(w for *_, w in part), lexicon.sounds)
                if heard:
                    out.append(Sounded(part[0][0], part[-1][1], heard))
                    i += j - 1
                    break
            i += 1
        return out

    def whole_names(text: str, aliases: set[str], taken: set[int]) -> dict[int, list[str]]:
        """Starts of words typed as a name that a dictionary sense gives whole, and its
        corpus words ("China" -> 中国, "US" -> 美国, ``Lexicon.names``): in capitals, or
        capitalised inside a sentence. Their English keys are common words or stopwords
        (china, us), so the English path would read them as such, or keep them as typed
        as a product's name ("Passes"). Not a name of the speakers table, one the corpus
        writes in English, nor a word of a longer name the dictionary has (``taken``)."""
        words = latin_words(text)
        out: dict[int, list[str]] = {}
        for n, (s, e, w) in enumerate(words):
            typed = without_possessive(text[s:e])  # "China's AI": China
            corpus = lexicon.names.get(typed)
            if not corpus or s in taken or w in aliases or held(w):
                continue
            inside = n > 0 and not _SENTENCE_END.search(text[:s])
            if (typed.isupper() and len(typed) > 1) or (typed.istitle() and inside):
                out[s] = corpus
        return out

    def step(found: Interpretation) -> Interpretation:
        text = typed_text(found)
        typed_words = latin_words(text)
        aliases = name_words(found)
        translated_names = dictionary_names(text, aliases)
        whole = whole_names(text, aliases, translated_names)
        sounded = sounded_names(text, aliases, translated_names)
        heard = {s for s, _, _ in typed_words if any(n.start <= s < n.end for n in sounded)}
        names = (aliases | proper_names(text, lexicon.latin)) - {
            w for s, _, w in typed_words if s in translated_names
        }
        terms = list(found.terms)
        group = found.next_group()
        spans: list[tuple[int, int]] = []
        content: list[tuple[int, int, str]] = []
        kept: set[int] = set()  # corpus words that are also English: searched as typed too
        forms: dict[int, list[str]] = {}  # their other forms the corpus writes

        def weightless(s: int, e: int, w: str, origin: Origin) -> None:
            """``w`` as a term of no weight (every text of its language holds it)."""
            nonlocal group
            terms.append(Term(w, 0.0, origin, w, group))
            group += 1
            spans.append((s, e))

        # "how old", "how long": the word after "how" asks for a measure.
        measures = {
            s2
            for (_, e, w), (s2, _, w2) in pairwise(typed_words)
            if w == "how" and w2 in how_measures and not text[e:s2].strip()
        }
        for s, e, w in typed_words:
            if s in measures:
                weightless(s, e, w, Origin.QUESTION)
                continue
            if len(w) == 1 and (text[s:e].islower() or text[s - 1 : s] in ("'", "’")):
                # One lower-case letter, or a clitic a name step left ("s" of "Wang's"):
                # no word to translate ("m" -> 下午 by "p.m.") and held by every Latin text.
                weightless(s, e, w, Origin.ENGLISH)
                continue
            if s in heard:  # a name found by its sound: below
                content.append((s, e, ""))  # breaks a phrase
                continue
            if s in whole:  # a name a dictionary sense gives whole: China, US
                terms += [Term(c, 1.0, Origin.ENGLISH, text[s:e], group) for c in whole[s]]
                group += 1
                spans.append((s, e))
                content.append((s, e, ""))  # breaks a phrase
                continue
            if s in translated_names:  # a name the corpus writes in Chinese: translated
                content.append((s, e, search_form(w)))
                continue
            english_form = text[s:e].islower() or (s == 0 and text[s:e].istitle())
            others = other_forms(w) if english_form and w not in names else []
            if others and w not in stop and not asking(w):
                forms[s] = [*([w] if held(w) else []), *others]
                lemma = lexicon.irregular.get(search_form(w), search_form(w))
                if lemma in lexicon.english:
                    kept.add(s)  # searched in English, and translated beside it
                    content.append((s, e, lemma))
                else:
                    terms += [Term(f, 1.0, Origin.ENGLISH, text[s:e], group) for f in forms[s]]
                    group += 1
                    spans.append((s, e))
                    content.append((s, e, ""))  # breaks a phrase
            elif w in names:
                content.append((s, e, ""))  # stays typed; breaks a phrase
            elif w in stop or asking(w):
                # Before the corpus's own Latin words: an English corpus holds "how" and
                # "the" too, and they must not be translated into 何如 or searched.
                weightless(s, e, w, Origin.QUESTION if asking(w) else Origin.ENGLISH)
            elif held(w) and text[s:e].islower() and search_form(w) in lexicon.english:
                kept.add(s)
                content.append((s, e, search_form(w)))
            elif held(w):
                content.append((s, e, ""))  # stays typed; breaks a phrase
            else:
                form = search_form(w)  # an irregular form reads as its lemma: grew -> grow
                content.append((s, e, lexicon.irregular.get(form, form)))
        # A word directly followed by a particle ("drop out", "stepped down") is looked up
        # with it before alone: the word's start -> the particle's end.
        particle_end = {
            s: e2
            for (s, e, _), (s2, e2, p) in pairwise(typed_words)
            if p in particles and not text[e:s2].strip()
        }
        i = 0
        previous: list[str] = []
        while i < len(content):
            if not content[i][2]:
                previous = []
                i += 1
                continue
            for j in range(min(len(content), i + MAX_PHRASE), i, -1):
                words = [c[2] for c in content[i:j]]
                if not all(words):
                    continue
                end = content[j - 1][1]
                found_key = lookup(" ".join(words))
                phrasal = particle_end.get(content[i][0]) if j == i + 1 else None
                if phrasal:
                    particle = text[content[i][1] : phrasal].strip().lower()
                    as_phrase = lookup(f"{words[0]} {particle}")
                    if as_phrase:
                        found_key, end = as_phrase, phrasal
                keys = [" ".join(words)]
                if found_key is None and j == i + 1:
                    # another form of a known word, or one clipped (typed in lower case)
                    base = known(words[0], text[content[i][0]].islower())
                    found_key = lookup(base) if base else None
                    if found_key is None:
                        keys = compound(words[0]) or []
                if found_key is None and len(keys) <= 1:
                    continue
                source = text[content[i][0] : end]
                groups = [found_key] if found_key else [lookup(k) for k in keys]
                kept_word = j == i + 1 and content[i][0] in kept
                english = forms.get(content[i][0], [source.lower()]) if kept_word else []
                for form in english:
                    terms.append(Term(form, 1.0, Origin.ENGLISH, source, group))
                for entry in groups:
                    if entry is None:
                        continue
                    candidates, origin = entry
                    weight = KEPT_TRANSLATION_WEIGHT if kept_word else 1.0
                    # Side by side in the corpus: 数据 + 墙 -> 数据墙, in the second group.
                    joinable = lexicon.corpus_strings if previous else frozenset()
                    pairs = [a + b for a in previous for b in candidates if a + b in joinable]
                    joined = list(dict.fromkeys(pairs))[:MAX_JOINED]
                    for cand in candidates[: max(0, MAX_ALTERNATIVES - len(joined) - len(english))]:
                        terms.append(Term(cand, weight, origin, source, group))
                    for pair in joined:
                        terms.append(Term(pair, JOINED_WEIGHT, origin, source, group))
                    previous = candidates
                    group += 1
                spans.append((content[i][0], end))
                i = j
                break
            else:
                previous = []
                i += 1
        first = found.next_group()
        guessed = [
            Term(name.run, 1.0, Origin.TRANSLITERATION, text[name.start : name.end], group + n)
            for n, name in enumerate(sounded)
        ]
        interpreted = found.with_terms(bounded(terms, first))
        carved = carve(interpreted, spans) if spans else interpreted
        if not guessed:
            return carved
        named = carve(
            carved.with_terms((*carved.terms, *guessed)), [(n.start, n.end) for n in sounded]
        )
        # A guessed name never carries a query alone: other words must be searched too.
        guessed_only = all(t.weight <= 0 or t.origin is Origin.TRANSLITERATION for t in named.terms)
        return carved if guessed_only else named

    return step


def capitalised_words(text: str) -> list[tuple[int, int, str]]:
    """The Latin words of ``text`` that open with a capital: where names are looked for."""
    return [(s, e, w) for s, e, w in latin_words(text) if text[s].isupper()]


def name_run(text: str, words: list[tuple[int, int, str]], i: int) -> list[tuple[int, int, str]]:
    """``words[i]`` and the words after it that only spaces separate from it (at most
    ``MAX_PHRASE``): the longest name that may start there ("Los Alamos")."""
    run = [words[i]]
    while len(run) < MAX_PHRASE and i + len(run) < len(words):
        s, _, _ = words[i + len(run)]
        if text[run[-1][1] : s].strip():
            break
        run.append(words[i + len(run)])
    return run


@dataclass(frozen=True)
class Sounded:
    """A typed name (``start``: ``end`` of the typed text) and the corpus's
    transliteration of it."""

    start: int
    end: int
    run: str


def bounded(terms: list[Term], first: int) -> tuple[Term, ...]:
    """The translated groups past ``MAX_TRANSLATED_GROUPS`` (from group ``first`` on,
    in query order) are kept as a record at weight 0: not searched."""
    translated = list(dict.fromkeys(t.group for t in terms if t.group >= first and t.weight > 0))
    over = set(translated[MAX_TRANSLATED_GROUPS:])
    return tuple(replace(t, weight=0.0) if t.group in over else t for t in terms)


def in_dictionary(word: str) -> bool:
    """Whether the dictionary's English has ``word`` (lower case) or a word it is a
    regular form of ("headquartered" of "headquarter(s)", "lawsuits" of "lawsuit")."""
    known = dictionary_words().words
    form = search_form(word)
    return word in known or bool(({form} | regular_bases(word) | regular_forms(form)) & known)


def adverb_base(word: str) -> str | None:
    """The adjective of an -ly adverb: exponentially -> exponential, easily -> easy,
    probably -> probable; None for other words."""
    if len(word) < 6 or not word.endswith("ly"):
        return None
    if word.endswith("ily"):
        return word[:-3] + "y"
    if word.endswith("bly"):
        return word[:-1] + "e"
    return word[:-2]


# A capitalised word after these marks starts a sentence: no sign of a name.
_SENTENCE_END = re.compile(r"[.!?。！？:：]\s*$")


def proper_names(text: str, corpus: frozenset[str]) -> set[str]:
    """Capitalised words inside a sentence the corpus does not use ("Passes" in "how
    does Passes work", "Lucy Guo 创办的 Passes 公司"): a product or a name, not the
    English word, so they stay as typed (and, absent from the corpus, are honestly
    missed). An English query in title case, or one word alone, shows nothing of the
    kind; a Chinese sentence around the word does."""
    words = latin_words(text)
    chinese = HAN_RE.search(text) is not None
    if not chinese and not any(text[s].islower() for s, _, _ in words):
        return set()
    start = len(text) - len(text.lstrip())
    return {
        w
        for s, e, w in words
        if text[s].isupper()
        and not text[s:e].isupper()
        and without_possessive(w) not in corpus
        and s > start
        and (s > words[0][0] or chinese)
        and not _SENTENCE_END.search(text[:s])
    }
