"""`aidreport publish`: build, then record what was published (publish.py does the work)."""

from __future__ import annotations

import datetime as dt

import click


@click.command("publish")
@click.option("--date", "date", metavar="YYYY-MM-DD", default=None,
              help="The day of publication (default: today).")
@click.pass_context
def publish(ctx: click.Context, date: str | None) -> None:
    """Build every document, then record each one's figures, hashes and text in data/published/DATE.yaml.

    After this, a figure changed in the records makes every document that printed it carry a
    correction notice, and output/<lang>/notices/corrections lists them all.
    """
    from .build import FORMATS, build
    from .publish import record_publication

    root = ctx.find_root().obj["project"]
    day = date or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise click.BadParameter(f"'{day}' is not a date: write it as YYYY-MM-DD", param_hint="--date") from None
    build(root, None, FORMATS, None, False, None, ())
    record, count = record_publication(root, day)
    click.echo(f"recorded {count} documents as published on {day} in {record.relative_to(root)} "
               f"(and their texts in {record.with_suffix('').relative_to(root)}/); commit them")
