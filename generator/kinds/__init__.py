"""The registry of document kinds: one module per kind, found by name.

A kind module owns everything about its documents:

- `FOLDER`: the output folder (`output/<lang>/<FOLDER>/<name>.<ext>`);
- `HEAVY`: whether its documents are long (the build starts them first, so workers finish together);
- `jobs(ds)`: the Jobs it makes from the dataset, one per document;
- `render(renderer, job, lang, ctx)`: its view (the values and decisions its templates need),
  rendered through `renderer.render` with its own template, which writes the sentences.

The build, the plan and the writers know kinds only through `kinds()`. Adding a kind is one module
plus its templates, and one line in BUILT_IN (or `register(module)` from outside the package).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

BUILT_IN = ("article", "brief.kind", "factsheet", "event_release", "district_release", "series_release", "corrections")
_extra: list[ModuleType] = []


@dataclass(frozen=True)
class Job:
    """One document to make in every language: its kind, output folder, name, and the record it is about."""

    kind: str
    folder: str
    name: str
    subject: str = ""

    @property
    def label(self) -> str:
        return f"{self.folder}/{self.name}"


def kinds() -> list[ModuleType]:
    """Return every kind module, the built-in ones first, in a stable order."""
    return [importlib.import_module(f"{__name__}.{name}") for name in BUILT_IN] + list(_extra)


def kind(name: str) -> ModuleType:
    """Return the module of a kind by its name."""
    for module in kinds():
        if module.NAME == name:
            return module
    raise KeyError(name)


def register(module: ModuleType) -> None:
    """Add a kind from outside the package (a test's, a plug-in's)."""
    if module not in _extra:
        _extra.append(module)


def unregister(module: ModuleType) -> None:
    if module in _extra:
        _extra.remove(module)
