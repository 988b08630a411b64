"""Two BM25 engines behind one small interface, fed the same tokens.

- ``rank-bm25``: in memory, pure Python and NumPy; right for a team's corpus of a few
  thousand passages. Saved as the token lists themselves (JSON, a format we control);
  loading recomputes the statistics, which takes milliseconds at that size. A change
  of one article rewrites the token lists and recomputes the statistics: about a
  second at the 5000 passages where ``auto`` moves to tantivy (see README).
- ``tantivy``: on disk, memory-mapped, block-max WAND; for corpora where scoring every
  document per query is too slow. Saved in tantivy's own format; one article is
  updated in place (delete by article id, add its documents, commit).

Every document is a ``Doc``: a stable key (a passage id, or an event key), the id of
its article (what an update deletes by) and its tokens joined by spaces (tokens never
hold a space), which is what crosses a process boundary cheaply when a pool builds it.

Both use Lucene's BM25 (k1=1.2, b=0.75, idf = ln(1 + (N-n+0.5)/(n+0.5))), so they rank
alike; rank-bm25's own Okapi idf goes negative for terms in over half the documents.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:  # imported when an engine is used: a faster start for everything else
    import tantivy
    from rank_bm25 import BM25Okapi

K1 = 1.2
B = 0.75


class Doc(NamedTuple):
    key: str
    article: str
    tokens: str  # space-joined


class EngineName(StrEnum):
    RANK_BM25 = "rank-bm25"
    TANTIVY = "tantivy"


# A query: clauses whose scores add up. A clause is alternatives for one thing asked
# about ("data" -> 数据 | 资料), of which a document scores for the best one; an
# alternative is tokens with weights (a word's own token and its bigrams).
Alternative = Mapping[str, float]
Clause = Sequence[Alternative]
Query = Sequence[str] | Sequence[Clause]


def as_clauses(query: Query) -> list[Clause]:
    """A plain token list is one clause with one alternative: every token adds up, a
    token repeated in the query weighing more (as in rank-bm25's sum over terms)."""
    if query and isinstance(query[0], str):
        counts: Counter[str] = Counter(query)  # type: ignore[arg-type]
        return [[{t: float(n) for t, n in counts.items()}]]
    return list(query)  # type: ignore[arg-type]


class Engine(Protocol):
    name: EngineName

    def search(self, query: Query, k: int) -> list[tuple[str, float]]:
        """Top k (document key, score), best score first; documents with score > 0 only."""
        ...

    def doc_freq(self, token: str) -> int:
        """How many documents hold ``token``."""
        ...

    def articles_with_all(self, tokens: Sequence[str]) -> set[str]:
        """The articles of the documents holding every one of ``tokens``."""
        ...

    def __len__(self) -> int: ...


class EngineType(Protocol):
    """What ``ENGINES[name]`` is: builds an engine from documents, loads a saved one, or
    updates a saved one: drops the documents of ``remove`` (article ids), adds ``add``."""

    def build(self, docs: Iterable[Doc], directory: Path) -> Engine: ...

    def load(self, directory: Path) -> Engine: ...

    def update(self, directory: Path, remove: Collection[str], add: Iterable[Doc]) -> Engine: ...


def _lucene_bm25(docs: list[list[str]]) -> BM25Okapi:
    from rank_bm25 import BM25Okapi

    class LuceneBM25(BM25Okapi):
        def _calc_idf(self, nd: dict[str, int]) -> None:
            import numpy as np

            n = self.corpus_size
            self.df = nd
            f = np.fromiter(nd.values(), dtype=np.float64, count=len(nd))
            self.idf = dict(zip(nd, np.log(1.0 + (n - f + 0.5) / (f + 0.5)).tolist(), strict=True))

    # rank-bm25 divides by the average length: an empty corpus needs a stand-in.
    return LuceneBM25(docs or [["\0"]], k1=K1, b=B)


def _saved_shape(saved: object) -> bool:
    """Whether ``saved`` is what ``RankBM25Engine._save`` writes: three lists of one
    length, of keys, article ids and token lists."""
    if not isinstance(saved, dict):
        return False
    keys, articles, docs = saved.get("keys"), saved.get("articles"), saved.get("docs")
    if not (isinstance(keys, list) and isinstance(articles, list) and isinstance(docs, list)):
        return False
    return (
        len(keys) == len(articles) == len(docs)
        and all(isinstance(k, str) for k in keys)
        and all(isinstance(a, str) for a in articles)
        and all(isinstance(d, list) and all(isinstance(t, str) for t in d) for d in docs)
    )


class RankBM25Engine:
    name = EngineName.RANK_BM25
    FILE = "tokens.json"

    def __init__(self, keys: list[str], articles: list[str], docs: list[list[str]]) -> None:
        self._keys = keys
        self._articles = articles
        self._docs = docs
        self._bm25 = _lucene_bm25(docs)

    def __len__(self) -> int:
        return len(self._keys)

    def doc_freq(self, token: str) -> int:
        return int(self._bm25.df.get(token, 0)) if self._keys else 0

    def search(self, query: Query, k: int) -> list[tuple[str, float]]:
        import numpy as np

        if not self._keys or not query:
            return []
        if isinstance(query[0], str):
            scores = self._bm25.get_scores(list(query))  # type: ignore[arg-type]
        else:
            scores = self._clause_scores(query)  # type: ignore[arg-type]
        k = min(k, len(self._keys))
        top = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(((int(i), float(scores[i])) for i in top), key=lambda x: (-x[1], x[0]))
        return [(self._keys[i], s) for i, s in ranked if s > 0]

    def articles_with_all(self, tokens: Sequence[str]) -> set[str]:
        wanted = set(tokens)
        return {a for a, d in zip(self._articles, self._docs, strict=True) if wanted <= set(d)}

    def _token_scores(self, token: str) -> Any:
        """One token's BM25 over every document, as rank-bm25's get_scores adds it."""
        import numpy as np

        bm = self._bm25
        freq = np.array([doc.get(token) or 0 for doc in bm.doc_freqs])
        norm = bm.k1 * (1 - bm.b + bm.b * np.asarray(bm.doc_len) / bm.avgdl)
        return (bm.idf.get(token) or 0) * (freq * (bm.k1 + 1) / (freq + norm))

    def _clause_scores(self, clauses: Sequence[Clause]) -> Any:
        """The sum over clauses of the best alternative's weighted token scores."""
        import numpy as np

        cache: dict[str, Any] = {}

        def scores_of(token: str) -> Any:
            if token not in cache:
                cache[token] = self._token_scores(token)
            return cache[token]

        total = np.zeros(len(self._bm25.doc_freqs))
        for clause in clauses:
            best = None
            for alternative in clause:
                summed = np.zeros(len(total))
                for token, weight in alternative.items():
                    summed += weight * scores_of(token)
                best = summed if best is None else np.maximum(best, summed)
            if best is not None:
                total += best
        return total

    @classmethod
    def build(cls, docs: Iterable[Doc], directory: Path) -> RankBM25Engine:
        keys, articles, lists = [], [], []
        for doc in docs:
            keys.append(doc.key)
            articles.append(doc.article)
            lists.append(doc.tokens.split())
        return cls._save(directory, keys, articles, lists)

    @classmethod
    def _save(
        cls, directory: Path, keys: list[str], articles: list[str], docs: list[list[str]]
    ) -> RankBM25Engine:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / (cls.FILE + ".tmp")
        saved = {"keys": keys, "articles": articles, "docs": docs}
        tmp.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
        tmp.replace(directory / cls.FILE)
        return cls(keys, articles, docs)

    @classmethod
    def load(cls, directory: Path) -> RankBM25Engine:
        """The saved engine; ValueError when the file is not what ``_save`` wrote (cut
        short, overwritten, edited), so the caller rebuilds it."""
        saved = json.loads((directory / cls.FILE).read_text(encoding="utf-8"))
        if not _saved_shape(saved):
            raise ValueError(f"{directory / cls.FILE} is not a saved rank-bm25 index")
        return cls(saved["keys"], saved["articles"], saved["docs"])

    @classmethod
    def update(cls, directory: Path, remove: Collection[str], add: Iterable[Doc]) -> RankBM25Engine:
        old = cls.load(directory)
        drop = set(remove)
        kept = [i for i, a in enumerate(old._articles) if a not in drop]
        keys = [old._keys[i] for i in kept]
        articles = [old._articles[i] for i in kept]
        docs = [old._docs[i] for i in kept]
        for doc in add:
            keys.append(doc.key)
            articles.append(doc.article)
            docs.append(doc.tokens.split())
        return cls._save(directory, keys, articles, docs)


class TantivyEngine:
    name = EngineName.TANTIVY
    TOKENIZER = "corpusbot_ws"
    HEAP = 256_000_000

    def __init__(self, index: tantivy.Index) -> None:
        import tantivy

        self._tantivy = tantivy
        self._index = index
        self._searcher = index.searcher()
        self._schema = index.schema
        self._size = self._searcher.num_docs

    def __len__(self) -> int:
        return self._size

    @classmethod
    def _schema_and_analyzer(cls) -> tuple[tantivy.Schema, tantivy.TextAnalyzer]:
        import tantivy

        builder = tantivy.SchemaBuilder()
        # Positions are not needed for BM25; frequencies are.
        builder.add_text_field("tokens", tokenizer_name=cls.TOKENIZER, index_option="freq")
        builder.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
        # Not stored: a hit reads only its key (the article is the key's prefix).
        builder.add_text_field("article", tokenizer_name="raw", index_option="basic")
        analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
        return builder.build(), analyzer

    @classmethod
    def _open(cls, directory: Path, create: bool = False) -> tantivy.Index:
        import tantivy

        schema, analyzer = cls._schema_and_analyzer()
        if create:
            index = tantivy.Index(schema, path=str(directory))
        else:
            index = tantivy.Index.open(str(directory))
        index.register_tokenizer(cls.TOKENIZER, analyzer)
        return index

    @classmethod
    def _write(cls, index: tantivy.Index, remove: Collection[str], add: Iterable[Doc]) -> None:
        import tantivy

        writer = index.writer(heap_size=cls.HEAP, num_threads=2)
        for article in remove:
            writer.delete_documents_by_term("article", article)
        for doc in add:
            writer.add_document(
                tantivy.Document(tokens=doc.tokens, key=doc.key, article=doc.article)
            )
        writer.commit()
        writer.wait_merging_threads()
        index.reload()

    @classmethod
    def build(cls, docs: Iterable[Doc], directory: Path) -> TantivyEngine:
        """``docs`` may be a generator: a large corpus is streamed, not held."""
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        index = cls._open(directory, create=True)
        cls._write(index, (), docs)
        return cls(index)

    @classmethod
    def load(cls, directory: Path) -> TantivyEngine:
        return cls(cls._open(directory))

    @classmethod
    def update(cls, directory: Path, remove: Collection[str], add: Iterable[Doc]) -> TantivyEngine:
        index = cls._open(directory)
        cls._write(index, remove, add)
        return cls(index)

    def doc_freq(self, token: str) -> int:
        return int(self._searcher.doc_freq("tokens", token)) if self._size else 0

    def search(self, query: Query, k: int) -> list[tuple[str, float]]:
        if not self._size or not query:
            return []
        t = self._tantivy
        clauses = []
        for clause in as_clauses(query):
            alternatives = [self._should(alt) for alt in clause]
            alternatives = [a for a in alternatives if a]
            if len(alternatives) == 1:
                clauses.extend(alternatives[0])
            elif alternatives:
                options = [t.Query.boolean_query(a) for a in alternatives]
                clauses.append((t.Occur.Should, t.Query.disjunction_max_query(options)))
        if not clauses:
            return []
        # count=False: counting every match would defeat block-max WAND's pruning.
        result = self._searcher.search(t.Query.boolean_query(clauses), limit=k, count=False)
        hits = []
        for score, address in result.hits:
            doc = self._searcher.doc(address)
            hits.append((doc["key"][0], float(score)))
        return hits

    def _should(self, alternative: Alternative) -> list[tuple[Any, Any]]:
        """One alternative's tokens as boosted term queries (a repeated token, or a
        weighted term, boosts as rank-bm25's weighted sum does)."""
        t = self._tantivy
        return [
            (
                t.Occur.Should,
                t.Query.boost_query(
                    t.Query.term_query(self._schema, "tokens", token), float(weight)
                ),
            )
            for token, weight in alternative.items()
            if weight > 0
        ]

    def articles_with_all(self, tokens: Sequence[str]) -> set[str]:
        if not self._size or not tokens:
            return set()
        t = self._tantivy
        clauses = [
            (t.Occur.Must, t.Query.term_query(self._schema, "tokens", token))
            for token in set(tokens)
        ]
        query = t.Query.boolean_query(clauses)
        result = self._searcher.search(query, limit=max(1, self._size), count=False)
        keys = (self._searcher.doc(address)["key"][0] for _, address in result.hits)
        return {key.rpartition("#")[0] for key in keys}


ENGINES: dict[EngineName, EngineType] = {
    EngineName.RANK_BM25: RankBM25Engine,
    EngineName.TANTIVY: TantivyEngine,
}
