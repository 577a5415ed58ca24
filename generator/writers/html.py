"""The HTML preview: the intermediate itself, self-contained, with links to its twins and the index."""

from __future__ import annotations

import re

from .base import Writer

BODY = re.compile(r"<body[^>]*>\n?")


class HtmlWriter(Writer):
    ext = "html"

    def write(self, doc) -> bytes:
        found = BODY.search(doc.html)
        html = doc.html if found is None or not doc.nav else \
            doc.html[: found.end()] + doc.nav + "\n" + doc.html[found.end():]
        return html.encode("utf-8")
