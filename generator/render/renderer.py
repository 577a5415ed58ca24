"""Render documents to semantic HTML: the single intermediate form every writer starts from.

A kind's view hands its template values and decisions; the template writes the sentences. While a
document renders, everything it reads is noted (view/deps.py): records and facts through the Writer, the
labels through a tracked mapping, and every template Jinja loads through `Environment.get_template`.
"""

from __future__ import annotations

import base64
import html as html_lib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..view.deps import Reads, TrackedMap
from ..errors import DataError, Diagnostic, Location
from ..words.lang import LANGUAGES, Language
from ..records.lookups import Dataset
from ..view.prose import Printed, Writer
from ..records.overrides import KEY as OVERRIDES
from ..records.yamlload import load_yaml

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@dataclass
class Document:
    """One rendered document in one language, ready for the writers."""

    folder: str  # articles, briefs, press
    name: str
    lang: Language  # its language, or its edition's conventions (words/lang.py)
    title: str
    html: str
    printed: Printed
    reads: dict[str, str] = field(default_factory=dict)  # what it read: key -> hash (view/deps.py)
    charts: dict[str, bytes] = field(default_factory=dict)  # chart id -> PNG, for the DOCX writer
    extra: dict[str, Any] = field(default_factory=dict)  # what tests may inspect
    nav: str = ""  # the preview's links to its twins and the index (the HTML writer adds it)
    kind: str = ""  # the name of its kind (kinds.kind(name) says which formats and editions it has)
    overrides: list[Any] = field(default_factory=list)  # what became of the editor's overrides (overrides.Applied)
    problems: list[Diagnostic] = field(default_factory=list)  # an override that cannot apply

    @property
    def label(self) -> str:
        return f"{self.folder}/{self.name}"

    @property
    def stem(self) -> str:
        return f"{self.lang.code}/{self.folder}/{self.name}"

    @property
    def templates(self) -> list[str]:
        return sorted(k for k in self.reads if k.endswith(".j2"))


def qr_png(url: str) -> bytes:
    """Return the QR code of an address as PNG (segno writes no time into it: the same address, the same bytes)."""
    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=10, border=2)
    return buf.getvalue()


class _Environment(jinja2.Environment):
    """Jinja's environment, noting every template a render loads (extends, import, include too)."""

    reads: Reads | None = None
    names: dict[str, str] = {}

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        template = super().get_template(name, parent, globals)
        if self.reads is not None and template.filename:
            self.reads.note_file(self.names.get(template.filename, template.filename), Path(template.filename))
        return template


def _bytecode_cache(root: Path) -> jinja2.BytecodeCache | None:
    """Keep compiled templates between runs (keyed by each template's source, so edits take effect)."""
    folder = root / "output" / ".cache" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


class Renderer:
    """Holds the template environment and the labels; renders a kind's view into a Document."""

    def __init__(self, root: Path, dataset: Dataset, template_dirs: list[Path] | None = None):
        self.root = root
        self.ds = dataset
        self.templates_dir = root / "templates"
        dirs = [self.templates_dir, *(template_dirs or [])]
        self.env = _Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            bytecode_cache=_bytecode_cache(root),
        )
        self.env.names = {}
        for folder in dirs:
            for path in folder.rglob("*.j2"):
                rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
                self.env.names[str(path)] = rel
        labels_path = self.templates_dir / "labels.yaml"
        loaded, problems = load_yaml(labels_path, "templates/labels.yaml")
        if loaded is None:
            raise DataError(problems)
        self.labels: dict[str, Any] = loaded.data
        for lang in LANGUAGES:
            if lang not in self.labels:
                raise DataError([Diagnostic(Location("templates/labels.yaml"), f"no labels for '{lang}'")])
        self.css = (self.templates_dir / "css" / "print.css").read_text(encoding="utf-8")
        # What one document makes for its twin in the other language, until the twin takes it.
        self.made: dict[tuple[str, str], Any] = {}

    def writer(self, lang: str) -> Writer:
        """Return a Writer for one new document, with its own record of what it reads."""
        return Writer(self.ds, LANGUAGES[lang], Reads(), Printed())

    def labels_of(self, w: Writer) -> TrackedMap:
        return TrackedMap(self.labels[w.lang.code], f"templates/labels.yaml#{w.lang.code}", w.reads)

    def qr(self, w: Writer) -> str:
        """Return the follow box's QR code (of the series' account address) as embedded PNG data."""
        return "data:image/png;base64," + base64.b64encode(qr_png(w.series.follow.url)).decode()

    def picture(self, w: Writer, image: str | None) -> str | None:
        """Return a photo from data/photos as embedded data, noted as read."""
        if not image:
            return None
        path = self.root / "data" / "photos" / image
        w.reads.note_file(f"data/photos/{image}", path)
        data = path.read_bytes()
        kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
        return f"data:image/{kind};base64," + base64.b64encode(data).decode()

    def render(self, w: Writer, template: str, context: dict[str, Any], folder: str, name: str,
               charts: dict[str, bytes] | None = None, kind: str = "") -> Document:
        """Render a kind's template with its view; the template writes the sentences, the title too."""
        lang = w.lang
        from ..view.parts import corrections

        base = {"L": self.labels_of(w), "lang": lang, "inline_css": Markup(self.css),
                "corrections": corrections(w, f"{lang.code}/{folder}/{name}"), "doc_kind": template.split(".")[0]}
        w.reads.note_file("templates/css/print.css", self.templates_dir / "css" / "print.css")
        self.env.reads = w.reads
        try:
            html = self.env.get_template(template).render({**base, **context})
        finally:
            self.env.reads = None
        html, applied, problems = self.overridden(w, html, f"{folder}/{name}", lang.code)
        found = TITLE.search(html)
        title = html_lib.unescape(found.group(1)).strip() if found else name
        nav = self._nav(w, folder, name)  # its template is read too
        return Document(folder, name, lang, title, html, w.printed, dict(w.reads.keys), charts or {}, nav=nav,
                        kind=kind, overrides=applied, problems=problems)

    def overridden(self, w: Writer, html: str, label: str, code: str) -> tuple[str, list[Any], list[Diagnostic]]:
        """Apply the editor's overrides of one document in one language (an edition's code too): which there
        are is read, so adding, changing or deleting one rebuilds exactly the documents it feeds."""
        from .overrides import apply, refs, resolver

        found = self.ds.overrides.of(label, code) if self.ds.overrides is not None else []
        w.reads.note(f"{OVERRIDES}#{code}/{label}", [o.model_dump(mode="json") for o in found])
        if not found:
            return html, [], []
        for file in dict.fromkeys(self.ds.overrides.files.get(o.ident) for o in found):  # attached to its archive copy
            if file:
                w.reads.note_file(file, self.root / file)
        new, applied, problems = apply(html, label, found, resolver(w, self.ds), self.ds.overrides.locations,
                                       self.ds.overrides.block_locations)
        if new != html:  # what it prints now: a figure the editor's text left out is no longer printed
            shown = set(refs(new))
            w.printed.figures[:] = [f for f in w.printed.figures if not f[0] or f[1] in shown]
        return new, applied, problems

    def _nav(self, w: Writer, folder: str, name: str) -> str:
        """Render the preview's links: the same document in every other language, and the index."""
        twins = [{"href": f"../../{code}/{folder}/{name}.html", "tag": other.tag, "name": other.autonym}
                 for code, other in LANGUAGES.items() if code != w.lang.code]
        self.env.reads = w.reads
        try:
            return self.env.get_template("nav.html.j2").render(L=self.labels_of(w), twins=twins,
                                                                index="../../index.html")
        finally:
            self.env.reads = None
