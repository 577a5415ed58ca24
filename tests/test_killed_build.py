"""A build that dies takes its workers with it (issue 20): killed or stopped at any moment, it leaves no
process and no lock behind, and the next build gives the bytes of a clean build.

Each case starts `build --force` of releases (their PDFs, two workers) on the small corpus of
test_incremental_property.py, in a session of its own, and signals the build's first process only, as
a CI timeout or a closed terminal does. Then it waits for the session's process group to empty: the
timeout is one only a hang reaches.

Moments: "starting" (before the workers exist), "rendering" (a document is done, others are being
rendered) and "committing" (the last document is done: the build is moving files into place).
`make test` runs SIGKILL while rendering; `make test-all` SIGTERM, Ctrl-C, SIGHUP and every moment.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, TEST_ALL, run_cli
from test_incremental_property import make_corpus, outputs

# make test: the four district releases (a kill at any moment holds); make test-all: every release, so that
# a signal the build catches comes while it still runs.
ARGS = ["--only", "press/*" if TEST_ALL else "press/district-*", "--format", "pdf", "--jobs", "2"]
# What the command says on each signal it catches, and its exit status.
SAID = {signal.SIGINT: ("interrupted: ", 130), signal.SIGTERM: ("stopped by SIGTERM: ", 143),
        signal.SIGHUP: ("stopped by SIGHUP: ", 129)}
CASES = [(signal.SIGKILL, "rendering")]
HEAVY_CASES = [(signal.SIGTERM, "rendering"), (signal.SIGINT, "rendering"), (signal.SIGKILL, "starting"),
               (signal.SIGTERM, "starting"),
               (signal.SIGKILL, "committing"), (signal.SIGTERM, "committing"), (signal.SIGHUP, "rendering")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """The small corpus, and what a clean build of it gives."""
    root = make_corpus(tmp_path_factory.mktemp("killed") / "project")
    clean = root.parent / "clean"
    result = run_cli("-C", str(root), "build", "--force", *ARGS, "--output", str(clean))
    assert result.returncode == 0, result.stderr
    return root, outputs(clean)


def _wait_for(proc: subprocess.Popen, moment: str, documents: int) -> None:
    """Return at the moment: the build prints a line for each document it has rendered."""
    assert proc.stdout is not None
    if moment == "starting":
        time.sleep(0.2)
        return
    wanted = 1 if moment == "rendering" else documents
    seen = 0
    while seen < wanted:
        line = proc.stdout.readline()
        assert line or proc.poll() is None, "the build ended before the moment came"
        seen += line.startswith("rebuilt ")


def _group_ends(pgid: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    survivors = subprocess.run(["ps", "-o", "pid,stat,cmd", "-g", str(pgid)], capture_output=True, text=True).stdout
    os.killpg(pgid, signal.SIGKILL)
    pytest.fail(f"processes of the killed build still run after {timeout} s:\n{survivors}")


@pytest.mark.parametrize("sig, moment", CASES + (HEAVY_CASES if TEST_ALL else []),
                         ids=lambda v: v.name if isinstance(v, signal.Signals) else v)
def test_a_killed_build_leaves_no_process_and_no_lock(corpus, tmp_path: Path, sig: signal.Signals, moment: str):
    source, clean = corpus
    root = tmp_path / "project"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("output"))
    districts = len(list((root / "data/districts").glob("*.yaml")))
    documents = districts + len(list((root / "data/events").glob("*.yaml"))) + 1 if TEST_ALL else districts
    proc = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(root), "build", "--force", *ARGS],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    _wait_for(proc, moment, documents)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    _group_ends(proc.pid)  # the session's process group: the build's workers and their helpers

    finished_first = moment == "committing" and proc.returncode == 0  # the commit can be over before the signal
    if sig in SAID and moment != "starting" and not finished_first:  # before the command is there, it just ends
        start, status = SAID[sig]
        assert proc.returncode == status, err
        assert err.splitlines()[-1].startswith(start) and "Traceback" not in err, err
    output = root / "output"
    if (output / ".lock").exists():
        with open(output / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if anything still holds it
    again = run_cli("-C", str(root), "build", *ARGS)
    assert again.returncode == 0, again.stderr
    assert not (output / ".staging").exists()
    made = outputs(output)
    assert sorted(made) == sorted(clean)
    assert [rel for rel in sorted(clean) if made[rel] != clean[rel]] == []


def test_an_index_deleted_or_edited_is_made_again(corpus, tmp_path: Path):
    source, _ = corpus
    root = tmp_path / "project"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("output"))
    assert run_cli("-C", str(root), "build", "--format", "html", "--only", "press/series").returncode == 0
    index = root / "output/index.html"
    made = index.read_bytes()
    for spoil in (index.unlink, lambda: index.write_bytes(made + b"<!-- edited -->")):
        spoil()
        again = run_cli("-C", str(root), "build", "--format", "html", "--only", "press/series")
        assert again.stdout.strip().endswith("outputs up to date (index.html made again)"), again.stdout
        assert index.read_bytes() == made
