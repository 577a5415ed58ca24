"""`aidreport diff`, and issue 12's round trip: export, change one cell, import, build, diff.

The new figure (12,345 workers) is SYNTHETIC: it is written only into this test's copy of the project.
"""

from __future__ import annotations

import shutil
import subprocess

import openpyxl

from conftest import Built, run_cli, squash

ROW = ("baoshan,baoshan-workers-local,11281 people (2019),12345 people (2019),"
       "articles/baoshan-minhang-jiading-jinshan briefs/baoshan press/district-baoshan")


def _git(root, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def _repo(root) -> None:
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=test", "-c", "user.email=test@example.org", "add", "-A", "data")
    _git(root, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-qm", "records")


def test_diff_against_the_last_build(project_copy, built: Built):
    root = project_copy
    shutil.copytree(built.output, root / "output")
    same = run_cli("-C", str(root), "diff")
    assert same.returncode == 0 and same.stdout == "no figure differs from the last build\n"
    record = root / "data/districts/baoshan.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "workers-employed-locally, value: 11281", "workers-employed-locally, value: 12345"), encoding="utf-8")
    table = run_cli("-C", str(root), "diff")
    assert table.returncode == 0
    assert "baoshan-workers-local" in table.stdout and "11281 people (2019)" in table.stdout
    assert table.stdout.endswith("1 figure changed\n")
    assert run_cli("-C", str(root), "diff", "--format", "csv").stdout == "record,fact,old,new,documents\n" + ROW + "\n"
    html = run_cli("-C", str(root), "diff", "--format", "html").stdout
    assert '<td class="old">11281 people (2019)</td><td class="new">12345 people (2019)</td>' in html


def test_diff_without_a_baseline_is_one_line(project_copy):
    result = run_cli("-C", str(project_copy), "diff")
    assert result.returncode == 1
    assert result.stderr == "error: no build to compare with: run `aidreport build` first, or name a git revision\n"
    _repo(project_copy)
    result = run_cli("-C", str(project_copy), "diff", "nosuchrev")
    assert result.returncode == 1
    assert result.stderr == "error: cannot read the records at 'nosuchrev': fatal: not a valid object name: nosuchrev\n"


def test_export_one_cell_import_build_and_diff(project_copy, built: Built, tmp_path):
    """Issue 12, acceptance 1: one changed cell is one changed line, printed in zh and en, listed by diff."""
    from pypdf import PdfReader

    root = project_copy
    shutil.copytree(built.output, root / "output")
    _repo(root)
    book = tmp_path / "figures.xlsx"
    assert run_cli("-C", str(root), "figures", "export", str(book)).returncode == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["baoshan"]
    row = next(c.row for c in ws["A"] if c.value == "baoshan-workers-local")
    assert ws[f"D{row}"].value == 11281
    ws[f"D{row}"] = 12345
    wb.save(book)
    imported = run_cli("-C", str(root), "figures", "import", str(book))
    assert imported.returncode == 0, imported.stderr
    assert "baoshan  baoshan-workers-local.value  11281 → 12345" in imported.stdout

    assert _git(root, "diff", "--numstat") == "1\t1\tdata/districts/baoshan.yaml\n"
    changed = [line for line in _git(root, "diff", "-U0").splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert len(changed) == 2 and "value: 12345" in changed[1] and "value: 11281" in changed[0]

    built_now = run_cli("-C", str(root), "build", "--jobs", "2", "--only", "briefs/baoshan")
    assert built_now.returncode == 0, built_now.stderr
    for lang, figure in (("zh", "12345名"), ("en", "12,345")):
        text = "\n".join(p.extract_text() for p in PdfReader(root / f"output/{lang}/briefs/baoshan.pdf").pages)
        assert squash(figure, lang) in squash(text, lang)
    rows = run_cli("-C", str(root), "diff", "HEAD", "--format", "csv").stdout
    assert rows == "record,fact,old,new,documents\n" + ROW + "\n"
