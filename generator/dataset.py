"""Load every data file, validate it, and cross-check references: the first half of every build."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import DataError, Diagnostic, Location, relpath
from .models import (FACT_REF, PLACE_REF, Catalog, District, Event, Fact, Gazetteer, Glossary,
                     Indicator, Measure, Place, Series, Term, Text)
from .rules import FactRef, check_facts
from .yamlload import LoadedFile, load_yaml

TERM_REF = re.compile(r"#([a-z0-9]+(?:-[a-z0-9]+)*)")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # ASCII only: full-width digits are refused apart
# Characters that can sit in a document: no controls, no XML-illegal code points, no private use.
# Bidirectional overrides and zero-width marks are refused too: they make text read differently than it is.
BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\ue000-\uf8ff"
                       r"\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
FULLWIDTH_DIGIT = re.compile(r"[\uff10-\uff19]")
COUNTY_LEVELS = {"county", "autonomous-county", "county-city", "district"}


@dataclass(frozen=True)
class PlaceInfo:
    """A gazetteer place with its chain of parents (nearest first)."""

    place: Place
    parents: tuple[Place, ...]

    @property
    def province(self) -> Place | None:
        for p in self.parents:
            if p.level in {"province", "autonomous-region", "municipality"}:
                return p
        return None

    @property
    def prefecture(self) -> Place | None:
        for p in self.parents:
            if p.level in {"prefecture", "autonomous-prefecture", "prefecture-city"}:
                return p
        return None


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

    def event_facts(self, event: Event) -> dict[str, Fact]:
        """Return the facts an event may print: its own and its district's."""
        facts = dict(self.facts(event.district)) if event.district in self.districts else {}
        facts.update({f.id: f for item in [event.lead, *event.items] for f in item.facts})
        facts.update({f.id: f for f in event.facts})
        return facts


class _Collector:
    """Collects diagnostics for one file, mapping data paths to line:col."""

    def __init__(self, loaded: LoadedFile, out: list[Diagnostic]):
        self.loaded = loaded
        self.out = out

    def at(self, path: tuple[Any, ...]) -> Location:
        return self.loaded.locate(path)

    def error(self, path: tuple[Any, ...], message: str, hint: str = "") -> None:
        self.out.append(Diagnostic(self.at(path), message, hint))


def _validate(model: type[BaseModel], loaded: LoadedFile, out: list[Diagnostic]) -> Any:
    """Validate loaded data against model; report each failure at its place."""
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            path = tuple(p for p in loc if not (isinstance(p, str) and p in {"float", "int", "function-after"}))
            if err["type"] == "missing":
                where = loaded.locate(path[:-1])
                message = f"missing field '{path[-1]}'"
                hint = "add it (every text needs both zh and en)" if path[-1] in {"zh", "en"} else "add it"
            elif err["type"] == "extra_forbidden":
                where = loaded.locate(path + ("<key>",))
                message = f"unknown field '{path[-1]}'"
                hint = "check the spelling; see the README's data layout"
            else:
                where = loaded.locate(path)
                field_name = ".".join(str(p) for p in path) or "document"
                message = f"{field_name}: {_explain(err)}"
                hint = _hint(err)
            out.append(Diagnostic(where, message, hint))
        return None


def _explain(err: dict[str, Any]) -> str:
    msg = err["msg"]
    if err["type"] == "string_pattern_mismatch":
        return f"{err['input']!r} is not a valid id or value here"
    if err["type"].endswith("_type"):
        return f"{msg} (got {type(err['input']).__name__} {_short(err['input'])})"
    return msg.removeprefix("Value error, ")


