"""Dependencies recorded while rendering, as Lektor's builder records them.

A render reads the dataset through `Reads`: every record field, fact, place, term, measure and label
it touches, and every template Jinja loads, is noted under a key with the hash of what was read.
The manifest keeps those keys; the next build asks `current()` for each key's hash in the new data,
and a document is stale exactly when one of them differs. Nobody keeps a list of inputs by hand.

Keys name a file and a path in it: `data/districts/baoshan.yaml#blocks[industry].items.2.text.zh`,
`data/districts/baoshan.yaml#facts[luoping-firms]`, `data/gazetteer.yaml#luoping`,
`templates/labels.yaml#zh.box_title`, a whole file: `templates/brief.html.j2`, or which records a
folder holds: `data/districts/#ids` (a document that goes through every district depends on the set of
them, so a district added or removed rebuilds it).

A document reads the dataset through a view that notes every read (dataview.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..hashing import MISSING, digest as plain_digest, file_digest
from ..records.overrides import KEY as OVERRIDES

if TYPE_CHECKING:
    from ..records.lookups import Dataset

PUBLISHED = "data/published"  # key of what a document corrects of the latest publication record (its stem)
PUBLISHED_DATE = "date"  # ... and of the record's date
DISTRICTS, EVENTS = "data/districts/", "data/events/"  # the folders of records, one a file named by its id
LISTING = "ids"  # the path of a folder's key that names its records: data/districts/#ids
# Every Traditional name the gazetteer and glossary give: the zh-Hant edition applies them to all its text,
# names written plainly included, so a new one reconverts every Traditional document.
TRADITIONAL_NAMES = "data/gazetteer.yaml#@zh_hant"
FACTS = "facts"  # a record's facts, its figures' and (an event's) its district's: file#facts[id], file#facts#shape
INDICATORS = "indicators"  # the comparison brief's rows: data/measures.yaml#indicators[id].label.zh


def digest(value: Any) -> str:
    """Hash a value (bytes as they are, a record model as its JSON, anything else as sorted JSON)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return plain_digest(value, default=_plain)


