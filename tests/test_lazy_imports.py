"""What an editor runs most never imports pandas or matplotlib (about 0.3 s and 75 MB together).

Each command runs in a new interpreter that reports, as it exits, which of the heavy libraries it
imported. `check`, a build with nothing to do, an HTML build of the brief (its table and charts are made
in a process of their own) and `figures import` import neither; `figures export`, which writes its
sheets from the tidy frame, imports pandas, which shows the probe sees an import where there is one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Built

HEAVY = ("pandas", "matplotlib")
PROBE = """
import json, os, runpy, sys
sys.argv = ["aidreport", *sys.argv[1:]]
try:
    runpy.run_module("generator", run_name="__main__")
except SystemExit as done:
    code = done.code
else:
    code = 0
watched = json.loads(os.environ["PROBE_WATCH"])
sys.stderr.write("\\nPROBE " + json.dumps([code, sorted(m for m in watched if m in sys.modules)]) + "\\n")
"""


def _imported(*args: str, watch: tuple[str, ...] = HEAVY) -> tuple[int, list[str], str]:
    """Run the command in a new interpreter; return its exit code, which of the watched modules it imported,
    and what it printed."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PROBE_WATCH": json.dumps(watch)})
    line = next(line for line in done.stderr.splitlines() if line.startswith("PROBE "))
    code, heavy = json.loads(line.removeprefix("PROBE "))
    assert code in (0, None), done.stderr[-2000:]
    return code, heavy, done.stdout


@pytest.fixture
def output(project_copy: Path, built: Built, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(built.output, out)
    return out


def test_check_a_no_op_build_and_an_html_build_import_neither(project_copy: Path, output: Path):
    root = str(project_copy)
    assert _imported("-C", root, "check")[1] == []
    assert _imported("-C", root, "build", "--output", str(output))[1] == []
    html = _imported("-C", root, "build", "--force", "--format", "html", "--only", "briefs/comparison",
                     "--output", str(output))
    assert html[1] == []


def test_figures_import_needs_no_pandas_and_export_does(project_copy: Path, tmp_path: Path):
    book = tmp_path / "figures.xlsx"
    assert _imported("-C", str(project_copy), "figures", "export", str(book))[1] == ["pandas"]
    assert _imported("-C", str(project_copy), "figures", "import", str(book))[1] == []
