"""The figures workbook: every fact of the records as one row of a spreadsheet, for editors to fill in.

`aidreport figures export` writes it (its sheets are the tidy frame of facts, records/table.py, written
by pandas; openpyxl locks them and adds the drop-down lists); `figures_import.py` reads it back
without pandas. A sheet per district (named by its id), one for
the events' own facts and one for the series'; a README sheet first says how to fill it in and
carries the project's mark (the series id and the format, as defined names) so that a workbook
from another project is recognised. Only the value, qualifier and period cells are unlocked.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, get_args

from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..records.crossref import did_you_mean
from ..errors import AidReportError
from ..records.lookups import Dataset
from ..records.models import UNITS, Fact, Qualifier
from ..records.table import EVENTS, SERIES, frame, owners, rows

if TYPE_CHECKING:
    import pandas

FORMAT = "1"
MARK_SERIES = "aidreport_series"  # defined names: the project's mark
MARK_FORMAT = "aidreport_format"
README = "README"
COLUMNS = ("fact", "counts (zh)", "counts (en)", "value", "unit", "qualifier", "period", "source", "printed")
EDITABLE = ("value", "qualifier", "period")
QUALIFIERS: tuple[str, ...] = get_args(Qualifier)
WIDTHS = {"record": 30, "fact": 34, "counts (zh)": 22, "counts (en)": 30, "value": 16, "unit": 14,
          "qualifier": 12, "period": 14, "source": 22, "printed": 30}
MAX_ROWS = 5000  # rows a sheet may hold, far above any record's facts
EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")
FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # every part of the file carries this time: same data, same bytes

# The README sheet: what an editor reads before filling the workbook in.
GUIDE = (
    "How to fill in this workbook",
    "",
    "Each sheet after this one holds the figures of one record: a district (the sheet is named by its id), "
    "the events (events) or the series (series). One row is one figure.",
    "Change only the yellow cells: value, qualifier and period. Every other cell is locked.",
    "value: the plain number, without units, commas or Chinese numerals (1.23亿 is 123000000). "
    "Leave it empty only where the figure was not reported; only a figure with a measure may be empty.",
    "qualifier: pick one from the list: exact, about (约), more-than (余/多), at-least (以上), up-to.",
    "period: a year (2019), a half-year (2018H2), since a year (2018/), by:2018-12, "
    "or one of current, cumulative, annual, half-yearly.",
    "Do not add, rename or delete sheets, rows or columns, do not merge cells and do not type formulas.",
    "counts (zh) and counts (en) say what the figure counts, from data/measures.yaml. "
    "They are blank where the figure has no measure: its fact id and the printed figure say what it is.",
    "source is the paragraph of the source the figure comes from, and printed the figure as the source "
    "printed it. When a new figure has a new source, say so to the editors: the workbook does not change them.",
    "Send the workbook back. The import checks every cell first and lists every problem as Sheet!D12 "
    "with a hint. It changes no record until every cell is right.",
)


def sheets_of(ds: Dataset) -> dict[str, list[tuple[str, Fact]]]:
    """Return the facts of each sheet, in record order, each with the id of the record that holds it."""
    sheets: dict[str, list[tuple[str, Fact]]] = {**{did: [] for did in ds.districts}, EVENTS: [], SERIES: []}
    for sheet, record, _path, facts in owners(ds):
        sheets[sheet] += [(record, fact) for fact in facts]
    return sheets


def columns_of(sheet: str) -> tuple[str, ...]:
    """Return the columns of a sheet: the events sheet also names each fact's record."""
    return ("record", *COLUMNS) if sheet == EVENTS else COLUMNS