def _plain(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else str(value)


class Reads:
    """What one document read: key -> hash of the value read."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def note(self, key: str, value: Any) -> None:
        if key not in self.keys:
            self.keys[key] = digest(value)

    def note_file(self, key: str, path: Path) -> None:
        if key not in self.keys:
            self.keys[key] = file_digest(path)

    def track(self, value: Any, key: str) -> Any:
        """Return value, wrapped so that what is read from it is noted (primitives are noted now)."""
        if isinstance(value, BaseModel):
            return Tracked(value, key, self)
        if isinstance(value, (list, tuple)):
            return TrackedList(value, key, self)
        if isinstance(value, Mapping):
            return TrackedMap(value, key, self)
        self.note(key, value)
        return value


def _child_key(key: str, item: Any, index: int) -> str:
    ident = getattr(item, "id", None)
    return f"{key}[{ident}]" if isinstance(ident, str) else f"{key}.{index}"


class Tracked:
    """A record (a pydantic model) whose fields note themselves when read."""

    __slots__ = ("_obj", "_key", "_reads")

    def __init__(self, obj: BaseModel, key: str, reads: Reads):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_reads", reads)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._obj, name)
        if callable(value) or name.startswith("_"):
            return value
        return self._reads.track(value, f"{self._key}.{name}")

    def __bool__(self) -> bool:
        return True

    def unwrap(self) -> BaseModel:
        """Return the record itself, noting it whole (a caller will read all of it)."""
        self._reads.note(self._key, self._obj)
        return self._obj


class TrackedList:
    """A list read item by item; its length (and the items' ids) are noted when it is walked."""

    __slots__ = ("_items", "_key", "_reads")

    def __init__(self, items: list | tuple, key: str, reads: Reads):
        self._items, self._key, self._reads = items, key, reads

    def _note_shape(self) -> None:
        self._reads.note(self._key + "#shape", [getattr(i, "id", None) for i in self._items])

    def __iter__(self) -> Iterator[Any]:
        self._note_shape()
        for index, item in enumerate(self._items):
            yield self._reads.track(item, _child_key(self._key, item, index))

    def __len__(self) -> int:
        self._note_shape()
        return len(self._items)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index: int) -> Any:
        item = self._items[index]
        return self._reads.track(item, _child_key(self._key, item, index))


class TrackedMap(Mapping):
    """A mapping (the labels) read key by key; Jinja's `L.name` works as on the plain mapping."""

    def __init__(self, data: Mapping, key: str, reads: Reads):
        self._data, self._key, self._reads = data, key, reads

    def __getitem__(self, name: str) -> Any:
        return self._reads.track(self._data[name], f"{self._key}.{name}")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        self._reads.note(self._key + "#shape", sorted(self._data))
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def place_value(info: Any) -> Any:
    """What a document reads of a gazetteer place: the place and its parents, not their other children."""
    return [p.model_dump(mode="json", exclude={"children"}) for p in (info.place, *info.parents)]


def unwrap(value: Any) -> Any:
    """Return the plain value behind a tracked one (noting it whole)."""
    return value.unwrap() if isinstance(value, Tracked) else value


# Reading a key again in new data ------------------------------------------------------------------

class Current:
    """Hashes of the keys in the project as it is now, for comparing with a manifest's."""

    def __init__(self, root: Path, ds: Dataset, labels: Mapping[str, Any]):
        self.root = root
        self.files: dict[str, Any] = {"templates/labels.yaml": labels}
        self.files |= {name: ds.districts[did] for did, name in ds.district_files.items()}
        self.files |= {name: ds.events[eid] for eid, name in ds.event_files.items()}
        self.files["data/series.yaml"] = ds.series
        self.listings = {DISTRICTS: list(ds.districts), EVENTS: list(ds.events)}
        self.ds = ds
        self._memo: dict[str, str] = {}

    def __call__(self, key: str) -> str:
        if key not in self._memo:
            self._memo[key] = self._hash(key)
        return self._memo[key]

    def _hash(self, key: str) -> str:
        name, _, path = key.partition("#")
        if not path:
            return file_digest(self.root / name)
        found = self._lookup(name, path)
        return MISSING if found is _NOTHING else digest(found)

    def _lookup(self, name: str, path: str) -> Any:
        if name in self.listings:
            return self.listings[name] if path == LISTING else _NOTHING
        if name == OVERRIDES:  # a document's overrides in one language: <lang>/<folder>/<name>
            code, _, label = path.partition("/")
            found = self.ds.overrides.of(label, code) if self.ds.overrides is not None else []
            return [o.model_dump(mode="json") for o in found]
        if f"{name}#{path}" == TRADITIONAL_NAMES:
            from ..words.hanzi import overrides

            return overrides(self.ds)
        if name == "data/gazetteer.yaml":
            return place_value(self.ds.places[path]) if path in self.ds.places else _NOTHING
        if name == "data/glossary.yaml":
            return self.ds.terms.get(path, _NOTHING)
        if name == "data/measures.yaml":
            if _under(path, INDICATORS):
                return walk({INDICATORS: self.ds.indicators}, path)
            return self.ds.measures.get(path, _NOTHING)
        if name == PUBLISHED:  # a document's entry, or the date of the record
            return self.ds.publication.date if path == PUBLISHED_DATE and self.ds.publication else self.ds.corrected(path)
        if name not in self.files:
            return _NOTHING
        if _under(path, FACTS):  # facts[id], facts[id].measure, facts#shape: as the facts a figure may come from
            return walk(list(self._facts(name).values()), path[len(FACTS):])
        return walk(self.files[name], path, self.ds)

    def _facts(self, name: str) -> dict[str, Any]:
        """Return the facts a record's figures may come from (an event's include its district's)."""
        record = self.files[name]
        if name == "data/series.yaml":
            return {f.id: f for f in record.facts}
        if name in self.ds.district_files.values():
            return self.ds.facts(record.id)
        return self.ds.event_facts(record)


_NOTHING = object()


def _under(path: str, first: str) -> bool:
    return path == first or path.startswith((f"{first}[", f"{first}.", f"{first}#"))


def walk(value: Any, path: str, ds: Dataset | None = None) -> Any:
    """Follow a key's path (`a.b[id].c.2#shape`) through records as the tracked read did."""
    path, _, shape = path.partition("#")
    for part in _split(path):
        value = _step(value, part, ds)
        if value is _NOTHING:
            return _NOTHING
    if shape:
        if isinstance(value, Mapping):
            return sorted(value)
        return [getattr(i, "id", None) for i in value]
    return value


def _split(path: str) -> list[str]:
    parts: list[str] = []
    for chunk in path.split("."):
        while "[" in chunk:
            head, _, rest = chunk.partition("[")
            if head:
                parts.append(head)
            ident, _, chunk = rest.partition("]")
            parts.append(f"[{ident}]")
        if chunk:
            parts.append(chunk)
    return parts


def _step(value: Any, part: str, ds: Dataset | None) -> Any:
    if part.startswith("["):
        ident = part[1:-1]
        return next((i for i in value if getattr(i, "id", None) == ident), _NOTHING)
    if isinstance(value, Mapping):
        return value.get(part, _NOTHING)
    if isinstance(value, (list, tuple)):
        return value[int(part)] if part.isdigit() and int(part) < len(value) else _NOTHING
    return getattr(value, part, _NOTHING)
