"""`aidreport diff`, and issue 12's round trip: export, change one cell, import, build, diff.

The new figure (12,345 workers) is SYNTHETIC: it is written only into this test's copy of the project.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import openpyxl

from conftest import Built, run_cli, squash

HEAD = "record,fact,old_zh,new_zh,old_en,new_en,old_value,new_value,unit,documents\n"
ROW = ('baoshan,baoshan-workers-local,11281名（2019年）,12345名（2019年）,"11,281 (2019)","12,345 (2019)",11281,12345,'
       "people,articles/baoshan-minhang-jiading-jinshan briefs/baoshan press/district-baoshan")


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
    assert "baoshan-workers-local" in table.stdout and "11281名（2019年）" in table.stdout
    assert "11,281 (2019)" in table.stdout and "= 11281" in table.stdout
    assert table.stdout.endswith("1 figure changed\n")
    assert run_cli("-C", str(root), "diff", "--format", "csv").stdout == HEAD + ROW + "\n"
    html = run_cli("-C", str(root), "diff", "--format", "html").stdout
    assert ('<td class="old">11281名（2019年）<br>11,281 (2019)</td><td class="new">12345名（2019年）<br>12,345 (2019)</td>'
            '<td class="raw">11281 → 12345 people</td>') in html


def test_diff_words_figures_in_the_hundreds_of_millions_without_exponents(project_copy, built: Built):
    """5.9亿 → 6.2亿 (SYNTHETIC: written only into this test's copy) and a figure of 30 million, in every format."""
    root = project_copy
    shutil.copytree(built.output, root / "output")
    record = root / "data/districts/baoshan.yaml"
    text = record.read_text(encoding="utf-8")
    assert "value: 590000000, unit: yuan" in text
    record.write_text(text.replace("value: 590000000, unit: yuan", "value: 620000000, unit: yuan"), encoding="utf-8")
    outputs = {fmt: run_cli("-C", str(root), "diff", "--format", fmt) for fmt in ("table", "csv", "html")}
    for fmt, result in outputs.items():
        assert result.returncode == 0, result.stderr
        assert not re.search(r"\b\d+(\.\d+)?[eE][+-]?\d+\b", result.stdout), (fmt, result.stdout)
        for worded in ("5.9亿元（累计）", "6.2亿元（累计）", "590 million yuan (cumulative)", "620 million yuan (cumulative)"):
            assert worded in result.stdout, (fmt, worded)
    assert ",590000000,620000000,yuan," in outputs["csv"].stdout
    assert "590000000 → 620000000 yuan" in outputs["html"].stdout
    assert "= 590000000" in outputs["table"].stdout


def test_plain_numbers_are_never_in_exponent_form():
    from generator.editing.figdiff import plain

    assert [plain(v) for v in (3e7, 3.2e7, 5.9e8, 1e16, 12.5, 0.0001, 0.0, 11281)] == [
        "30000000", "32000000", "590000000", "10000000000000000", "12.5", "0.0001", "0", "11281"]


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
    assert rows == HEAD + ROW + "\n"
