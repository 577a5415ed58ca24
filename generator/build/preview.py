"""output/index.html: every document of the build, in every language and format, grouped by kind.

Written with the manifest, from what it holds (each document's title, each output's file), so that
an editor opens one page in a browser and finds everything the build made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..fonts.faces import PREVIEW_FONTS, Face, preview_faces, preview_font_css
from ..words.lang import EDITION_LANGUAGES, LANGUAGES


LISTED = {"html", "pdf", "docx"}  # what the index links: documents, not the pictures beside them
INDEX = "index.html"  # under output/


def index_html(root: Path, entries: dict[str, Any], documents: dict[str, Any], labels: dict[str, Any],
               faces: list[Face]) -> bytes:
    """Render the index page (templates/index.html.j2) of the outputs the manifest lists."""
    import jinja2

    groups: dict[str, dict[str, dict[str, Any]]] = {}
    for rel in sorted(entries):
        stem, _, ext = rel.rpartition(".")
        if ext not in LISTED:
            continue  # a picture a WeChat fragment shows
        lang, folder, name = stem.split("/", 2)
        doc = groups.setdefault(folder, {}).setdefault(name, {"titles": {}, "files": {}})
        # A file under a folder named after a document (a redline: lang/redline/folder/name) takes its title.
        doc["titles"][lang] = documents.get(stem, documents.get(f"{lang}/{name}", {})).get("title", name)
        doc["files"].setdefault(lang, []).append({"ext": ext, "href": rel})
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(root / "templates")), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    html = env.get_template("index.html.j2").render(groups=groups, labels=labels,
                                                   languages={**LANGUAGES, **EDITION_LANGUAGES},
                                                   css=(root / "templates/css/print.css").read_text("utf-8"),
                                                   fonts=preview_font_css(faces, ""))
    return html.encode("utf-8")


def write_index(root: Path, output: Path, entries: dict[str, Any], documents: dict[str, Any],
                labels: dict[str, Any], faces: list[Face], write: Callable[[Path, bytes], bool]) -> dict[str, Any]:
    """Write output/index.html; return its entry for the manifest (which is written after it)."""
    from .manifest import sha256

    data = index_html(root, entries, documents, labels, faces)
    write(output / INDEX, data)
    return {INDEX: {"sha256": sha256(data)}}


def font_assets(faces: list[Face]) -> dict[str, dict[str, str]]:
    """The preview's font files as the manifest lists them: output/fonts/<name> with its hash."""
    from .manifest import sha256

    return {f"{PREVIEW_FONTS}/{name}": {"sha256": sha256(path.read_bytes())}
            for name, path in preview_faces(faces).items()}


def write_fonts(output: Path, faces: list[Face], write: Callable[[Path, bytes], bool]) -> None:
    """Copy the lean faces the previews load into output/fonts/, and remove any other file there."""
    names = preview_faces(faces)
    for name, path in names.items():
        write(output / PREVIEW_FONTS / name, path.read_bytes())
    for old in (output / PREVIEW_FONTS).glob("*"):
        if old.is_file() and old.name not in names and not old.name.startswith("."):
            old.unlink()
