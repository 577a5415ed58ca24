"""The aidreport command: parse options, call one library function, print one line per problem."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import __version__
from .diff import diff
from .figures import figures
from .new import new
from .overrides import blocks, overrides
from .publish import publish
from .serve import serve
from ..errors import AidReportError, DataError, counted, warned
from ..processes import Stopped


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
    except Stopped as exc:
        click.echo(f"stopped by {exc.name}: the outputs already written are complete; the rest are as they were",
                   err=True)
        sys.exit(128 + exc.signum)
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
@click.option("--notes", is_flag=True, help="Also print the notes on the source's errata, each at its record.")
@click.pass_context
def check(ctx: click.Context, notes: bool) -> None:
    """Check every data file and report all problems as path:line:col."""
    from ..records.dataset import load_dataset as check_project
    from ..fonts.faces import missing_glyphs, source_coverage
    from ..build.overrides import check_overrides

    try:
        dataset = check_project(ctx.obj["project"])
        # What the build would refuse, check refuses: a character no document font can draw.
        glyphs = missing_glyphs(dataset.files, source_coverage())
        # An override of a block no document has; a stale one is a warning among the notes.
        glyphs += check_overrides(ctx.obj["project"], dataset)
        if glyphs:
            raise DataError(glyphs)
    except AidReportError as exc:
        lines = exc.lines()
        for line in lines:
            click.echo(line, err=True)
        warnings = sum(": warning: " in line for line in lines)
        click.echo(f"{counted(len(lines) - warnings, 'problem')}, {counted(warnings, 'warning')}", err=True)
        sys.exit(exc.exit_code)
    errata = [d for d in dataset.notes if d.level == "note"]
    warnings = [d for d in dataset.notes if d.level == "warning"]
    for found in sorted(dataset.notes, key=lambda d: d.location):
        if notes or found.level == "warning":
            click.echo(found.format())
    facts = sum(len(dataset.facts(d)) for d in dataset.districts)
    shown = "" if notes or not errata else " (check --notes shows them)"
    click.echo(f"ok: {len(dataset.districts)} districts, {len(dataset.events)} events, {facts} facts, "
               f"{len(dataset.places)} places, {len(dataset.terms)} terms; {len(errata)} notes on errata{shown}")
    click.echo(f"0 problems, {counted(len(warnings), 'warning')}")


@main.command()
@click.pass_context
def schema(ctx: click.Context) -> None:
    """Write schemas/*.schema.json and docs/records.md from the record models."""
    from ..records.schema import write_schemas

    from ..records.fieldref import write_reference

    changed = write_schemas(ctx.obj["project"])
    if write_reference(ctx.obj["project"]):
        changed.append(ctx.obj["project"] / "docs" / "records.md")
    for path in changed:
        click.echo(f"wrote {path.relative_to(ctx.obj['project'])}")
    if not changed:
        click.echo("schemas and docs/records.md up to date")


@main.command()
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: output/ in the project).")
@click.option("--format", "formats", multiple=True, type=click.Choice(["html", "pdf", "docx", "wechat"]),
              help="Formats to build (default: all).")
@click.option("--archive", is_flag=True,
              help="Also write archival PDF/A-3a copies, with their sources attached, under output/<lang>/archive/.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: the number of cores).")
@click.option("--force", is_flag=True, help="Rebuild every document, even those up to date.")
@click.option("--only", multiple=True, metavar="PATTERN",
              help="Build only these documents, e.g. articles/* or press/district-baoshan; zh/press/* builds "
                   "one language's (or edition's: zh-Hant/…, bilingual/…).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
@click.pass_context
def build(ctx: click.Context, output: Path | None, formats: tuple[str, ...], archive: bool, jobs: int | None,
          force: bool, only: tuple[str, ...], quiet: bool) -> None:
    """Build every out-of-date document (zh and en; PDF, DOCX, HTML) into output/."""
    from ..build.stamp import ARCHIVE, FORMATS, nothing_to_do

    formats = (formats or FORMATS) + ((ARCHIVE,) if archive else ())
    project = ctx.obj["project"].resolve()
    last = None if force else nothing_to_do(project, (output or project / "output").resolve(), formats, only)
    if last is not None:  # told from the stamp: the stages are not even imported
        for line in last["warnings"]:
            click.secho(line, err=True, fg="yellow")
        click.echo(f"nothing to do: {last['counted']} outputs up to date{warned(last['warnings'])}")
        return
    from ..build.run import build as run_build
    from ..fonts.faces import warn_without_harfbuzz_subset

    warning = warn_without_harfbuzz_subset()
    if warning:
        click.secho(f"warning: {warning}", err=True, fg="yellow")
    try:
        with _Shown(quiet) as shown:
            report = run_build(ctx.obj["project"], output, formats, jobs, force, shown, only)
    except AidReportError as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        count = len(exc.lines())
        written = (f"{exc.written} files written before it stopped; the next build completes the rest"
                   if exc.written else "nothing written")
        click.echo(f"{count} problem{'s' if count != 1 else ''}; {written}", err=True)
        sys.exit(exc.exit_code)
    for line in report.warnings:
        click.secho(line, err=True, fg="yellow")
    if not report.rebuilt:
        remade = " (index.html made again)" if report.index_remade else ""
        click.echo(f"nothing to do: {report.up_to_date} outputs up to date{remade}{warned(report.warnings)}")
    else:
        click.echo(f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
                   f"{report.up_to_date} up to date{warned(report.warnings)}")


def _rebuilt(label: str, reasons: list[str]) -> str:
    shown = reasons if len(reasons) <= 3 else reasons[:3] + [f"and {len(reasons) - 3} more"]
    return f"rebuilt {label}: {'; '.join(shown)}"


class _Shown:
    """Shows a build as it goes: a live bar on a terminal, else one line per finished document (logs)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bar = None

    def __enter__(self) -> _Shown:
        return self

    def preparing_fonts(self) -> None:
        self._say("preparing fonts (not cached yet; later builds reuse them)…")

    def rendering(self, total: int) -> None:
        if not self.quiet and sys.stdout.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                transient=True)
            self.task = self.bar.add_task("building", total=total)
            self.bar.start()

    def finished(self, label: str, reasons: list[str], done: int, total: int) -> None:
        self._say(_rebuilt(label, reasons))
        if self.bar is not None:
            self.bar.update(self.task, completed=done)

    def _say(self, line: str) -> None:
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            click.echo(line)  # click flushes each line, so a log shows it as it happens

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@main.group(invoke_without_command=True)
@click.pass_context
def cache(ctx: click.Context) -> None:
    """Show where prepared fonts and drawn charts are cached and how much room they take."""
    if ctx.invoked_subcommand is None:
        from ..cache import Cache

        usage = Cache().usage()
        click.echo(f"{usage.folder}: {usage.entries} files, {usage.size / 2**20:.1f} MB "
                   f"(bound {usage.bound / 2**20:.0f} MB; AIDREPORT_CACHE_MAX_MB sets it)")


@cache.command("clear")
def cache_clear() -> None:
    """Empty the cache (the next build prepares the fonts and draws the charts again)."""
    from ..cache import Cache

    store = Cache()
    removed = store.clear()
    click.echo(f"removed {removed} files from {store.folder}")


@main.command("reference-docx")
@click.pass_context
def reference_docx(ctx: click.Context) -> None:
    """Recreate templates/reference.docx, the Word styles of every DOCX (overwrites your restyling)."""
    from ..writers.reference import make_reference

    path = ctx.obj["project"] / "templates" / "reference.docx"
    make_reference(path)
    click.echo(f"wrote {path}")


for _command in (blocks, diff, figures, new, overrides, publish, serve):  # each in its own module
    main.add_command(_command)
