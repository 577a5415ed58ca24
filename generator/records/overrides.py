"""The editor's wording of generated blocks: data/overrides/**/*.yaml, loaded and checked.

An override replaces the text of one block of one document in one language (`press/district-baoshan#lead`,
en) with the editor's text. The text keeps figures, places and terms live: `{fact-id}` (or a reference the
document names, `{yecheng-investment.change}`), `@place` and `#term`, resolved at each build. It keeps the
skeleton of the generated text it replaced (`replaced`: the text with each figure as its reference), which
tells when the template or the record has changed under it: the override is then stale until the editor
reads it again (`aidreport overrides confirm`).

Here the files are read and checked against the data: the shape, one override per block and language, the
references, and figures typed as numbers where a reference would keep them live (a warning). Applying them
to a document is the render stage's (render/overrides.py).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..errors import Diagnostic
from ..figures import en_values, zh_values
from .loading import Collector, Loader, validate
from .lookups import Dataset
from .models import PLACE_REF, TERM_REF, Model, Str

FOLDER = "overrides"  # data/overrides/
# A block's id: the document's label (its output folder and name) and the block's id in it.
BLOCK_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*#[a-z0-9]+([.-][a-z0-9]+)*$"
# A figure's reference: a fact's id, or a name the document gives a figure it derives (`x.change`).
# (A brief's computed figure is named by its district: {jiading:paired-counties}.)
REF = re.compile(r"\{([a-z0-9]+(?:[-.:][a-z0-9]+)*)\}")
# Every live part of an editor's text, in the order the render resolves them.
TOKEN = re.compile("|".join(f"(?:{rx.pattern})" for rx in (PLACE_REF, TERM_REF, REF)))
# How each language's text is read for figures (zh-Hant's as zh's: its magnitudes are the same characters).
READERS = {"zh": zh_values, "en": en_values, "zh-Hant": zh_values}
KEY = "data/overrides/"  # the key a document notes its overrides under: data/overrides/#<lang>/<folder>/<name>


class Override(Model):
    """The editor's text for one block of one document in one language."""

    block: Annotated[str, StringConstraints(pattern=BLOCK_PATTERN, max_length=200)]
    lang: Literal["zh", "en", "zh-Hant"]
    text: Str
    # The skeleton it replaced; an override written by hand without it is stale until confirmed.
    replaced: Annotated[str, StringConstraints(max_length=2000)] = ""
    by: Str | None = None
    on: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None

    @property
    def doc(self) -> str:
        return self.block.partition("#")[0]

    @property
    def local(self) -> str:
        return self.block.partition("#")[2]

    @property
    def ident(self) -> str:
        """Its id on the command line: the document's output stem and the block (en/press/district-baoshan#lead)."""
        return f"{self.lang}/{self.block}"

    def key(self) -> tuple[str, str]:
        return self.doc, self.lang


class OverridesFile(Model):
    """One file of data/overrides/: the overrides of one or more documents."""

    overrides: list[Override] = Field(default_factory=list)


class Overrides:
    """Every override of the project, by document and language, with where each stands."""

    def __init__(self) -> None:
        self.by_doc: dict[tuple[str, str], list[Override]] = {}
        self.where: dict[str, tuple[str, int]] = {}  # ident -> (file, index in its list)
        self.files: dict[str, str] = {}  # ident -> file (relative to the project)
        self.locations: dict[str, object] = {}  # ident -> Location of its text
        self.block_locations: dict[str, object] = {}  # ident -> Location of its block id

    def __iter__(self):
        for found in self.by_doc.values():
            yield from found

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_doc.values())

    def add(self, override: Override, file: str = "", where: object = None, block_where: object = None) -> None:
        """Add an override, read from a file (where: the place of its text, block_where of its block id)."""
        self.by_doc.setdefault(override.key(), []).append(override)
        if file:
            self.files[override.ident] = file
        if where is not None:
            self.locations[override.ident] = where
            self.block_locations[override.ident] = block_where if block_where is not None else where

    def of(self, doc: str, lang: str) -> list[Override]:
        return self.by_doc.get((doc, lang), [])

    def get(self, ident: str) -> Override | None:
        return next((o for o in self if o.ident == ident), None)


