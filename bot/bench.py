"""``python -m bot bench``: build time, query latency, memory, disk and start-up of
both engines, side by side in one run, on corpora resampled from the real one.

Synthetic passages draw their lengths from the real passages and their tokens from
the real token frequencies, plus a Zipf tail of rare terms so that the vocabulary
grows with the corpus as it does in real collections (Heaps' law); without it a
million passages would share the bundled corpus's few thousand words. Queries are
the real dev queries plus windows of real passages, tokenized by the real tokenizer.

Each (engine, size) is built and queried in its own process, so peak RSS is that
engine's; start-to-answer is a fresh process that opens the saved index and answers
one query. Report medians and ratios: the machine is shared and noisy.
"""

from __future__ import annotations

import atexit
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bot.models import Command, Query
from bot.search.engines import ENGINES, Doc, EngineName, RankBM25Engine, TantivyEngine
from bot.search.tokenize import Tokenizer
from bot.textfold import Folder

# numpy is imported where it is used, not here: the first-query and start-to-answer
# children import this module, and must import what `python -m bot ask` does (a tantivy
# index never needs numpy; importing it cost ~0.1 s of each timed start, #14).

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
# What a timed start asks; the real-text rows time a first /timeline and /whosaid too,
# each command reading what it needs of the saved index (#14).
START_QUERY = "/quote 数据墙"
FIRST_COMMANDS = {"timeline": "/timeline Meta", "whosaid": "/whosaid 竞争就是做得更好"}
# rank-bm25 scores every passage in Python per query term: seconds per query at 1M.
RANK_BM25_MAX = 100_000
TAIL_SHARE = 0.15
WARMUP = 20


def run_bench(
    bot: Any,
    config: Path,
    sizes: Sequence[int],
    engines: Sequence[str],
    queries: int,
    emit: Any,
    include_slow: bool = False,
    real_mb: Sequence[float] = (),
) -> list[dict[str, Any]]:
    work = Path(tempfile.mkdtemp(prefix="corpusbot-bench-"))
    try:
        profile = work / "profile.json"
        _write_profile(bot, profile, queries)
        rows = [_bundled_row(bot, config)]
        emit(rows[0])
        for mb in real_mb:
            row = _measure_real_text(config, mb, work / f"real-{mb}")
            emit(row)
            rows.append(row)
            shutil.rmtree(work / f"real-{mb}", ignore_errors=True)
        for size in sizes:
            for engine in engines:
                if engine == "rank-bm25" and size > RANK_BM25_MAX and not include_slow:
                    continue
                row = _measure(engine, size, profile, work / f"{engine}-{size}")
                emit(row)
                rows.append(row)
                shutil.rmtree(work / f"{engine}-{size}", ignore_errors=True)
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---- real text: ingest + index throughput ---------------------------------------------

_SENTENCE = re.compile('[^。！？!?]+[。！？!?」”"]*')
_LABEL = re.compile(r"^(\*{0,2}[^：:\s]{1,16}[：:]\*{0,2})")
HEADER_LINES = 4  # link, picture credit, title, date: kept from the template article


def resample_real_text(raw_dir: Path, target_bytes: int, out: Path, seed: int = 11) -> int:
    """Articles made of the bundled raw articles resampled at the sentence level: each
    new article follows one real article line by line (its header lines, its speaker
    labels, its number of sentences per paragraph) with sentences drawn from all of
    them, damage and all, to about the real articles' sizes. Returns the bytes written."""
    rng = random.Random(seed)
    sources = [
        p.read_text(encoding="utf-8").splitlines()
        for p in sorted(raw_dir.iterdir())
        if p.suffix.lower() in (".txt", ".md")
    ]
    pool = [s for lines in sources for line in lines for s in _SENTENCE.findall(line) if s.strip()]
    sizes = [sum(len(x.encode()) + 1 for x in lines) for lines in sources]
    out.mkdir(parents=True, exist_ok=True)
    written = n = 0
    while written < target_bytes:
        template = sources[n % len(sources)]
        size = rng.choice(sizes)
        lines = template[:HEADER_LINES]
        body = template[HEADER_LINES:] or template
        used = sum(len(x.encode()) + 1 for x in lines)
        i = 0
        while used < size:
            line = body[i % len(body)]
            i += 1
            if not line.strip():
                lines.append(line)
                continue
            label = _LABEL.match(line)
            count = max(1, len(_SENTENCE.findall(line)))
            text = "".join(rng.choice(pool) for _ in range(count))
            lines.append((label.group(1) if label else "") + text)
            used += len(lines[-1].encode()) + 1
        data = "\n".join(lines) + "\n"
        (out / f"rs{n:06d}.txt").write_text(data, encoding="utf-8")
        written += len(data.encode())
        n += 1
    return written


