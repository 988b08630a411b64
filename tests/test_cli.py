"""The command line and the console adapter, as a person uses them."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.console import run_console
from bot import messages, packaged
from bot.cli import main as cli_main
from bot.config import (
    CONFIG_ENV,
    ConfigChoice,
    ConfigSource,
    discover_config,
    load_settings,
)
from bot.core import CorpusBot
from bot.deploy import init_deployment
from bot.errors import ConfigError
from tests.conftest import DATA, ROOT, make_config


def run(*args: str, config: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=180,
    )


def test_console_pages_with_more_and_says_when_there_is_no_more(bot: CorpusBot) -> None:
    out = io.StringIO()
    stdin = io.StringIO("/timeline 华盛顿邮报 广告\nmore\n/quote 数据\nmore\nquit\n")
    assert run_console(bot, stdin, out, banner=lambda: "hello") == 0
    text = out.getvalue()
    assert text.startswith("hello")
    assert "No more results for “/timeline 华盛顿邮报 广告”" in text  # one page only
    assert "\n4. " in text  # "more" after /quote 数据 shows the second page


def test_console_survives_bad_input(bot: CorpusBot) -> None:
    out = io.StringIO()
    run_console(bot, io.StringIO("\n🎉🎉\n/nope x\n" + "数" * 2000 + "\n"), out)
    text = out.getvalue()
    assert "nothing I can search" in text and "Did you mean" in text
    assert "longer than 500 characters" in text


def test_ingest_prints_a_report_per_article(tmp_path: Path) -> None:
    config = make_config(
        tmp_path, {'articles_dir = "../seeds/articles"': f'articles_dir = "{tmp_path}/articles"'}
    )
    out = run("ingest", config=config)
    assert out.returncode == 0, out.stderr
    assert "000_ed35fb0cd7c043ee: 80 paragraphs" in out.stdout
    assert "turns: Alexandr Wang [interviewee] 6" in out.stdout
    assert "repairs: gbk_straddles 3, pinyin_annotations 299" in out.stdout
    assert "left unrepaired: gbk_straddles: one character lost after '方向對不對'" in out.stdout
    assert out.stdout.strip().endswith("5 articles ingested, 0 files skipped")
    again = run("ingest", config=config)
    assert "(unchanged)" in again.stdout  # idempotent


def test_eval_command_passes_the_dev_queries(tmp_path: Path) -> None:
    out = run("eval", str(DATA / "dev.jsonl"), config=make_config(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().splitlines()[-1].startswith("eval: 19/19 passed")


def test_eval_reports_misses_and_bad_files(tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "x", "ask": "/quote 数据墙", "kind": "quote", "expect": ["not in the corpus"]}\n',
        encoding="utf-8",
    )
    config = make_config(tmp_path)
    out = run("eval", str(queries), config=config)
    assert out.returncode == 1 and "MISS x (quote)" in out.stdout
    queries.write_text("not json\n", encoding="utf-8")
    bad = run("eval", str(queries), config=config)
    assert bad.returncode == 2 and "not a query object" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_operator_mistakes_on_the_command_line_are_named_never_a_traceback(
    tmp_path: Path,
) -> None:
    """Each of these once ended in a traceback (or, for the empty query file, in a
    0/0 "pass"): a query file that is not UTF-8, an empty one, counts or ports that
    cannot be, and `init` where a file stands."""
    config = make_config(tmp_path)
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes('{"ask": "/quote caf\u00e9", "kind": "quote"}\n'.encode("latin-1"))
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    cases = [
        (("eval", str(latin1)), "not UTF-8 text"),
        (("eval", str(empty)), "no queries"),
        (("bench", "--queries", "0"), "argument --queries: must be at least 1, not 0"),
        (("bench", "--passages", "-5"), "argument --passages: must be at least 1, not -5"),
        (("bench", "--real-mb", "nan"), "argument --real-mb: must be a positive number"),
        (("run", "--port", "99999"), "argument --port: not a TCP port (1 to 65535): 99999"),
    ]
    for args, message in cases:
        out = run(*args, config=config)
        assert out.returncode == 2, (args, out.stderr)
        assert message in out.stderr and "Traceback" not in out.stderr, (args, out.stderr)
    init = subprocess.run(
        [sys.executable, "-m", "bot", "init", str(config)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert init.returncode == 2 and "Traceback" not in init.stderr
    assert f"{config} is a file, not a folder; nothing was changed" in init.stderr
    assert config.is_file()


def test_digest_preview_and_history(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    preview = run("digest", "preview", "--date", "2025-06-01", config=config)
    assert preview.returncode == 0 and "Daily excerpt, 2025-06-01" in preview.stdout
    history = run("digest", "history", config=config)
    lines = history.stdout.splitlines()
    assert lines[0] == "nothing posted yet"  # preview touched nothing
    assert lines[1].startswith("pool of console: ") and "not yet posted in round 1" in lines[1]
    unknown = run("digest", "post", "--target", "nope", config=config)
    assert unknown.returncode == 2 and "no digest target named 'nope'" in unknown.stderr


def test_digest_with_no_target_says_how_to_add_one(tmp_path: Path) -> None:
    """A folder made by `init` has no target until one is added (it listed none as
    'several targets are configured: name one ()')."""
    config = make_config(tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.split("[[digest.targets]]")[0], encoding="utf-8")
    preview = run("digest", "preview", config=config)
    assert preview.returncode == 2 and "Traceback" not in preview.stderr
    assert "no digest target is configured: add a [[digest.targets]] table" in preview.stderr


# ---- which settings file: --config, $CORPUSBOT_CONFIG, ./config, the packaged demo ----


def test_config_discovery_order(tmp_path: Path) -> None:
    flag, env = make_config(tmp_path / "a"), make_config(tmp_path / "b")
    local_dir = tmp_path / "c"
    local = make_config(local_dir)
    environ = {CONFIG_ENV: str(env)}
    assert discover_config(flag, environ, local_dir) == ConfigChoice(flag, ConfigSource.FLAG)
    assert discover_config(None, environ, local_dir) == ConfigChoice(env, ConfigSource.ENV)
    assert discover_config(None, {}, local_dir) == ConfigChoice(local, ConfigSource.LOCAL)
    demo = discover_config(None, {}, tmp_path)
    assert demo.source is ConfigSource.DEMO and demo.path == packaged.demo_config()
    assert discover_config(flag, environ, local_dir, demo=True).source is ConfigSource.DEMO


def test_a_config_named_but_missing_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match=r"--config: file not found: .*nope\.toml"):
        discover_config(missing, {}, tmp_path)
    with pytest.raises(ConfigError, match=rf"{CONFIG_ENV}: file not found: .*nope\.toml"):
        discover_config(None, {CONFIG_ENV: str(missing)}, tmp_path)
    with pytest.raises(ConfigError, match="is a folder, not a file"):
        discover_config(tmp_path, {}, tmp_path)


def test_the_console_script_is_python_m_bot_and_says_which_config(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("corpusbot")
    config = make_config(tmp_path)
    env = {**os.environ, CONFIG_ENV: str(config)}
    out = subprocess.run(
        [str(script), "ask", "--json", "/quote 数据墙"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    assert f"corpusbot: config {config} (from {CONFIG_ENV})" in out.stderr
    assert json.loads(out.stdout)["results"][0]["text"]
    usage = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    assert usage.stdout.startswith("usage: corpusbot")
    assert "CORPUSBOT_CONFIG" in usage.stdout and "init" in usage.stdout


@pytest.mark.parametrize(("installed", "prog"), [(True, "corpusbot"), (False, "python -m bot")])
def test_the_console_banner_names_the_program_as_it_was_started(
    tmp_path: Path, installed: bool, prog: str
) -> None:
    config = make_config(tmp_path)
    if installed:
        script = Path(sys.executable).with_name("corpusbot")
        argv = [str(script), "--config", str(config)]
        out = subprocess.run(
            argv, cwd=tmp_path, capture_output=True, text=True, input="quit\n", timeout=180
        )
    else:
        out = run("console", config=config, stdin="quit\n")
    assert out.returncode == 0, out.stderr
    assert f"then run `{prog} run`" in out.stdout
    assert ("python -m bot" in out.stdout) is (prog == "python -m bot")


def test_paths_are_relative_to_the_chosen_file(tmp_path: Path) -> None:
    config = make_config(tmp_path / "deploy")
    text = config.read_text(encoding="utf-8").replace(f'"{tmp_path}/var/', '"../var/')
    config.write_text(text, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    settings = load_settings(discover_config(config, {}, elsewhere).path)
    assert settings.search.index_dir == tmp_path / "deploy" / "var" / "index"
    assert settings.corpus.speakers  # config/speakers.toml beside the file


def test_ask_keeps_one_session_so_more_pages_the_previous_query(tmp_path: Path) -> None:
    texts = ["more", "/quote 数据", "more", "更多", "/timeline 华盛顿邮报 广告", "more"]
    out = run("ask", "--json", *texts, config=make_config(tmp_path))
    assert out.returncode == 0, out.stderr
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert [a["page"] for a in answers] == [None, 1, 2, 3, 1, None]
    nothing, first, second, third, timeline, no_more = answers
    assert nothing["command"] == "error" and "Nothing to page yet" in nothing["message"]
    assert {a["query"] for a in (first, second, third)} == {"数据"}
    ids = [r["passage_id"] for a in (first, second, third) for r in a["results"]]
    assert len(ids) == 9 and len(set(ids)) == 9  # three pages, no passage twice
    assert no_more["command"] == "timeline" and no_more["results"] == []
    assert no_more["message"] == "No more results for “/timeline 华盛顿邮报 广告”."
    assert timeline["events"]


def test_piped_console_is_plain_text(tmp_path: Path) -> None:
    out = run(config=make_config(tmp_path), stdin="/quote 数据墙\nhelp\nquit\n")
    assert out.returncode == 0, out.stderr
    assert "**数据墙**" in out.stdout or "**數據牆**" in out.stdout
    assert "\x1b" not in out.stdout and "> " not in out.stdout  # no prompt, no styling
    assert "`more` shows the next page" in out.stdout


# ---- unknown settings are errors that name them ----------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "corpusbot.toml",
            "[search]",
            "[serch]",
            "serch: unknown table in corpusbot.toml (did you mean search?)",
        ),
        (
            "corpusbot.toml",
            "tantivy_above = 5000",
            "tantivy_above = 5000\nbogus_key = 1",
            "search.bogus_key: unknown key in corpusbot.toml",
        ),
        (
            "corpusbot.toml",
            "grace_minutes",
            "grace_minuets",
            "digest.grace_minuets: unknown key in corpusbot.toml "
            "(did you mean digest.grace_minutes?)",
        ),
        (
            "corpusbot.toml",
            'time = "09:00"',
            'time = "09:00"\ntopci = "数据"',
            "digest.targets[0].topci: unknown key in corpusbot.toml (did you mean "
            "digest.targets[0].topic?)",
        ),
        (
            "normalise.toml",
            "tail_markers",
            "tail_marker",
            "boilerplate.tail_marker: unknown key in normalise.toml (did you mean "
            "boilerplate.tail_markers?)",
        ),
        (
            "speakers.toml",
            "[speakers]",
            "[speaker]",
            "speaker: unknown table in speakers.toml (did you mean speakers?)",
        ),
        (
            "corpusbot.toml",
            "results = 3",
            'results = "3"',
            "search.results: must be a whole number",
        ),
        ("corpusbot.toml", 'engine = "auto"', "engine = 1", "search.engine: must be a string"),
        (
            "corpusbot.toml",
            "results = 3",
            "results = 12",
            "search.results: must be at most 10 (a Discord message shows 10 results)",
        ),
    ],
)
def test_unknown_and_mistyped_settings_are_named(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    config = make_config(tmp_path)
    target = config.with_name(file)
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value) == f"config error: {message}"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            lambda text: text.replace("results = 3", "results = 12", 1),
            "config error: search.results: must be at most 10 (a Discord message shows 10 results)",
        ),
        (lambda text: text + "\nbad = = 1\n", "config error: {path} is not valid TOML ("),
        (lambda text: "\ufeff[search]".encode("utf-16"), "config error: {path} is not UTF-8 text"),
    ],
)
def test_a_config_error_names_its_key_once_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content, expected: str
) -> None:
    """It used to read "error: config error: config: …": two prefixes and a key
    ("config") that named nothing; a settings file that is not UTF-8 was a traceback."""
    config = make_config(tmp_path)
    changed = content(config.read_text(encoding="utf-8"))
    if isinstance(changed, bytes):
        config.write_bytes(changed)
    else:
        config.write_text(changed, encoding="utf-8")
    assert cli_main(["ask", "/quote 数据墙", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected.format(path=config)), err
    assert err.count("config error") == 1 and "config: " not in err and "Traceback" not in err


@pytest.mark.parametrize(
    "key",
    [
        "corpus.raw_dir",
        "corpus.articles_dir",
        "search.index_dir",
        "digest.ledger",
        "digest.targets[0].name",
        "digest.targets[0].channel",
    ],
)
def test_an_empty_path_or_name_is_named_not_taken_for_the_config_folder(
    tmp_path: Path, key: str
) -> None:
    """``index_dir = ""`` used to resolve to the config folder itself, so the index was
    written among the settings files; an empty channel failed only at the first post."""
    config = make_config(tmp_path)
    leaf = key.rsplit(".", 1)[1]
    text = config.read_text(encoding="utf-8")
    blanked = re.sub(rf'^{leaf} = "[^"]*"', f'{leaf} = " "', text, count=1, flags=re.M)
    assert blanked != text
    config.write_text(blanked, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value) == f"config error: {key}: must not be empty"
    assert sorted(p.name for p in config.parent.iterdir() if p.is_dir()) == []


def test_every_setting_in_the_shipped_files_is_read(tmp_path: Path) -> None:
    load_settings(packaged.demo_config())
    deploy = tmp_path / "deploy"
    init_deployment(deploy)
    load_settings(deploy / "config" / "corpusbot.toml")


def test_a_skipped_file_is_reported_once(tmp_path: Path) -> None:
    deploy = tmp_path / "deploy"
    init_deployment(deploy)
    shutil.copy(DATA / "lunyu_xueer.txt", deploy / "corpus")
    (deploy / "corpus" / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 40)
    out = run("ingest", config=deploy / "config" / "corpusbot.toml")
    assert out.returncode == 1
    both = out.stdout + out.stderr
    assert both.count("broken.txt") == 1, both
    assert "ERROR" in out.stdout and out.stdout.strip().endswith("1 files skipped")


def test_init_makes_a_deployment_and_never_overwrites(tmp_path: Path) -> None:
    deploy = tmp_path / "mybot"

    def init() -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "bot", "init", str(deploy)]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)

    out = init()
    assert out.returncode == 0, out.stderr
    assert "1. Copy your .txt or .md files" in out.stdout and f"cd {deploy} &&" in out.stdout
    assert sorted(p.name for p in deploy.iterdir()) == ["articles", "config", "corpus", "var"]
    settings = load_settings(deploy / "config" / "corpusbot.toml")
    assert settings.corpus.raw_dir == deploy / "corpus"
    assert settings.search.index_dir == deploy / "var" / "index"
    assert settings.corpus.user_words == () and settings.corpus.speakers == {}
    demo = load_settings(packaged.demo_config()).corpus
    assert settings.corpus.boilerplate_lines == demo.boilerplate_lines  # the shipped rules
    assert "#" in (deploy / "config" / "corpusbot.toml").read_text(encoding="utf-8")
    before_ingest = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "/quote 学而"],
        cwd=deploy,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert before_ingest.returncode == 2
    assert f"Put .txt or .md files into {deploy / 'corpus'} and run `python -m bot ingest`" in (
        before_ingest.stderr
    )
    (deploy / "config" / "speakers.toml").write_text('[speakers]\n"A" = []\n', encoding="utf-8")
    again = init()
    assert again.returncode == 2 and "is not empty (it holds articles, config" in again.stderr
    assert '"A" = []' in (deploy / "config" / "speakers.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("saved", ["jieba.dict", "passages/tokens.json", "manifest.json"])
def test_an_index_file_that_is_not_what_a_build_wrote_is_rebuilt(
    tmp_path: Path,
    saved: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A saved file cut short or overwritten (here with bytes that are not UTF-8) used
    to end `ask` in a traceback; the index is rebuilt once, with a warning."""
    config = make_config(tmp_path, {'engine = "auto"': 'engine = "rank-bm25"'})
    ask = ["ask", "/quote 数据墙", "--config", str(config)]
    assert cli_main(ask) == 0
    first = capsys.readouterr().out
    damaged = tmp_path / "var" / "index" / "rank-bm25" / saved
    assert damaged.is_file()
    damaged.write_bytes(b"\xff\xfe\x00 not what a build wrote " * 20)
    assert cli_main(ask) == 0
    assert capsys.readouterr().out == first
    assert any("unreadable" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")


@pytest.mark.parametrize(
    "damage", [b"\xff\xfe damaged", b"[]", b'{"keys": [1], "articles": [], "docs": 5}', b""]
)
def test_damaged_timeline_tokens_are_rebuilt_at_the_first_timeline(
    tmp_path: Path, damage: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    """rank-bm25's timeline tokens are read at the first /timeline, after the open's
    rebuild-once: damaged there (cut short, overwritten, valid JSON of another shape),
    they are rebuilt from the articles with a warning, as they were built, and every
    /timeline answers (each was an internal error)."""
    config = make_config(tmp_path, {'engine = "auto"': 'engine = "rank-bm25"'})
    ask = ["ask", "/timeline Scale AI", "--config", str(config)]
    assert cli_main(ask) == 0
    events = tmp_path / "var" / "index" / "rank-bm25" / "events" / "tokens.json"
    built = events.read_bytes()
    events.write_bytes(damage)
    assert cli_main(ask) == 0
    assert any("events index" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert events.read_bytes() == built


def test_a_failure_on_our_side_is_one_answer_and_a_log_line_and_the_console_goes_on(
    tmp_path: Path,
) -> None:
    """The timeline's saved tokens (read at the first /timeline) unusable and impossible
    to rebuild (a folder where the file should be): that answer is the internal-error
    message and one ERROR line, not a traceback that ends the console or the rest of
    `ask`'s texts."""
    config = make_config(tmp_path, {'engine = "auto"': 'engine = "rank-bm25"'})
    assert run("ask", "/quote 数据墙", config=config).returncode == 0
    events = tmp_path / "var" / "index" / "rank-bm25" / "events" / "tokens.json"
    events.unlink()
    (events / "in-the-way").mkdir(parents=True)
    console = run(config=config, stdin="/timeline Scale AI\n/quote 数据墙\nquit\n")
    asked = run("ask", "/timeline Scale AI", "/quote 数据墙", config=config)
    assert (console.returncode, asked.returncode) == (0, 1)
    for out in (console, asked):
        assert messages.INTERNAL_ERROR in out.stdout and "**数据墙**" in out.stdout
        assert "Traceback" not in out.stderr
        assert "ERROR adapters.console: answering '/timeline Scale AI' failed" in out.stderr


def test_ingest_names_a_raw_folder_that_is_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    config = make_config(tmp_path, {'raw_dir = "../seeds/raw"': f'raw_dir = "{missing}"'})
    assert cli_main(["ingest", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert f"config error: corpus.raw_dir: folder not found: {missing}" in err


def test_a_deployment_config_without_corpus_paths_reads_the_init_layout(tmp_path: Path) -> None:
    """corpus.raw_dir and corpus.articles_dir default to the folders `init` makes (they
    defaulted to ../seeds/raw, which no deployment has): a folder made by init whose
    config lost those lines still ingests and answers."""
    deploy = tmp_path / "mybot"
    command = [sys.executable, "-m", "bot", "init", str(deploy)]
    made = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    config = deploy / "config" / "corpusbot.toml"
    lines = config.read_text(encoding="utf-8").splitlines()
    config.write_text(
        "\n".join(x for x in lines if not x.startswith(("raw_dir", "articles_dir"))),
        encoding="utf-8",
    )
    settings = load_settings(config)
    assert settings.corpus.raw_dir == deploy / "corpus"
    assert settings.corpus.articles_dir == deploy / "articles"
    shutil.copy(DATA / "lunyu_xueer.txt", deploy / "corpus")
    ingest = run("ingest", config=config)
    assert ingest.returncode == 0 and "1 articles ingested" in ingest.stdout, ingest.stderr
    asked = run("ask", "/quote 學而時習之", config=config)
    assert asked.returncode == 0 and "學而時習之" in asked.stdout.replace("**", "")


def test_init_is_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A disk that fills up at the third file used to leave a half-made deployment (and
    the folders above it) that the next `init` refused; now nothing is left, and the
    message names the file. A folder with anything in it is refused; an empty one is used."""
    deploy = tmp_path / "new" / "deeper" / "mybot"
    write_text = Path.write_text

    def disk_full(path: Path, *args, **kwargs) -> int:
        if path.name == "articles.toml":
            write_text(path, "half", encoding="utf-8")
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return write_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", disk_full)
    assert cli_main(["init", str(deploy)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot create a deployment in {deploy}: No space left")
    assert "articles.toml; nothing was left behind" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()

    stray = tmp_path / "used" / "notes.txt"
    stray.parent.mkdir()
    stray.write_text("mine", encoding="utf-8")
    assert cli_main(["init", str(stray.parent)]) == 2
    assert "is not empty (it holds notes.txt)" in capsys.readouterr().err
    assert [p.name for p in stray.parent.iterdir()] == ["notes.txt"]

    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli_main(["init", str(empty)]) == 0
    assert sorted(p.name for p in empty.iterdir()) == ["articles", "config", "corpus", "var"]


def test_a_dependency_missing_from_the_install_is_named_not_a_traceback(
    tmp_path: Path,
) -> None:
    """Code updated, install not: building the query lexicon needs lemminflect (read
    lazily), and a Python without it gets one line saying what to do."""
    config = make_config(
        tmp_path, {'articles_dir = "../seeds/articles"': f'articles_dir = "{tmp_path}/articles"'}
    )
    blocked = (
        "import sys; sys.modules['lemminflect'] = None; from bot.cli import main; "
        f"sys.exit(main(['ingest', '--config', {str(config)!r}]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", blocked], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert out.returncode == 2, out.stderr
    assert "'lemminflect' is not installed" in out.stderr
    assert "pip install -e ." in out.stderr and "Traceback" not in out.stderr


def test_run_with_no_token_and_no_terminal_says_why_it_stops(tmp_path: Path) -> None:
    """Under a service manager stdin is /dev/null: with no platform token the console
    ends at once, and the bot with it. An operator's drill found that silent (a token
    misspelt in the service's environment file looks exactly like this)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    out = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--config", str(make_config(tmp_path))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=120,
    )
    assert messages.CONSOLE_INPUT_ENDED in out.stderr
