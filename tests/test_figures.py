"""The figures workbook: export, fill in, import; every bad cell named at its place, nothing written on error."""

from __future__ import annotations

import difflib
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, run_cli

from generator.records.dataset import load_dataset
from generator.errors import AidReportError, DataError
from generator.editing.figures_import import WorkbookError, import_workbook
from generator.editing.workbook import export_workbook

QUALIFIERS = "exact, about, more-than, at-least, up-to"
HEADER = "fact, counts (zh), counts (en), value, unit, qualifier, period, source, printed"
EXPORT_HINT = "export the workbook with aidreport figures export and fill that one in"


def _data(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> bytes:
    """The project's workbook, exported once (the same data gives the same bytes: a test below says so)."""
    book = tmp_path_factory.mktemp("exported") / "figures.xlsx"
    export_workbook(load_dataset(ROOT), book)
    return book.read_bytes()


@pytest.fixture
def project(project_copy: Path, exported: bytes) -> tuple[Path, Path, dict[str, bytes]]:
    """A copy of the project, its exported workbook, and the bytes of every data file before the import."""
    assert _data(project_copy) == _data(ROOT), "the copy holds the project's data"
    book = project_copy / "figures.xlsx"
    book.write_bytes(exported)
    return project_copy, book, _data(project_copy)


def _row(ws, fact: str) -> int:
    return next(c.row for c in ws["A"] if c.value == fact)


def _problems(root: Path, book: Path, before: dict[str, bytes]) -> list[str]:
    """Import a bad workbook: return its problems, after checking that no data file changed."""
    with pytest.raises(WorkbookError) as caught:
        import_workbook(root, book)
    assert _data(root) == before
    return caught.value.lines()


def _edit(book: Path, edit) -> None:
    wb = openpyxl.load_workbook(book)
    edit(wb)
    wb.save(book)


# Export ------------------------------------------------------------------------------------------

def test_the_workbook_has_a_readme_a_sheet_per_record_and_the_projects_mark(project):
    root, book, _ = project
    wb = openpyxl.load_workbook(book)
    ds = load_dataset(root)
    assert wb.sheetnames == ["README", *ds.districts, "events", "series"]
    assert wb.defined_names["aidreport_series"].attr_text == f'"{ds.series.id}"'
    assert wb.defined_names["aidreport_format"].attr_text == '"1"'
    assert "How to fill in" in wb["README"]["A1"].value
    ws = wb["baoshan"]
    assert [c.value for c in ws[1]] == HEADER.split(", ")
    row = _row(ws, "baoshan-workers-local")
    assert [c.value for c in ws[row]] == ["baoshan-workers-local", "贫困劳动力就地就近就业",
                                          "poor workers employed near home", 11281, "people", "exact", "2019",
                                          "宝山区 ¶5", "11281名"]
    assert isinstance(ws[f"D{row}"].value, int)
    assert len(list(ws.iter_rows(min_row=2))) == len(ds.facts("baoshan"))
    assert [c.value for c in wb["series"]["A"][1:]] == [f.id for f in ds.series.facts]


def test_only_value_qualifier_and_period_are_unlocked_and_they_have_their_rules(project):
    _, book, _ = project
    ws = openpyxl.load_workbook(book)["baoshan"]
    assert ws.protection.sheet and not ws.protection.password
    unlocked = {c.column_letter for row in ws.iter_rows() for c in row if not c.protection.locked}
    assert unlocked == {"D", "F", "G"}
    assert all(ws[f"{col}1"].protection.locked for col in "DFG")  # the header is locked too
    rules = {str(v.sqref).split(":")[0]: v for v in ws.data_validations.dataValidation}
    assert rules["F2"].type == "list" and rules["F2"].formula1 == '"exact,about,more-than,at-least,up-to"'
    assert rules["E2"].type == "list" and "person-times" in rules["E2"].formula1
    assert rules["D2"].type == "decimal" and rules["D2"].allow_blank


def test_the_same_data_gives_the_same_bytes(project, tmp_path):
    root, book, _ = project
    again = tmp_path / "again.xlsx"
    export_workbook(load_dataset(root), again)
    assert again.read_bytes() == book.read_bytes()


def test_a_district_gets_only_its_own_sheet(project, tmp_path):
    root, _, _ = project
    result = run_cli("-C", str(root), "figures", "export", "--district", "jinshan", str(tmp_path / "j.xlsx"))
    assert result.returncode == 0, result.stderr
    assert openpyxl.load_workbook(tmp_path / "j.xlsx").sheetnames == ["README", "jinshan"]
    with pytest.raises(AidReportError, match=r"unknown district 'jinshna' \(hint: did you mean 'jinshan'"):
        export_workbook(load_dataset(root), tmp_path / "x.xlsx", "jinshna")
    result = run_cli("-C", str(root), "figures", "export", str(tmp_path / "no-such-folder" / "f.xlsx"))
    assert result.returncode == 1 and "cannot write" in result.stderr and "Traceback" not in result.stderr


# Import: the round trip --------------------------------------------------------------------------

def test_one_changed_cell_changes_one_line_of_one_record(project):
    root, book, before = project
    _edit(book, lambda wb: wb["baoshan"].cell(_row(wb["baoshan"], "baoshan-workers-local"), 4, 12345))
    result = run_cli("-C", str(root), "figures", "import", str(book))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "baoshan  baoshan-workers-local.value  11281 → 12345"
    after = _data(root)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["data/districts/baoshan.yaml"]
    old, new = (d["data/districts/baoshan.yaml"].decode().splitlines() for d in (before, after))
    diff = [line for line in difflib.unified_diff(old, new, lineterm="", n=0) if line[:1] in "+-"][2:]
    assert diff == [next(f"-{line}" for line in old if "id: baoshan-workers-local," in line),
                    next(f"+{line}" for line in new if "id: baoshan-workers-local," in line)]
    assert "value: 12345, unit: people" in diff[1]
    assert load_dataset(root).facts("baoshan")["baoshan-workers-local"].value == 12345


def test_an_unchanged_workbook_changes_nothing(project):
    root, book, before = project
    result = run_cli("-C", str(root), "figures", "import", str(book))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "nothing changed: the workbook's 85 figures match the records\n"
    assert _data(root) == before


def test_qualifier_and_period_keep_the_files_quoting(project):
    root, book, before = project

    def edit(wb):
        ws = wb["baoshan"]
        row = _row(ws, "baoshan-fairs")  # period: "2019" (quoted), qualifier: exact
        ws[f"F{row}"], ws[f"G{row}"] = "more-than", 2018  # a year typed as a number is the period "2018"
        ws = wb["series"]
        ws[f"D{_row(ws, 'series-days')}"] = 5.0  # a block-style fact; 5.0 is written 5
    _edit(book, edit)
    report = import_workbook(root, book)
    assert [(c.fact, c.field, c.new) for c in report.changes] == [
        ("baoshan-fairs", "qualifier", "more-than"), ("baoshan-fairs", "period", "2018"),
        ("series-days", "value", 5.0)]
    text = (root / "data/districts/baoshan.yaml").read_text(encoding="utf-8")
    assert 'unit: events, qualifier: more-than, period: "2018", period_inferred: true, src: 宝山区 ¶3' in text
    assert "    value: 5\n    unit: items\n    classifier: 天" in (root / "data/series.yaml").read_text("utf-8")


# Import: bad workbooks, each with its message, and nothing written -------------------------------

def _cell(sheet: str, fact: str, column: str, value):
    def edit(wb):
        wb[sheet][f"{column}{_row(wb[sheet], fact)}"] = value
    return edit


BAD_CELLS = [
    ("unknown-fact", "baoshan-workers-local", "A", "baoshan-workers-locl",
     "baoshan!A{row}: unknown fact 'baoshan-workers-locl' in baoshan (hint: did you mean 'baoshan-workers-local'? "
     "otherwise keep the fact ids as exported)"),
    ("text-for-number", "baoshan-workers-local", "D", "约1.1万",
     "baoshan!D{row}: '约1.1万' is text, not a number (hint: type the plain number, without units, commas or "
     "Chinese numerals, e.g. 12345)"),
    ("formula", "baoshan-workers-local", "D", "=D2*2",
     "baoshan!D{row}: a formula ('=D2*2') where a plain value belongs (hint: type the value itself)"),
    ("unknown-qualifier", "baoshan-workers-local", "F", "roughly",
     f"baoshan!F{{row}}: unknown qualifier 'roughly' (hint: use one of {QUALIFIERS})"),
    ("period-with-nian", "baoshan-workers-local", "G", "2019年",
     "baoshan!G{row}: bad period '2019年' (hint: write the year as 2019, without 年)"),
    ("bad-period", "baoshan-workers-local", "G", "last year",
     "baoshan!G{row}: bad period 'last year' (hint: period must be a year (2019), a half-year (2018H2), "
     "'since' (2018/), 'by:YYYY-MM', or one of current, cumulative, annual, half-yearly)"),
    ("empty-value-without-measure", "luoping-firms", "D", None,
     "baoshan!D{row}: the value is empty, but fact 'luoping-firms' has no measure, so it cannot be left as not "
     "reported (hint: type the figure)"),
    ("negative-count", "baoshan-workers-local", "D", -3,
     "baoshan!D{row}: a count or amount cannot be negative (-3) (hint: check the figure against the source)"),
    ("changed-unit", "baoshan-workers-local", "E", "person-times",
     "baoshan!E{row}: the unit is 'people', not 'person-times' (hint: the workbook does not change units; change "
     "the record itself)"),
]


@pytest.mark.parametrize("fact, column, value, expected", [case[1:] for case in BAD_CELLS],
                         ids=[case[0] for case in BAD_CELLS])
def test_a_bad_cell_is_named_with_its_fix(project, fact, column, value, expected):
    root, book, before = project
    row = _row(openpyxl.load_workbook(book)["baoshan"], fact)
    _edit(book, _cell("baoshan", fact, column, value))
    assert _problems(root, book, before) == [expected.format(row=row)]


def test_a_repeated_row_is_refused(project):
    root, book, before = project

    def edit(wb):
        ws = wb["baoshan"]
        ws.append([c.value for c in ws[_row(ws, "baoshan-workers-local")]])  # the row again, at the end
    _edit(book, edit)
    ws = openpyxl.load_workbook(book)["baoshan"]
    row, later = _row(ws, "baoshan-workers-local"), ws.max_row
    assert _problems(root, book, before) == [
        f"baoshan!A{later}: fact 'baoshan-workers-local' appears twice (first in row {row}) "
        "(hint: keep one row per fact)"]


def test_merged_cells_are_refused(project):
    root, book, before = project
    _edit(book, lambda wb: wb["jinshan"].merge_cells("H3:I3"))
    assert _problems(root, book, before) == [
        "jinshan!H3: merged cells H3:I3 (hint: unmerge them: every cell holds its own value)"]


def test_a_renamed_header_is_refused(project):
    root, book, before = project
    _edit(book, lambda wb: wb["minhang"].cell(1, 7, "Period (year)"))
    assert _problems(root, book, before) == [
        f"minhang!G1: column 'period' is missing or renamed (found 'Period (year)') (hint: keep the header row as "
        f"exported: {HEADER})"]


def test_a_sheet_naming_no_district_is_refused(project):
    root, book, before = project
    _edit(book, lambda wb: setattr(wb["minhang"], "title", "minhnag"))
    assert _problems(root, book, before) == [
        "minhnag!A1: sheet 'minhnag' names no district of this project (hint: did you mean 'minhang'? otherwise "
        "keep the sheet names as exported)"]


@pytest.mark.parametrize("mark, value, expected", [
    ("aidreport_series", "rural-revival-2021", "figures.xlsx: the workbook is from another project (series "
     "'rural-revival-2021'; this project is 'paired-assistance-2019') (hint: import it into the project it was "
     "exported from)"),
    ("aidreport_format", "2", "figures.xlsx: workbook format '2' is not the format this aidreport reads ('1') "
     f"(hint: {EXPORT_HINT})"),
], ids=["another-project", "another-format"])
def test_a_workbook_from_another_project_or_format_is_refused(project, mark, value, expected):
    root, book, before = project

    def edit(wb):
        wb.defined_names[mark].attr_text = f'"{value}"'
    _edit(book, edit)
    assert _problems(root, book, before) == [expected]


def test_a_spreadsheet_that_is_no_figures_workbook_is_refused(project):
    root, _, before = project
    other = root / "budget.xlsx"
    openpyxl.Workbook().save(other)
    assert _problems(root, other, before) == [
        f"budget.xlsx: not an aidreport figures workbook (it carries no project mark) (hint: {EXPORT_HINT})"]
    other.write_text("fact,value\n", encoding="utf-8")
    assert _problems(root, other, before) == [
        f"budget.xlsx: not an Excel workbook (.xlsx) (BadZipFile) (hint: {EXPORT_HINT})"]


def test_every_bad_cell_is_reported_at_once_on_the_command_line(project):
    root, book, before = project

    def edit(wb):
        for _, fact, column, value, _ in BAD_CELLS[1:2] + BAD_CELLS[6:7]:  # text for a number; an empty value
            _cell("baoshan", fact, column, value)(wb)
        wb["jiading"]["F2"] = "approx"
    _edit(book, edit)
    result = run_cli("-C", str(root), "figures", "import", str(book))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and lines[-1] == "3 problems; nothing written", lines
    assert lines[2] == f"jiading!F2: unknown qualifier 'approx' (hint: use one of {QUALIFIERS})"
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert _data(root) == before


def test_a_figure_that_breaks_a_rule_is_refused_before_anything_is_written(project):
    root, book, before = project
    _edit(book, _cell("baoshan", "baoshan-villages-paired", "D", 600))
    with pytest.raises(DataError) as caught:
        import_workbook(root, book)
    assert _data(root) == before
    assert any(line.startswith("data/districts/baoshan.yaml:") and "error: part baoshan-villages-paired (600) is "
               "larger than its whole baoshan-deep-poverty-villages (579)" in line for line in caught.value.lines())


# Import: an event's own figure -------------------------------------------------------------------

def test_an_events_own_figure_is_on_the_events_sheet_and_comes_back(project_copy):
    path = project_copy / "data/events/baoshan-produce-fairs-2019.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("和区机关食堂\n", "和区机关食堂，共{fair-stalls}展位\n").replace(
        "the district government canteen\"", "the district government canteen, with {fair-stalls} stalls\"").replace(
        "  src: 宝山区 ¶3\nitems:", "  facts:\n    - {id: fair-stalls, value: 120, unit: items, qualifier: about, "
        "period: \"2019\", src: 宝山区 ¶3}\n  src: 宝山区 ¶3\nitems:")
    path.write_text(text, encoding="utf-8")
    book = project_copy / "figures.xlsx"
    export_workbook(load_dataset(project_copy), book)
    ws = openpyxl.load_workbook(book)["events"]
    assert [c.value for c in ws[2]][:8] == ["baoshan-produce-fairs-2019", "fair-stalls", None, None, 120, "items",
                                            "about", "2019"]
    _edit(book, lambda wb: wb["events"].cell(2, 5, 150))
    report = import_workbook(project_copy, book)
    assert [(c.record, c.fact, c.old, c.new) for c in report.changes] == [
        ("baoshan-produce-fairs-2019", "fair-stalls", 120, 150)]
    assert path.read_text(encoding="utf-8") == text.replace("value: 120,", "value: 150,")


