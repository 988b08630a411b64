"""The benchmark's timed starts (the first query after ingest, start to answer) run in
a child that imports ``bot.bench``: it must import no more than ``python -m bot ask``,
or the rows time the benchmark's own imports. numpy, which an index on tantivy never
needs, cost about 0.1 s of every timed start at 100 MB (#14)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_importing_the_benchmark_does_not_import_numpy() -> None:
    code = "import sys, bot.bench; print('numpy' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "False"
