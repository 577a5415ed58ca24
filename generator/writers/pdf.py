"""PDF through WeasyPrint: print CSS, the project's fonts embedded and subset, nothing fetched, tagged (PDF/UA-1).

Every PDF is tagged (pdftags.py completes WeasyPrint's structure tree), and an error WeasyPrint
logs while it writes one (an image without alt text, a page without lang) fails the build.
The archive writer makes PDF/A-3a with the document's sources attached (archive.py).

A long document (the brief of dozens of districts) is laid out in a process of its own, in one
piece: what a long layout leaves in a process (font and shaping caches, a fragmented heap) then goes
with that process, instead of staying with the build worker for every later job. The brief of 160
synthetic districts (47 pages) peaks there at about 1.2x the memory of building one article, within
the benchmark's 1.3x (bench/run, row 4a), so it is not cut into parts.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint import Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from ..errors import BuildError
from ..memory import in_child, serve
from .archive import FIXED_DATE, archive_files, finish_archive
from .base import Writer
from .pdftags import finish_tags

# Size in characters of HTML, not counting embedded data (charts): 3,000 to 4,000 make a page of tables.
APART_CHARS = 50_000  # a longer document is laid out in a process of its own (the same bytes as in the worker)
DATA_URI = re.compile(r"data:[^\"')\s]*")
MARKS = re.compile(r'\sdata-(?:block|ref)="[^"]*"')  # the ids of blocks and figures (overrides): no weight in a layout
CELL = re.compile(r"<t[dh][\s>]")
CELL_CHARS = 30
STYLE = re.compile(r"<style>(.*?)</style>", re.S)  # the stylesheet in a document's head (base.html.j2)


class ProjectFetcher(URLFetcher):
    """Serves data: URIs and files under the allowed folders; refuses every other URL."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                self.refused.append(url)
                raise ValueError(f"refused: {path} is outside the project")
        elif not url.startswith("data:"):
            self.refused.append(url)
            raise ValueError("refused: documents may only use the project's own files")
        return super().fetch(url, headers)


class PdfWriter(Writer):
    """Tagged PDF (PDF/UA-1): headings, paragraphs, lists, tables and figures with their alternative text."""

    ext = "pdf"
    apart_chars = APART_CHARS
    variant = "pdf/ua-1"
    tagged = True  # the benchmark's switch (bench/bench.py): an untagged PDF is never an output

    def __init__(self, ctx):
        super().__init__(ctx)
        if os.environ.get("AIDREPORT_ASSUME_NO_HB_SUBSET"):
            # The benchmark's stand-in for a machine without libharfbuzz-subset: WeasyPrint then
            # subsets with fontTools, as it does there.
            from weasyprint.pdf import fonts as pdf_fonts

            pdf_fonts.harfbuzz_subset = None
        # One font configuration per process: a new one per document costs time and memory.
        self.font_config = FontConfiguration()
        self.fetcher = ProjectFetcher(ctx.fetch_roots)
        self.font_css = weasyprint.CSS(string=ctx.font_css, font_config=self.font_config,
                                       url_fetcher=self.fetcher)
        self.sheets: dict[str, weasyprint.CSS] = {}  # a document's stylesheet, parsed once: by its text

    def render(self, html: str) -> weasyprint.Document:
        """Lay out html with the project's fonts; fetch nothing but the project's files.

        The stylesheet every document carries in its head (print.css) is parsed once per process and
        given to WeasyPrint beside the fonts' rules, instead of once per document: with no stylesheet
        left in the document, the same rules cascade over the same defaults, and the PDF is the same
        bytes (tests/test_pdf_stylesheet.py compares), a parse sooner each."""
        base_url = str(self.ctx.root / "templates") + "/"
        sheets = [self.font_css]
        head = STYLE.search(html)
        if head is not None and not STYLE.search(html, head.end()):
            css = head.group(1)
            if css not in self.sheets:
                self.sheets[css] = weasyprint.CSS(string=css, base_url=base_url, font_config=self.font_config,
                                                  url_fetcher=self.fetcher)
            sheets.insert(0, self.sheets[css])
            html = html[:head.start()] + html[head.end():]
        source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=self.fetcher)
        return source.render(stylesheets=sheets, font_config=self.font_config)

    def pdf(self, html: str, inside: dict) -> tuple[bytes, list[str]]:
        """Lay out and write html; return the PDF and the errors WeasyPrint logged meanwhile."""
        with errors_of_weasyprint() as errors:
            document = self.render(html)
            if not self.tagged:
                return document.write_pdf(), errors
            data = document.write_pdf(pdf_variant=self.variant, finisher=self.finish, **self.options(inside))
        return data, errors

    def finish(self, document: weasyprint.Document, pdf) -> None:
        """Complete the PDF's objects before they are written (WeasyPrint's finisher)."""
        finish_tags(document, pdf)

    def embedded(self, doc) -> dict:
        """Return what the PDF holds besides the document's HTML (attachments), as plain data (it may cross to a child)."""
        return {}

    def options(self, inside: dict) -> dict:
        """Return WeasyPrint's options for a PDF holding these (attachments)."""
        return {}

    def write(self, doc) -> bytes:
        inside = self.embedded(doc)
        if layout_chars(doc.html) > self.apart_chars:
            data, errors = write_apart(self, doc.html, inside)
        else:
            data, errors = self.pdf(doc.html, inside)
        if errors:
            said = "; ".join(DATA_URI.sub(lambda m: m.group()[:40] + "…", w) for w in errors)
            raise BuildError(f"{doc.stem}.{self.ext}: WeasyPrint reported errors while writing the PDF: {said} "
                             "(hint: fix the template: every <img> needs alt text and a source in the project, "
                             "<html> a lang)")
        return data


