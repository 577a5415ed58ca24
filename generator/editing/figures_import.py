"""Read a filled-in figures workbook (workbook.py) back: check every cell, then change the records.

Every cell is checked first and every problem is reported at once as `Sheet!D12: message (hint: …)`;
one bad cell and nothing is written. The new figures are then written into the records' text
(yamledit.py: only the changed values, so an untouched file keeps its bytes and a changed figure
changes only its own line), the changed records are checked in a copy of data/ with the full check,
and only when that passes are the files replaced.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError

from ..records.crossref import did_you_mean
from ..records.dataset import load_dataset
from ..errors import AidReportError
from ..records.lookups import Dataset
from ..records.models import Fact, year_as_text
from ..records.table import EVENTS, SERIES
from .workbook import (FORMAT, MARK_FORMAT, MARK_SERIES, MAX_ROWS, QUALIFIERS, README, columns_of,
                       number, sheets_of)
from .yamledit import Change, apply_changes, write_files

NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
EXPORT_HINT = "export the workbook with aidreport figures export and fill that one in"


class WorkbookError(AidReportError):
    """The workbook holds problems; every one is listed, each at its cell."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the workbook")

    def lines(self) -> list[str]:
        return list(self.problems)


@dataclass
class Report:
    """What an import did: the changes written, the rows read, the warnings of the check."""

    changes: list[Change]
    rows: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Sheet:
    """The rows of one sheet, read and checked."""

    title: str
    facts: dict[tuple[str, str], Fact]  # (record, fact id) -> the fact as the records hold it
    problems: list[str]
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    def problem(self, cell: str, message: str, hint: str) -> None:
        self.problems.append(f"{self.title}!{cell}: {message} (hint: {hint})")


def import_workbook(root: Path, path: Path) -> Report:
    """Check the workbook at path against the records under root, then write its changed figures."""
    ds = load_dataset(root)
    book = _open(path)
    _identify(book, path.name, ds)
    problems: list[str] = []
    sheets = sheets_of(ds)
    changes: list[Change] = []
    rows = 0
    for ws in book.worksheets:
        if ws.title == README:
            continue
        if ws.title not in sheets:
            hint = did_you_mean(ws.title, sheets, "keep the sheet names as exported")
            problems.append(f"{ws.title}!A1: sheet '{ws.title}' names no district of this project (hint: {hint})")
            continue
        sheet = _Sheet(ws.title, {(r, f.id): f for r, f in sheets[ws.title]}, problems)
        rows += _read_sheet(ws, sheet)
        changes += sheet.changes
    if problems:
        raise WorkbookError(problems)
    if not changes:
        return Report([], rows)
    files = apply_changes(root, ds, changes)
    checked = _check_in_copy(root, files)
    write_files(root, files)
    return Report(changes, rows, [d.format() for d in checked.notes if d.level == "warning"])


# What a workbook may unzip to before it is parsed (an exported one is a few hundred KB in a dozen files).
MAX_MEMBERS = 200
MAX_UNZIPPED = 64 * 2**20  # bytes, all files together, as declared and as really unzipped
MAX_RATIO = 200  # unzipped bytes per zipped byte, per file (an exported sheet is under 20)


