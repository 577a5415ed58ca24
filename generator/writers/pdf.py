"""PDF through WeasyPrint: print CSS, the project's fonts embedded and subset, nothing fetched.

A long document (the brief of dozens of districts) is laid out in a process of its own, in one
piece: what a long layout leaves in a process (font and shaping caches, a fragmented heap) then goes
with that process, instead of staying with the build worker for every later job. The brief of 160
synthetic districts (47 pages) peaks there at about 1.2x the memory of building one article, within
the benchmark's 1.3x (bench/run, row 4a), so it is not cut into parts.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from ..memory import in_child, serve
from .base import Writer

# Size in characters of HTML, not counting embedded data (charts): 3,000 to 4,000 make a page of tables.
APART_CHARS = 50_000  # a longer document is laid out in a process of its own (the same bytes as in the worker)
DATA_URI = re.compile(r"data:[^\"')\s]*")


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
    ext = "pdf"
    apart_chars = APART_CHARS

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

    def render(self, html: str) -> weasyprint.Document:
        """Lay out html with the project's fonts; fetch nothing but the project's files."""
        source = weasyprint.HTML(string=html, base_url=str(self.ctx.root / "templates") + "/",
                                 url_fetcher=self.fetcher)
        return source.render(stylesheets=[self.font_css], font_config=self.font_config)

    def write(self, doc) -> bytes:
        if layout_chars(doc.html) > self.apart_chars:
            return write_apart(doc.html, self.ctx.root, self.ctx.font_css, self.ctx.fetch_roots)
        return self.render(doc.html).write_pdf()


def layout_chars(html: str) -> int:
    """Return the size of a document for layout: its HTML without embedded data."""
    return len(DATA_URI.sub("", html))


def write_apart(html: str, root: Path, font_css: str, roots: list[Path]) -> bytes:
    """Lay out and write a document in a process of its own (python -m generator.writers.pdf)."""
    request = {"html": html, "root": root, "font_css": font_css, "roots": roots}
    return in_child("generator.writers.pdf", request, "laying out a long document")


def _serve(request: dict) -> bytes:
    """In the child: lay out the requested document in one piece and return its PDF."""
    ctx = SimpleNamespace(root=request["root"], font_css=request["font_css"], fetch_roots=request["roots"])
    return PdfWriter(ctx).render(request["html"]).write_pdf()


if __name__ == "__main__":
    serve(_serve)
