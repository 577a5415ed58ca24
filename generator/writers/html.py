"""The HTML preview: the intermediate itself, self-contained, with links to its twins and the index."""

from __future__ import annotations

import re

from .base import Writer

from ..fonts.faces import preview_font_css

BODY = re.compile(r"<body[^>]*>\n?")


class HtmlWriter(Writer):
    ext = "html"

    def write(self, doc) -> bytes:
        html = doc.html
        found = BODY.search(html)
        if found is not None and doc.nav:
            html = html[: found.end()] + doc.nav + "\n" + html[found.end():]
        # The project's own faces, copied under output/fonts/ by the build: the preview looks like the PDF.
        up = "../" * doc.stem.count("/")
        fonts = f"<style>\n{preview_font_css(self.ctx.faces, up)}\n</style>\n"
        return html.replace("</head>", fonts + "</head>", 1).encode("utf-8")
