"""The HTML preview: the intermediate itself, self-contained."""

from __future__ import annotations

from .base import Writer


class HtmlWriter(Writer):
    ext = "html"

    def write(self, doc) -> bytes:
        return doc.html.encode("utf-8")
