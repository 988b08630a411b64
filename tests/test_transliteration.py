"""Latin names found by their sound among the corpus's transliterated names
(bot/query/transliteration.py): sound keys on golden pairs (tests/data/transliteration.jsonl),
the guess on CC-CEDICT's own transliterated names, and the query step over the corpus."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from pypinyin import lazy_pinyin

from bot.core import CorpusBot
from bot.ingest.names import TRANSLIT
from bot.query.lexicon import cedict_path
from bot.query.terms import Origin
from bot.query.transliteration import (
    MIN_KEY,
    distance,
    guess,
    latin_key,
    max_distance,
    near_keys,
    pinyin_key,
    runs,
    sound_index,
)
from tests.conftest import DATA

PAIRS = [json.loads(line) for line in (DATA / "transliteration.jsonl").open(encoding="utf-8")]


def _key(chinese: str) -> str:
    return pinyin_key(s for s in lazy_pinyin(chinese) if s.isalpha())


@pytest.mark.parametrize("case", PAIRS, ids=[f"{c['name']}:{c['chinese']}" for c in PAIRS])
def test_sound_keys_golden_case(case: dict) -> None:
    key = latin_key(case["name"])
    near = distance(key, _key(case["chinese"])) <= max_distance(key)
    assert near is case["near"], (key, _key(case["chinese"]), case["why"])


def test_near_keys_are_those_within_the_distance() -> None:
    found = near_keys("LSLMS", 1)
    assert all(distance("LSLMS", k) == far for k, far in found.items())
    assert {"LSLMS", "SLMS", "LSLMSS", "LSLNS"} <= set(found)


def test_a_name_is_guessed_only_when_near_and_unique() -> None:
    read = lazy_pinyin
    index = sound_index(["扎克伯格", "于扎克伯格", "洛斯阿拉莫斯", "特朗普"], read)
    # A run with a neighbouring character (于) is the same name: its core is chosen.
    assert guess("Zuckerberg", index) == "扎克伯格"
    assert guess("Los Alamos", index) == "洛斯阿拉莫斯"
    assert guess("Los Angeles", index) is None
    # Two runs as near that are not pieces of one another: no guess.
    assert guess("Trump", sound_index(["特朗普", "特兰普"], read)) is None
    # Too few consonants to tell names apart ("Ted", "Tesla").
    assert len(latin_key("Tesla")) < MIN_KEY
    assert guess("Tesla", sound_index(["特斯拉"], read)) is None


def test_runs_are_transliterated_names_and_their_parts() -> None:
    found = runs("facebook创始人马克·扎克伯格在洛斯阿拉莫斯说")
    assert {"马克·扎克伯格", "扎克伯格", "洛斯阿拉莫斯"} <= found
    assert "马克" not in found  # two characters are often a word


def test_cedict_names_are_guessed_rarely_wrong() -> None:
    """CC-CEDICT's own transliterated names (a headword of transliteration characters
    glossed by one capitalised name), all in one index, as a corpus crowded with names:
    how many are found from their English name, and how few wrongly."""
    pairs = []
    with gzip.open(cedict_path(), "rt", encoding="utf-8") as lines:
        for line in lines:
            m = re.match(r"\S+ (\S+) \[[^\]]+\] /([^/]*)/", line)
            if not m or len(m[1]) < 3 or not set(m[1]) <= TRANSLIT:
                continue
            gloss = re.sub(r"\(.*?\)", "", m[2]).strip()
            if re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", gloss):
                pairs.append((gloss, m[1]))
    index = sound_index([zh for _, zh in pairs], lazy_pinyin)
    guesses = [(zh, guess(en, index)) for en, zh in pairs]
    right = sum(1 for zh, g in guesses if g and (g in zh or zh in g))
    wrong = sum(1 for zh, g in guesses if g and not (g in zh or zh in g))
    assert len(pairs) > 700
    assert right >= 150, right
    assert wrong <= 0.05 * (right + wrong), (right, wrong)


@pytest.mark.parametrize(
    "ask",
    [
        "/quote Wang grew up in Los Alamos",
        "/quote Wang grew up in Los Alamos, where the atomic bomb was born",
    ],
)
def test_a_name_the_corpus_writes_in_transliteration_is_found(bot: CorpusBot, ask: str) -> None:
    reply = bot.ask(ask)
    assert any(t.origin is Origin.TRANSLITERATION for t in reply.interpreted)
    assert "洛斯阿拉莫斯" in reply.results[0].text
