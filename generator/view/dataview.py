"""The dataset as a document reads it: a view that notes every read in the document's Reads (deps.py).

Renders read the dataset only through a DataView (the Writer's `w.ds`): the records a document goes
through, and which there are (`data/districts/#ids`: a district added or removed rebuilds what goes
through all of them); the facts, places, terms, measures and indicators it looks up, and whether one
exists. The worker lends writers one too while they write a file (the DOCX's dates, the WeChat QR code):
what they read is kept in the manifest with the file, and checked as a document's reads are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..hashing import MISSING
from .deps import (DISTRICTS, EVENTS, FACTS, INDICATORS, LISTING, PUBLISHED, PUBLISHED_DATE, Reads, Tracked, digest,
                   place_value)

if TYPE_CHECKING:
    from ..records.lookups import Dataset


class DataView:
    """The dataset as one document (or one written file) reads it: every read is noted in its Reads.

    It offers what renders read of a Dataset, by the same names; what it does not offer is not
    read past it (an AttributeError says so, rather than a read that would go unnoted).
    """

    def __init__(self, ds: Dataset, reads: Reads):
        self._ds, self._reads = ds, reads

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"a document reads '{name}' of the dataset unnoted: give DataView a way to read it")

    @property
    def districts(self) -> Mapping[str, Any]:
        return _Records(self._ds.districts, self._ds.district_files, DISTRICTS, self._reads)

    @property
    def events(self) -> Mapping[str, Any]:
        return _Records(self._ds.events, self._ds.event_files, EVENTS, self._reads)

    @property
    def district_files(self) -> Mapping[str, str]:
        return _Records(self._ds.district_files, None, DISTRICTS, self._reads)

    @property
    def event_files(self) -> Mapping[str, str]:
        return _Records(self._ds.event_files, None, EVENTS, self._reads)

    @property
    def series(self) -> Any:
        return self._reads.track(self._ds.series, "data/series.yaml#")

    @property
    def indicators(self) -> Any:
        return self._reads.track(self._ds.indicators, f"data/measures.yaml#{INDICATORS}")

    @property
    def places(self) -> Mapping[str, Any]:
        return _Table(self._ds.places, "data/gazetteer.yaml", self._ds.root, self._reads, place_value)

    @property
    def terms(self) -> Mapping[str, Any]:
        return _Table(self._ds.terms, "data/glossary.yaml", self._ds.root, self._reads)

    @property
    def measures(self) -> Mapping[str, Any]:
        return _Table(self._ds.measures, "data/measures.yaml", self._ds.root, self._reads)

    def facts(self, district_id: str) -> Mapping[str, Any]:
        return _Facts(self._ds.facts(district_id), self._ds.district_files[district_id], self._reads)

    def event_facts(self, event: Any) -> Mapping[str, Any]:
        event = event._obj if isinstance(event, Tracked) else event
        return _Facts(self._ds.event_facts(event), self._ds.event_files[event.id], self._reads)

    def fact_at(self, origin: str) -> Any:
        path, _, fid = origin.rpartition("/")
        fact = self._ds.fact_at(origin)
        self._reads.keys.setdefault(f"{path}#{FACTS}[{fid}]", MISSING if fact is None else digest(fact))
        return fact

    @property
    def publication(self) -> Any:
        publication = self._ds.publication
        self._reads.note(f"{PUBLISHED}#{PUBLISHED_DATE}", publication.date if publication else None)
        return publication

    def corrected(self, stem: str) -> Any:
        corrected = self._ds.corrected(stem)
        self._reads.note(f"{PUBLISHED}#{stem}", corrected)
        return corrected


class _Records(Mapping):
    """A folder's records by id (or their files): which ids there are is noted as the folder's listing."""

    def __init__(self, records: Mapping[str, Any], files: Mapping[str, str] | None, folder: str, reads: Reads):
        self._records, self._files, self._folder, self._reads = records, files, folder, reads

    def _listed(self) -> None:
        self._reads.note(f"{self._folder}#{LISTING}", list(self._records))

    def __getitem__(self, ident: str) -> Any:
        if ident not in self._records:
            self._listed()
            raise KeyError(ident)
        if self._files is None:  # a record's file: named by its id
            return self._records[ident]
        return self._reads.track(self._records[ident], f"{self._files[ident]}#")

    def __contains__(self, ident: object) -> bool:
        self._listed()
        return ident in self._records

    def __iter__(self) -> Iterator[str]:
        self._listed()
        return iter(self._records)

    def __len__(self) -> int:
        self._listed()
        return len(self._records)


class _Table(Mapping):
    """The entries of a list file (gazetteer, glossary, measures): each noted whole when looked up."""

    def __init__(self, entries: Mapping[str, Any], name: str, root: Path, reads: Reads,
                 value: Callable[[Any], Any] | None = None):
        self._entries, self._name, self._path, self._reads = entries, name, root / name, reads
        self._value = value or (lambda v: v)

    def _note(self, ident: str) -> None:
        key = f"{self._name}#{ident}"
        if key not in self._reads.keys:
            found = self._entries.get(ident)
            self._reads.keys[key] = MISSING if found is None else digest(self._value(found))

    def __getitem__(self, ident: str) -> Any:
        self._note(ident)
        return self._entries[ident]

    def __contains__(self, ident: object) -> bool:
        self._note(str(ident))
        return ident in self._entries

    def __iter__(self) -> Iterator[str]:  # every entry: the whole file
        self._reads.note_file(self._name, self._path)
        return iter(self._entries)

    def __len__(self) -> int:
        self._reads.note_file(self._name, self._path)
        return len(self._entries)


class _Facts(Mapping):
    """The facts a record's figures may come from, by id: each read through, their ids as a listing."""

    def __init__(self, facts: Mapping[str, Any], file: str, reads: Reads):
        self._facts, self._key, self._reads = facts, f"{file}#{FACTS}", reads

    def __getitem__(self, fid: str) -> Any:
        return self._reads.track(self._facts[fid], f"{self._key}[{fid}]")

    def __contains__(self, fid: object) -> bool:
        self._reads.keys.setdefault(f"{self._key}[{fid}].id", digest(fid) if fid in self._facts else MISSING)
        return fid in self._facts

    def __iter__(self) -> Iterator[str]:
        self._reads.note(f"{self._key}#shape", list(self._facts))
        return iter(self._facts)

    def __len__(self) -> int:
        self._reads.note(f"{self._key}#shape", list(self._facts))
        return len(self._facts)
