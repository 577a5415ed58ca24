"""The aidreport command: parse options, call one library function, print one line per problem."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import AidReportError


def _fail(exc: AidReportError) -> None:
    for line in exc.lines():
        click.echo(line, err=True)
    sys.exit(exc.exit_code)


def run() -> None:
    """Entry point: user errors and interruptions end with one line, bugs with a pointer to --debug."""
    import gc

    # A short-lived batch process: the cyclic collector only costs time here (memory is bounded by
    # the jobs, which run in their own processes).
    gc.disable()
    debug = "--debug" in sys.argv
    try:
        main(standalone_mode=False, prog_name="aidreport")
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("interrupted: the outputs already written are complete; the rest are as they were", err=True)
        sys.exit(130)
    except AidReportError as exc:
        _fail(exc)
    except Exception as exc:  # a bug, not the user's mistake
        if debug:
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback, and "
                   "report it)", err=True)
        sys.exit(70)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aidreport")
@click.option("--project", "-C", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Project folder holding data/ and templates/.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def main(ctx: click.Context, project: Path, debug: bool) -> None:
    """Build bilingual paired-assistance documents from the YAML records in data/."""
    ctx.obj = {"project": project, "debug": debug}


@main.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Check every data file and report all problems as path:line:col."""
    from .build import check_project

    try:
        dataset = check_project(ctx.obj["project"])
    except AidReportError as exc:
        _fail(exc)
    for note in sorted(dataset.notes, key=lambda d: d.location):
        click.echo(note.format())
    facts = sum(len(dataset.facts(d)) for d in dataset.districts)
    click.echo(f"ok: {len(dataset.districts)} districts, {len(dataset.events)} events, {facts} facts, "
               f"{len(dataset.places)} places, {len(dataset.terms)} terms; {len(dataset.notes)} notes on errata")


@main.command()
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: output/ in the project).")
@click.option("--format", "formats", multiple=True, type=click.Choice(["html", "pdf", "docx"]),
              help="Formats to build (default: all).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: the number of cores).")
@click.option("--force", is_flag=True, help="Rebuild every document, even those up to date.")
@click.option("--only", multiple=True, metavar="PATTERN",
              help="Build only these documents, e.g. articles/* or press/district-baoshan.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
@click.pass_context
def build(ctx: click.Context, output: Path | None, formats: tuple[str, ...], jobs: int | None, force: bool,
          only: tuple[str, ...], quiet: bool) -> None:
    """Build every out-of-date document (zh and en; PDF, DOCX, HTML) into output/."""
    from .build import FORMATS
    from .build import build as run_build
    from .fonts import warn_without_harfbuzz_subset

    warning = warn_without_harfbuzz_subset()
    if warning:
        click.secho(f"warning: {warning}", err=True, fg="yellow")
    try:
        with _progress() as advance:
            report = run_build(ctx.obj["project"], output, formats or FORMATS, jobs, force, advance, only)
    except AidReportError as exc:
        _fail(exc)
    if not quiet:
        for label, reasons in report.rebuilt:
            shown = reasons if len(reasons) <= 3 else reasons[:3] + [f"and {len(reasons) - 3} more"]
            click.echo(f"rebuilt {label}: {'; '.join(shown)}")
    if not report.rebuilt:
        click.echo(f"nothing to do: {report.up_to_date} outputs up to date")
    else:
        click.echo(f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
                   f"{report.up_to_date} up to date")


class _progress:
    """A progress bar of documents done, on a terminal only (CI logs stay clean)."""

    def __enter__(self):
        self.bar = None
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task("building", total=None)
        return self.advance

    def advance(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@main.command("reference-docx")
@click.pass_context
def reference_docx(ctx: click.Context) -> None:
    """Recreate templates/reference.docx, the Word styles of every DOCX (overwrites your restyling)."""
    from .reference import make_reference

    path = ctx.obj["project"] / "templates" / "reference.docx"
    make_reference(path)
    click.echo(f"wrote {path}")