def _open(path: Path) -> Any:
    """Open the workbook with openpyxl, after checking what it unzips to; its XML is parsed without entity
    expansion (defusedxml). Every refusal is one line naming the file and the limit."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    _bounded(path)
    try:
        return load_workbook(path)
    except (DefusedXmlException, ParseError, InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError,
            TypeError) as exc:
        xml = exc  # openpyxl says "could not read worksheets" (ValueError) and keeps the XML's error as the cause
        while xml is not None and not isinstance(xml, (DefusedXmlException, ParseError)):
            xml = xml.__cause__ or xml.__context__
        if xml is not None:
            said = str(xml).splitlines()[0] if str(xml) else ""
            raise WorkbookError([f"{path.name}: its XML is refused ({_short(said)}, {type(xml).__name__}) "
                                 f"(hint: {EXPORT_HINT})"]) from None
        raise WorkbookError([f"{path.name}: not an Excel workbook (.xlsx) ({type(exc).__name__}) "
                             f"(hint: {EXPORT_HINT})"]) from None


def _bounded(path: Path) -> None:
    """Refuse a workbook whose files are too many, or unzip (as declared, or really) to too much."""
    def refuse(what: str) -> WorkbookError:
        return WorkbookError([f"{path.name}: {what} (hint: {EXPORT_HINT})"])

    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
            if len(members) > MAX_MEMBERS:
                raise refuse(f"holds {len(members):,} files, more than the {MAX_MEMBERS} a workbook may have")
            declared = sum(m.file_size for m in members)
            if declared > MAX_UNZIPPED:
                raise refuse(f"unzips to {declared:,} bytes, more than the {MAX_UNZIPPED:,} a workbook may")
            total = 0
            for member in members:
                size = 0
                with book.open(member) as stream:  # really unzipped, in pieces: declared sizes can lie
                    while chunk := stream.read(2**20):
                        size += len(chunk)
                        total += len(chunk)
                        if total > MAX_UNZIPPED:
                            raise refuse(f"unzips to more than the {MAX_UNZIPPED:,} bytes a workbook may")
                if size > MAX_RATIO * max(member.compress_size, 1) and size > 2**20:
                    raise refuse(f"{member.filename} unzips {size // max(member.compress_size, 1):,} times larger "
                                 f"than it is zipped, more than the {MAX_RATIO} a workbook's file may")
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise refuse(f"not an Excel workbook (.xlsx) ({type(exc).__name__})") from None


def _identify(book: Any, name: str, ds: Dataset) -> None:
    """Refuse a workbook without the project's mark, from another project, or of another format."""
    series, version = (_mark(book, key) for key in (MARK_SERIES, MARK_FORMAT))
    if series is None or version is None:
        raise WorkbookError([f"{name}: not an aidreport figures workbook (it carries no project mark) "
                             f"(hint: {EXPORT_HINT})"])
    if series != ds.series.id:
        raise WorkbookError([f"{name}: the workbook is from another project (series '{series}'; this project "
                             f"is '{ds.series.id}') (hint: import it into the project it was exported from)"])
    if version != FORMAT:
        raise WorkbookError([f"{name}: workbook format '{version}' is not the format this aidreport reads "
                             f"('{FORMAT}') (hint: {EXPORT_HINT})"])


def _mark(book: Any, key: str) -> str | None:
    found = book.defined_names.get(key)
    text = getattr(found, "attr_text", None) or ""
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else None


def _read_sheet(ws: Any, sheet: _Sheet) -> int:
    """Check one sheet's cells, noting its problems and changes; return how many rows it holds."""
    for merged in sorted(ws.merged_cells.ranges, key=str):
        sheet.problem(merged.coord.split(":")[0], f"merged cells {merged.coord}",
                      "unmerge them: every cell holds its own value")
    where = _header(ws, sheet)
    if where is None:
        return 0
    if ws.max_row > MAX_ROWS + 1:
        sheet.problem(f"A{MAX_ROWS + 2}", f"the sheet has {ws.max_row} rows, more than {MAX_ROWS}",
                      "keep only the exported rows")
        return 0
    rows = 0
    for row in ws.iter_rows(min_row=2):
        cells = {name: row[index] for name, index in where.items() if index < len(row)}
        if all(cell.value is None for cell in row):
            continue
        rows += 1
        _read_row(cells, sheet)
    return rows


def _header(ws: Any, sheet: _Sheet) -> dict[str, int] | None:
    """Return the index of each column by its header, or None (noting the problem) when one is missing."""
    names = columns_of(sheet.title)
    found: dict[str, int] = {}
    unknown: list[Any] = []
    for index, cell in enumerate(next(ws.iter_rows(min_row=1, max_row=1), ())):
        if cell.value in names and cell.value not in found:
            found[cell.value] = index
        elif cell.value is not None:
            unknown.append(cell)
    missing = [name for name in names if name not in found]
    for name in missing:
        cell = unknown.pop(0) if unknown else None
        at = cell.coordinate if cell is not None else "A1"
        shown = f" (found {_short(cell.value)})" if cell is not None else ""
        sheet.problem(at, f"column '{name}' is missing or renamed{shown}",
                      "keep the header row as exported: " + ", ".join(names))
    return None if missing else found


