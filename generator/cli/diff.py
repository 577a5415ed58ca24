"""`aidreport diff [REV]`: the figures changed since the last build or a git revision (figdiff.py does the work)."""

from __future__ import annotations

import click


@click.command("diff")
@click.argument("rev", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "html"]), default="table",
              help="A table on the terminal (default), or CSV or HTML on standard output.")
@click.pass_context
def diff(ctx: click.Context, rev: str | None, fmt: str) -> None:
    """List the figures that differ between the records and REV (a git revision; default: the last build)."""
    from ..records.dataset import load_dataset
    from ..records.table import frame, rows as fact_rows
    from ..editing.figdiff import as_csv, as_html, differences, from_build, from_revision

    root = ctx.find_root().obj["project"]
    output = root / "output"
    old = from_revision(root, rev) if rev else from_build(output)
    ds = load_dataset(root)
    rows = differences(old, frame(fact_rows(ds)), output, _wording(ds))
    baseline = f"revision {rev}" if rev else "the last build"
    if fmt == "csv":
        click.echo(as_csv(rows), nl=False)
    elif fmt == "html":
        click.echo(as_html(rows, baseline))
    elif not rows:
        click.echo(f"no figure differs from {baseline}")
    else:
        _table(rows, baseline)


def _wording(ds):
    """Word a fact's values as the documents print them, in each language: its figure and its period.

    The measure word comes from the fact as the records hold it now (or its measure's), so an old value is
    worded as the documents printed it.
    """
    from ..words.lang import LANGUAGES
    from ..records.models import Fact

    def worded(origin: str, values: dict) -> dict[str, str]:
        current = ds.fact_at(origin)
        classifier = current.classifier if current else None
        if current and not classifier and current.measure in ds.measures:
            classifier = ds.measures[current.measure].classifier
        fact = Fact.model_construct(id=origin.rpartition("/")[2], classifier=classifier, **values)
        return {code: lang.fact(fact) + lang.bracket(lang.period(fact.period))
                for code, lang in LANGUAGES.items()}

    return worded


def _table(rows, baseline: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Figures changed since {baseline}", title_justify="left")
    for name in ("record", "fact", "old", "new", "printed in"):
        table.add_column(name, overflow="fold", no_wrap=name in ("record", "fact"))
    for row in rows:
        table.add_row(row.record, row.fact, row.old.shown("\n"), row.new.shown("\n"), "\n".join(row.documents))
    Console(width=max(160, Console().width)).print(table)
    click.echo(f"{len(rows)} figure{'s' if len(rows) != 1 else ''} changed")
