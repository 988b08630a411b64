"""The console as a person meets it: in a real pseudo-terminal, with arrow keys,
history, terminal styling, Ctrl-D and Ctrl-C."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import ROOT, make_config

PROMPT = "> "
UP, LEFT, HOME = "\x1b[A", "\x1b[D", "\x01"
BOLD, LINK = "\x1b[1m", "\x1b]8;;http"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CORPUSBOT_CONFIG")}
    return env | {"TERM": "xterm-256color", "XDG_STATE_HOME": str(tmp_path / "state")}


def _spawn(tmp_path: Path, argv: list[str] | None = None) -> pexpect.spawn:
    argv = argv or [sys.executable, "-m", "bot", "--config", str(make_config(tmp_path))]
    child = pexpect.spawn(
        argv[0],
        argv[1:],
        cwd=ROOT,
        env=_env(tmp_path),
        encoding="utf-8",
        timeout=120,
        dimensions=(40, 160),
        # A shell without job control starts background commands with SIGINT ignored,
        # and an ignored signal stays ignored across exec: give the console a terminal's
        # usual Ctrl-C whatever ran the tests.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    child.expect_exact("corpusbot console:")
    child.expect_exact(PROMPT)
    return child


def _answer(child: pexpect.spawn, line: str) -> str:
    child.send(line + "\r")
    child.expect_exact("\r\n" + PROMPT)
    return child.before


@pytest.fixture
def console(tmp_path: Path):  # type: ignore[no-untyped-def]
    child = _spawn(tmp_path)
    yield child
    child.close(force=True)


def test_line_editing_history_styling_and_paging(console: pexpect.spawn, tmp_path: Path) -> None:
    first = _answer(console, "/quote 数据墙")
    assert BOLD in first and "**" not in first  # matches in bold, not Markdown stars
    assert LINK in first  # the source link is a terminal hyperlink
    assert "More results" in first
    # The arrow keys edit the line: "/qote" is mended to "/quote" in place.
    typo = _answer(console, "/qote 数据墙" + LEFT * 7 + "u")
    assert "I don't know the command" not in typo and "1. " in typo
    # Up recalls the previous line; `more` pages it.
    again = _answer(console, UP)
    assert "1. " in again
    more = _answer(console, "more")
    assert "4. " in more
    helped = _answer(console, "help")
    assert "`more` shows the next page" in helped
    console.sendcontrol("d")
    console.expect(pexpect.EOF)
    console.close()
    assert console.exitstatus == 0
    assert console.before == "\r\n"  # Ctrl-D ends the prompt's line: the shell starts clean
    history = (tmp_path / "state" / "corpusbot" / "history").read_text(encoding="utf-8")
    assert "/quote 数据墙" in history and "more" in history


def test_ctrl_c_at_the_prompt_leaves_cleanly(console: pexpect.spawn) -> None:
    console.sendintr()
    console.expect(pexpect.EOF)
    console.close()
    assert console.exitstatus == 0 and console.before == "\r\n"


def test_quit_leaves(console: pexpect.spawn) -> None:
    console.send("quit\r")
    console.expect(pexpect.EOF)
    console.close()
    assert console.exitstatus == 0 and "Traceback" not in console.before


def test_ctrl_c_ends_run_and_gives_the_terminal_back(tmp_path: Path) -> None:
    """`run` with no tokens is the console beside the digest scheduler: Ctrl-C stops it
    at once and the shell gets its echo and line mode back."""
    config = make_config(tmp_path)
    # bash goes on after a child that handled SIGINT itself, so it can report the modes.
    run = f"{sys.executable} -m bot run --config {config}; echo exit=$?; stty -a"
    child = _spawn(tmp_path, ["bash", "-c", run])
    child.sendintr()
    child.expect(r"exit=(\d+)")
    assert child.match.group(1) == "130"
    child.expect(pexpect.EOF)
    modes = child.before.split()
    assert "echo" in modes and "icanon" in modes, child.before
    assert "Traceback" not in child.before
