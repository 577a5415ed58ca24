"""`aidreport new`: commented records an editor fills in, and the gazetteer and source entries they need.

A scaffold is rendered from generator/scaffolds/<kind>.yaml.j2 with the project's own lists (themes,
units, measures, source ids, the district's paired counties), so each field is explained in place
with the values it accepts. Every value the editor must supply is the marker FILL_IN; `check` lists
each one left, at its line (loading.py), until none remains.

Entries added to an existing file (a place in data/gazetteer.yaml, a source in data/series.yaml) go
through a ruamel.yaml round trip, which keeps every comment, quote and line of the rest of the file
as it was. The files of one command are written together or not at all.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, get_args

import jinja2

from ..errors import AidReportError
from ..records.loading import FILL_IN
from ..records.models import ID_PATTERN, UNITS, Event, Place, Theme
from ..records.schema import modeline
from .roundtrip import dumped, load, write_all

SCAFFOLDS = Path(__file__).parent / "scaffolds"


class ScaffoldError(AidReportError):
    """A scaffold cannot be made: the id is taken or malformed, or a file it needs is missing."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint

    def lines(self) -> list[str]:
        return [f"error: {self}" + (f" (hint: {self.hint})" if self.hint else "")]


def _load(path: Path) -> Any:
    if not path.is_file():
        raise ScaffoldError(f"{path.name} not found in data/", "run the command in the project folder, or pass -C")
    return load(path)


def _check_id(ident: str, what: str) -> None:
    if not re.fullmatch(ID_PATTERN, ident):
        raise ScaffoldError(f"'{ident}' is not a valid {what} id",
                            "ids are lowercase ASCII letters, digits and '-', e.g. songjiang")


def _walk_places(places: list) -> list:
    found = []
    for place in places or []:
        found.append(place)
        found.extend(_walk_places(place.get("children", [])))
    return found


def _suggest(ident: str, known: list[str]) -> str:
    close = difflib.get_close_matches(ident, known, n=1)
    return f"did you mean '{close[0]}'?" if close else ""


def _write_all(files: dict[Path, str]) -> None:
    """Write every file or none (roundtrip.write_all), or say which could not be written."""
    try:
        write_all(files)
    except OSError as exc:
        raise ScaffoldError(f"cannot write {exc.filename}: {exc.strerror}") from None


class Project:
    """The data files a scaffold reads and adds to, read as they are (no check: a record may be half filled)."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.gazetteer_path = self.data / "gazetteer.yaml"
        self.series_path = self.data / "series.yaml"
        self.gazetteer = _load(self.gazetteer_path)
        self.places = {p["id"]: p for p in _walk_places(self.gazetteer.get("places", []))}
        self._series = None

    @property
    def series(self) -> Any:
        if self._series is None:
            self._series = _load(self.series_path)
        return self._series

    def source_ids(self) -> list[str]:
        return [s["id"] for s in self.series.get("sources", [])]

    def measures(self) -> list[dict]:
        return list(_load(self.data / "measures.yaml").get("measures", []))

    def relations(self) -> list[str]:
        terms = {t["id"] for t in _load(self.data / "glossary.yaml").get("terms", [])}
        return [t for t in ("east-west-cooperation", "counterpart-support") if t in terms]

    def counties(self) -> list[dict]:
        return [p for p in self.places.values() if p.get("level") in {"county", "autonomous-county", "county-city"}]

    def place(self, ident: str) -> dict:
        if ident not in self.places:
            raise ScaffoldError(f"no place '{ident}' in data/gazetteer.yaml", _suggest(ident, list(self.places)))
        return self.places[ident]

    def free_place_id(self, ident: str) -> None:
        _check_id(ident, "place")
        if ident in self.places:
            found = self.places[ident]
            raise ScaffoldError(f"the gazetteer already has a place '{ident}' ({found['zh']}, {found['en']})",
                                "choose another id")

    def without_place(self, parent: str, ident: str) -> None:
        """Remove a place from its parent's children (`new district --replace`)."""
        children = self.place(parent).get("children") or []
        for i, child in enumerate(children):
            if child.get("id") == ident:
                del children[i]
                break
        del self.places[ident]

    def with_place(self, parent: str, entry: dict) -> str:
        """Return the gazetteer's text with entry added as the last child of parent."""
        from ruamel.yaml.comments import CommentedMap

        node = self.place(parent)
        children = node.get("children")
        if children is None:
            node["children"] = children = []
        children.append(CommentedMap((k, v) for k, v in entry.items() if v is not None))
        return dumped(self.gazetteer)

    def render(self, name: str, **values: Any) -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SCAFFOLDS)), undefined=jinja2.StrictUndefined,
                                 keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
        env.filters["q"] = _quote
        env.filters["listed"] = _listed
        return env.get_template(f"{name}.yaml.j2").render(fill=FILL_IN, **values)


