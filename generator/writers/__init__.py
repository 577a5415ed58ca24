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
           "wechat": "wechat:WechatWriter", "archive": "pdf:ArchiveWriter"}
# A format whose files go in a folder of their own in each language: output/<lang>/<folder>/<kind>/<name>.<ext>.
FOLDERS: dict[str, str] = {"wechat": "wechat", "archive": "archive"}
EXTENSIONS: dict[str, str] = {"wechat": "html", "archive": "pdf"}  # where not the format's name
REDLINE = "redline"  # the folder of the copy desk's redlines (made with the DOCX, see worker.py)


def output_path(stem: str, fmt: str) -> str:
    """Return where a document (lang/folder/name) goes in one format, relative to output/."""
    ext = EXTENSIONS.get(fmt, fmt)
    if fmt not in FOLDERS:
        return f"{stem}.{ext}"
    lang, rest = stem.split("/", 1)
    return f"{lang}/{FOLDERS[fmt]}/{rest}.{ext}"


def document_of(rel: str) -> str:
    """Return the document (lang/folder/name) an output belongs to: the inverse of output_path."""
    lang, rest = rel.split("/", 1)
    first, _, inner = rest.partition("/")
    if first in {*FOLDERS.values(), REDLINE} and "/" in inner:
        rest = inner
    return f"{lang}/{rest.rsplit('.', 1)[0]}"


def load(fmt: str) -> type:
    """Import and return the writer class of a format (a subclass of writers.base.Writer)."""
    module, name = WRITERS[fmt].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


# registry[fmt]() returns the writer class of a format.
registry: dict[str, Callable[[], type]] = {fmt: functools.partial(load, fmt) for fmt in WRITERS}

__all__ = ["EXTENSIONS", "FOLDERS", "REDLINE", "WRITERS", "document_of", "load", "output_path", "registry"]
