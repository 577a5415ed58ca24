"""`aidreport figures`: the figures as a workbook (export) and back into the records (import)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import AidReportError, DataError


def _fail(exc: AidReportError, closing: str) -> None:
    lines = exc.lines()
    for line in lines:
        click.echo(line, err=True)
    if closing:
        click.echo(f"{len(lines)} problem{'s' if len(lines) != 1 else ''}; {closing}", err=True)
    sys.exit(exc.exit_code)


@click.group()
def figures() -> None:
    """Edit the figures in a spreadsheet: export them to a workbook, import the filled-in workbook."""


@figures.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--district", metavar="ID", default=None, help="Export only this district's sheet (to send to it).")
@click.pass_context
def export(ctx: click.Context, file: Path, district: str | None) -> None:
    """Write every fact's figure to FILE.xlsx, a sheet per record; only value, qualifier and period are editable."""
    from ..records.dataset import load_dataset
    from ..editing.workbook import export_workbook

    try:
        sheets = export_workbook(load_dataset(ctx.obj["project"]), file, district)
    except DataError as exc:
        _fail(exc, "fix them before exporting (aidreport check)")
    except AidReportError as exc:
        _fail(exc, "")
    click.echo(f"wrote {file}: sheets {', '.join(sheets)}")


@figures.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_(ctx: click.Context, file: Path) -> None:
    """Check every cell of FILE.xlsx, then write the changed figures into the records, each in place."""
    from ..editing.figures_import import import_workbook

    try:
        report = import_workbook(ctx.obj["project"], file)
    except AidReportError as exc:
        _fail(exc, "nothing written")
    for change in report.changes:
        click.echo(f"{change.record}  {change.fact}.{change.field}  {_shown(change.old)} → {_shown(change.new)}")
    for warning in report.warnings:
        click.echo(warning)
    if report.changes:
        records = len({c.record for c in report.changes})
        click.echo(f"{len(report.changes)} change{'s' if len(report.changes) != 1 else ''} in {records} "
                   f"record{'s' if records != 1 else ''}")
    else:
        click.echo(f"nothing changed: the workbook's {report.rows} figures match the records")


def _shown(value: object) -> str:
    """A figure as the change line shows it: 12345, not 12345.0; an empty value as 'not reported'."""
    from ..editing.workbook import number

    if value is None:
        return "(not reported)"
    return str(number(value)) if isinstance(value, float) else str(value)