# The in-place edit, over every fact of every record ----------------------------------------------

def test_every_fact_of_every_record_can_be_changed_on_its_own_lines_and_back(tmp_path):
    """Each fact's value, qualifier and period, changed: only the lines holding them differ (one line for a
    flow-style fact) and the text reads back as intended (edit_text checks it); changed back: the same bytes."""
    from generator.editing.workbook import sheets_of
    from generator.editing.yamledit import Change, edit_text, file_of

    ds = load_dataset(ROOT)
    edits = flow = 0
    for record, fact in [row for rows in sheets_of(ds).values() for row in rows]:
        rel = file_of(ds, record)
        original = (ROOT / rel).read_text(encoding="utf-8")
        new = {"value": (fact.value or 0) + 7.5, "qualifier": "up-to" if fact.qualifier != "up-to" else "exact",
               "period": "2016" if fact.period.isdigit() else "2017H1"}
        changed = edit_text(ROOT / rel, rel, [Change(record, fact.id, k, getattr(fact, k), v) for k, v in new.items()])
        pairs = list(zip(original.splitlines(), changed.splitlines()))
        assert len(pairs) == original.count("\n"), (rel, fact.id)
        differ = [a for a, b in pairs if a != b]
        one_line = f"{{id: {fact.id}," in original
        assert len(differ) == (1 if one_line else 3), (rel, fact.id, differ)
        assert all(line.strip().startswith(("- {id: " if one_line else ("value:", "qualifier:", "period:")))
                   for line in differ), (rel, fact.id, differ)
        copy = tmp_path / Path(rel).name
        copy.write_text(changed, encoding="utf-8")
        back = [Change(record, fact.id, k, v, getattr(fact, k)) for k, v in new.items()]
        assert edit_text(copy, rel, back) == original
        edits, flow = edits + 1, flow + one_line
    assert (edits, flow) == (85, 75)


def test_a_value_leaves_and_comes_back_in_the_facts_own_style(tmp_path):
    """An emptied value takes its key with it; a new value goes before the unit, flow or block style."""
    from generator.editing.yamledit import Change, edit_text

    text = ("facts:\n  - {id: a, measure: m, value: 12, unit: yuan, qualifier: exact, period: current, src: s}\n"
            "  - id: b  # block style\n    measure: m\n    value: 3.5\n    unit: mu\n    qualifier: about\n"
            "    period: \"2019\"\n    src: s\n")
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    emptied = edit_text(path, "r.yaml", [Change("r", "a", "value", 12.0, None), Change("r", "b", "value", 3.5, None)])
    assert emptied == text.replace("value: 12, ", "").replace("    value: 3.5\n", "")
    path.write_text(emptied, encoding="utf-8")
    assert edit_text(path, "r.yaml", [Change("r", "a", "value", None, 12.0), Change("r", "b", "value", None, 3.5)]) \
        == text