def _read_row(cells: dict[str, Any], sheet: _Sheet) -> None:
    """Check one row: its fact, each editable cell, and the fact as a whole with the new values."""
    formulas = [c for c in cells.values() if c.data_type == "f"]
    for cell in formulas:
        sheet.problem(cell.coordinate, f"a formula ({_short(cell.value)}) where a plain value belongs",
                      "type the value itself")
    fact_cell = cells["fact"]
    record = cells["record"].value if "record" in cells else _record_of(sheet)
    key = (record, fact_cell.value)
    fact = sheet.facts.get(key)
    if fact is None:
        _unknown(cells, sheet, record)
        return
    if key in sheet.seen:
        sheet.problem(fact_cell.coordinate, f"fact '{fact.id}' appears twice (first in row {sheet.seen[key]})",
                      "keep one row per fact")
        return
    sheet.seen[key] = fact_cell.row
    if formulas:
        return
    new = {"value": _value(cells["value"], fact, sheet), "qualifier": _qualifier(cells["qualifier"], sheet),
           "period": _period(cells["period"], sheet)}
    if cells["unit"].value != fact.unit:
        sheet.problem(cells["unit"].coordinate, f"the unit is '{fact.unit}', not '{cells['unit'].value}'",
                      "the workbook does not change units; change the record itself")
    if any(v is _BAD for v in new.values()):
        return
    _whole(fact, new, cells, sheet)
    for name, value in new.items():
        if value != getattr(fact, name):
            sheet.changes.append(Change(record, fact.id, name, getattr(fact, name), value))


def _record_of(sheet: _Sheet) -> str:
    return next(iter(sheet.facts))[0] if sheet.facts else (SERIES if sheet.title == SERIES else sheet.title)


def _unknown(cells: dict[str, Any], sheet: _Sheet, record: Any) -> None:
    """Name what is wrong with a row whose fact is not known: no id, an unknown record, or an unknown id."""
    fact_cell = cells["fact"]
    records = {r for r, _ in sheet.facts}
    if sheet.title == EVENTS and record not in records:
        hint = did_you_mean(str(record), records, "keep the record ids as exported")
        sheet.problem(cells["record"].coordinate, f"unknown event '{record}'", hint)
    elif fact_cell.value is None:
        sheet.problem(fact_cell.coordinate, "the row has no fact id", "keep the fact ids as exported")
    else:
        known = {f for r, f in sheet.facts if r == record}
        hint = did_you_mean(str(fact_cell.value)[:80], known, "keep the fact ids as exported")
        sheet.problem(fact_cell.coordinate, f"unknown fact {_short(fact_cell.value)} in {record}", hint)


_BAD = object()  # a cell that failed its check


def _value(cell: Any, fact: Fact, sheet: _Sheet) -> Any:
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        if fact.measure is None:
            sheet.problem(cell.coordinate, f"the value is empty, but fact '{fact.id}' has no measure, so it cannot "
                          "be left as not reported", "type the figure")
            return _BAD
        return None
    if isinstance(value, str) and NUMBER.match(value.strip()):
        value = float(value.strip())
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        sheet.problem(cell.coordinate, f"{_short(value)} is text, not a number",
                      "type the plain number, without units, commas or Chinese numerals, e.g. 12345")
        return _BAD
    if not math.isfinite(value) or abs(value) > 1e15:
        sheet.problem(cell.coordinate, f"{value} is not a finite number below 10^15", "type the figure")
        return _BAD
    return float(value)


def _qualifier(cell: Any, sheet: _Sheet) -> Any:
    if cell.value in QUALIFIERS:
        return cell.value
    shown = "the qualifier is empty" if cell.value is None else f"unknown qualifier {_short(cell.value)}"
    sheet.problem(cell.coordinate, shown, "use one of " + ", ".join(QUALIFIERS))
    return _BAD


def _period(cell: Any, sheet: _Sheet) -> Any:
    value = year_as_text(cell.value)
    if isinstance(value, str):
        try:
            return Fact._period(value.strip())
        except ValueError as exc:
            reason = str(exc)
    else:
        reason = "the period is empty" if value is None else "the period is not text"
    sheet.problem(cell.coordinate, f"bad period {_short(cell.value)}", reason)
    return _BAD


def _whole(fact: Fact, new: dict[str, Any], cells: dict[str, Any], sheet: _Sheet) -> None:
    """Check the fact with its new values against the model (a negative count, a range turned round …)."""
    data = fact.model_dump(exclude_unset=True) | new
    if data["value"] is None:
        data.pop("value")
    try:
        Fact.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            sheet.problem(cells["value"].coordinate, err["msg"].removeprefix("Value error, "),
                          "check the figure against the source")


def _short(value: Any) -> str:
    """A value as a message quotes it: at most about 80 characters."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_in_copy(root: Path, files: dict[str, str]) -> Dataset:
    """Check the changed records with the full check in a copy of data/; raise DataError if any problem remains."""
    with tempfile.TemporaryDirectory(prefix="aidreport-figures-") as tmp:
        shutil.copytree(root / "data", Path(tmp) / "data", symlinks=True)
        for rel, text in files.items():
            (Path(tmp) / rel).write_text(text, encoding="utf-8")
        return load_dataset(Path(tmp))
