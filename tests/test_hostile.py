"""Broken and malicious inputs: one located line, exit 1, no traceback, nothing written, nothing reached."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

HOSTILE = ROOT / "tests" / "hostile"
EXPECTED = dict(line.split("\t", 1) for line in (HOSTILE / "expected.tsv").read_text(encoding="utf-8").splitlines())
PWNED = Path("/tmp/aidreport-pwned")


def tree(folder: Path) -> dict[str, str]:
    """Hash every file under folder (following no links), to prove nothing was written."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath) / name
            if not path.is_symlink():
                out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _prepared(project: Path) -> dict[str, str]:
    """Give the project an earlier build's file; return the hashes of everything in it."""
    output = project / "output"
    (output / "zh" / "articles").mkdir(parents=True, exist_ok=True)
    (output / "zh" / "articles" / "earlier.pdf").write_bytes(b"%PDF-1.7 an earlier build\n%%EOF\n")
    return tree(project)


def _refused(project: Path, before: dict[str, str], result, expected: str) -> None:
    assert result.returncode == 1, result.stdout
    assert result.stderr.splitlines() == [expected, "1 problem; nothing written"]
    assert "Traceback" not in result.stderr + result.stdout
    assert tree(project) == before  # nothing written, in output/ or anywhere else in the project
    assert not PWNED.exists()


def attempt(project: Path, expected: str) -> None:
    before = _prepared(project)
    _refused(project, before, run_cli("-C", str(project), "build"), expected)


# `aidreport build` on each record of tests/hostile, in one interpreter that runs the command line's own
# entry point (generator.cli.main.run) once per project: the same code as `python -m generator`, started once.
BATCH = """
import contextlib, io, json, sys
from generator.cli.main import run
found = []
for project in json.loads(sys.stdin.read()):
    out, err, code = io.StringIO(), io.StringIO(), 0
    sys.argv = ["aidreport", "-C", project, "build"]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            run()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    found.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def hostile_builds(tmp_path_factory) -> dict[str, tuple[Path, dict[str, str], subprocess.CompletedProcess]]:
    """Each case's project (a copy of the project with the record as data/districts/xinqu.yaml), the hashes
    of its files before, and what `aidreport build` did there."""
    import shutil

    base = tmp_path_factory.mktemp("hostile")
    projects, befores = {}, {}
    for case in sorted(EXPECTED):
        project = base / case
        for name in ("data", "templates"):
            shutil.copytree(ROOT / name, project / name)
        (project / "data/districts/xinqu.yaml").write_bytes((HOSTILE / f"{case}.yaml").read_bytes())
        projects[case], befores[case] = project, _prepared(project)
    ran = subprocess.run([sys.executable, "-c", BATCH], input=json.dumps([str(p) for p in projects.values()]),
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert ran.returncode == 0, ran.stderr
    results = json.loads(ran.stdout.splitlines()[-1])
    return {case: (projects[case], befores[case], subprocess.CompletedProcess([], code, out, err))
            for case, (code, out, err) in zip(projects, results)}


def test_there_are_at_least_thirty_cases():
    cases = sorted(HOSTILE.glob("*.yaml"))
    assert len(cases) >= 30
    assert {c.stem for c in cases} == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_a_hostile_record(hostile_builds, case: str):
    project, before, result = hostile_builds[case]
    _refused(project, before, result, EXPECTED[case])


def test_a_fifty_megabyte_file(project_copy: Path):
    with open(project_copy / "data/districts/xinqu.yaml", "wb") as fh:
        fh.write(b"id: xinqu\nnote: '" + b"x" * (50 * 1024 * 1024) + b"'\n")
    attempt(project_copy, "data/districts/xinqu.yaml:1:1: error: file is 52,428,819 bytes, more than the "
                          "5,242,880 a record may have (hint: split it or remove what does not belong)")


def test_a_symbolic_link_out_of_the_project(project_copy: Path, tmp_path: Path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: xinqu\n", encoding="utf-8")
    (project_copy / "data/districts/xinqu.yaml").symlink_to(secret)
    attempt(project_copy, "data/districts/xinqu.yaml:1:1: error: data files may not be symbolic links or lie "
                          "outside data/ (hint: copy the file into data/)")


def test_an_image_through_a_link_out_of_data(project_copy: Path, tmp_path: Path):
    photos = project_copy / "data/photos"
    photos.mkdir()
    (tmp_path / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (photos / "view.png").symlink_to(tmp_path / "outside.png")
    record = (HOSTILE / "29-image-outside-data.yaml").read_text(encoding="utf-8")
    record = record.replace("image: ../../../etc/passwd", "image: view.png")
    (project_copy / "data/districts/xinqu.yaml").write_text(record, encoding="utf-8")
    attempt(project_copy, "data/districts/xinqu.yaml:20:12: error: image 'view.png' leads outside data/photos/ "
                          "(hint: put the picture in data/photos/ and name it relative to it)")


def test_a_character_no_embedded_font_has(project_copy: Path):
    record = (HOSTILE / "16-empty-text.yaml").read_text(encoding="utf-8")
    record = record.replace('headline: {zh: "", en: "Xinqu: a test"}', 'headline: {zh: 新区𓀀, en: "Xinqu: a test"}')
    (project_copy / "data/districts/xinqu.yaml").write_text(record, encoding="utf-8")
    attempt(project_copy, "data/districts/xinqu.yaml:3:16: error: character '𓀀' (U+13000) has no glyph in the "
                          "document fonts (hint: replace it or remove it)")