def load_overrides(loader: Loader, ds: Dataset) -> Overrides:
    """Read every file of data/overrides/ and check each override against the dataset; problems go to the
    loader's, warnings to the dataset's notes."""
    found = Overrides()
    facts = _fact_values(ds)
    names = [n for group in ds.names() for n in group]  # the Traditional ones read like the Simplified
    folder = loader.data_dir / FOLDER
    for path in sorted(folder.rglob("*.yaml")) if folder.is_dir() else []:
        loaded = loader.load(path)
        if loaded is None:
            continue
        record = validate(OverridesFile, loaded, loader.problems)
        col = Collector(loaded, loader.problems)
        for i, override in enumerate(record.overrides if record is not None else []):
            if override.ident in found.files:
                col.error(("overrides", i, "block"), f"a second override of {override.block} in {override.lang}",
                          f"the first is in {found.files[override.ident]}; keep one of them")
                continue
            found.add(override, loaded.path, col.at(("overrides", i, "text")), col.at(("overrides", i, "block")))
            found.where[override.ident] = (loaded.path, i)
            _check_refs(override, col, ("overrides", i, "text"), ds.places, ds.terms)
            _check_literals(override, col, ("overrides", i, "text"), facts, ds.notes, names)
        loaded.shrink()
    return found


def _check_refs(override: Override, col: Collector, path: tuple, places: object, terms: object) -> None:
    """Every @place and #term of the text names one the gazetteer or glossary has; every brace is a reference's."""
    if re.search(r"[{}]", TOKEN.sub("", override.text)):
        col.error(path, f"a brace in the override of {override.block} that is no reference",
                  "a figure is written as its reference, e.g. {luoping-investment} (`aidreport blocks` lists them)")
    for m in PLACE_REF.finditer(override.text):
        if m.group(1) not in places:  # type: ignore[operator]
            col.error(path, f"unknown place '@{m.group(1)}' in the override of {override.block}",
                      "write a place as the records write it (an id of data/gazetteer.yaml), or its name as text")
    for m in TERM_REF.finditer(override.text):
        if m.group(1) not in terms:  # type: ignore[operator]
            col.error(path, f"unknown term '#{m.group(1)}' in the override of {override.block}",
                      "write a term as the records write it (an id of data/glossary.yaml), or its name as text")


def _check_literals(override: Override, col: Collector, path: tuple, facts: dict[Decimal, list[str]],
                    notes: list[Diagnostic], names: list[str]) -> None:
    """A number typed in the text that is a fact's value: a warning, naming the reference that keeps it live."""
    plain = TOKEN.sub(" ", override.text)
    for name in (n for n in names if any(ch.isdigit() for ch in n)):  # a name, not a figure ("Synthetic 16")
        plain = plain.replace(name, " ")
    for value in dict.fromkeys(READERS[override.lang](plain)):
        ids = list(dict.fromkeys(facts.get(value, [])))
        if ids:
            refs = ", ".join("{" + fid + "}" for fid in ids[:3])
            notes.append(Diagnostic(col.at(path), f"the override of {override.block} ({override.lang}) types the "
                                    f"figure {format(value, 'f')} as a number, which a figure change will not reach",
                                    f"write its reference instead: {refs}", level="warning"))


def _fact_values(ds: Dataset) -> dict[Decimal, list[str]]:
    """Every fact's value, to the ids of the facts that have it (the literal-number warning's lookup)."""
    out: dict[Decimal, list[str]] = {}
    for _, facts in ds.facts_by_file():
        for fact in facts:
            if fact.value is not None:
                out.setdefault(Decimal(repr(fact.value)).normalize(), []).append(fact.id)
    return out
