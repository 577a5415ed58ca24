"""The interface every output writer implements, and the registry of writers by format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from ..context import BuildContext
    from ..render import Document


class Writer:
    """Turns a rendered Document into the bytes of one output format."""

    ext = ""

    def __init__(self, ctx: BuildContext):
        self.ctx = ctx

    def write(self, doc: Document) -> bytes:
        raise NotImplementedError


def _html() -> type[Writer]:
    from .html import HtmlWriter

    return HtmlWriter


def _pdf() -> type[Writer]:
    from .pdf import PdfWriter

    return PdfWriter


def _docx() -> type[Writer]:
    from .docx import DocxWriter

    return DocxWriter


# Formats in build order; each is imported only when a build needs it (WeasyPrint is slow to import).
registry: dict[str, Callable[[], type[Writer]]] = {"html": _html, "pdf": _pdf, "docx": _docx}