def number(value: float | None) -> int | float | None:
    """Return a figure as a spreadsheet shows it: 11281, not 11281.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


def export_workbook(ds: Dataset, path: Path, district: str | None = None) -> list[str]:
    """Write the figures workbook to path (all sheets, or one district's); return the sheets written."""
    import pandas as pd

    names = [*ds.districts, EVENTS, SERIES]
    if district is not None:
        if district not in ds.districts:
            raise AidReportError(f"unknown district '{district}' (hint: "
                                 f"{did_you_mean(district, ds.districts, 'use the id of a district record')})")
        names = [district]
    facts = frame(rows(ds))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"": GUIDE}).to_excel(writer, sheet_name=README, index=False, header=False)
        sheets = {name: _sheet(ds, name, facts[facts["sheet"] == name]) for name in names}
        for name, sheet in sheets.items():
            sheet.to_excel(writer, sheet_name=name, index=False)
        book = writer.book
        _readme(book[README], ds.series.id)
        for name, sheet in sheets.items():
            _dress(book[name], name, len(sheet))
        book.defined_names[MARK_SERIES] = DefinedName(MARK_SERIES, attr_text=f'"{ds.series.id}"')
        book.defined_names[MARK_FORMAT] = DefinedName(MARK_FORMAT, attr_text=f'"{FORMAT}"')
    _write(path, _settled(buffer.getvalue()))
    return [README, *names]


def _sheet(ds: Dataset, sheet: str, facts: "pandas.DataFrame") -> "pandas.DataFrame":
    """Return one sheet's columns from its rows of the frame: what each figure counts, its value as a
    spreadsheet shows it (11281, not 11281.0), and empty cells where the records hold nothing."""
    labels = {lang: {mid: getattr(m.label, lang) for mid, m in ds.measures.items()} for lang in ("zh", "en")}
    sheet_frame = facts.rename(columns={"value": "raw"}).assign(**{
        "counts (zh)": facts["measure"].map(labels["zh"]), "counts (en)": facts["measure"].map(labels["en"]),
        "value": facts["value"].map(number)})
    shown = sheet_frame[list(columns_of(sheet))].astype(object)
    return shown.where(shown.notna(), None).reset_index(drop=True)


def _readme(ws: Worksheet, series: str) -> None:
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120
    ws.cell(row=len(GUIDE) + 2, column=1, value=f"aidreport figures workbook: series {series}, format {FORMAT}")
    ws.protection.sheet = True


def _dress(ws: Worksheet, sheet: str, rows: int) -> None:
    """Lock the sheet but for the editable cells; add the lists and the number rule; set widths."""
    names = columns_of(sheet)
    letters = {name: ws.cell(row=1, column=i).column_letter for i, name in enumerate(names, 1)}
    for name, letter in letters.items():
        ws.column_dimensions[letter].width = WIDTHS[name]
    ws.freeze_panes = "A2"
    for row in range(2, rows + 2):
        for name in EDITABLE:
            cell = ws[f"{letters[name]}{row}"]
            cell.protection = Protection(locked=False)
            cell.fill = EDIT_FILL
        ws[f"{letters['period']}{row}"].number_format = "@"  # text: 2019 stays the period "2019"
    ws.protection.sheet = True
    if rows:
        last = rows + 1
        for validation, name in ((_list(QUALIFIERS, "qualifier"), "qualifier"), (_list(tuple(UNITS), "unit"), "unit"),
                                 (_decimal(), "value")):
            validation.add(f"{letters[name]}2:{letters[name]}{last}")
            ws.add_data_validation(validation)


def _list(values: tuple[str, ...], name: str) -> DataValidation:
    return DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=False,
                          showErrorMessage=True, errorTitle=name, error="Pick a value from the list.")


def _decimal() -> DataValidation:
    return DataValidation(type="decimal", operator="between", formula1="-1000000000000000",
                          formula2="1000000000000000", allow_blank=True, showErrorMessage=True, errorTitle="value",
                          error="Type the plain number, without units or commas.")


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _settled(data: bytes) -> bytes:
    """Return the workbook with its clock times fixed, so the same data always gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _write(path: Path, data: bytes) -> None:
    """Write the file whole or not at all."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise AidReportError(f"cannot write {path}: {exc.strerror} (hint: choose a folder you can write to)") from None
