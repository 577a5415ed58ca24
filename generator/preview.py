"""output/index.html: every document of the build, in every language and format, grouped by kind.

Written with the manifest, from what it holds (each document's title, each output's file), so that
an editor opens one page in a browser and finds everything the build made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from .lang import LANGUAGES


def index_html(root: Path, entries: dict[str, Any], documents: dict[str, Any], labels: dict[str, Any]) -> bytes:
    """Render the index page (templates/index.html.j2) of the outputs the manifest lists."""
    import jinja2

    groups: dict[str, dict[str, dict[str, Any]]] = {}
    for rel in sorted(entries):
        stem, _, ext = rel.rpartition(".")
        lang, folder, name = stem.split("/", 2)
        doc = groups.setdefault(folder, {}).setdefault(name, {"titles": {}, "files": {}})
        doc["titles"][lang] = documents.get(stem, {}).get("title", name)
        doc["files"].setdefault(lang, []).append({"ext": ext, "href": rel})
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(root / "templates")), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    html = env.get_template("index.html.j2").render(groups=groups, labels=labels, languages=LANGUAGES,
                                                   css=(root / "templates/css/print.css").read_text("utf-8"))
    return html.encode("utf-8")


def write_index(root: Path, output: Path, entries: dict[str, Any], documents: dict[str, Any],
                labels: dict[str, Any], write: Callable[[Path, bytes], bool]) -> bool:
    return write(output / "index.html", index_html(root, entries, documents, labels))
