"""Two BM25 engines behind one small interface, fed the same tokens.

- ``rank-bm25``: in memory, pure Python and NumPy; right for a team's corpus of a few
  thousand passages. Saved as the token lists themselves (JSON, a format we control);
  loading recomputes the statistics, which takes milliseconds at that size.
- ``tantivy``: on disk, memory-mapped, block-max WAND; for corpora where scoring every
  document per query is too slow. Saved in tantivy's own format.

Both use Lucene's BM25 (k1=1.2, b=0.75, idf = ln(1 + (N-n+0.5)/(n+0.5))), so they rank
alike; rank-bm25's own Okapi idf goes negative for terms in over half the documents.
"""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
from rank_bm25 import BM25Okapi

if TYPE_CHECKING:  # tantivy is imported only when that engine is used: a faster start
    import tantivy

K1 = 1.2
B = 0.75


class EngineName(StrEnum):
    RANK_BM25 = "rank-bm25"
    TANTIVY = "tantivy"


class Engine(Protocol):
    name: EngineName

    def search(self, tokens: Sequence[str], k: int) -> list[tuple[int, float]]:
        """Top k (document number, score), best first; documents with score > 0 only."""
        ...

    def __len__(self) -> int: ...


class EngineType(Protocol):
    """What ``ENGINES[name]`` is: builds an engine from token lists, or loads a saved one."""

    def build(self, docs: Iterable[Sequence[str]], directory: Path) -> Engine: ...

    def load(self, directory: Path) -> Engine: ...


class _LuceneBM25(BM25Okapi):
    def _calc_idf(self, nd: dict[str, int]) -> None:
        n = self.corpus_size
        self.idf = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in nd.items()}


class RankBM25Engine:
    name = EngineName.RANK_BM25
    FILE = "tokens.json"

    def __init__(self, docs: Sequence[Sequence[str]]) -> None:
        self._size = len(docs)
        # rank-bm25 divides by the average length: an empty corpus needs a stand-in.
        self._bm25 = _LuceneBM25([list(d) for d in docs] or [["\0"]], k1=K1, b=B)

    def __len__(self) -> int:
        return self._size

    def search(self, tokens: Sequence[str], k: int) -> list[tuple[int, float]]:
        if not self._size or not tokens:
            return []
        scores = self._bm25.get_scores(list(tokens))
        k = min(k, self._size)
        top = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(((int(i), float(scores[i])) for i in top), key=lambda x: (-x[1], x[0]))
        return [(i, s) for i, s in ranked if s > 0]

    @classmethod
    def build(cls, docs: Iterable[Sequence[str]], directory: Path) -> RankBM25Engine:
        lists = [list(d) for d in docs]
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / (cls.FILE + ".tmp")
        tmp.write_text(json.dumps(lists, ensure_ascii=False), encoding="utf-8")
        tmp.replace(directory / cls.FILE)
        return cls(lists)

    @classmethod
    def load(cls, directory: Path) -> RankBM25Engine:
        docs = json.loads((directory / cls.FILE).read_text(encoding="utf-8"))
        return cls(docs)


class TantivyEngine:
    name = EngineName.TANTIVY
    TOKENIZER = "corpusbot_ws"

    def __init__(self, index: tantivy.Index, size: int) -> None:
        import tantivy

        self._tantivy = tantivy
        self._index = index
        self._searcher = index.searcher()
        self._schema = index.schema
        self._size = size

    def __len__(self) -> int:
        return self._size

    @classmethod
    def _schema_and_analyzer(cls) -> tuple[tantivy.Schema, tantivy.TextAnalyzer]:
        import tantivy

        builder = tantivy.SchemaBuilder()
        # Positions are not needed for BM25; frequencies are.
        builder.add_text_field("tokens", tokenizer_name=cls.TOKENIZER, index_option="freq")
        builder.add_integer_field("doc", stored=True, indexed=False, fast=True)
        analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
        return builder.build(), analyzer

    @classmethod
    def build(cls, docs: Iterable[Sequence[str]], directory: Path) -> TantivyEngine:
        """``docs`` may be a generator: a large corpus is streamed, not held."""
        import tantivy

        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        schema, analyzer = cls._schema_and_analyzer()
        index = tantivy.Index(schema, path=str(directory))
        index.register_tokenizer(cls.TOKENIZER, analyzer)
        writer = index.writer(heap_size=256_000_000, num_threads=2)
        count = 0
        for doc in docs:
            writer.add_document(tantivy.Document(tokens=" ".join(doc), doc=count))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        (directory / "size.json").write_text(json.dumps({"docs": count}), encoding="utf-8")
        return cls(index, count)

    @classmethod
    def load(cls, directory: Path) -> TantivyEngine:
        import tantivy

        _, analyzer = cls._schema_and_analyzer()
        index = tantivy.Index.open(str(directory))
        index.register_tokenizer(cls.TOKENIZER, analyzer)
        size = json.loads((directory / "size.json").read_text(encoding="utf-8"))["docs"]
        return cls(index, size)

    def search(self, tokens: Sequence[str], k: int) -> list[tuple[int, float]]:
        if not self._size or not tokens:
            return []
        t = self._tantivy
        clauses = []
        for token, count in Counter(tokens).items():
            term = t.Query.term_query(self._schema, "tokens", token)
            # A token repeated in the query weighs more, as in rank-bm25's sum over terms.
            clauses.append((t.Occur.Should, t.Query.boost_query(term, float(count))))
        # count=False: counting every match would defeat block-max WAND's pruning.
        result = self._searcher.search(t.Query.boolean_query(clauses), limit=k, count=False)
        hits = []
        for score, address in result.hits:
            doc = self._searcher.doc(address)
            hits.append((int(doc["doc"][0]), float(score)))
        return sorted(hits, key=lambda x: (-x[1], x[0]))


ENGINES: dict[EngineName, EngineType] = {
    EngineName.RANK_BM25: RankBM25Engine,
    EngineName.TANTIVY: TantivyEngine,
}
