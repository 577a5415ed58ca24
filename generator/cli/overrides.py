"""`aidreport blocks DOC` and `aidreport overrides`: the blocks an editor may override, and the overrides with
their states (editing/overrides.py does the work)."""

from __future__ import annotations

import click


@click.command("blocks")
@click.argument("doc")
@click.option("--lang", type=click.Choice(["zh", "en", "zh-Hant"]), default=None, help="One language's blocks only.")
@click.pass_context
def blocks(ctx: click.Context, doc: str, lang: str | None) -> None:
    """List the blocks of DOC (press/district-baoshan, briefs/comparison …): each block's id, its text in each
    language with every figure as the reference an override writes ({luoping-investment}), and the references."""
    from ..editing.overrides import document_blocks
    from ..records.dataset import load_dataset

    root = ctx.find_root().obj["project"]
    wanted = (lang,) if lang else ("zh", "en", "zh-Hant")
    found = [b for b in document_blocks(root, load_dataset(root), doc) if b.lang in wanted]
    for ident in dict.fromkeys(b.id for b in found):
        click.secho(ident, bold=True)
        mine = [b for b in found if b.id == ident]
        for b in mine:
            click.echo(f"  {b.lang}: {b.skeleton}" + ("  [overridden]" if b.overridden else ""))
        names = sorted({r for b in mine for r in b.refs})
        if names:
            click.echo(f"  references: {', '.join('{' + n + '}' for n in names)}")


@click.group("overrides", invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "html"]), default="table",
              help="A list on the terminal (default), or a page of HTML on standard output.")
@click.pass_context
def overrides(ctx: click.Context, fmt: str) -> None:
    """List every override with its state: current, stale (the text it replaced has changed: read it again
    and confirm it) or orphaned (its block no longer exists)."""
    if ctx.invoked_subcommand is not None:
        return
    from ..editing.overrides import as_html, listing
    from ..records.dataset import load_dataset

    root = ctx.find_root().obj["project"]
    rows = listing(root, load_dataset(root))
    if fmt == "html":
        click.echo(as_html(rows))
        return
    colours = {"current": "green", "stale": "yellow", "orphaned": "red"}
    for r in rows:
        click.echo(f"{click.style(r['state'], fg=colours[r['state']]):<18} {r['id']}  ({r['file']})")
        if r["state"] == "stale":
            click.echo(f"    replaced: {r['replaced']}\n    now:      {r['skeleton']}\n    text:     {r['text']}")
        elif r["state"] == "orphaned" and r["nearest"]:
            click.echo(f"    no such block; nearest: {', '.join(r['nearest'])}")
    counts = {s: sum(r["state"] == s for r in rows) for s in colours}
    click.echo(f"{len(rows)} override{'s' if len(rows) != 1 else ''}: {counts['current']} current, {counts['stale']} "
               f"stale, {counts['orphaned']} orphaned")


@overrides.command("confirm")
@click.argument("ident")
@click.pass_context
def confirm(ctx: click.Context, ident: str) -> None:
    """Confirm an override read against the current text (ID as `aidreport overrides` lists it, e.g.
    en/press/district-baoshan#lead, or a block's id for every language of it)."""
    from ..editing.overrides import confirm as confirm_override
    from ..records.dataset import load_dataset

    root = ctx.find_root().obj["project"]
    for done in confirm_override(root, load_dataset(root), ident):
        click.echo(f"confirmed {done}")
