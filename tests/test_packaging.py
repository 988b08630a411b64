"""The wheel as a new user gets it: built from this source, installed into a fresh
venv with no network, used from a folder outside the repository."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from tests.conftest import DATA, ROOT

RAW = DATA / "lunyu_xueer.txt"  # Analects, book 1 (public domain; see tests/data/README.md)


def _source_copy(target: Path) -> Path:
    """The files git tracks (what a clone has), so nothing local leaks into the wheel."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"{cmd}\n{out.stdout}\n{out.stderr}"
    return out


def test_wheel_installs_offline_and_serves_a_deployment_of_its_own(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CORPUSBOT_CONFIG", "PYTHONPATH")}
    env |= {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PIP_NO_INDEX": "1"}
    # Build the wheel with the setuptools already installed: no build isolation, no index.
    src = _source_copy(tmp_path / "src")
    dist = tmp_path / "dist"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(dist),
            str(src),
        ],
        tmp_path,
        env,
    )
    (wheel,) = dist.glob("corpusbot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "bot/data/config/corpusbot.toml",
        "bot/data/config/speakers.toml",
        "bot/data/config/normalise.toml",
        "bot/data/config/articles.toml",
        "bot/templates/corpusbot.toml",
        "bot/ingest/pipeline.py",
        "adapters/console.py",
        "bot/query/dictionary_words.txt.gz",  # what search forms consult
        "bot/query/chinese_wordnet.tab.gz",  # the wordnet relations, with its licence
        "bot/query/chinese_wordnet_LICENSE.txt",
    ):
        assert expected in names, expected
    for folder in ("seeds/raw", "seeds/articles"):
        shipped = {n.rsplit("/", 1)[1] for n in names if n.startswith(f"bot/data/{folder}/")}
        assert shipped == {p.name for p in (ROOT / folder).iterdir()}, folder
    # A fresh venv that sees the dependencies already installed here (no registry), and
    # the wheel installed into it by pip; the source tree is nowhere on its path.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = [p for p in {*site.getsitepackages(), sysconfig.get_path("purelib")} if Path(p).is_dir()]
    Path(purelib, "_installed_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-index",
            "--no-deps",
            str(wheel),
        ],
        tmp_path,
        env,
    )
    corpusbot = str(venv / "bin" / "corpusbot")
    where = _run([str(python), "-c", "import bot; print(bot.__file__)"], tmp_path, env)
    assert where.stdout.startswith(purelib), where.stdout

    # init, a raw file, ingest, ask: all from the deployment folder, no --config.
    init = _run([corpusbot, "init", "deploy"], tmp_path, env)
    assert "Next:" in init.stdout and "corpusbot ingest" in init.stdout
    deploy = tmp_path / "deploy"
    assert sorted(p.name for p in (deploy / "corpus").iterdir()) == []
    shutil.copy(RAW, deploy / "corpus" / RAW.name)
    ingest = _run([corpusbot, "ingest"], deploy, env)
    assert ingest.stdout.strip().endswith("1 articles ingested, 0 files skipped")
    assert f"config {deploy / 'config' / 'corpusbot.toml'} (found in ./config)" in ingest.stderr
    ask = _run([corpusbot, "ask", "--json", "/quote 有朋自遠方來"], deploy, env)
    answer = json.loads(ask.stdout)
    assert answer["command"] == "quote" and answer["results"], answer
    top = answer["results"][0]
    assert top["article_id"] == "lunyu_xueer" and "有朋自遠方來" in top["text"]
    assert (deploy / "var" / "index").is_dir() and (deploy / "articles").is_dir()

    # The bundled corpus as a demo, writing only under the user's cache.
    demo = _run([corpusbot, "--demo", "ask", "--json", "/whosaid 数据铸造厂"], tmp_path, env)
    assert json.loads(demo.stdout)["results"][0]["speaker"] == "Alexandr Wang"
    assert "the packaged demo" in demo.stderr and purelib in demo.stderr
    assert (tmp_path / "cache" / "corpusbot" / "demo" / "index").is_dir()
    refused = subprocess.run(
        [corpusbot, "--demo", "ingest"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert refused.returncode == 2 and "packaged demo is read-only" in refused.stderr
