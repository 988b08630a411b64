"""Golden cases for every normalisation step (tests/data/repairs.jsonl)."""

from __future__ import annotations

import json

import pytest

from bot.ingest.pipeline import Ingestor
from tests.conftest import DATA

CASES = [json.loads(line) for line in (DATA / "repairs.jsonl").read_text("utf-8").splitlines()]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['step']}-{i}" for i, c in enumerate(CASES)])
def test_golden_case(case: dict[str, str], ingestor: Ingestor) -> None:
    steps = dict(ingestor.steps)
    result = steps[case["step"]](case["input"])
    assert result.text == case["expected"]
    assert (result.changes > 0) == (case["input"] != case["expected"]), "change not reported"


def test_every_step_has_golden_cases(ingestor: Ingestor) -> None:
    covered = {c["step"] for c in CASES}
    missing = (
        {name for name, _ in ingestor.steps} - covered - {"line_endings", "boilerplate_paragraphs"}
    )
    assert not missing


def test_unrepairable_damage_is_reported_not_guessed(ingestor: Ingestor) -> None:
    steps = dict(ingestor.steps)
    result = steps["gbk_straddles"]("方向?qū)Σ粚Γ?/span>")
    assert result.unresolved == ("one character lost after '方向對不對'",)


def test_full_pipeline_on_the_issue_example(ingestor: Ingestor) -> None:
    from bot.ingest.repairs import run_pipeline

    out = run_pipeline("這些標(biāo)簽?zāi)囊粋€都足夠讓人側目", ingestor.steps)
    assert out.text == "這些標簽哪一個都足夠讓人側目"
    assert out.changes == {"gbk_straddles": 1, "pinyin_annotations": 1}
