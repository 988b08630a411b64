"""Who is who: canonical speaker names and their aliases.

The alias table comes from ``config/speakers.toml``; names written as
"中文名(English Name)" in an article are linked to each other automatically. Lookups
fold script and case, so "亞歷山大·王", "亚历山大·王" and "alexandr wang" all resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from bot.ingest.names import NAME_PAIR, SURNAMES, trim_transliteration
from bot.textfold import HAN, Folder

# How classical fiction introduces a person: "姓吕，名伯奢", "姓陈，名宫，字公台"; and a
# courtesy name after the full one: "关羽，字云长", "孙坚字文台"; modern fiction's "姓陈，
# 名叫二妹". The text then calls them by either ("伯奢回头", "云长曰"), so both are one
# speaker.
_SURNAME_GIVEN = re.compile(
    f"姓(?P<surname>[{HAN}])[，,]?名(?:叫|唤|喚)?(?P<given>[{HAN}]{{1,2}})"
    f"(?:[，,]?字(?P<courtesy>[{HAN}]{{2}}))?"
)
# How a novel introduces someone by a name of religion or a name given in passing:
# "道号镇元子", "法名三藏", "一个唤做清风" (a place is "名唤万寿山", never after 一个).
_INTRODUCED = re.compile(
    f"(?:道号|道號|法名|法号|法號|(?:一个|一個|一位|一名)(?:唤做|喚做|叫做|名唤|名喚))"
    f"(?P<name>[{HAN}]{{2,3}})(?=[，,。；;、])"
)
_COURTESY = re.compile(
    rf"(?:^|(?<=[，,。；;：:！？\s“「]))(?P<name>[{HAN}]{{2,3}})[，,]?字(?P<courtesy>[{HAN}]{{2}})"
    "(?=[，,。；;、])"
)


@dataclass
class SpeakerTable:
    """Alias -> canonical name for one article (global table plus the article's own)."""

    folder: Folder
    _canonical: dict[str, str] = field(default_factory=dict)  # folded alias -> canonical
    _aliases: dict[str, list[str]] = field(default_factory=dict)  # canonical -> aliases

    def add(self, canonical: str, aliases: Iterable[str] = ()) -> str:
        """Register a name; if it or an alias is known already, join that entry."""
        known = self.resolve(canonical)
        for alias in aliases:
            known = known or self.resolve(alias)
        target = known or canonical
        for name in (canonical, *aliases):
            key = self.folder.fold(name)
            if key and key not in self._canonical:
                self._canonical[key] = target
                self._aliases.setdefault(target, [])
                if name != target and name not in self._aliases[target]:
                    self._aliases[target].append(name)
        return target

    def alias(self, form: str, canonical: str) -> None:
        """``form`` is ``canonical`` from now on, even where it was taken as a speaker of
        its own before ("大仙" once the text shows it is 镇元子's epithet)."""
        key = self.folder.fold(form)
        old = self._canonical.get(key)
        if old == canonical:
            return
        if old == form and not self._aliases.get(old):
            self._aliases.pop(old, None)
        self._canonical[key] = canonical
        self._aliases.setdefault(canonical, [])
        if form not in self._aliases[canonical]:
            self._aliases[canonical].append(form)

    def __len__(self) -> int:
        """How many written forms are known (grows as an article's pass finds names)."""
        return len(self._canonical)

    def resolve(self, name: str) -> str | None:
        return self._canonical.get(self.folder.fold(name.strip()))

    def names(self) -> list[str]:
        """Every written form, longest first (for matching in text)."""
        forms = set(self._aliases)
        for aliases in self._aliases.values():
            forms.update(aliases)
        return sorted(forms, key=len, reverse=True)

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return {name: tuple(sorted(aliases)) for name, aliases in sorted(self._aliases.items())}


def build_table(
    folder: Folder,
    global_aliases: Mapping[str, Iterable[str]],
    article_aliases: Mapping[str, str],
    paragraphs: Iterable[str],
) -> SpeakerTable:
    table = SpeakerTable(folder)
    for canonical, aliases in global_aliases.items():
        table.add(canonical, aliases)
    for text in paragraphs:
        # A name pair has its English in brackets: a paragraph without is not scanned.
        for m in NAME_PAIR.finditer(text) if "(" in text or "（" in text else ():
            zh = _trim_name(m.group("zh"))
            if zh:
                table.add(m.group("en"), [zh])
        for full, aliases in courtesy_names(text):
            table.add(full, aliases)
    for alias, canonical in article_aliases.items():
        table.add(canonical, [alias])
    return table


# The last character of a title or a profession right before a name: 教授, 部长, 学家.
_TITLE_TAIL = set("授长長家者员員官师師席任士使理臣人")


def _trim_name(zh: str) -> str | None:
    """The Han run before "(English)" may start before the name: "前研究员杰克·雷"."""
    if "·" in zh:
        first, _, rest = zh.partition("·")
        return f"{trim_transliteration(first)}·{rest}"
    if len(zh) > 4:
        # "法学教授古举伦（Julian Ku）", "外交部长王毅(Wang Yi)": a title, then the name.
        for size in (3, 2):
            if zh[-size - 1] in _TITLE_TAIL:
                return zh[-size:]
        return None
    return zh


def courtesy_names(text: str) -> Iterator[tuple[str, list[str]]]:
    """ "姓吕，名伯奢" -> (吕伯奢, [伯奢]); "姓陈，名宫，字公台" -> (陈宫, [公台]);
    "关羽，字云长" -> (关羽, [云长]). A one-character given name is not an alias: alone
    it is a word too often ("宫"); the prose pass reads it next to its verb ("宫曰")."""
    # Each form needs its key character (姓, 字; 号 名 做 唤 of the introductions):
    # a paragraph without it is not scanned.
    for m in _SURNAME_GIVEN.finditer(text) if "姓" in text else ():
        given, courtesy = m.group("given"), m.group("courtesy")
        aliases = [a for a in (given if len(given) == 2 else None, courtesy) if a]
        yield m.group("surname") + given, aliases
    for m in _INTRODUCED.finditer(text) if any(c in text for c in "号號名做唤喚") else ():
        yield m.group("name"), []
    for m in _COURTESY.finditer(text) if "字" in text else ():
        name = m.group("name")
        if name[0] in SURNAMES and not name.startswith("名"):
            yield name, [m.group("courtesy")]
