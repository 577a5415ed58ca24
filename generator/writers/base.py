"""The interface every output writer implements (the registry of writers by format is in writers/__init__.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