def _real_text_config(config: Path, work: Path) -> Path:
    """A copy of the settings reading ``work/raw`` and writing under ``work``."""
    target = work / "config"
    shutil.copytree(config.parent, target, dirs_exist_ok=True)
    main = target / config.name
    text = main.read_text(encoding="utf-8")
    for key, folder in (("raw_dir", "raw"), ("articles_dir", "articles"), ("index_dir", "index")):
        text = re.sub(rf'(?m)^{key}\s*=\s*"[^"]*"', f'{key} = "{work / folder}"', text)
    text = re.sub(r'(?m)^ledger\s*=\s*"[^"]*"', f'ledger = "{work / "ledger.sqlite3"}"', text)
    main.write_text(text, encoding="utf-8")
    return main


def _measure_real_text(config: Path, mb: float, work: Path) -> dict[str, Any]:
    """Ingest + index of ``mb`` MB of resampled real text in a child process (every core),
    its peak RSS summed over the child and its workers, then the first query after it:
    a fresh ``python -m bot ask``."""
    from bot.config import load_settings

    work.mkdir(parents=True, exist_ok=True)
    raw = load_settings(config).corpus.raw_dir
    size = resample_real_text(raw, int(mb * 2**20), work / "raw")
    cfg = _real_text_config(config, work)
    command = [sys.executable, "-m", "bot", "bench", "--config", str(cfg), "--real-child"]
    command.append("lexicon")
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, peak_pss = _watch_rss(child)
    stdout, stderr = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"real-text child failed: {stderr[-2000:]}")
    row = json.loads(stdout.strip().splitlines()[-1])
    ask = [sys.executable, "-m", "bot", "bench", "--config", str(cfg), "--start-bundled"]
    first_query, _, first_query_cpu = _start_to_answer(ask, runs=1)  # the first after ingest
    first, serve_rss, first_cpu = _start_to_answer(ask)
    # A fresh process whose first command is another one, median of three each.
    firsts: dict[str, Any] = {}
    for name, query in FIRST_COMMANDS.items():
        wall, _, cpu = _start_to_answer([*ask, query])
        firsts |= {f"first_{name}_s": wall, f"first_{name}_cpu_s": cpu}
    seconds = row["ingest_s"] + row["index_s"] - row["lexicon_s"]  # the lexicon apart
    return {
        "engine": f"real text {mb:g} MB (ingest + index)",
        "passages": row["passages"],
        "build_s": round(seconds, 2),
        "mb_per_s": round(size / 2**20 / seconds, 2),
        "ingest_s": row["ingest_s"],
        "index_s": round(row["index_s"] - row["lexicon_s"], 2),
        # CPU of the child and its pools' workers, the lexicon apart: the load-proof figure.
        "build_cpu_s": round(row["ingest_cpu_s"] + row["index_cpu_s"], 2),
        "lexicon_s": row["lexicon_s"],
        "first_query_s": first_query,
        "first_query_cpu_s": first_query_cpu,
        **firsts,
        "rss_mb": round(peak, 1),
        "pss_mb": round(peak_pss, 1),
        "disk_mb": round(_disk(work / "index") / 2**20, 1),
        "start_to_answer_s": first,
        "serve_rss_mb": serve_rss,
        "start_cpu_s": first_cpu,
        "index_engine": row["engine"],
    }


