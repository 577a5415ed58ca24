"""The interface every output writer implements (the registry of writers by format is in writers/__init__.py),
and what more than one writer reads from the semantic HTML."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from ..errors import BuildError

if TYPE_CHECKING:
    from ..context import BuildContext
    from ..render.renderer import Document

EMBEDDED = {"png": "data:image/png;base64,", "jpeg": "data:image/jpeg;base64,"}


class Writer:
    """Turns a rendered Document into the bytes of one output format."""

    ext = ""

    def __init__(self, ctx: BuildContext):
        self.ctx = ctx

    def write(self, doc: Document) -> bytes:
        raise NotImplementedError

    def extras(self, doc: Document) -> dict[str, bytes]:
        """Return the files a document has besides the one write() gives (none, but for the WeChat edition),
        each named relative to the folder that file goes in."""
        return {}


def image_data(img, charts: dict[str, bytes]) -> tuple[str, bytes]:
    """Return the picture of an <img> as (format, bytes): "png" or "jpeg".

    A chart (`data-chart`) is SVG in the PDF; other formats take the PNG drawn from the same data
    (Document.charts). The QR code and photos are embedded in the HTML as PNG or JPEG data.
    """
    chart = img.get("data-chart")
    if chart is not None:
        if chart not in charts:
            raise BuildError(f"chart '{chart}' has no PNG rendering")
        return "png", charts[chart]
    src = img.get("src", "")
    for fmt, prefix in EMBEDDED.items():
        if src.startswith(prefix):
            return fmt, base64.b64decode(src[len(prefix):])
    raise BuildError(f"an image must be embedded PNG or JPEG data or a chart, not {src[:40]!r}")