def _hint(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "model_type":
        return "a record is a mapping of fields (id:, place:, …), not a list or a single value"
    if kind == "string_pattern_mismatch":
        return "ids are lowercase ASCII letters, digits and '-'"
    if kind == "literal_error":
        return "use one of the listed values"
    if kind in {"float_type", "int_type"}:
        return "write the number without units or Chinese numerals, e.g. 590000000"
    if kind == "string_type":
        return "quote the value to make it text"
    if kind == "string_too_short":
        return "write the text or remove the field"
    if kind == "string_too_long":
        return "shorten it"
    return ""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def load_dataset(root: Path) -> Dataset:
    """Load and check data/ under root; raise DataError listing every problem.

    Records are read one at a time and checked as they come; each file's raw data and marks are
    dropped once it is checked, so memory stays near the size of the typed records however many
    districts there are.
    """
    data_dir = root / "data"
    problems: list[Diagnostic] = []
    files: dict[str, LoadedFile] = {}

    def load(path: Path) -> LoadedFile | None:
        rel = relpath(path, root)
        if path.is_symlink() or not path.resolve().is_relative_to(data_dir.resolve()):
            problems.append(Diagnostic(Location(rel), "data files may not be symbolic links or lie outside data/",
                                       "copy the file into data/"))
            return None
        loaded, errs = load_yaml(path, rel)
        problems.extend(errs)
        if loaded is not None:
            files[rel] = loaded
        return loaded

    required = {name: data_dir / f"{name}.yaml" for name in ("series", "gazetteer", "glossary", "measures")}
    models: dict[str, Any] = {}
    core: dict[str, LoadedFile] = {}
    for name, model in (("series", Series), ("gazetteer", Gazetteer), ("glossary", Glossary),
                        ("measures", Catalog)):
        path = required[name]
        if not path.exists():
            problems.append(Diagnostic(Location(relpath(path, root)), f"missing data file {name}.yaml",
                                       "every project has data/series.yaml, gazetteer.yaml, glossary.yaml and measures.yaml"))
            continue
        loaded = load(path)
        if loaded is not None:
            core[name] = loaded
            models[name] = _validate(model, loaded, problems)

    series, gazetteer, glossary = models.get("series"), models.get("gazetteer"), models.get("glossary")
    catalog = models.get("measures")
    ready = None not in (series, gazetteer, glossary, catalog)
    dataset = None
    if ready:
        dataset = _core_dataset(root, series, gazetteer, glossary, core, files, problems)
        _check_catalog(dataset, catalog, core["measures"], problems)
        for name in ("gazetteer", "glossary", "measures"):
            core[name].shrink()

    def records(folder: str, model: type[BaseModel], kind: str, check) -> tuple[dict[str, Any], dict[str, str]]:
        """Load, validate and check each record of a folder, one at a time, keeping only the typed record."""
        found: dict[str, Any] = {}
        where: dict[str, str] = {}
        directory = data_dir / folder
        for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
            loaded = load(path)
            if loaded is None:
                continue
            record = _validate(model, loaded, problems)
            if record is not None and record.id != path.stem:
                _Collector(loaded, problems).error(("id",), f"{kind} id '{record.id}' does not match the file name "
                                                   f"'{path.name}'", f"rename the file to {record.id}.yaml or change the id")
            elif record is not None:
                found[record.id] = record
                where[record.id] = loaded.path
                if dataset is not None:
                    check(dataset, record, loaded, problems)
            loaded.shrink()
        return found, where

    districts, district_files = records("districts", District, "record", _check_district)
    if dataset is not None:
        dataset.districts, dataset.district_files = districts, district_files
    events, event_files = records("events", Event, "event", _check_event)
    if dataset is not None:
        dataset.events, dataset.event_files = events, event_files
    if dataset is None:
        raise DataError(problems)
    _check_series(dataset, core["series"], problems)
    core["series"].shrink()
    if problems:
        raise DataError(problems)
    return dataset


def _core_dataset(root: Path, series: Series, gazetteer: Gazetteer, glossary: Glossary,
                  core: dict[str, LoadedFile], files: dict[str, LoadedFile],
                  problems: list[Diagnostic]) -> Dataset:
    """Index the gazetteer and the glossary: what every record is checked against."""
    places: dict[str, PlaceInfo] = {}
    gcol = _Collector(core["gazetteer"], problems)

    def walk(nodes: list[Place], parents: tuple[Place, ...], path: tuple[Any, ...]) -> None:
        for i, place in enumerate(nodes):
            here = path + (i,)
            if place.id in places:
                gcol.error(here + ("id",), f"duplicate place id '{place.id}'", "every place id is unique")
            else:
                places[place.id] = PlaceInfo(place, parents)
            walk(place.children, (place,) + parents, here + ("children",))

    walk(gazetteer.places, (), ("places",))
    terms: dict[str, Term] = {}
    for i, term in enumerate(glossary.terms):
        if term.id in terms:
            _Collector(core["glossary"], problems).error(("terms", i, "id"), f"duplicate term id '{term.id}'")
        terms[term.id] = term
    return Dataset(root, series, places, terms, {}, files=files)


def _check_catalog(ds: Dataset, catalog: Catalog, loaded: LoadedFile, out: list[Diagnostic]) -> None:
    col = _Collector(loaded, out)
    for i, measure in enumerate(catalog.measures):
        if measure.id in ds.measures:
            col.error(("measures", i, "id"), f"duplicate measure id '{measure.id}'")
        ds.measures[measure.id] = measure
        _check_text(ds, measure.label, ("measures", i, "label"), col, None, None)
    seen: set[str] = set()
    for i, indicator in enumerate(catalog.indicators):
        if indicator.id in seen:
            col.error(("indicators", i, "id"), f"duplicate indicator id '{indicator.id}'")
        seen.add(indicator.id)
        if not indicator.measures and indicator.computed is None:
            col.error(("indicators", i), f"indicator '{indicator.id}' has no measures", "list the measures it gathers")
        for j, mid in enumerate(indicator.measures):
            if mid not in ds.measures:
                col.error(("indicators", i, "measures", j), f"unknown measure '{mid}'", "define it under measures")
        _check_text(ds, indicator.label, ("indicators", i, "label"), col, None, None)
    ds.indicators = list(catalog.indicators)


def _check_facts(ds: Dataset, facts: list[Fact], path: tuple[Any, ...], col: _Collector) -> None:
    """Check what every fact refers to: its measure, its scope, its stated growth."""
    for k, fact in enumerate(facts):
        here = path + (k,)
        if fact.measure is not None and fact.measure not in ds.measures:
            col.error(here + ("measure",), f"unknown measure '{fact.measure}'", "define it in data/measures.yaml")
        if fact.scope is not None:
            _check_text(ds, fact.scope, here + ("scope",), col, None, None)
        if fact.say is not None:
            _check_text(ds, fact.say, here + ("say",), col, None, None)
        if fact.previous is not None and fact.growth_stated is not None and fact.value is not None:
            from .numbers import growth

            computed = growth(fact.previous.value, fact.value)
            if computed is not None and abs(computed - fact.growth_stated) > 0.05 and fact.erratum is None:
                col.error(here + ("growth_stated",),
                          f"stated growth {fact.growth_stated}% does not follow from {fact.previous.value:g} to "
                          f"{fact.value:g} ({computed:.2f}%)", "correct the figures or record an erratum")


def _check_places(ds: Dataset, ids: list[str], path: tuple[Any, ...], col: _Collector, counties: bool) -> None:
    for j, pid in enumerate(ids):
        info = ds.places.get(pid)
        if info is None:
            col.error(path + (j,), f"unknown place '{pid}'", "add it to data/gazetteer.yaml or fix the id")
        elif counties and info.place.level not in COUNTY_LEVELS:
            col.error(path + (j,), f"'{pid}' is a {info.place.level}, not a county",
                      "list counties, county-level cities or districts")


def _check_event(ds: Dataset, event: Event, loaded: LoadedFile, out: list[Diagnostic]) -> None:
    col = _Collector(loaded, out)
    if event.district not in ds.districts:
        if not (ds.root / "data" / "districts" / f"{event.district}.yaml").exists():
            col.error(("district",), f"unknown district '{event.district}'",
                      "use the id of a record in data/districts/")
        return  # a record that exists but failed is reported in its own file
    for name in ("headline", "subhead", "organiser"):
        text = getattr(event, name)
        if text is not None:
            _check_text(ds, text, (name,), col, None, None)
    _check_places(ds, event.venues, ("venues",), col, counties=False)
    _check_places(ds, event.counties, ("counties",), col, counties=True)
    if event.date_to is not None and (event.date is None or event.date_to <= event.date):
        col.error(("date_to",), "date_to must come after date", "write the first day as date")
    facts = ds.event_facts(event)
    own = _check_fact_ids(event.facts, ("facts",), col)
    _check_facts(ds, event.facts, ("facts",), col)
    district_facts = ds.facts(event.district)
    for fid in own:
        if fid in district_facts:
            col.error(("facts",), f"fact '{fid}' repeats a fact of the district record",
                      f"refer to it as {{{fid}}} instead")
    used: set[str] = set()
    for path, item in [(("lead",), event.lead)] + [(("items", i), it) for i, it in enumerate(event.items)]:
        _check_facts(ds, item.facts, path + ("facts",), col)
        _check_text(ds, item.text, path + ("text",), col, facts, used)
    for k, fact in enumerate(event.facts):
        if fact.id not in used:
            col.error(("facts", k, "id"), f"fact '{fact.id}' is never printed", f"refer to it as {{{fact.id}}}")
    if event.quote is not None:
        _check_text(ds, event.quote.text, ("quote", "text"), col, None, None)
        _check_text(ds, event.quote.speaker, ("quote", "speaker"), col, None, None)


def _check_text(ds: Dataset, text: Text, path: tuple[Any, ...], col: _Collector, facts: dict[str, Fact] | None,
                used: set[str] | None) -> None:
    """Check one bilingual passage: references resolve, both languages say the same things."""
    refs: dict[str, set[str]] = {}
    reported: set[str] = set()  # an unknown reference in both languages is reported once
    for lang in ("zh", "en"):
        value = getattr(text, lang)
        where = path + (lang,)
        bad = BAD_CHARS.search(value)
        if bad:
            col.error(where, f"character U+{ord(bad.group()):04X} cannot be printed",
                      "remove control, formatting or private-use characters")
        wide = FULLWIDTH_DIGIT.search(value)
        if wide:
            col.error(where, f"full-width digit '{wide.group()}' in text", "write figures as facts, in ASCII digits")
        places = {m.group(1) for m in PLACE_REF.finditer(value)}
        terms = {m.group(1) for m in TERM_REF.finditer(value)}
        fact_ids = {m.group(1) for m in FACT_REF.finditer(value)}
        for pid in sorted(places - ds.places.keys() - reported):
            col.error(where, f"unknown place '@{pid}'", "add it to data/gazetteer.yaml or fix the id")
        for tid in sorted(terms - ds.terms.keys() - reported):
            col.error(where, f"unknown glossary term '#{tid}'", "add it to data/glossary.yaml or fix the id")
        for fid in sorted(fact_ids - (facts or {}).keys() - reported):
            col.error(where, f"unknown fact '{{{fid}}}'", "define the fact in this item's facts")
        reported |= places | terms | fact_ids
        if used is not None:
            used.update(fact_ids)
        refs[lang] = {f"@{p}" for p in places} | {f"#{t}" for t in terms} | {f"{{{f}}}" for f in fact_ids}
        if lang == "en":
            han = HAN.search(PLACE_REF.sub("", value))
            if han:
                col.error(where, f"Chinese character '{han.group()}' in English text",
                          "write the English, or use @place / #term references")
    only_zh, only_en = refs["zh"] - refs["en"], refs["en"] - refs["zh"]
    if only_zh or only_en:
        parts = []
        if only_zh:
            parts.append("only in zh: " + ", ".join(sorted(only_zh)))
        if only_en:
            parts.append("only in en: " + ", ".join(sorted(only_en)))
        col.error(path, "zh and en texts differ in what they refer to (" + "; ".join(parts) + ")",
                  "both languages must name the same places, terms and figures")
    strip = lambda s: FACT_REF.sub("", PLACE_REF.sub("", TERM_REF.sub("", s)))  # noqa: E731
    zh_digits = sorted(DIGITS.findall(strip(text.zh)))
    en_digits = sorted(DIGITS.findall(strip(text.en).replace(",", "")))
    if zh_digits != en_digits:
        zh_at, en_at = col.at(path + ("zh",)), col.at(path + ("en",))
        col.error(path + ("zh",), f"figures written into the text differ: zh (line {zh_at.line}) {zh_digits} vs "
                                  f"en (line {en_at.line}) {en_digits}",
                  "put figures in facts and refer to them as {fact-id}")


def _check_series(ds: Dataset, loaded: LoadedFile, out: list[Diagnostic]) -> None:
    col = _Collector(loaded, out)
    s = ds.series
    for name in ("kicker", "title"):
        _check_text(ds, getattr(s, name), (name,), col, None, None)
    _check_text(ds, s.follow.account, ("follow", "account"), col, None, None)
    if s.principle not in ds.terms:
        col.error(("principle",), f"unknown glossary term '{s.principle}'", "add it to data/glossary.yaml")
    for i, tid in enumerate(s.intro_terms):
        if tid not in ds.terms:
            col.error(("intro_terms", i), f"unknown glossary term '{tid}'", "add it to data/glossary.yaml")
    seen: set[str] = set()
    for i, inst in enumerate(s.instalments):
        if inst.id in seen:
            col.error(("instalments", i, "id"), f"duplicate instalment id '{inst.id}'")
        seen.add(inst.id)
        for j, did in enumerate(inst.districts):
            # A record that exists but failed its own checks is reported there, not again here.
            if did not in ds.districts and not (ds.root / "data" / "districts" / f"{did}.yaml").exists():
                col.error(("instalments", i, "districts", j), f"unknown district '{did}'",
                          "add data/districts/<id>.yaml or fix the id")
    _check_fact_ids(s.facts, ("facts",), col)
    for k, fact in enumerate(s.facts):
        ds.fact_locations[("series", fact.id)] = col.at(("facts", k))


def _check_fact_ids(facts: list[Fact], path: tuple[Any, ...], col: _Collector) -> dict[str, Fact]:
    seen: dict[str, Fact] = {}
    for i, fact in enumerate(facts):
        if fact.id in seen:
            col.error(path + (i, "id"), f"duplicate fact id '{fact.id}'", "fact ids are unique in a record")
        seen[fact.id] = fact
    return seen


def _check_district(ds: Dataset, record: District, loaded: LoadedFile, out: list[Diagnostic]) -> None:
    col = _Collector(loaded, out)
    if record.place not in ds.places:
        col.error(("place",), f"unknown place '{record.place}'", "add it to data/gazetteer.yaml")
    _check_text(ds, record.headline, ("headline",), col, None, None)
    for i, pairing in enumerate(record.pairings):
        if pairing.relation not in ds.terms:
            col.error(("pairings", i, "relation"), f"unknown glossary term '{pairing.relation}'",
                      "use east-west-cooperation or counterpart-support, or add the term")
        for j, pid in enumerate(pairing.places):
            info = ds.places.get(pid)
            if info is None:
                col.error(("pairings", i, "places", j), f"unknown county '{pid}'",
                          "add it to data/gazetteer.yaml or fix the id")
            elif info.place.level not in COUNTY_LEVELS:
                col.error(("pairings", i, "places", j), f"'{pid}' is a {info.place.level}, not a county",
                          "pair counties, county-level cities or districts")
    all_facts: dict[str, Fact] = {}
    refs: dict[str, FactRef] = {}
    block_ids: set[str] = set()
    for b, block in enumerate(record.blocks):
        if block.id:
            if block.id in block_ids:
                col.error(("blocks", b, "id"), f"duplicate block id '{block.id}'")
            block_ids.add(block.id)
        for i, item in enumerate(block.items):
            here = ("blocks", b, "items", i)
            facts = _check_fact_ids(item.facts, here + ("facts",), col)
            for k, fact in enumerate(item.facts):
                if fact.id in all_facts:
                    col.error(here + ("facts", k, "id"), f"duplicate fact id '{fact.id}'",
                              "fact ids are unique in a record")
                all_facts[fact.id] = fact
                refs[fact.id] = FactRef(fact, col.at(here + ("facts", k)))
            _check_facts(ds, item.facts, here + ("facts",), col)
            used: set[str] = set()
            _check_text(ds, item.text, here + ("text",), col, facts, used)
            for k, fact in enumerate(item.facts):
                if fact.id not in used:
                    col.error(here + ("facts", k, "id"), f"fact '{fact.id}' is never printed",
                              f"refer to it as {{{fact.id}}} in the item's text")
    check_facts(refs, out, ds.notes)
    ds.fact_locations.update({(record.id, fid): ref.location for fid, ref in refs.items()})
    for p, photo in enumerate(record.photos):
        _check_text(ds, photo.caption, ("photos", p, "caption"), col, None, None)
        if photo.image is not None:
            problem = image_problem(ds.root, photo.image)
            if problem:
                col.error(("photos", p, "image"), problem, "put the picture in data/photos/ and name it relative to it")
        if photo.after != "box" and photo.after not in block_ids:
            col.error(("photos", p, "after"), f"no block with id '{photo.after}'", "use a block id or 'box'")


IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*\.(png|jpe?g)$")


def image_problem(root: Path, name: str) -> str:
    """Return why a photo path is refused, or '' when it names a picture inside data/photos/."""
    if not IMAGE_NAME.match(name):
        return f"image '{name}' is not a plain path under data/photos/ (lowercase, no '..', .png or .jpg)"
    base = (root / "data" / "photos").resolve()
    path = root / "data" / "photos" / name
    if path.is_symlink() or not path.resolve().is_relative_to(base):
        return f"image '{name}' leads outside data/photos/"
    if not path.is_file():
        return f"image '{name}' does not exist in data/photos/"
    head = path.read_bytes()[:8]
    if not (head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8")):
        return f"image '{name}' is not a PNG or JPEG file"
    return ""