def _watch_rss(proc: subprocess.Popen[str], every: float = 0.1) -> tuple[float, float]:
    """Peaks of the summed RSS and of the summed PSS of ``proc`` and all its descendants,
    sampled until it exits. Forked pool workers share the parent's pages: RSS counts
    each shared page once per process, PSS splits it between them, so the PSS sum is
    the memory the tree really holds (#14)."""
    peak_rss = peak_pss = 0.0
    while proc.poll() is None:
        rss, pss = _tree_memory_mb(proc.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(every)
    return peak_rss, peak_pss


def _tree_memory_mb(pid: int) -> tuple[float, float]:
    rss = pss = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return rss, pss


def child_real_text(settings: Any, lexicon: bool = True) -> None:
    """Ingest and index what ``settings`` point at, timed; one JSON line."""
    from bot.ingest import pool

    started, cpu = time.perf_counter(), pool.cpu_seconds()
    reports = pool.ingest(settings.corpus, [settings.corpus.raw_dir])
    ingest_s, ingest_cpu = time.perf_counter() - started, pool.cpu_seconds() - cpu
    started, cpu = time.perf_counter(), pool.cpu_seconds()
    report = pool.update_index(settings.corpus, settings.search, lexicon=lexicon)
    index_s, index_cpu = time.perf_counter() - started, pool.cpu_seconds() - cpu
    manifest = next(settings.search.index_dir.glob("*/manifest.json"))
    engine = json.loads(manifest.read_text(encoding="utf-8"))["engine"]
    print(
        json.dumps(
            {
                "articles": sum(1 for r in reports if not r.error),
                "passages": report.passages,
                "ingest_s": round(ingest_s, 2),
                "index_s": round(index_s, 2),
                "lexicon_s": report.lexicon_seconds,
                "engine": engine,
                "ingest_cpu_s": round(ingest_cpu, 2),
                "index_cpu_s": round(index_cpu - report.lexicon_cpu_seconds, 2),
            }
        )
    )


def _write_profile(bot: Any, path: Path, n_queries: int) -> None:
    docs = [bot.index.analyze(p.text) for p in bot.index.passages]
    counts = Counter(t for d in docs for t in d)
    rng = random.Random(7)
    queries = [bot.index.analyze(q) for q in _real_queries()]
    grouped = [bot.index.engine_query(_interpreted(bot, q)) for q in _grouped_queries()]
    queries += grouped
    while len(queries) < n_queries:
        doc = rng.choice(docs)
        if len(doc) > 6:
            start = rng.randrange(0, len(doc) - 6)
            queries.append(doc[start : start + rng.randint(3, 8)])
    profile = {
        "vocab": list(counts),
        "freq": list(counts.values()),
        "lengths": [len(d) for d in docs],
        "queries": [q for q in queries if q][:n_queries],
        # Timed apart as well: the few grouped queries set the mixed p99 (#14).
        "grouped": [q for q in grouped if q],
        # One real article's passages, to time adding an article to a saved index.
        "article_texts": [p.text for p in bot.index.passages[:ARTICLE_PASSAGES]],
        "user_words": sorted({w for w in bot.index.name_forms}),
    }
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")


def _real_queries() -> list[str]:
    return [
        "数据铸造厂",
        "组合使用工具",
        "Llama 3.1 开源",
        "同住一所公寓",
        "Paul Graham 创业点子",
        "一万亿美元的市值",
        "Product Hunt",
        "超级智能 核弹",
        "140亿美元 49%的股权",
        "AI tutor",
        "竞争就是做得更好",
        "我父母都是在国家实验室工作的物理学家",
        "数据墙 合成数据",
    ]


def _grouped_queries() -> list[str]:
    """English and pinyin: the query steps make groups of alternatives of them, and an
    engine scores each group's best alternative, which costs more than plain tokens."""
    return [
        "data wall",
        "whoever has more chips wins",
        "three pillars of AI: compute, data and algorithms",
        "the new bottleneck is now data",
        "shuju qiang",
        "hecheng shuju",
        "kaiyuan moxing",
        "Scale AI guzhi",
    ]


def _interpreted(bot: Any, text: str) -> Any:
    return bot.interpret(Query(Command.QUOTE, text))


def synthetic_docs(profile: dict[str, Any], size: int, seed: int = 1) -> Iterator[list[str]]:
    import numpy as np

    rng = np.random.default_rng(seed)
    vocab = np.array(profile["vocab"], dtype=object)
    p = np.array(profile["freq"], dtype=np.float64)
    p /= p.sum()
    lengths = np.array(profile["lengths"])
    tail_size = max(1000, size * 2)
    chunk = 10_000
    for start in range(0, size, chunk):
        n = min(chunk, size - start)
        lens = rng.choice(lengths, size=n)
        total = int(lens.sum())
        ids = rng.choice(len(vocab), size=total, p=p)
        words = vocab[ids]
        tail = rng.random(total) < TAIL_SHARE
        ranks = np.minimum(rng.zipf(1.2, size=int(tail.sum())), tail_size)
        words[tail] = np.char.add("w", ranks.astype(str)).astype(object)
        offset = 0
        for length in lens:
            yield words[offset : offset + length].tolist()
            offset += length


def _measure(engine: str, size: int, profile: Path, directory: Path) -> dict[str, Any]:
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "bench",
            "--child",
            engine,
            str(size),
            str(profile),
            str(directory),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        raise RuntimeError(f"bench child {engine} {size} failed: {child.stderr[-2000:]}")
    row = json.loads(child.stdout.strip().splitlines()[-1])
    row["disk_mb"] = round(_disk(directory) / 2**20, 1)
    row["start_to_answer_s"], row["serve_rss_mb"], row["start_cpu_s"] = _start_to_answer(
        [sys.executable, "-m", "bot", "bench", "--start", engine, str(directory), str(profile)]
    )
    return row


def _bundled_row(bot: Any, config: Path) -> dict[str, Any]:
    """The real corpus through the real command: build, queries, and a fresh
    ``python -m bot ask`` with the saved index."""
    index = bot.index
    plain: list[Any] = [index.analyze(q) for q in _real_queries()]
    queries = (plain + [_interpreted(bot, q) for q in _grouped_queries()]) * 20
    latencies = _latencies(SimpleNamespace(search=index.search_passages), queries)
    start, rss, cpu = _start_to_answer(
        [sys.executable, "-m", "bot", "bench", "--config", str(config), "--start-bundled"],
        warm=True,
    )
    return {
        "engine": f"{index.engine_name} (bundled)",
        "passages": len(index.passages),
        "build_s": None,
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(_percentile(latencies, 99), 3),
        "rss_mb": None,
        "disk_mb": None,
        "start_to_answer_s": start,
        "serve_rss_mb": rss,
        "start_cpu_s": cpu,
    }


def _percentile(values: Sequence[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(values, q))


def _latencies(engine: Any, queries: Sequence[Any]) -> list[float]:
    for q in queries[:WARMUP]:
        engine.search(q, 10)
    out = []
    for q in queries:
        t = time.perf_counter()
        engine.search(q, 10)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _start_to_answer(
    command: list[str], runs: int = 3, warm: bool = False
) -> tuple[float, float, float]:
    """Median wall time from spawning a process to its exit after one answer, the peak
    RSS that process reports for itself (its last output line), and its median CPU
    time (user + system: what the wall time would be on an idle machine, nearly).
    ``warm``: one untimed run first, so the timed ones find the bytecode compiled."""
    times, rss, cpu = [], [], []
    if warm:
        subprocess.run(command, capture_output=True, env=_start_env(), check=False)
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run(
            command, capture_output=True, text=True, check=False, env=_start_env()
        )
        times.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if proc.returncode != 0:
            raise RuntimeError(f"{command} failed: {proc.stderr[-2000:]}")
        rss.append(float(proc.stdout.strip().splitlines()[-1]))
    return (
        round(statistics.median(times), 3),
        round(max(rss), 1),
        round(statistics.median(cpu), 3),
    )


@cache
def _start_env() -> dict[str, str]:
    """The environment of a timed start: Python's bytecode cache on, in a folder of the
    benchmark's own, as an installed bot has it (pip compiles the bytecode at install).
    With PYTHONDONTWRITEBYTECODE set, as in shared development shells, every start
    would compile our modules from source first (about 0.06 s of CPU)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = prefix = tempfile.mkdtemp(prefix="corpusbot-bench-pyc-")
    atexit.register(shutil.rmtree, prefix, True)
    return env


def peak_rss_mb() -> float:
    """This process's own peak RSS. Not ru_maxrss: Linux carries the parent's high
    water mark into a child across fork and exec, which would charge every child
    with the benchmark driver's memory."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


ARTICLE_PASSAGES = 45  # about one bundled article (216 passages in 5)


def _as_docs(token_lists: Iterator[list[str]]) -> Iterator[Doc]:
    """Synthetic passages grouped into articles of ``ARTICLE_PASSAGES``."""
    for n, tokens in enumerate(token_lists):
        yield Doc(f"s{n}", f"a{n // ARTICLE_PASSAGES}", " ".join(tokens))


def _add_one_article(engine: str, directory: Path, profile: dict[str, Any]) -> float:
    """What a changed article costs the saved index: its passages tokenized (real text),
    the old version deleted by article id, the new one added, committed and reopened."""
    texts = profile["article_texts"]
    started = time.perf_counter()
    tokenizer = Tokenizer(Folder(), profile["user_words"])
    docs = [Doc(f"new{n}", "a0", " ".join(tokenizer.tokens(t))) for n, t in enumerate(texts)]
    ENGINES[EngineName(engine)].update(directory, ["a0"], docs)
    return round(time.perf_counter() - started, 3)


# ---- child processes ------------------------------------------------------------------


def child_build_and_query(engine: str, size: int, profile_path: Path, directory: Path) -> None:
    profile = json.loads(profile_path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    docs = _as_docs(synthetic_docs(profile, size))
    if engine == "tantivy":
        built: Any = TantivyEngine.build(docs, directory)
    else:
        built = RankBM25Engine.build(docs, directory)
    build_s = time.perf_counter() - started
    latencies = _latencies(built, profile["queries"])
    grouped = _latencies(built, _repeated(profile["grouped"], len(profile["queries"])))
    add_s = _add_one_article(engine, directory, profile) if engine == "tantivy" else None
    print(
        json.dumps(
            {
                "engine": engine,
                "passages": size,
                "build_s": round(build_s, 2),
                "add_article_s": add_s,
                "p50_ms": round(statistics.median(latencies), 3),
                "p99_ms": round(_percentile(latencies, 99), 3),
                "grouped_p50_ms": round(statistics.median(grouped), 3) if grouped else None,
                "grouped_p99_ms": round(_percentile(grouped, 99), 3) if grouped else None,
                "rss_mb": peak_rss_mb(),
            }
        )
    )


def _repeated(queries: Sequence[Any], n: int) -> list[Any]:
    """``queries`` over and over, ``n`` in all: a few queries, enough timings for a p99."""
    return [queries[i % len(queries)] for i in range(n)] if queries else []


def child_start(engine: str, directory: Path, profile_path: Path) -> None:
    loaded = ENGINES[EngineName(engine)].load(directory)
    query = json.loads(profile_path.read_text(encoding="utf-8"))["queries"][0]
    loaded.search(query, 10)
    print(peak_rss_mb())


def child_start_bundled(bot: Any, query: str = "") -> None:
    """What ``python -m bot ask QUERY`` does (``START_QUERY`` by default), then its own
    peak RSS."""
    bot.ask(query or START_QUERY)
    print(peak_rss_mb())


# The --json contract, in this order; rows may carry more (serve_rss_mb).
JSON_KEYS = (
    "engine",
    "passages",
    "build_s",
    "p50_ms",
    "p99_ms",
    "rss_mb",
    "disk_mb",
    "start_to_answer_s",
)


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    cols = [*JSON_KEYS, "start_cpu_s", "serve_rss_mb", "add_article_s", "mb_per_s"]
    cols += ["first_query_s", "first_query_cpu_s", "lexicon_s", "grouped_p50_ms", "grouped_p99_ms"]
    cols += ["pss_mb", "ingest_s", "index_s", "build_cpu_s"]
    cols += ["first_timeline_s", "first_timeline_cpu_s", "first_whosaid_s", "first_whosaid_cpu_s"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in rows:
        lines.append(
            "| " + " | ".join("–" if row.get(c) is None else str(row[c]) for c in cols) + " |"
        )
    return "\n".join(lines)


def speedups(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Ratios measured side by side: rank-bm25 p50 / tantivy p50 at each size."""
    by = {(r["engine"], r["passages"]): r for r in rows}
    out = []
    for (engine, size), row in sorted(by.items(), key=lambda x: (x[0][1], x[0][0])):
        other = by.get(("rank-bm25", size))
        if engine == "tantivy" and other and row["p50_ms"]:
            out.append(
                f"at {size} passages tantivy is {other['p50_ms'] / row['p50_ms']:.0f}x "
                f"faster than rank-bm25 (p50)"
            )
    return out
