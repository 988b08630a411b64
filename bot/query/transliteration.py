"""A Latin name the corpus writes only in Chinese transliteration ("Los Alamos" ->
洛斯阿拉莫斯), found by how it sounds.

CC-CEDICT has the common place and person names, and the corpus's own "中文名(English)"
pairs some more; a small town or a person that neither covers is written in the corpus
only as a run of the standard transliteration characters (新华社译名手册: 斯, 阿, 拉, 莫,
克, 尔 ...), and the typed name matched nothing. Both sides are reduced to a *sound
key*, the sequence of their consonants in coarse classes (b/p, d/t, g/k, l/r, m, n,
f, h, w/v, and one class for the sibilants and affricates s, z, c, x, j, q, zh, ch,
sh and th, which transliteration swaps freely: 乔纳森 for "Jonathan"), vowels left out:
"Los Alamos" and luo si a la mo si are both L S L M S, "Trump" and te lang pu both
T L N P. English spelling is read as transliteration reads it: an r or l before a
consonant or at the end is the vowel 尔 (er), an m before a consonant is the nasal of
朗 (lang), a final silent e is silent, two nasals in a row are one.

A guess is accepted only when it is close (``max_distance``: one edit, in a key of five or more) and
unique: the nearest run, with no other run as near that is not a piece of it. On
CC-CEDICT's own 778 transliterated names, indexed together as one corpus crowded with
names, 166 are found from their English name and 7 wrongly (tests/test_transliteration.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from bot.ingest.names import TRANSLIT

# A transliterated name: three or more of its characters (two are often a word:
# 马克, 大多), or parts of two or more joined by "·" (马克·扎克伯格).
_CHARS = "".join(sorted(TRANSLIT))
_RUN = re.compile(f"[{_CHARS}]{{2,}}(?:·[{_CHARS}]{{2,}})+|[{_CHARS}]{{3,}}")
# The fewest consonant classes a key needs: "Ted" (T T) would match half the corpus.
MIN_KEY = 4
# A name's run may carry a neighbouring character ("于扎克伯格", "扎克伯格希"): the run
# is also kept without its first or its last character.
TRIM = 1

_INITIALS = (
    ("zh", "S"),
    ("ch", "S"),
    ("sh", "S"),
    ("b", "P"),
    ("p", "P"),
    ("m", "M"),
    ("f", "F"),
    ("d", "T"),
    ("t", "T"),
    ("n", "N"),
    ("l", "L"),
    ("r", "L"),
    ("g", "K"),
    ("k", "K"),
    ("h", "H"),
    ("j", "S"),
    ("q", "S"),
    ("x", "S"),
    ("z", "S"),
    ("c", "S"),
    ("s", "S"),
    ("w", "W"),
)
_VOWELS = frozenset("aeiouy")
_LETTER = {
    "b": "P",
    "p": "P",
    "m": "M",
    "n": "N",
    "f": "F",
    "v": "W",
    "w": "W",
    "d": "T",
    "t": "T",
    "l": "L",
    "r": "L",
    "g": "K",
    "k": "K",
    "q": "K",
    "h": "H",
    "s": "S",
    "z": "S",
    "j": "S",
}
_DIGRAPHS = (
    ("sch", "S"),
    ("ph", "F"),
    ("th", "S"),
    ("sh", "S"),
    ("ch", "S"),
    ("ck", "K"),
    ("gh", ""),
    ("wh", "W"),
    ("kh", "K"),
    ("ts", "S"),
    ("tz", "S"),
    ("qu", "K"),
)


def runs(folded: str) -> set[str]:
    """The transliterated names of a folded text, and each part of a name of several
    parts ("马克·扎克伯格": the whole, and 扎克伯格; a part of two characters alone says
    too little)."""
    out: set[str] = set()
    for match in _RUN.finditer(folded):
        name = match.group()
        out.add(name)
        out.update(p for p in name.split("·") if len(p) >= MIN_KEY)
    return out


def pinyin_key(syllables: Iterable[str]) -> str:
    """The sound key of toneless pinyin syllables: each one's initial in its class, and
    N for a nasal final (曼 man, 朗 lang)."""
    key = []
    for syllable in syllables:
        if syllable == "jia":  # 加 renders "ga" and "ca" (芝加哥 Chicago), not "ja"
            key.append("K")
        for initial, sound in _INITIALS if syllable != "jia" else ():
            if syllable.startswith(initial):
                key.append(sound)
                break
        if syllable.endswith(("n", "ng")) and len(syllable) > 1:
            key.append("N")
    return _one_nasal("".join(key))


def _one_nasal(key: str) -> str:
    """Two nasals in a row are one: a syllable's nasal final and the next one's initial
    (安东尼 an dong ni for "Anthony", 南 nan for the "nan" of "Buchanan")."""
    return re.sub("N+", "N", key)


def latin_key(name: str) -> str:
    """The sound key of a Latin name, read as a transliterator reads English spelling."""
    return _one_nasal("".join(_word_key(w) for w in re.findall(r"[a-z]+", name.lower())))


def _word_key(word: str) -> str:
    if len(word) > 3 and word.endswith("e") and word[-2] not in _VOWELS:
        # A silent final e, which softens a c or g before it ("France", "George").
        word = word[:-2] + {"c": "s", "g": "j"}.get(word[-2], word[-2])
    word = re.sub(r"(.)\1", r"\1", word)  # doubled letters are one sound
    # (class, letter, whether a vowel follows) of each consonant sound, in order.
    sounds: list[tuple[str, str, bool]] = []
    i = 0
    while i < len(word):
        graph = next((g for g in _DIGRAPHS if word.startswith(g[0], i)), None)
        size = len(graph[0]) if graph else 1
        voiced = word[i + size : i + size + 1] in _VOWELS and i + size < len(word)
        c = word[i]
        if graph:
            if graph[1]:
                sounds.append((graph[1], graph[0], voiced))
        elif c == "c":
            sounds.append(("S" if voiced and word[i + 1] in "eiy" else "K", c, voiced))
        elif c == "x":
            sounds += [("K", c, False), ("S", c, voiced)]
        elif c == "g":
            sounds.append(("S" if voiced and word[i + 1] in "eiy" else "K", c, voiced))
        elif c == "h" and i > 0 and word[i - 1] not in _VOWELS:
            pass  # silent after a consonant
        elif c == "w" and i > 0 and word[i - 1] in _VOWELS:
            pass  # a vowel: "Brown", "Snow"
        elif c in _LETTER:
            sounds.append((_LETTER[c], c, voiced))
        i += size
    key = []
    for n, (sound, letter, voiced) in enumerate(sounds):
        last = n + 1 == len(sounds)
        if letter in ("r", "l") and not voiced:
            continue  # 尔 (er): "Berg" is 伯格, "Carl" 卡尔
        if letter == "g" and not voiced and n and sounds[n - 1][1] == "n":
            continue  # "ng" is one nasal
        if letter == "m" and not voiced and not last:
            sound = "N"  # the nasal of 朗 (lang) in "Trump"
        key.append(sound)
    return "".join(key)


def distance(a: str, b: str) -> int:
    """Edit distance of two sound keys."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def max_distance(key: str) -> int:
    """How far a run's key may be from a name's: none for a short key, else one edit
    (two would be looked up as some 20,000 keys, 70 ms for a long name)."""
    return min(1, len(key) // 5)


_CLASSES = "PMFTNLKHSW"


def near_keys(key: str, far: int) -> dict[str, int]:
    """Every key within ``far`` edits of ``key``, with its distance: looked up in the
    index one by one, rather than comparing the name with every key of a large corpus."""
    found = {key: 0}
    edge = {key}
    for step in range(1, far + 1):
        nxt: set[str] = set()
        for k in edge:
            for i in range(len(k) + 1):
                if i < len(k):
                    nxt.add(k[:i] + k[i + 1 :])
                    nxt.update(k[:i] + c + k[i + 1 :] for c in _CLASSES)
                nxt.update(k[:i] + c + k[i:] for c in _CLASSES)
        edge = {k for k in nxt if k not in found}
        found.update(dict.fromkeys(edge, step))
    return found


def guess(name: str, sounds: Mapping[str, list[str]]) -> str | None:
    """The corpus's transliteration of ``name``, by its sound key (``sounds``: key ->
    runs, ``Lexicon.sounds``), or None: no run is near enough, or two that are not
    pieces of one another are as near."""
    key = latin_key(name)
    if len(key) < MIN_KEY:
        return None
    found: dict[str, int] = {}
    for near, far in near_keys(key, max_distance(key)).items():
        for run in sounds.get(near, ()):
            found[run] = min(far, found.get(run, far))
    if not found:
        return None
    best = min(found.values())
    nearest = [r for r, far in found.items() if far == best]
    # The run every other nearest run holds (扎克伯格 in 于扎克伯格, 扎克伯格希).
    core = [r for r in nearest if all(r in o for o in nearest)]
    return core[0] if len(core) == 1 else None


def sound_index(names: Iterable[str], read: Callable[[str], list[str]]) -> dict[str, list[str]]:
    """Sound key -> the runs with that key. ``read``: a run's toneless syllables. Each
    run also counts without its first or its last character, which may belong to the
    words around it (于 of 于扎克伯格)."""
    index: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        pieces = {name}
        if "·" not in name and len(name) > MIN_KEY:
            pieces |= {name[TRIM:], name[:-TRIM]}
        for piece in sorted(pieces):
            syllables = [s for part in piece.split("·") for s in read(part)]
            key = pinyin_key(s for s in syllables if s.isalpha())
            if len(key) >= MIN_KEY and piece not in index.setdefault(key, []):
                index[key].append(piece)
    return {k: v for k, v in index.items() if v}
