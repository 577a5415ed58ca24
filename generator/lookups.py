"""The load stage's result: the Dataset object and the lookups every later stage reads.

`load_dataset` (dataset.py) fills it; crossref.py checks records against it while it fills; planning,
prose and rendering only read it. It holds typed records, never raw YAML: each file's raw data is
dropped once it is checked, and only the place of each fact is kept, for diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostic, Location
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
        if path == "data/series.yaml":
            return next((f for f in self.series.facts if f.id == fid), None)
        for did, name in self.district_files.items():
            if name == path:
                return self.facts(did).get(fid)
        for eid, name in self.event_files.items():
            if name == path:
                event = self.events[eid]
                return {f.id: f for item in [event.lead, *event.items] for f in item.facts} \
                    .get(fid) or {f.id: f for f in event.facts}.get(fid)
        return None

    def fact_values(self) -> dict[str, dict[str, object]]:
        """Every fact of the records by origin ('<record file>/<fact id>'): its value, unit, qualifier and period."""
        owned = [(self.district_files[did], self.facts(did).values()) for did in self.districts]
        owned += [(self.event_files[eid], [f for item in [e.lead, *e.items] for f in item.facts] + list(e.facts))
                  for eid, e in self.events.items()]
        owned.append(("data/series.yaml", self.series.facts))
        return {f"{path}/{f.id}": {"value": f.value, "value_to": f.value_to, "unit": f.unit,
                                   "qualifier": f.qualifier, "period": f.period}
                for path, facts in owned for f in facts}

    def published(self, stem: str) -> PublishedDocument | None:
        """Return a document (lang/folder/name) as the latest publication record has it, if it was published."""
        return self.publication.documents.get(stem) if self.publication else None

    def event_facts(self, event: Event) -> dict[str, Fact]:
        """Return the facts an event may print: its own and its district's."""
        facts = dict(self.facts(event.district)) if event.district in self.districts else {}
        facts.update({f.id: f for item in [event.lead, *event.items] for f in item.facts})
        facts.update({f.id: f for f in event.facts})
        return facts
