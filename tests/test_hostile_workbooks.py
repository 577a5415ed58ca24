"""Hostile workbooks (issue 20): each is refused with one line, within a memory limit, and nothing is written.

Every workbook here is SYNTHETIC: the project's exported workbook with its zip or XML altered in one way.
`aidreport figures import` runs in a child process whose address space is limited (RLIMIT_AS, LIMIT_MB):
a workbook that unzipped or expanded without bound would be killed by it, not refused.
"""

from __future__ import annotations

import random
import resource
import string
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Callable

import pytest

from conftest import ROOT

from generator.records.dataset import load_dataset
from generator.editing.workbook import export_workbook

LIMIT_MB = 300  # an ordinary import runs in 250
HINT = "(hint: export the workbook with aidreport figures export and fill that one in)"
SHEET = "xl/worksheets/sheet2.xml"  # the first district's sheet
BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10))
        + ']>').replace("&lol0;", "&lol;")


def _rewrite(book: Path, out: Path, change: Callable[[str, bytes], bytes] = lambda name, data: data,
             extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out


def _padded(member: str, size: int):
    def change(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        head, _, tail = data.rpartition(b"</")
        return head + b" " * size + b"</" + tail
    return change


def _entity_bomb(name: str, data: bytes) -> bytes:
    if name != SHEET:
        return data
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    return BOMB.encode() + body.replace(b"<sheetData>", b"<sheetData>&lol9;", 1)


def _undefined_entity(name: str, data: bytes) -> bytes:
    return data.replace(b"<sheetData>", b"<sheetData>&nosuch;", 1) if name == SHEET else data


def _long_text(book: Path, out: Path) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb["baoshan"]
    row = next(c.row for c in ws["A"] if c.value == "baoshan-workers-local")
    rng = random.Random(20)
    ws[f"D{row}"] = "".join(rng.choices(string.ascii_letters, k=10_000_000))  # 10 MB that does not compress much
    wb.save(out)
    return out


CASES = {
    "a sheet padded to 100 MB": (lambda b, o: _rewrite(b, o, _padded(SHEET, 100 * 2**20)),
                                 r"unzips to 10\d,\d{3},\d{3} bytes, more than the 67,108,864 a workbook may"),
    "[Content_Types].xml padded to 100 MB": (lambda b, o: _rewrite(b, o, _padded("[Content_Types].xml", 100 * 2**20)),
                                             r"unzips to 10\d,\d{3},\d{3} bytes, more than the 67,108,864"),
    "300 files more": (lambda b, o: _rewrite(b, o, extra={f"xl/media/x{n}.bin": b"x" for n in range(300)}),
                       r"holds 3\d\d files, more than the 200 a workbook may have"),
    "a file 1,000 times smaller zipped": (lambda b, o: _rewrite(b, o, extra={"xl/media/pad.bin": b"\0" * 8 * 2**20}),
                                          r"xl/media/pad\.bin unzips [\d,]+ times larger than it is zipped, more "
                                          r"than the 200 a workbook's file may"),
    "an entity bomb": (lambda b, o: _rewrite(b, o, _entity_bomb), r"its XML is refused \(.*EntitiesForbidden\)"),
    "an undefined entity": (lambda b, o: _rewrite(b, o, _undefined_entity),
                            r"its XML is refused \('undefined entity: line \d+, column \d+', ParseError\)"),
    "10 MB of text in a figure's cell": (_long_text, r"baoshan!D\d+: '[A-Za-z]{70,76}\.\.\. is text, not a number"),
}


def _limited() -> None:
    limit = LIMIT_MB * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    book = tmp_path_factory.mktemp("workbooks") / "figures.xlsx"
    export_workbook(load_dataset(ROOT), book)
    return book


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_workbook_is_refused_in_one_line_within_the_memory_limit(project_copy: Path, exported: Path,
                                                                         tmp_path: Path, case: str):
    import re

    make, expected = CASES[case]
    book = make(exported, tmp_path / "hostile.xlsx")
    before = {p: p.read_bytes() for p in (project_copy / "data").rglob("*") if p.is_file()}
    result = subprocess.run([sys.executable, "-m", "generator", "-C", str(project_copy), "figures", "import",
                             str(book)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            preexec_fn=_limited)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])  # refused, not killed by the limit
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr[-2000:]
    assert len(lines[0]) < 300 and re.search(expected, lines[0]), lines
    assert lines[0].startswith(("hostile.xlsx: ", "baoshan!")) and (lines[0].endswith(HINT) or "baoshan!" in lines[0])
    assert {p: p.read_bytes() for p in (project_copy / "data").rglob("*") if p.is_file()} == before
