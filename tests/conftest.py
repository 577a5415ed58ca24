"""Shared fixtures: one real build of the project's data, read back by many tests."""

from __future__ import annotations

import atexit
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from warm import TIMEOUT, Warm, needs_new_interpreter

ROOT = Path(__file__).resolve().parent.parent
INSTALMENT = "baoshan-minhang-jiading-jinshan"

# `make test` runs what fits in its three minutes; `make test-all` (AIDREPORT_TEST_ALL=1) runs the heavy
# variants too. Property tests that take no max_examples of their own follow the hypothesis profile:
# "ci" in make test, "thorough" in make test-all (--hypothesis-profile=thorough).
TEST_ALL = os.environ.get("AIDREPORT_TEST_ALL") == "1"
settings.register_profile("ci", deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thorough", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("thorough" if TEST_ALL else "ci")
# A heavy variant of what a lighter test already checks in make test: run only by make test-all.
heavy = pytest.mark.skipif(not TEST_ALL, reason="a heavy variant: make test-all (AIDREPORT_TEST_ALL=1)")


# A suite started as a background job (`make test &` in a script) inherits SIGINT ignored, and so would every
# process it starts: the tests that press Ctrl-C need it to reach them, as it does in a terminal.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
WARM = Warm()
atexit.register(WARM.close)


@dataclass
class Built:
    """Paths of one build and the text read back from its documents."""

    output: Path

    def path(self, lang: str, ext: str, kind: str = "articles", name: str = INSTALMENT) -> Path:
        return self.output / lang / kind / f"{name}.{ext}"

    def pdf_text(self, lang: str) -> str:
        from pypdf import PdfReader

        reader = PdfReader(self.path(lang, "pdf"))
        return "\n".join(page.extract_text() for page in reader.pages)

    def pdf_text_of(self, lang: str, kind: str, name: str) -> str:
        from pypdf import PdfReader

        reader = PdfReader(self.path(lang, "pdf", kind, name))
        return "\n".join(page.extract_text() for page in reader.pages)

    def docx_text(self, lang: str) -> str:
        import docx

        document = docx.Document(str(self.path(lang, "docx")))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
        return "\n".join(parts)


def squash(text: str, lang: str) -> str:
    """Normalise extracted text for searching: Chinese loses all white space, English keeps single spaces."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    if lang == "zh":
        return re.sub(r"\s+", "", text)
    # A line may break after a hyphen or dash ("e-" / "commerce"): join it back.
    return re.sub(r"([-\u2013])\s+", r"\1", re.sub(r"\s+", " ", text))


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real command line in a process of its own, as a user would (env: variables to add).

    The process is forked from a warm interpreter (tests/warm.py), unless env sets what Python reads as it
    starts (the locale): then it is a new interpreter, `python -m generator`."""
    if needs_new_interpreter(env or {}):
        return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=TIMEOUT, env={**os.environ, **(env or {})})
    return WARM.run(list(args), cwd, {**os.environ, **(env or {})})


def _shared(tmp_path_factory) -> Path:
    """A folder the test processes of pytest -n share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _once(tmp_path_factory, name: str, make) -> Path:
    """Make output/ under a folder the test processes of pytest -n share, once for the whole run (make(out))."""
    shared = _shared(tmp_path_factory)
    out = shared / name / "output"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (shared / name / "failed").exists():
            pytest.fail((shared / name / "failed").read_text(encoding="utf-8"))
        if not (shared / name / "done").exists():
            make(out)
            (shared / name / "done").touch()
    return out


def _build(out: Path, *args: str) -> None:
    result = run_cli("build", *args, "--jobs", "2", "--output", str(out))
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session", autouse=True)
def _session_build_early(request, tmp_path_factory):
    """Start the session's build as the run starts, when a test of the run needs it: the test processes go on
    with the tests that do not (conftest orders them first) instead of one waiting for the build later."""
    if not any("built" in getattr(item, "fixturenames", ()) for item in request.session.items):
        yield
        return
    shared = _shared(tmp_path_factory)
    lock = open(shared / "built.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held until the build ends: `built` waits on it
    except BlockingIOError:  # the other test process is making it
        lock.close()
        yield
        return
    folder = shared / "built"
    if (folder / "done").exists():
        lock.close()
        yield
        return
    folder.mkdir(exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--jobs", "2", "--output",
                             str(folder / "output")], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)

    def finish() -> None:
        try:
            _, err = proc.communicate(timeout=TIMEOUT)
            (folder / ("done" if proc.returncode == 0 else "failed")).write_text(err, encoding="utf-8")
        finally:
            lock.close()

    waiter = threading.Thread(target=finish, daemon=True)
    waiter.start()
    yield
    # The build finishes even when this process's tests are done: another test process may be waiting for it
    # (a run of a few test files can end here first). Ctrl-C reaches the build too, and ends it.
    waiter.join()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    """The project's documents, built once for the whole run (the test processes of pytest -n share it)."""
    return Built(_once(tmp_path_factory, "built", _build))  # in parallel: tests compare it with one worker's


@pytest.fixture(scope="session")
def archive_build(built, tmp_path_factory) -> Path:
    """The session's build with `build --archive` run over a copy of it: its PDF/A copies added (make test-all)."""

    def make(out: Path) -> None:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(built.output, out)
        _build(out, "--archive", "--format", "pdf")

    return _once(tmp_path_factory, "archive-build", make)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project's data and templates that a test may break."""
    dest = tmp_path / "project"
    dest.mkdir()
    for name in ("data", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the modules that need the session's build last, so that no test process idles while it is made.

    Modules stay whole (their module-scoped fixtures are made once); otherwise the order is pytest's.
    """
    needs = {item.module for item in items if "built" in getattr(item, "fixturenames", ())}
    order = {id(item): i for i, item in enumerate(items)}
    items.sort(key=lambda item: (item.module in needs, order[id(item)]))

