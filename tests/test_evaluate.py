"""The eval command's scoring: per command, and per group when queries carry one (#10)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.core import CorpusBot
from bot.evaluate import (
    Score,
    evaluate,
    group_scores,
    group_table,
    load_queries,
    miss_line,
    summary,
    to_json,
)
from bot.textfold import Folder
from tests.conftest import ROOT, make_config

# Real queries over the bundled corpus: exact terms that every engine finds, one
# expectation that is not in the corpus (a sure miss), an honest miss, no group.
GROUPED = {"a": "exact", "b": "exact", "c": "none"}
QUERIES: list[dict[str, object]] = [
    {"id": "a", "ask": "/quote 数据铸造厂", "kind": "quote", "expect": ["数据铸造厂"]},
    {"id": "b", "ask": "/quote 数据墙", "kind": "quote", "expect": ["不在语料里"]},
    {"id": "c", "ask": "/quote 量子计算机", "kind": "quote", "expect_none": True},
    {"id": "d", "ask": "/whosaid 竞争就是做得更好", "kind": "whosaid", "expect": ["Alexandr Wang"]},
]
QUERIES = [q | ({"group": GROUPED[str(q["id"])]} if q["id"] in GROUPED else {}) for q in QUERIES]


def _write(path: Path, queries: list[dict[str, object]]) -> Path:
    lines = [json.dumps(q, ensure_ascii=False) for q in queries]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_scores_are_broken_down_by_group_and_by_command(
    bot: CorpusBot, folder: Folder, tmp_path: Path
) -> None:
    outcomes = evaluate(bot, load_queries(_write(tmp_path / "q.jsonl", QUERIES)), folder)
    assert [(o.id, o.ok, o.group) for o in outcomes] == [
        ("a", True, "exact"),
        ("b", False, "exact"),
        ("c", True, "none"),
        ("d", True, None),
    ]
    # Groups in the order they first occur; the query without a group is in no group.
    assert group_scores(outcomes) == [Score("exact", 1, 2), Score("none", 1, 1)]
    assert group_table(outcomes).splitlines() == [
        "group  passed  share",
        "exact     1/2    50%",
        "none      1/1   100%",
    ]
    assert summary(outcomes) == "eval: 3/4 passed (quote 2/3, whosaid 1/1)"
    assert miss_line(outcomes[1]).startswith("MISS b (quote, exact): top 3: ")
    result = to_json(outcomes)
    assert result["groups"] == {
        "exact": {"passed": 1, "total": 2},
        "none": {"passed": 1, "total": 1},
    }
    assert result["commands"]["quote"] == {"passed": 2, "total": 3}
    assert (result["passed"], result["total"]) == (3, 4)


def test_queries_without_groups_print_no_group_table(bot: CorpusBot, folder: Folder) -> None:
    ungrouped = [{k: v for k, v in q.items() if k != "group"} for q in QUERIES]
    outcomes = evaluate(bot, ungrouped, folder)
    assert group_scores(outcomes) == [] and group_table(outcomes) == ""
    assert miss_line(outcomes[1]).startswith("MISS b (quote): ")


def test_eval_command_prints_the_groups_and_json(tmp_path: Path) -> None:
    queries = _write(tmp_path / "q.jsonl", QUERIES)
    command = [sys.executable, "-m", "bot", "eval", str(queries)]
    config = ["--config", str(make_config(tmp_path))]
    text = subprocess.run(command + config, cwd=ROOT, capture_output=True, text=True, timeout=180)
    lines = text.stdout.strip().splitlines()
    assert text.returncode == 1, text.stderr
    assert lines[0].startswith("MISS b (quote, exact)")
    assert lines[1:4] == ["group  passed  share", "exact     1/2    50%", "none      1/1   100%"]
    assert lines[-1] == "eval: 3/4 passed (quote 2/3, whosaid 1/1)"
    js = subprocess.run(
        [*command, "--json", *config], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert js.returncode == 1, js.stderr
    result = json.loads(js.stdout)
    assert result["groups"]["exact"] == {"passed": 1, "total": 2}
    assert [q["id"] for q in result["queries"] if not q["ok"]] == ["b"]
