"""The query lexicon of a large corpus, its texts read over a pool of every core (#14).

``build_lexicon`` reads every passage and title in one process: each folded, cut into
the tokenizer's words, searched for dictionary headwords, glosses and Latin words.
Those are facts of one text at a time, so here the workers read shares of the articles
(each opens its own files and cuts with a copy of the same tokenizer) and the shares
are merged in order. The pinyin counts read the texts' first Han runs in order: each
share sends its own first ones (as many as the cap could take). The lexicon is the one
``build_lexicon`` gives (a test compares them).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.models import Article
from bot.query.lexicon import (
    _HAN_RUN,
    PINYIN_SCAN_CHARS,
    CorpusFacts,
    Headwords,
    Lexicon,
    PinyinScan,
    _read_cedict,
    assemble_lexicon,
    corpus_facts,
    headwords,
)
from bot.search.tokenize import Tokenizer, TokenizerRecipe
from bot.textfold import Folder

# Shares per worker: enough to even out the workers, few enough that the merged
# counts (each share's headwords cross the process boundary once) stay cheap.
SHARES_PER_WORKER = 8

_WORKER: dict[str, Any] = {}


@dataclass(frozen=True)
class _Share:
    passages: CorpusFacts
    titles: CorpusFacts  # titles come after every passage in the lexicon's order
    passage_runs: str  # the first Han runs, one a line
    title_runs: str


def build_pooled(
    files: Sequence[Path], load: Callable[[Path], Article], tokenizer: Tokenizer, workers: int
) -> Lexicon:
    """``build_lexicon`` of every passage, then every title, of the articles in
    ``files`` (in that order), read by ``load``, with ``tokenizer``'s words."""
    entries, syllables = _read_cedict(tokenizer.folder)
    words = headwords(e.word for e in entries)
    size = max(1, math.ceil(len(files) / (workers * SHARES_PER_WORKER)))
    groups = [list(files[i : i + size]) for i in range(0, len(files), size)]
    facts, titles = CorpusFacts(), CorpusFacts()
    pinyin = PinyinScan()
    title_runs: list[str] = []
    with ProcessPoolExecutor(
        workers, initializer=_init, initargs=(words, tokenizer.recipe, load)
    ) as pool:
        # The shares come in order: each is merged, and its runs read, while the
        # workers read the next ones.
        for share in pool.map(_read_share, groups):
            facts.merge(share.passages)
            titles.merge(share.titles)
            pinyin.feed(_lines(share.passage_runs))
            title_runs.append(share.title_runs)
    facts.merge(titles)
    for runs in title_runs:
        pinyin.feed(_lines(runs))
    return assemble_lexicon(entries, syllables, facts, pinyin.counts(), tokenizer.folder)


def _lines(joined: str) -> list[str]:
    return joined.split("\n") if joined else []


def _first_runs(folded: list[str]) -> str:
    """The Han runs of ``folded`` in order, as many as the pinyin cap could read even
    if they came first (a Han run holds no line break)."""
    runs: list[str] = []
    scanned = 0
    for text in folded:
        for run in _HAN_RUN.findall(text):
            if scanned > PINYIN_SCAN_CHARS:
                return "\n".join(runs)
            scanned += len(run)
            runs.append(run)
    return "\n".join(runs)


def _init(words: Headwords, recipe: TokenizerRecipe, load: Callable[[Path], Article]) -> None:
    _WORKER.update(words=words, tokenizer=recipe.build(Folder()), load=load)


def _read_share(paths: list[Path]) -> _Share:
    tokenizer: Tokenizer = _WORKER["tokenizer"]
    passages: list[str] = []
    titles: list[str] = []
    for path in paths:
        article = _WORKER["load"](path)
        passages += (tokenizer.folder.fold(p.text) for p in article.passages)
        titles.append(tokenizer.folder.fold(article.title.value or ""))
    words: Headwords = _WORKER["words"]
    return _Share(
        corpus_facts(passages, words, tokenizer.words),
        corpus_facts(titles, words, tokenizer.words, searched=False),
        _first_runs(passages),
        _first_runs(titles),
    )
