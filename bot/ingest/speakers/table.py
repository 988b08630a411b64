"""Who is who: canonical speaker names and their aliases.

The alias table comes from ``config/speakers.toml``; names written as
"中文名(English Name)" in an article are linked to each other automatically. Lookups
fold script and case, so "亞歷山大·王", "亚历山大·王" and "alexandr wang" all resolve.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.ingest.names import NAME_PAIR, trim_transliteration
from bot.textfold import Folder


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
        for m in NAME_PAIR.finditer(text):
            zh = _trim_name(m.group("zh"))
            if zh:
                table.add(m.group("en"), [zh])
    for alias, canonical in article_aliases.items():
        table.add(canonical, [alias])
    return table


def _trim_name(zh: str) -> str | None:
    """The Han run before "(English)" may start before the name: "前研究员杰克·雷"."""
    if "·" in zh:
        first, _, rest = zh.partition("·")
        return f"{trim_transliteration(first)}·{rest}"
    return zh if len(zh) <= 4 else None
