"""Who a clause names: known names anywhere in it, unknown ones only where the grammar
is clear (they open it), with evidence beyond their shape; one character of a full
name in classical fiction ("操曰" after 曹操)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from bot.ingest.names import (
    COMPOUND_SURNAMES,
    LATIN_NAME,
    NOT_PEOPLE,
    SURNAMES,
    TRANSLIT,
    trim_transliteration,
)
from bot.ingest.speakers.clauses import clause_head
from bot.ingest.speakers.fiction_en import is_honorific, titled_surname
from bot.ingest.speakers.lexicon import (
    BEFORE_OBJECT,
    CAPITALISED,
    CLAUSE_ENDS,
    COMMON_CHAR,
    COMMON_WORD,
    EN_OPENING_ADVERBS,
    EN_PLACE_WORDS,
    EN_TITLE_WORDS,
    HAN_RUN,
    INDEFINITE,
    LOCATIVE,
    MANNER_TAIL,
    NEAR,
    PERSON_SUFFIX,
    PLURAL,
    POSSESSIVE,
    RANK_AFTER,
    REPORT_VERB,
    REVEALED,
    ROLE_NOUNS,
    SAYING,
    SHORT_NAME_NEXT,
    SPEECH_OPENING,
    SUBORDINATE,
    TITLE_END,
    ZH_VERB,
)
from bot.ingest.speakers.salience import Gender, genders_by_pronouns, genders_by_titles
from bot.ingest.speakers.table import SpeakerTable
from bot.textfold import HAN

# What may follow a one-character name: a manner, a verb's first character, a clause end.
SINGLE_NEXT = re.escape(
    "".join(
        sorted(
            SHORT_NAME_NEXT
            | MANNER_TAIL
            | CLAUSE_ENDS
            | set("表指强強透坦直补補警承呼回感评評写寫解重宣认認称稱说說提介预預引")
        )
    )
)


def _last_listed(text: str) -> str | None:
    """ "中共中央总书记、国家主席习近平指出" -> "国家主席习近平": where titles are listed
    before the verb, the name ends the last of them."""
    verb = ZH_VERB.search(text, 1) or REPORT_VERB.search(text, 1)
    listed = text[: verb.start() if verb else len(text)]
    if "、" not in listed:
        return None
    last = re.match(f"[{HAN}]+", listed.rsplit("、", 1)[1])
    return last.group(0) if last else None


# An English name in running text: two or three capitalised words, none a word of an office
# or an organisation, and the whole capitalised run ("New Zealand Prime Minister Jacinda
# Ardern": "Jacinda Ardern", never "New Zealand Prime").
# Nor a word of the calendar or of a place ("Christmas Eve", "Baker Street"), and a hyphen
# only inside a word ("Jean-Pierre"; "Eve--old Scrooge" is two).
_NOT_NAME_WORDS = EN_TITLE_WORDS | EN_PLACE_WORDS | {"St"}  # ("Neville St. Clair")
_NAME_WORD = f"(?!(?:{'|'.join(sorted(_NOT_NAME_WORDS))})\\b)[A-Z][a-z](?:[A-Za-z']|-(?=[A-Za-z]))*"
PERSON_LATIN = f"{_NAME_WORD}(?: {_NAME_WORD}){{1,2}}(?! [A-Z])"
_NOTHING = re.compile("(?!)")
# Words that open an English sentence before a name, never a first name ("To Caroline",
# "What Wickham", "Poor Jane").
_OPENING_WORDS = (
    "The|A|An|In|On|At|But|And|So|To|What|When|Where|Why|How|Who|If|As|For|With|By|From"
    "|Of|Then|Now|Yes|No|Oh|Ah|Well|Dear|My|Our|Your|His|Her|Their|This|That|These|Those"
    "|It|He|She|We|They|You|I|Let|Do|Did|Is|Was|Poor|Good|Here|There|Only|Perhaps|Pray|"
    + "|".join(sorted(EN_OPENING_ADVERBS))
)
# The forms of ``PersonFinder.pattern`` no article changes: English names by their shape.
_LATIN_FORMS = re.compile(
    f"(?<![《\\w])(?!(?:{_OPENING_WORDS}) )"
    f"(?:(?:Mr|Ms|Mrs|Dr)\\. )?{PERSON_LATIN}(?![\\w》])"
    r"|(?<![\w《])(?:Mr|Ms|Mrs|Dr)\. (?!St\b)[A-Z][a-z][A-Za-z'-]*"
)

# Someone described and not named: "一个花白胡子的人", "二十多岁的人" (not 他的人, 这里的人),
# where they are too: "坐在後排的一個二十多歲的人".
DESCRIBED = re.compile(
    f"^(?:(?:[{HAN}]{{2,8}}?的)?(?:一个|一個))?(?P<role>(?![他她我你这這那])[{HAN}]{{2,6}}?(?<![里裡边邊])的人)(?![们們])"
)
# A surname, an order of birth and a word of kinship make a name in modern fiction: 康大叔,
# 華大媽, 夏四奶奶, 王九妈, 七斤嫂 is not (no surname), 李大哥; so do a nickname of two
# characters and an order of birth before it: 駝背五少爺 (not 他的五叔, whose uncle, nor
# 只有四叔, an adverb before 四叔); and in a family's story an order of birth alone
# before an uncle, aunt or sibling: 四叔, 四婶, 二妹 (not 大哥, 小姐, a word).
KIN_NAME = re.compile(
    f"^(?:[{''.join(sorted(SURNAMES))}][大二三四五六七八九小老]?"
    f"|(?![他她我你这這那只也又便就都还還却卻才倒正])[{HAN}](?<![的之])[{HAN}]"
    f"(?<![的之第初十有])[二三四五六七八九]|[二三四五六七八九](?=叔|伯|婶|嬸|嫂|姐|哥|妹))"
    "(?:少爷|少爺|奶奶|爷爷|爺爺|太太|叔|伯|哥|嫂|姐|妹|妈|媽|爷|爺|婶|嬸|娘|婆|公)"
)
# A name of one or two characters and an honorific, 慰老爷, 七大人: whoever the text keeps
# calling so (``HONOURED_TIMES`` at least near the clause) is a person, where no surname
# or kinship word tells (not 他老爷, 这大人, 铁老爷子; 老爷 alone is a role).
HONOURED_NAME = re.compile(
    f"(?![他她我你这這那哪各每诸諸众眾])[{HAN}]{{1,2}}(?<![的之])(?:老爷|老爺|大人)(?![们們子爷爺])"
)
HONOURED_TIMES = 2
# A pronoun and another, together: "我和娘", "他与老汪".
_WITH_ME = re.compile("^[我你他她][们們]?(?:和|与|與|跟|同)")
# A clause that opens on how it is done, no subject before it: "静静地微笑著说",
# "慢慢的说", "匆忙地应道" (not 地区, 地方: a place; not "宝玉的丫头", whose maid).
_MANNER_FIRST = re.compile(
    f"^(?:([{HAN}])\\1[地的]|[{HAN}]{{2}}地(?![区區方图圖位上下点點球]))(?=[{HAN}])"
)
# A time after an event, where a subject would stand: "寒暄之后说", "吃过饭以后问".
AFTER_EVENT = re.compile("之后|之後|以后|以後|之前|以前|之时|之時")
# A transliterated name with its dot right before a verb: "吉姆·里奇说".
DOTTED = re.compile(f"([{HAN}]+)·([{HAN}]+)$")


# A name a story gives in passing and then writes as a clause's subject again and again
# ("闰土也就到了", "闰土很高兴", "闰土在海边时"): two Han characters at a clause's start,
# before a word that goes on with a subject; none of them a pronoun, a number or a word
# of grammar, and the two together no dictionary word.
_SUBJECT_NEXT = "也便就都又还還却卻是在不没沒来來很说說道的和正已见見听聽笑问問答"
_RECURRING_SUBJECT = re.compile(
    f"(?:^|(?<=[，,。；;：:！？!?“”「」『』\\s—]))([{HAN}]{{2}})(?=[{_SUBJECT_NEXT}])"
)
_NOT_IN_A_NAME = set(
    "我你他她它们們这這那哪谁誰什么麼一二三四五六七八九十几幾每各此其之也便就都又还還却卻"
    "是在不没沒有了的着著过過得地和与與及但而且并並从從向对對把被给給让讓叫说說道看想要会會"
    "能可只很再才已然若如虽雖因所为為于於以将將自大小上下中里裏前后後时時人"
)
# "祥林嫂，…祥林嫂竟…祥林嫂看": two characters and a word of kinship opening a clause,
# a name the tagger does not know whatever word follows it (the kinship word ends it).
_RECURRING_KIN_NAME = re.compile(
    f"(?:^|(?<=[，,。；;：:！？!?“”「」『』\\s—]))([{HAN}]{{2}}(?:老太|嫂|婶|嬸|妈|媽|叔|伯))"
)
# "阿河进来了…阿河这一打扮…": a familiar name, 阿 and one character, opening clauses.
_RECURRING_FAMILIAR = re.compile(
    f"(?:^|(?<=[，,。；;：:！？!?“”「」『』\\s—]))(阿[{HAN}])(?=[{HAN}])"
)
_RARE_WORD = 10  # a dictionary count this low is a rare word, no common one
# How often the text must write it so: a story's character, not a phrase met by chance.
_RECURS = 3
# A number and a word make a nickname where the story writes them as a subject again and
# again ("七斤又叹一口气", "七斤嫂还没有答话", "九斤老太说": children named by their weight at
# birth), not a time or a count ("三天", "两个", "五年").
_NUMERALS = set("一二三四五六七八九十")
_COUNTED = set("天年月日岁歲点點分秒时時个個次回遍位名种種件条條些块塊元角")
_NICKNAME_RECURS = 4


def _nickname(word: str, n: int) -> bool:
    rest = set(word[1:]) - _NUMERALS
    return (
        word[0] in _NUMERALS
        and n >= _NICKNAME_RECURS
        and not set(word) & _COUNTED
        and not rest & _NOT_IN_A_NAME
    )


# One character, an order of birth and an uncle or aunt: "有二伯于是又笑逐颜开了" (not 他二伯,
# his uncle).
_BY_ORDER = re.compile(f"(?![我你他她这這那])[{HAN}][二三四五六七八九](?:伯|叔|婶|嬸|嫂|妈|媽)")


def no_count(_word: str) -> int:
    return 0


def positions(text: str, char: str) -> Iterator[int]:
    i = text.find(char)
    while i != -1:
        yield i
        i = text.find(char, i + 1)


class NamePattern:
    """``re.compile(f"{names.pattern}|{_LATIN_FORMS.pattern}")`` for ``match`` and
    ``finditer``, with the same matches: at each position the article's names are tried
    first, as in the alternation. Recompiling the whole as an article's table grew (about
    1.3 times an article, 11 ms each: the English forms' lookaheads) was a tenth of
    ingest's time (#14); the names alone compile in a fraction of that."""

    __slots__ = ("names",)

    def __init__(self, names: re.Pattern[str]) -> None:
        self.names = names

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.names.match(text, pos) or _LATIN_FORMS.match(text, pos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        # Neither part matches the empty string, so each match moves past the last.
        a, b = self.names.search(text), _LATIN_FORMS.search(text)
        while a is not None or b is not None:
            m = a if b is None or (a is not None and a.start() <= b.start()) else b
            assert m is not None
            yield m
            end = m.end()
            if a is not None and a.start() < end:
                a = self.names.search(text, end)
            if b is not None and b.start() < end:
                b = _LATIN_FORMS.search(text, end)


class PersonFinder:
    """Known names anywhere in a clause; unknown ones only where they open it."""

    def __init__(
        self,
        table: SpeakerTable,
        is_person: Callable[[str], bool],
        word_count: Callable[[str], int] = no_count,
    ) -> None:
        self.table = table
        self.is_person = is_person
        self.word_count = word_count
        self._given = [f for f in table.names() if f]  # config's, one character or more
        self._known = -1  # the table's size when the pattern was compiled
        self._pattern = NamePattern(_NOTHING)
        self.surnames: dict[str, str] = {}
        self.body = ""  # the article's narration, for evidence that a name recurs
        self.near = ""  # the part of it around the paragraph being read
        self._short: dict[str, str | None] = {}
        self._epithets: dict[str, str | None] = {}
        self._inside: dict[str, bool] = {}
        self._openers: dict[str, bool] = {}
        self._apart: dict[str, bool] = {}
        self._english_genders: tuple[dict[str, Gender], dict[str, Gender]] | None = None
        # English fiction's characters found speaking ("said the Queen": Queen), named
        # again in narration by the same word ("Alice began to feel very uneasy").
        self.characters: set[str] = set()
        # English fiction's descriptions of speakers ("the lawyer") -> who they are.
        self.described: dict[str, str] = {}
        self.genders: dict[str, Gender | None] = {}  # what ``body`` shows of each person
        self._characters = re.compile("$^")
        self._family_names()

    def _family_names(self) -> None:
        """ "英国外长拉布说" after "英国外交大臣多米尼克·拉布": the part after the dot of a
        transliterated name is that person, where it is no other's."""
        owners: dict[str, set[str]] = {}
        for name, aliases in self.table.as_dict().items():
            for form in (name, *aliases):
                last = form.rsplit("·", 1)[-1] if "·" in form else ""
                if len(last) >= 2:
                    owners.setdefault(last, set()).add(name)
        for last, names in owners.items():
            if len(names) == 1 and self.table.resolve(last) is None:
                self.table.alias(last, next(iter(names)))

    @property
    def pattern(self) -> NamePattern:
        """Every name known so far: the config's, the article's own, and those this pass
        found in clauses before (so "武松" found once is known after), apart from one
        character ("操", an alias of 曹操 is a word too: 体操), read at a clause's head
        only (``opening``)."""
        if len(self.table) != self._known:
            self._known = len(self.table)
            found = {f for f in self.table.names() if len(f) >= 2}
            given = set(self._given)
            longest = sorted(found | given, key=len, reverse=True)
            forms = [re.escape(f) for f in longest if len(f) > 1]
            # A one-character form (config's "子" for 孔子, "王" for Wang) is that person
            # only before a verb, a manner or a clause's end ("子曰", "子谓子夏曰", "王曾
            # 表示"), never the start of a longer name ("子夏曰", "子贡问") nor the end of
            # one after a surname ("曾子曰").
            single = "".join(sorted(f for f in given if len(f) == 1))
            if single:
                forms.append(
                    f"(?<![{''.join(sorted(SURNAMES))}])[{re.escape(single)}](?=[{SINGLE_NEXT}])"
                )
            self._pattern = NamePattern(re.compile("|".join(forms)) if forms else _NOTHING)
        return self._pattern

    def learn_recurring_subjects(self) -> None:
        """ "所以他的父亲叫他闰土。…闰土也就到了…只记得闰土很高兴": a name the tagger does
        not know, that ``body`` writes as a clause's subject at least ``_RECURS`` times,
        is a person of the story from the start, so that a later 他 may be them."""
        counts: dict[str, int] = {}
        for pattern in (_RECURRING_SUBJECT, _RECURRING_KIN_NAME, _RECURRING_FAMILIAR):
            for m in pattern.finditer(self.body):
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
        for word, n in counts.items():
            if n < _RECURS or self.table.resolve(word):
                continue
            by_order = n >= _NICKNAME_RECURS and _BY_ORDER.fullmatch(word) is not None
            if set(word) & _NOT_IN_A_NAME and not (_nickname(word, n) or by_order):
                continue
            # The tagger's own person ("祥林嫂") is one from the start as well, named in
            # the narration before she speaks ("遇见祥林嫂…“你回来了？”她先这样问"); so is a
            # familiar name the dictionary has only as a rare word (阿河, a place).
            familiar = word[0] == "阿"
            rare = self.word_count(word) < (_RARE_WORD if familiar else COMMON_WORD)
            if self.is_person(word) or rare:
                self.table.add(word)

    def at(self, start: int, length: int) -> None:
        """Evidence is looked for near the paragraph being read (a name recurs close to
        where it speaks), so the cost does not grow with the article's length."""
        self.near = self.body[max(0, start - NEAR) : start + length + NEAR]

    def count(self, text: str) -> int:
        return self.near.count(text)

    def accepts(self, cand: str) -> bool:
        """An unknown name needs evidence beyond its shape: the tagger's own word for a
        person, a transliteration, a surname before a given name that is not itself a
        word, or a name the article writes again ("卓大怒", "急回" read as names by
        shape, but are a character and a word)."""
        if len(cand) == 3 and cand[:2] in COMPOUND_SURNAMES:
            return True  # "司马牛": a two-character surname and a given name
        if not self.is_person(cand):
            return False
        if self.word_count(cand) > 0 or all(c in TRANSLIT for c in cand):
            return True
        if len(cand) == 3:
            # "赵立坚": a surname and a given name; "卓大怒": a character and a word.
            return not self.word_count(cand[1:]) and (cand[0] in SURNAMES or self.count(cand) >= 2)
        return cand[0] in SURNAMES or self.count(cand) >= 2

    def _credible_apart(self, name: str) -> bool:
        """A name the tagger reads in a clause before the verb's own is credible there when
        it has the usual shape (a surname first: 孔乙己, 林黛玉; a transliteration) or the
        text writes it more than once."""
        return name[0] in SURNAMES or all(c in TRANSLIT for c in name) or self.body.count(name) >= 2

    def short_name(self, char: str) -> str | None:
        """ "操曰", "卓大怒曰": classical fiction names a person by one character of the
        full name the article gives elsewhere (曹操, 董卓, 吕伯奢); None if it gives none."""
        if self._short.get(char):
            return self._short[char]
        counts: dict[str, int] = {}
        if char not in MANNER_TAIL | SHORT_NAME_NEXT and self.word_count(char) < COMMON_CHAR:
            near = self.near
            used = sum(
                1
                for i in positions(near, char)
                if (i == 0 or near[i - 1] in CLAUSE_ENDS) and "曰" in near[i + 1 : i + 5]
            )
            for i in positions(near, char):
                for full in (near[max(0, i - 2) : i + 1], near[max(0, i - 1) : i + 1]):
                    if len(full) < 2 or full in counts or not HAN_RUN.fullmatch(full):
                        continue
                    if self.table.resolve(full):  # a name this article already gave
                        counts[full] = self.count(full) + 1
                    elif (
                        full[0] in SURNAMES
                        and self.is_person(full)
                        # The tagger's own name, or one the article repeats, or one
                        # whose short form speaks more than once ("儒曰" … "儒曰").
                        and (self.word_count(full) or self.count(full) >= 2 or used >= 2)
                    ):
                        counts[full] = self.count(full)
        best = max(counts, key=lambda k: (counts[k], len(k)), default=None)
        name = self.table.add(best, [char]) if best else None
        self._short[char] = name
        return name

    def epithet_of(self, word: str) -> str | None:
        """ "大仙" where the text writes "镇元大仙" (镇元子), "大校" after "吴谦": a word for a
        person by role that the text writes right after one name (or that name less its
        last character) is that person's; None if it follows none, or several."""
        if word in self._epithets:
            return self._epithets[word]
        found = set()
        if self.word_count(word) > 0 and not self.is_person(word):
            for name, aliases in self.table.as_dict().items():
                for form in (name, *aliases):
                    if len(form) < 2 or word in form:
                        continue
                    prefixes = {form, form[:-1]} if len(form) >= 3 else {form}
                    if any(p + word in self.body for p in prefixes):
                        found.add(name)
        person = found.pop() if len(found) == 1 else None
        if person is not None:
            self.table.alias(word, person)
        self._epithets[word] = person
        return person

    def canonical(self, mention: str) -> str:
        name = self.table.resolve(mention) or mention
        words = name.split()
        if len(words) > 2 and is_honorific(words[0]):
            name = " ".join(words[1:])  # "Mr. Sherlock Holmes" is Sherlock Holmes
        elif len(words) > 1 and name.isascii() and self._opens_sentences(words[0]):
            name = " ".join(words[1:])  # "Neither Jane nor Elizabeth": Jane
        surname = titled_surname(name)
        full = self.surnames.get(surname) if surname else None
        if full and titled_surname(full) is None:
            return full  # "Mr. Wilson" after "Jabez Wilson"
        if " " in name and name[:1].isupper() and not self._lives_apart(name):
            # "Doe said…" after "said Jane Doe": the surname alone is her too; but not
            # one two people share ("Mr. Bennet", "Mrs. Bennet"): then it is nobody's.
            surname = name.rsplit(" ", 1)[1]
            have = self.surnames.setdefault(surname, name)
            if have and titled_surname(have) and not titled_surname(name):
                self.surnames[surname] = name  # "Mr. Wilson", then "Jabez Wilson": him
            elif have not in (name, ""):
                self.surnames[surname] = ""
        return name

    def known_in(self, clause: str) -> tuple[str, int] | None:
        found = None
        for m in self.pattern.finditer(clause):
            if m.start() and clause[m.start() - 1] in BEFORE_OBJECT:
                continue  # 向紫鹃道: whom it was said to
            found = (self.canonical(m.group(0)), m.start())
        for at, full in self._by_surname(clause):
            if found is None or at > found[1]:
                found = (full, at)
        return found

    def _by_surname(self, text: str) -> list[tuple[int, str]]:
        """Where ``text`` writes alone the surname of a full name given before ("Ardern
        spoke later", "Holmes sat up"): (position, full name), in order."""
        if not self.surnames:
            return []
        return [
            (m.start(), full)
            for m in CAPITALISED.finditer(text)
            if (full := self.surnames.get(m.group(0)))
        ]

    def opening(self, clause: str) -> tuple[str, int] | None:
        """A known name that opens the clause is its subject, whoever else it names
        after its verb ("伯奢拜陈宫曰", "Doe told Smith"); not a possessor ("宝玉的丫头")."""
        clause = clause.strip()
        at = len(clause) - len(clause_head(clause))
        m = self.pattern.match(clause, at)
        if m is None and self.surnames:
            # "Ardern spoke later, adding": the surname of a full name given before.
            word = CAPITALISED.match(clause, at)
            full = self.surnames.get(word.group(0)) if word else None
            if full:
                return full, at
        if m is None:
            kin = KIN_NAME.match(clause, at)
            if kin and self.is_person(kin.group(0)):
                return self.table.add(kin.group(0)), at  # "康大叔走上前"
            honoured = HONOURED_NAME.match(clause, at)
            if honoured and self.near.count(honoured.group(0)) >= HONOURED_TIMES:
                return self.table.add(honoured.group(0)), at  # "慰老爷还注视着…"
            return self._short_opening(clause, at)
        if clause[m.end() : m.end() + 1] in POSSESSIVE:
            return None
        return self.canonical(m.group(0)), m.start()

    def _short_opening(self, clause: str, at: int) -> tuple[str, int] | None:
        """ "操惶遽", "操觉": a one-character name this article already tied to a full
        one ("操曰" after 曹操) opens a short clause, or one whose next character is a
        manner or a verb ("操以鞭指…")."""
        head = HAN_RUN.match(clause, at)
        if head is None or len(head.group(0)) < 2:
            return None
        run = head.group(0)
        full = self.table.resolve(run[0])
        if full is None or not (len(run) <= 4 or run[1] in SHORT_NAME_NEXT):
            return None
        if run[1] not in SHORT_NAME_NEXT and (
            self.count(run[:2]) >= 2
            or any(self.table.resolve(run[:k]) or self.is_person(run[:k]) for k in (2, 3))
        ):
            # "子贡问", "子张曰": a name that begins with the character, which the text
            # writes again or the tagger reads as a name.
            return None
        return full, at

    def names_in(self, text: str) -> list[str]:
        """Every known name in ``text``, in order, English fiction's characters too."""
        found = [(m.start(), self.canonical(m.group(0))) for m in self.pattern.finditer(text)]
        if self.characters:
            found += [(m.start(), m.group(0)) for m in self._characters.finditer(text)]
        taken = {at for at, _ in found}
        found += [(at, full) for at, full in self._by_surname(text) if at not in taken]
        return [name for _, name in sorted(found)]

    def english_genders(self) -> tuple[dict[str, Gender], dict[str, Gender]]:
        """The genders ``body`` gives English names (by surname or single name): by title
        ("Mrs. Bennet") and by the pronouns of their clauses ("Mary … her ideas"), each
        read once in one pass, not once a name."""
        if self._english_genders is None:
            self._english_genders = (
                genders_by_titles(self.body),
                genders_by_pronouns(self.body),
            )
        return self._english_genders

    def _lives_apart(self, name: str) -> bool:
        """The first word of an English ``name`` stands alone in the text more often than
        in it ("London" of "London Lydia", "Jane" of "Jane Bennet"): then the last word is
        no surname of this one person ("said Lydia" is Lydia), as "Ardern" is of
        "Jacinda Ardern" where "Jacinda" comes only with it."""
        if name not in self._apart:
            first = name.split()[0]
            if not name.isascii() or is_honorific(first):
                self._apart[name] = False
            else:
                alone = len(re.findall(rf"\b{re.escape(first)}\b", self.body))
                # (a hard-wrapped text breaks a name over two lines: "Injun\nJoe")
                whole = r"\s+".join(map(re.escape, name.split()))
                self._apart[name] = alone > len(re.findall(rf"\b{whole}\b", self.body))
        return self._apart[name]

    def _opens_sentences(self, word: str) -> bool:
        """An English word the text writes in lower case, and capitalised only where it
        opens a sentence ("Neither", "Whenever", "Indeed"): no first name."""
        if word not in self._openers:
            lower = re.search(rf"\b{re.escape(word.lower())}\b", self.body) is not None
            self._openers[word] = lower and not self.capitalised_inside(word)
        return self._openers[word]

    def capitalised_inside(self, name: str) -> bool:
        """Whether ``body`` writes ``name`` capitalised inside a sentence too ("my little
        Lizzy"), as a name is and an interjection that opens a sentence ("Ah,") is not."""
        if name not in self._inside:
            self._inside[name] = bool(re.search(rf"[a-z,;] {re.escape(name)}\b", self.body))
        return self._inside[name]

    def character(self, name: str) -> str:
        """An English fiction character by the name an attribution gives ("Rabbit" after
        "the White Rabbit" is that character), remembered for ``names_in``."""
        name = self.surnames.get(name) or self.canonical(name)
        if name not in self.characters:
            self.characters.add(name)
            forms = sorted(self.characters, key=len, reverse=True)
            self._characters = re.compile(
                "|".join(rf"(?<![\w’'-]){re.escape(f)}(?![\w-]|[’'](?!s\b))" for f in forms)
            )
        return name

    def last_in(self, text: str) -> str | None:
        found = self.known_in(text)
        return found[0] if found else None

    def revealed(self, text: str) -> str | None:
        """ "原来是香菱": who an indefinite speaker turned out to be."""
        m = REVEALED.search(text)
        if m is None:
            return None
        name = m.group("name")
        for cand in (name, name[:2]):
            if self.table.resolve(cand):
                return self.canonical(cand)
            if self.is_person(cand):
                return self.table.add(cand)
        return None

    def unknown_subject(
        self, clause: str, *, speech: bool = False, news: bool = False, apart: bool = False
    ) -> str | None:
        """ "香菱拍手笑嘻嘻的说道" -> 香菱; "马克龙表示" -> 马克龙; "有人笑道" -> None.
        ``speech``: the clause leads straight into a quotation, so the grammar is clear
        enough to take a 2-character head that is no common word ("袭人道") even when
        the tagger does not read it as a name. ``apart``: the clause is not the verb's
        own, so a name the tagger reads there must open on a surname or be one the text
        writes again ("约莫已经有二十多天的样子，…二妹…对我说": 约莫, about, is tagged a
        name)."""
        text = clause_head(clause)
        if not text or text[0] in BEFORE_OBJECT or self.indefinite(text):
            return None  # 向紫鹃道 / 有人笑道: the name there is not the speaker
        if SUBORDINATE.match(text):
            return None  # "因紫鹃正在…": whose doing it was, not who speaks
        if _WITH_ME.match(text):
            return None  # "我和娘": the narrator and another, no one person
        if SAYING.match(text):
            return None  # "古语说得好，“人要衣裳马要鞍”": a saying, no one's words
        if _MANNER_FIRST.match(text):
            return None  # "静静地微笑著说": how, with no subject (静静 is tagged a name)
        head = re.match(f"[{HAN}]+", text)
        if not head:
            return None
        run = head.group(0)
        # The verb comes after a subject: "云长曰" is 云长 speaking, not the verb 云.
        verb = ZH_VERB.search(run, 1)
        before = run[: verb.start()] if verb else run
        if len(before) < 2:
            return self.short_name(before[0]) if before else None  # "操曰"
        if AFTER_EVENT.match(before, 2):
            return None  # "寒暄之后说我“胖了”": a time after something done, no subject
        kin = KIN_NAME.match(before)
        if kin:
            return (
                self.canonical(kin.group(0))
                if self.table.resolve(kin.group(0))
                else (self.table.add(kin.group(0)))
            )
        if before[1] in SHORT_NAME_NEXT:
            # "卓大怒曰", "宫大惊曰", "操以鞭指林深处谓宫曰": one character of a name
            # given in full; a longer head is read so only when the full name is there.
            short = self.short_name(before[0])
            if short or len(before) <= 4:
                return short
        # A transliterated name runs on through its transliteration characters.
        k = 0
        while k < len(before) and before[k] in TRANSLIT:
            k += 1
        candidates = [before[:k]] if k >= 3 else []
        if before[:2] in COMPOUND_SURNAMES and len(before) >= 3:
            candidates.append(before[:3])  # "司马牛问": the surname is two characters
        elif before[1:3] in COMPOUND_SURNAMES and len(before) >= 4:
            candidates.append(before[1:4])  # "卫公孙朝问": a state, then the name
        three = before[:3]
        while len(three) > 2 and three[-1] in MANNER_TAIL:
            three = three[:-1]
        # "雪雁疑惑", "黛玉伏枕": the third character starts a word, the name is two.
        # "沙僧歇了担子": a two-character name of the dictionary is the whole name.
        named_two = self.word_count(before[:2]) > 0 and self.is_person(before[:2])
        if (
            len(three) == 3
            and not (len(before) > 3 and self.word_count(before[2:4]))
            and not named_two
        ):
            candidates.append(three)
        candidates.append(before[:2])
        for cand in candidates:
            if self.table.resolve(cand):
                return self.canonical(cand)
        if self.is_person(before[:2]):
            for rest in (before[2:5], before[2:4]):
                if len(rest) >= 2 and self.table.resolve(rest):
                    return self.canonical(rest)  # "温侯吕布挺身出曰": a title, then the name
                if before[1] in TITLE_END and len(rest) >= 2 and self.accepts(rest):
                    return self.table.add(rest)
        for cand in candidates:
            if self.accepts(cand) and (not apart or self._credible_apart(cand)):
                return self.table.add(cand)
        two = before[:2]
        if (
            self.is_person(two)
            and self.word_count(two) == 0
            and ((speech and len(before) == 2) or (len(before) > 2 and before[2] in MANNER_TAIL))
        ):
            # "云长曰", "凤姐便拉过刘姥姥": a name by the tagger, right before its verb or
            # an adverb of manner, where the grammar leaves no other reading.
            return self.table.add(two)
        if (
            speech
            and two not in NOT_PEOPLE
            and two[-1] not in "们們"
            and not set(two) & MANNER_TAIL
            and self.word_count(two) < COMMON_WORD
            and self.count(two) >= 3
            and (len(before) == 2 or before[2] in MANNER_TAIL or self.word_count(before[2:4]))
        ):
            return self.table.add(two)
        if speech and (len(before) == 2 or before[2] in MANNER_TAIL):
            person = self.epithet_of(two)  # "大仙道" where the text wrote "镇元大仙"
            if person:
                return person
        if speech:
            for cand in dict.fromkeys((three, two)):
                if self.opens_speech(cand):
                    return self.table.add(cand)
        return self._name_before_verb(_last_listed(text) or before) if news else None

    def indefinite(self, head: str) -> bool:
        """``head`` opens with an indefinite subject ("有人", "众人", "某", "几个"), and
        not with a longer word that only begins with one of its characters: an
        organisation, a place or a family name ("众议院", "几内亚", "诸葛亮", "诸葛瑾")."""
        opener = INDEFINITE.match(head)
        if opener is None:
            return False
        if len(opener.group(0)) > 1:
            return True
        return not (head[:2] in COMPOUND_SURNAMES or any(self.word_count(head[:k]) for k in (4, 3)))

    def opens_speech(self, word: str) -> bool:
        """ "三藏道：“…”", "八戒道：“…”": a word that is also a dictionary word (三藏, 八戒,
        行者) is a name when the text twice opens a sentence with it and goes straight
        into speech; a verb of manner does not open a sentence so ("低头道" follows its
        subject)."""
        if (
            len(word) < 2
            or word in NOT_PEOPLE
            or self.indefinite(word)
            or set(word) & (MANNER_TAIL | PLURAL | LOCATIVE)
        ):
            return False
        opened = re.compile(
            f"(?:^|[。！？!?”」\n])(?:那|这|這)?{re.escape(word)}"
            f"[{''.join(MANNER_TAIL)}]{{0,2}}(?:{SPEECH_OPENING})[：:]"
        )
        return len(opened.findall(self.near)) >= 2

    def role(self, clause: str, *, at_end: bool = False) -> str | None:
        """ "酒家道", "丫鬟笑道", "使者曰": a dictionary noun for a person by role that
        opens the clause leading into a quotation speaks, under that role; ``at_end``:
        the noun ends the clause ("走出一个…的妇人"), and may be one the text has
        speak elsewhere ("那妇人道：“…”")."""
        head = clause_head(clause)
        if not at_end:
            listed = self.listed_role(head)
            if listed:
                return listed
        for size in (3, 2):
            word = head[-size:] if at_end else head[:size]
            if (
                len(word) == size
                and (word[-1] in PERSON_SUFFIX or (at_end and self.opens_speech(word)))
                and (at_end or head[size : size + 1] not in PLURAL)
                and word not in NOT_PEOPLE
                and not self.indefinite(word)
                and self.word_count(word) > 0
            ):
                return word
        return None

    def listed_role(self, clause: str) -> str | None:
        """ "掌柜说", "掌柜的说道", "酒客叫道": a noun of the role list that opens the
        clause, alone or with 的 right before the verb or a manner ("掌柜的儿子说" is
        the son); "一个花白胡子的人说", "二十多岁的人也恍然大悟的说": a person described
        by "…的人", who speaks as that description. A plural ("孩子们笑道") is a group."""
        head = clause_head(clause)
        for size in (3, 2):
            word = head[:size]
            if len(word) < size or word not in ROLE_NOUNS:
                continue
            rest = head[size:]
            if rest[:1] in PLURAL:
                return None
            if rest[:1] == "的":
                after = rest[1:]
                if not (after[:1] in MANNER_TAIL or ZH_VERB.match(after)):
                    return None
            return word
        described = DESCRIBED.match(head)
        if described:
            rest = head[described.end() :]
            if rest[:1] in MANNER_TAIL or ZH_VERB.match(rest):
                return described.group("role")
        return None

    def holder(self, role: str) -> str | None:
        """The one person this article named with a role ending like ``role`` ("外交部
        发言人汪文斌" for a later "发言人"); None if none, or several."""
        known = self.table.resolve(role)
        if known:
            return known
        word = role.split()[-1]
        people = {
            name
            for name, aliases in self.table.as_dict().items()
            if any(a.endswith(word) and a != name for a in aliases)
        }
        return people.pop() if len(people) == 1 else None

    def after_role(self, rest: str) -> str | None:
        """The name right after a role, before the verb: "汪文斌" in "外交部发言人汪文斌表示",
        "普莱斯" in "…发言人普莱斯说", "Ned Price" in "spokesperson Ned Price said"."""
        latin = re.match(f"\\s*,?\\s*({LATIN_NAME})", rest)
        if latin:
            return self.canonical(latin.group(1))
        head = HAN_RUN.match(rest)
        if head is None:
            return None
        run = head.group(0)
        verbs = [m.start() for m in (ZH_VERB.search(run), REPORT_VERB.search(run)) if m]
        before = run[: min(verbs)] if verbs else run
        while len(before) > 2 and before[-1] in MANNER_TAIL:
            before = before[:-1]
        if len(before) > 3:
            before = RANK_AFTER.sub("", before)  # "吴谦大校表示": the name, then a rank
        k = 0
        while k < len(before) and before[k] in TRANSLIT:
            k += 1
        if k >= 2 and k == len(before):
            return self.table.add(before)  # "普莱斯": a transliteration
        for size in (4, 3, 2):
            cand = before[:size]
            if len(cand) == size and self.table.resolve(cand):
                return self.canonical(cand)
        if 2 <= len(before) <= 3 and self.is_person(before):
            # Between a role and its verb there is room for a name only: the tagger's
            # word for a person is evidence enough ("新闻发言人米锋介绍").
            return self.table.add(before)
        return None

    def dotted(self, clause: str) -> str | None:
        """ "美国前驻华大使吉姆·里奇说": a transliterated name written with its dot, right
        before the clause's verb; the title before it is no part of it."""
        at = clause.rfind("·")
        if at <= 0:
            return None
        first = HAN_RUN.search(clause[:at] + "\n")
        before = re.search(f"[{HAN}]+$", clause[:at])
        run = HAN_RUN.match(clause, at + 1)
        if first is None or before is None or run is None:
            return None
        rest = run.group(0)
        if clause[run.end() :].strip():
            return None  # the verb, or the name, ends the clause
        verbs = [m.start() for m in (ZH_VERB.search(rest, 1), REPORT_VERB.search(rest, 1)) if m]
        last = rest[: min(verbs)] if verbs else rest
        while last and last[-1] in MANNER_TAIL:
            last = last[:-1]
        given = trim_transliteration(before.group(0))
        if before.group(0)[: -len(given)][-1:] in BEFORE_OBJECT:
            return None  # "对马克·加诺说": whom it was said to
        if not last or len(last) > 6 or not set(last + given) <= TRANSLIT:
            return None
        return self.table.add(f"{given}·{last}")

    def _name_before_verb(self, before: str) -> str | None:
        """ "国务院总理李强指出", "经济学家陈志武指出": a title or an organisation, then the
        name right before the verb (its adverbs stripped)."""
        while len(before) > 2 and before[-1] in MANNER_TAIL:
            before = before[:-1]
        k = len(before)
        while k > 0 and before[k - 1] in TRANSLIT:
            k -= 1
        if len(before) - k >= 3:  # "美国国务卿布林肯": the whole transliteration
            return self.table.add(before[k:])
        for size in (3, 2):
            cand = before[-size:]
            if cand[0] in BEFORE_OBJECT:
                continue  # "我等几天再和娘说": whom it is said to (和 as a surname is rare)
            if len(before) > size and len(cand) == size and self.accepts(cand):
                return self.table.add(cand)
        return None
