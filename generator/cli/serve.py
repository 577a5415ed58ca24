"""aidreport serve: the command of the live preview (serve.py does the work)."""

from __future__ import annotations

import sys

import click

from ..errors import AidReportError

FORMATS = ("html", "pdf", "docx", "wechat")  # build.FORMATS, named here so that --help does not import the build


@click.command()
@click.option("--port", "-p", type=click.IntRange(1, 65535), default=8800, show_default=True,
              help="Port on 127.0.0.1 to serve the preview at.")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Keep only these formats up to date (repeatable; default: all). The HTML always comes first.")
@click.pass_context
def serve(ctx: click.Context, port: int, formats: tuple[str, ...]) -> None:
    """Build, then preview output/ in a browser; rebuild and reload on every change to data/ or templates/."""
    from ..editing.serve import serve as run_serve

    def say(line: str, err: bool = False) -> None:
        click.echo(line, err=err)

    try:
        run_serve(ctx.obj["project"], port, say, formats or FORMATS)
    except AidReportError as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        sys.exit(exc.exit_code)
