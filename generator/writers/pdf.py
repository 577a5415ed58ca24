"""PDF through WeasyPrint: print CSS, the project's fonts embedded and subset, nothing fetched."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from .base import Writer
from .parts import APART_CHARS, layout_chars, write_apart


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
        if layout_chars(doc.html) > APART_CHARS:
            # A long document (the brief of dozens of districts) is laid out in a process of its own,
            # and beyond some 20 pages a part at a time (writers/parts.py).
            return write_apart(doc.html, self.ctx.root, self.ctx.font_css, self.ctx.fetch_roots)
        return self.render(doc.html).write_pdf()