class ArchiveWriter(PdfWriter):
    """Tagged PDF/A-3a, with the record files and the manifest it was made from attached (its provenance)."""

    variant = "pdf/a-3a"

    def finish(self, document: weasyprint.Document, pdf) -> None:
        super().finish(document, pdf)
        finish_archive(pdf)

    def embedded(self, doc) -> dict:
        return {"files": archive_files(self.ctx.root, doc)}

    def options(self, inside: dict) -> dict:
        return {"attachments": [Attachment(url=f"data:{f['mime']};base64,{base64.b64encode(f['data']).decode()}",
                                           url_fetcher=self.fetcher, name=f["name"], description=f["description"],
                                           relationship=f["relationship"], created=FIXED_DATE, modified=FIXED_DATE)
                                for f in inside["files"]]}


@contextlib.contextmanager
def errors_of_weasyprint():
    """Collect the errors WeasyPrint logs: an image without alt text, a page without lang, a file it cannot load.

    Its warnings are about what it works around (fonts subset with fontTools on a machine without
    HarfBuzz-subset, a CSS declaration it ignores): they do not fail a build.
    """
    found: list[str] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = lambda record: found.append(record.getMessage())
    logger = logging.getLogger("weasyprint")
    level = logger.level
    if logger.getEffectiveLevel() > logging.ERROR:  # silenced by someone: its errors still count here
        logger.setLevel(logging.ERROR)
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def layout_chars(html: str) -> int:
    """Return the size of a document for layout: its HTML without embedded data, each table cell counted as
    CELL_CHARS more (a cell's boxes weigh in a layout's memory as a line of text does: the brief's table of
    40 districts, 480 cells, is laid out apart in every language, not only in the longer English)."""
    return len(MARKS.sub("", DATA_URI.sub("", html))) + CELL_CHARS * len(CELL.findall(html))


def write_apart(writer: PdfWriter, html: str, inside: dict) -> tuple[bytes, list[str]]:
    """Lay out and write a document in a process of its own (python -m generator.writers.pdf)."""
    ctx = writer.ctx
    request = {"writer": type(writer).__name__, "tagged": writer.tagged, "html": html, "inside": inside,
               "root": ctx.root, "font_css": ctx.font_css, "roots": ctx.fetch_roots}
    return in_child("generator.writers.pdf", request, "laying out a long document")


def _serve(request: dict) -> tuple[bytes, list[str]]:
    """In the child: lay out the requested document in one piece; return its PDF and the errors WeasyPrint logged."""
    ctx = SimpleNamespace(root=request["root"], font_css=request["font_css"], fetch_roots=request["roots"])
    writer = {cls.__name__: cls for cls in (PdfWriter, ArchiveWriter)}[request["writer"]](ctx)
    writer.tagged = request["tagged"]
    return writer.pdf(request["html"], request["inside"])


if __name__ == "__main__":
    serve(_serve)
