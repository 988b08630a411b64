"""Golden cases for every normalisation step (tests/data/repairs.jsonl)."""

from __future__ import annotations

import json

import pytest

from bot.ingest.pipeline import Ingestor
from bot.ingest.repairs import rejoin_wrapped_lines
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


def test_a_title_over_a_caption_is_no_wrapped_line() -> None:
    """A NASA release (public domain) writes each paragraph on one line, but its title
    and photo caption sit on two lines of one block: two paragraphs, not one title of
    both. A White House briefing hard-wrapped at 70 columns is still joined."""
    nasa = rejoin_wrapped_lines((DATA / "speakers" / "nasa_hic_flare.md").read_text("utf-8"))
    title, caption = nasa.text.split("\n")[:2]
    assert title == "Hi-C Rocket Experiment Achieves Never-Before-Seen Look at Solar Flares"
    assert caption.startswith("The High-Resolution Coronal Imager, or Hi-C, launches aboard")
    briefing = (DATA / "speakers" / "wh_briefing_2023-07-26.md").read_text("utf-8")
    joined = rejoin_wrapped_lines(briefing).text
    assert "It’s all just unfolding.\xa0 We’re just watching" in joined
