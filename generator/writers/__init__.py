"""Output writers, one small class per format (writers/base.py is their interface), picked from a plain registry.

The registry names each writer as "module:Class" and imports it only when a build asks for it
(WeasyPrint is slow to import). This package imports none of its modules itself, and base.py none of
its siblings, so the writers' imports form no cycle: each writer imports base, and nothing imports a writer
but the registry, through importlib.
"""

from __future__ import annotations

import functools
import importlib
from typing import Callable

# Formats in build order.
WRITERS = {"html": "html:HtmlWriter", "pdf": "pdf:PdfWriter", "docx": "docx:DocxWriter",
           "archive": "pdf:ArchiveWriter"}


def load(fmt: str) -> type:
    """Import and return the writer class of a format (a subclass of writers.base.Writer)."""
    module, name = WRITERS[fmt].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


# registry[fmt]() returns the writer class of a format.
registry: dict[str, Callable[[], type]] = {fmt: functools.partial(load, fmt) for fmt in WRITERS}

__all__ = ["WRITERS", "load", "registry"]
