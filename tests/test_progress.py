from __future__ import annotations

import io

from bot.progress import ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_appears_only_on_a_terminal_after_a_moment() -> None:
    screen = Terminal()
    bar = ProgressBar(200, "indexing", screen, after_seconds=0.0)
    for n in range(200):
        bar.update(n)
    bar.close()
    out = screen.getvalue()
    assert "\rindexing [" in out and "100% (200/200)" in out and out.endswith("\n")
    quiet = io.StringIO()  # not a terminal: a log line elsewhere, no bar
    bar = ProgressBar(200, "indexing", quiet, after_seconds=0.0)
    bar.update(100)
    bar.close()
    assert quiet.getvalue() == ""


def test_a_quick_job_draws_nothing() -> None:
    screen = Terminal()
    bar = ProgressBar(10, "indexing", screen, after_seconds=60)
    bar.update(5)
    bar.close()
    assert screen.getvalue() == ""
