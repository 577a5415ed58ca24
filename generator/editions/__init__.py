"""The registry of editions: documents made from the rendered languages, not from templates of their own.

Every document is rendered in each language of lang.LANGS (zh, en), so that their figures can be
compared. An edition module derives one more document from those renders:

- `CODE`: its folder at the top of output/ (`output/<CODE>/<kind folder>/<name>.<ext>`);
- `FORMATS`: the formats it is made in;
- `derive(ctx, renders)`: the document, from the renders of the languages (lang -> Document); what it
  reads beyond them is noted in its reads, as a render notes what it reads.

The build and the plan know editions only through `editions()`. Adding one is one module (plus its
stylesheet rules), one line in BUILT_IN, and its code in the `editions` of the kinds it is made of.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

from ..words.lang import LANGS

if TYPE_CHECKING:
    from ..kinds import Kind

BUILT_IN = ("traditional", "bilingual")


def editions() -> list[ModuleType]:
    """Return every edition module, in a stable order."""
    return [importlib.import_module(f"{__name__}.{name}") for name in BUILT_IN]


def edition(code: str) -> ModuleType:
    """Return the module of an edition by its code (its output folder)."""
    for module in editions():
        if module.CODE == code:
            return module
    raise KeyError(code)


def languages(kind: Kind) -> list[str]:
    """Return the languages and editions a kind's documents are made in: LANGS first, then its editions."""
    return [*LANGS, *(m.CODE for m in editions() if m.CODE in kind.editions)]


def formats(code: str, wanted: tuple[str, ...]) -> tuple[str, ...]:
    """Return which of the wanted formats a language or edition is made in."""
    return wanted if code in LANGS else tuple(f for f in wanted if f in edition(code).FORMATS)
