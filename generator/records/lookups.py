"""The load stage's result: the Dataset object and the lookups every later stage reads.

`load_dataset` (dataset.py) fills it; crossref.py checks records against it while it fills; planning,
prose and rendering only read it. It holds typed records, never raw YAML: each file's raw data is
dropped once it is checked, and only the place of each fact is kept, for diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, Location
from .models import District, Event, Fact, Indicator, Measure, Place, Publication, PublishedDocument, Series, Term
from .yamlload import LoadedFile


@dataclass(frozen=True)
class PlaceInfo:
    """A gazetteer place with its chain of parents (nearest first)."""

    place: Place
    parents: tuple[Place, ...]

    @property
    def province(self) -> Place | None:
        return self._nearest({"province", "autonomous-region", "municipality"})

    @property
    def prefecture(self) -> Place | None:
        return self._nearest({"prefecture", "autonomous-prefecture", "prefecture-city"})

    def _nearest(self, levels: set[str]) -> Place | None:
        """Return the nearest parent at one of these levels, if any."""
        return next((p for p in self.parents if p.level in levels), None)


@dataclass
class Dataset:
    """Everything in data/, typed and cross-checked, with where each value came from."""

    root: Path
    series: Series
    places: dict[str, PlaceInfo]
    terms: dict[str, Term]
    districts: dict[str, District]
    measures: dict[str, Measure] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    events: dict[str, Event] = field(default_factory=dict)
    files: dict[str, LoadedFile] = field(default_factory=dict)
    district_files: dict[str, str] = field(default_factory=dict)
    event_files: dict[str, str] = field(default_factory=dict)
    notes: list[Diagnostic] = field(default_factory=list)
    fact_locations: dict[tuple[str, str], Location] = field(default_factory=dict)
    publication: Publication | None = None  # the latest record of data/published/, if any
    publication_file: str | None = None
    overrides: Any = None  # the editor's wording of generated blocks (records/overrides.py: Overrides)

    def facts(self, district_id: str) -> dict[str, Fact]:
        """Return every fact of a district by id."""
        return {f.id: f for b in self.districts[district_id].blocks for i in b.items for f in i.facts}

    def locate_fact(self, origin: str) -> tuple[str, Location | None]:
        """Return the fact id and the place of the fact a printed figure came from ('<file>/<fact id>')."""
        path, _, fid = origin.rpartition("/")
        owners = [did for did, f in self.district_files.items() if f == path]
        owners += [e.district for eid, e in self.events.items() if self.event_files[eid] == path]
        if path == "data/series.yaml":
            owners.append("series")
        for owner in owners:
            if (owner, fid) in self.fact_locations:
                return fid, self.fact_locations[(owner, fid)]
        return fid, None

    def fact_at(self, origin: str) -> Fact | None:
        """Return the fact a figure's origin ('<record file>/<fact id>') names, as the records hold it now."""
        path, _, fid = origin.rpartition("/")
        for record, facts in self.facts_by_file():
            if record == path:
                return next((f for f in facts if f.id == fid), None)
        return None

    def fact_values(self) -> dict[str, dict[str, object]]:
        """Every fact of the records by origin ('<record file>/<fact id>'): its value, unit, qualifier and period."""
        return {f"{path}/{f.id}": {"value": f.value, "value_to": f.value_to, "unit": f.unit,
                                   "qualifier": f.qualifier, "period": f.period}
                for path, facts in self.facts_by_file() for f in facts}

    def names(self) -> tuple[list[str], list[str]]:
        """The names of the gazetteer's places and the glossary's terms, zh and en (党的十八大, 18th Party
        Congress), longest first: read as names, not figures (a name may hold a digit)."""
        zh, en = [], []
        for info in self.places.values():
            p = info.place
            zh += [n for n in (p.zh, p.zh_short) if n]
            en += [n for n in (p.en, p.en_short, p.en_alt) if n]
        for term in self.terms.values():
            zh += [n for n in (term.zh, term.zh_full) if n]
            en += [n for n in (term.en, term.en_short) if n]
        # Longest first, so "Yecheng No. 2 Middle School" goes before "Yecheng".
        return sorted(set(zh), key=len, reverse=True), sorted(set(en), key=len, reverse=True)

    def facts_by_file(self):
        """Each record file with the facts it defines (an event's own, not its district's)."""
        for did in self.districts:
            yield self.district_files[did], list(self.facts(did).values())
        for eid, event in self.events.items():
            yield self.event_files[eid], _own_facts(event)
        yield "data/series.yaml", list(self.series.facts)

    def published(self, stem: str) -> PublishedDocument | None:
        """Return a document (lang/folder/name) as the latest publication record has it, if it was published."""
        return self.publication.documents.get(stem) if self.publication else None

    def corrected(self, stem: str) -> dict[str, Any] | None:
        """What a published document printed that the records now give differently: its title as published and
        each such figure with its fact as it is now. None: not published, or nothing to correct (so recording a
        publication changes nothing a document depends on)."""
        entry = self.published(stem)
        figures = []
        for was in entry.figures if entry else []:
            fact = self.fact_at(was.origin)
            if fact is not None and (fact.value, fact.value_to, fact.unit, fact.qualifier, fact.period) != \
                    (was.value, was.value_to, was.unit, was.qualifier, was.period):
                figures.append((was, fact))
        return {"title": entry.title, "figures": figures} if entry and figures else None

    def event_facts(self, event: Event) -> dict[str, Fact]:
        """Return the facts an event may print: its own and its district's."""
        facts = dict(self.facts(event.district)) if event.district in self.districts else {}
        facts.update({f.id: f for f in _own_facts(event)})
        return facts


def _own_facts(event: Event) -> list[Fact]:
    """The facts an event record itself defines: its lead's, its items' and its own list."""
    return [f for item in [event.lead, *event.items] for f in item.facts] + list(event.facts)
