"""`aidreport new …`: start a record, or add the place or source a record needs (scaffold.py does the work)."""

from __future__ import annotations

from pathlib import Path

import click


def _done(ctx: click.Context, written: list[Path], fill: bool) -> None:
    root = ctx.find_root().obj["project"]
    for path in written:
        click.echo(f"wrote {path.relative_to(root)}")
    if fill:
        click.echo(f"next: fill in every \"<fill in>\" in {written[0].relative_to(root)} (its comments explain each "
                   "field), then run `aidreport check` until it reports none left")


@click.group("new")
def new() -> None:
    """Start a district or event record, or add a place or source to the project's lists."""


@new.command("district")
@click.argument("ident", metavar="ID")
@click.option("--zh", required=True, help="The district's official Chinese name, e.g. 松江区.")
@click.option("--en", required=True, help="Its official English name, e.g. \"Songjiang District\".")
@click.option("--replace", is_flag=True,
              help="Start afresh: overwrite the record and the gazetteer entry an earlier run wrote.")
@click.pass_context
def district(ctx: click.Context, ident: str, zh: str, en: str, replace: bool) -> None:
    """Write data/districts/ID.yaml to fill in, and the district's entry in data/gazetteer.yaml."""
    from ..editing.scaffold import new_district

    _done(ctx, new_district(ctx.find_root().obj["project"], ident, zh.strip(), en.strip(), replace), fill=True)


@new.command("event")
@click.argument("ident", metavar="ID")
@click.option("--district", "district_id", required=True, help="The id of the district whose event it is.")
@click.pass_context
def event(ctx: click.Context, ident: str, district_id: str) -> None:
    """Write data/events/ID.yaml to fill in, for a press release."""
    from ..editing.scaffold import new_event

    _done(ctx, new_event(ctx.find_root().obj["project"], ident, district_id), fill=True)


@new.command("place")
@click.argument("ident", metavar="ID")
@click.option("--zh", required=True, help="The official Chinese name, e.g. 勐海县.")
@click.option("--en", required=True, help="The official English name, e.g. \"Menghai County\".")
@click.option("--level", required=True, help="county, autonomous-county, prefecture-city, town, site, …")
@click.option("--in", "parent", required=True, metavar="PARENT-ID", help="The id of the place it lies in.")
@click.pass_context
def place(ctx: click.Context, ident: str, zh: str, en: str, level: str, parent: str) -> None:
    """Add a place (a paired county, a venue) to data/gazetteer.yaml."""
    from ..editing.scaffold import new_place

    _done(ctx, new_place(ctx.find_root().obj["project"], ident, zh.strip(), en.strip(), level, parent), fill=False)


@new.command("source")
@click.argument("ident", metavar="ID")
@click.option("--zh", required=True, help="The document's Chinese title.")
@click.option("--en", required=True, help="Its English title.")
@click.pass_context
def source(ctx: click.Context, ident: str, zh: str, en: str) -> None:
    """Add a source document, which records cite by id, to data/series.yaml."""
    from ..editing.scaffold import new_source

    _done(ctx, new_source(ctx.find_root().obj["project"], ident, zh.strip(), en.strip()), fill=False)
