"""`aidreport publish`: build, then record what was published (publish.py does the work)."""

from __future__ import annotations

import datetime as dt

import click

from ..errors import counted


@click.command("publish")
@click.option("--date", "date", metavar="YYYY-MM-DD", default=None,
              help="The day of publication (default: today).")
@click.option("--accept-warnings", is_flag=True,
              help="Publish although the check warns; the record keeps each accepted warning.")
@click.pass_context
def publish(ctx: click.Context, date: str | None, accept_warnings: bool) -> None:
    """Build every document, then record each one's figures, hashes and text in data/published/DATE.yaml.

    After this, a figure changed in the records makes every document that printed it carry a
    correction notice, and output/<lang>/notices/corrections lists them all. While the check warns
    (a figure that no longer matches what its source printed, say), nothing is recorded unless
    --accept-warnings is given.
    """
    from ..build.run import build
    from ..build.stamp import FORMATS
    from ..editing.publish import StaleOverrides, WarningsStand, record_publication, stale_overrides

    root = ctx.find_root().obj["project"]
    day = date or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise click.BadParameter(f"'{day}' is not a date: write it as YYYY-MM-DD", param_hint="--date") from None
    report = build(root, None, FORMATS, None, False, None, ())
    stale = stale_overrides(root)
    if stale:
        raise StaleOverrides(stale)
    if report.warnings and not accept_warnings:
        raise WarningsStand(report.warnings)
    for line in report.warnings:
        click.secho(line, err=True, fg="yellow")
    record, count = record_publication(root, day, report.warnings)
    accepted = f", with {counted(len(report.warnings), 'accepted warning')}" if report.warnings else ""
    click.echo(f"recorded {count} documents as published on {day} in {record.relative_to(root)} "
               f"(and their texts in {record.with_suffix('').relative_to(root)}/){accepted}; commit them")