def _quote(value: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _listed(values: list[str], indent: str = "") -> str:
    """Comment lines listing values, wrapped to the width of the file."""
    import textwrap

    lines = textwrap.wrap(", ".join(values), width=100 - len(indent) - 4, break_on_hyphens=False)
    return "\n".join(f"{indent}#   {line}" for line in lines or ["(none yet)"])


def _short(name: str, suffix: str) -> str | None:
    return name[: -len(suffix)].strip() if name.endswith(suffix) and len(name) > len(suffix) else None


def new_district(root: Path, ident: str, zh: str, en: str, replace: bool = False) -> list[Path]:
    """Write data/districts/<id>.yaml, a commented record to fill in, and the district's gazetteer entry.

    replace: start afresh, overwriting the record and the district's entry an earlier run wrote.
    """
    project = Project(root)
    record = project.data / "districts" / f"{ident}.yaml"
    _check_id(ident, "district")
    if record.exists() and not replace:
        raise ScaffoldError(f"data/districts/{ident}.yaml already exists", "open it, or choose another id")
    district = project.places.get(ident)
    if district is not None and _is_district(project, ident):
        if not replace:
            raise ScaffoldError(f"the gazetteer already has the district '{ident}' ({district['zh']}, "
                                f"{district['en']}), from an earlier `aidreport new district`",
                                "run it again with --replace to start the record afresh, or delete that entry "
                                "under shanghai in data/gazetteer.yaml")
        project.without_place("shanghai", ident)
    else:
        project.free_place_id(ident)
    gazetteer = project.with_place("shanghai", {"id": ident, "level": "district", "zh": zh,
                                                "zh_short": _short(zh, "区"), "en": en,
                                                "en_short": _short(en, " District")})
    text = project.render(
        "district", id=ident, zh=zh, en=en, modeline=modeline(root, record), themes=get_args(Theme),
        units=list(UNITS), qualifiers=_qualifiers(), relations=project.relations(),
        sources=project.source_ids(), measures=project.measures(),
        counties=sorted(p["id"] for p in project.counties()))
    _write_all({record: text, project.gazetteer_path: gazetteer})
    return [record, project.gazetteer_path]


def _is_district(project: Project, ident: str) -> bool:
    """Whether a place is one of Shanghai's districts (what `new district` writes into the gazetteer)."""
    return any(child.get("id") == ident for child in project.places.get("shanghai", {}).get("children") or [])


def new_event(root: Path, ident: str, district: str) -> list[Path]:
    """Write data/events/<id>.yaml, a commented event record of district to fill in."""
    project = Project(root)
    _check_id(ident, "event")
    record = project.data / "events" / f"{ident}.yaml"
    if record.exists():
        raise ScaffoldError(f"data/events/{ident}.yaml already exists", "open it, or choose another id")
    known = sorted(p.stem for p in (project.data / "districts").glob("*.yaml"))
    if district not in known:
        raise ScaffoldError(f"no district record '{district}' in data/districts/",
                            _suggest(district, known) or "make it first with `aidreport new district`")
    owner = _load(project.data / "districts" / f"{district}.yaml")
    place = project.places.get(owner.get("place"), {"zh": FILL_IN, "en": FILL_IN})
    counties = [c for p in owner.get("pairings", []) for c in p.get("places", []) if c != FILL_IN]
    kinds = get_args(Event.model_fields["kind"].annotation)
    text = project.render(
        "event", id=ident, district=district, organiser=place, counties=counties, kinds=kinds,
        modeline=modeline(root, record), sources=project.source_ids(), units=list(UNITS),
        qualifiers=_qualifiers(), recurring=("annual", "half-yearly"))
    _write_all({record: text})
    return [record]


def new_place(root: Path, ident: str, zh: str, en: str, level: str, parent: str) -> list[Path]:
    """Add a place (a paired county, a venue) to data/gazetteer.yaml under its parent."""
    project = Project(root)
    project.free_place_id(ident)
    levels = get_args(Place.model_fields["level"].annotation)
    if level not in levels:
        raise ScaffoldError(f"unknown level '{level}'", "one of: " + ", ".join(levels))
    text = project.with_place(parent, {"id": ident, "level": level, "zh": zh, "en": en})
    _write_all({project.gazetteer_path: text})
    return [project.gazetteer_path]


def new_source(root: Path, ident: str, zh: str, en: str) -> list[Path]:
    """Add a source document (which records cite by id) to data/series.yaml."""
    from ruamel.yaml.comments import CommentedMap

    project = Project(root)
    _check_id(ident, "source")
    if ident in project.source_ids():
        raise ScaffoldError(f"data/series.yaml already has a source '{ident}'", "choose another id")
    project.series["sources"].append(CommentedMap([("id", ident), ("title", CommentedMap([("zh", zh), ("en", en)]))]))
    _write_all({project.series_path: dumped(project.series)})
    return [project.series_path]


def _qualifiers() -> list[str]:
    from ..records.models import Qualifier

    return list(get_args(Qualifier))
