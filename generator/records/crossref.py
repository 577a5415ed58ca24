"""The check stage: every record checked against the gazetteer, the glossary, the measures and itself.

Runs while the data loads (dataset.py calls it record by record, in a fixed order): ids unique, every
@place, #term and {fact} reference known, both languages naming the same things and the same
figures, events and photos pointing at what exists. The number rules over a record's facts are in
rules.py. Every problem is reported at the file:line:col of the value it is about.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, Location
from .loading import Collector, Loader
from .lookups import Dataset, PlaceInfo
from .models import (FACT_REF, PLACE_REF, TERM_REF, Catalog, District, Event, Fact, Gazetteer, Glossary, Item, Place,
                     Series, Term, Text)
from .rules import FactRef, check_facts, growth
from .yamlload import LoadedFile

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # ASCII only: full-width digits are refused apart
# Characters that can sit in a document: no controls, no XML-illegal code points, no private use.
# Bidirectional overrides and zero-width marks are refused too: they make text read differently than it is.
BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\ue000-\uf8ff"
                       r"\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
FULLWIDTH_DIGIT = re.compile(r"[\uff10-\uff19]")
# Chinese punctuation that slips into English text, with what English writes instead.
ASCII_OF = {"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "、": ",", "！": "!", "？": "?"}
FULLWIDTH_PUNCT = re.compile("[" + "".join(ASCII_OF) + "]")
COUNTY_LEVELS = {"county", "autonomous-county", "county-city", "district"}
NAMES = ("zh", "zh_short", "zh_full", "zh_hant", "zh_hant_short", "zh_hant_full", "en", "en_short", "en_alt")
BARE_FIGURE = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?%?")


def index_core(loader: Loader, series: Series, gazetteer: Gazetteer, glossary: Glossary,
               core: dict[str, LoadedFile]) -> Dataset:
    """Index the gazetteer and the glossary: what every record is checked against."""
    problems = loader.problems
    places: dict[str, PlaceInfo] = {}
    gcol = Collector(core["gazetteer"], problems)

    def walk(nodes: list[Place], parents: tuple[Place, ...], path: tuple[Any, ...]) -> None:
        for i, place in enumerate(nodes):
            here = path + (i,)
            if place.id in places:
                gcol.error(here + ("id",), f"duplicate place id '{place.id}'", "every place id is unique")
            else:
                places[place.id] = PlaceInfo(place, parents)
            _check_names(place, here, gcol)
            walk(place.children, (place,) + parents, here + ("children",))

    walk(gazetteer.places, (), ("places",))
    terms: dict[str, Term] = {}
    tcol = Collector(core["glossary"], problems)
    for i, term in enumerate(glossary.terms):
        if term.id in terms:
            tcol.error(("terms", i, "id"), f"duplicate term id '{term.id}'")
        terms[term.id] = term
        _check_names(term, ("terms", i), tcol)
    return Dataset(loader.root, series, places, terms, {}, files=loader.files)


def _check_names(entry: Place | Term, path: tuple[Any, ...], col: Collector) -> None:
    """Names are printed as they stand: no character that reads otherwise, and no bare figure, which the
    editions' comparison of figures would count (a name with a figure in it, 18th Party Congress, is a name)."""
    for field in NAMES:
        name = getattr(entry, field, None)
        if name is None:
            continue
        bad = BAD_CHARS.search(name)
        if bad:
            col.error(path + (field,), f"character U+{ord(bad.group()):04X} cannot be printed",
                      "remove control, formatting or private-use characters")
        if BARE_FIGURE.fullmatch(name.strip()):
            col.error(path + (field,), f"name '{name.strip()}' is only a figure",
                      "write the name in words: documents would read it as a figure")


def check_catalog(ds: Dataset, catalog: Catalog, loaded: LoadedFile, out: list[Diagnostic]) -> None:
    col = Collector(loaded, out)
    for i, measure in enumerate(catalog.measures):
        if measure.id in ds.measures:
            col.error(("measures", i, "id"), f"duplicate measure id '{measure.id}'")
        ds.measures[measure.id] = measure
        _check_text(ds, measure.label, ("measures", i, "label"), col)
    seen: set[str] = set()
    for i, indicator in enumerate(catalog.indicators):
        if indicator.id in seen:
            col.error(("indicators", i, "id"), f"duplicate indicator id '{indicator.id}'")
        seen.add(indicator.id)
        if not indicator.measures and indicator.computed is None:
            col.error(("indicators", i), f"indicator '{indicator.id}' has no measures", "list the measures it gathers")
        for j, mid in enumerate(indicator.measures):
            if mid not in ds.measures:
                col.error(("indicators", i, "measures", j), f"unknown measure '{mid}'",
                          did_you_mean(mid, ds.measures, "define it under measures"))
        _check_text(ds, indicator.label, ("indicators", i, "label"), col)
    ds.indicators = list(catalog.indicators)


def _check_facts(ds: Dataset, facts: list[Fact], path: tuple[Any, ...], col: Collector) -> None:
    """Check what every fact refers to: its measure, its scope, its stated growth."""
    for k, fact in enumerate(facts):
        here = path + (k,)
        if fact.measure is not None and fact.measure not in ds.measures:
            col.error(here + ("measure",), f"unknown measure '{fact.measure}'",
                      did_you_mean(fact.measure, ds.measures, "define it in data/measures.yaml"))
        if fact.scope is not None:
            _check_text(ds, fact.scope, here + ("scope",), col)
        if fact.previous is not None and fact.growth_stated is not None and fact.value is not None:
            computed = growth(fact.previous.value, fact.value)
            if computed is not None and abs(computed - fact.growth_stated) > 0.05 and fact.erratum is None:
                col.error(here + ("growth_stated",),
                          f"stated growth {fact.growth_stated}% does not follow from {fact.previous.value:g} to "
                          f"{fact.value:g} ({computed:.2f}%)", "correct the figures or record an erratum")


def _check_places(ds: Dataset, ids: list[str], path: tuple[Any, ...], col: Collector, counties: bool) -> None:
    for j, pid in enumerate(ids):
        info = ds.places.get(pid)
        if info is None:
            col.error(path + (j,), f"unknown place '{pid}'", did_you_mean(pid, ds.places, "add it to data/gazetteer.yaml"))
        elif counties and info.place.level not in COUNTY_LEVELS:
            col.error(path + (j,), f"'{pid}' is a {info.place.level}, not a county",
                      "list counties, county-level cities or districts")


def check_event(ds: Dataset, event: Event, loaded: LoadedFile, out: list[Diagnostic]) -> None:
    col = Collector(loaded, out)
    # The lead's block is the release's lead: it may go without an id, and its id, if any, is one of the record's.
    lead = [(("lead",), event.lead)] if event.lead.id is not None else []
    _check_item_ids(lead + [(("items", i), item) for i, item in enumerate(event.items)], set(), col)
    if event.district not in ds.districts:
        if not (ds.root / "data" / "districts" / f"{event.district}.yaml").exists():
            known = [f.stem for f in (ds.root / "data" / "districts").glob("*.yaml")]
            col.error(("district",), f"unknown district '{event.district}'",
                      did_you_mean(event.district, known, "use the id of a record in data/districts/"))
        return  # a record that exists but failed is reported in its own file
    for name in ("headline", "subhead", "organiser"):
        text = getattr(event, name)
        if text is not None:
            _check_text(ds, text, (name,), col)
    _check_places(ds, event.venues, ("venues",), col, counties=False)
    _check_places(ds, event.counties, ("counties",), col, counties=True)
    if event.date_to is not None and (event.date is None or event.date_to <= event.date):
        col.error(("date_to",), "date_to must come after date", "write the first day as date")
    last = event.date_to or event.date
    if event.release_date is None and (last is None or last.count("-") != 2):
        col.error(("date_to",) if event.date_to else ("date",) if event.date else (),
                  "the release needs a date: the event's is not a full day",
                  "add release_date: YYYY-MM-DD (the day the release goes out)")
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
        _check_text(ds, event.quote.text, ("quote", "text"), col)
        _check_text(ds, event.quote.speaker, ("quote", "speaker"), col)


def did_you_mean(unknown: str, known: Any, otherwise: str) -> str:
    """Return a hint naming the closest known id (difflib), else what to do instead."""
    close = difflib.get_close_matches(unknown, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? otherwise {otherwise}" if close else otherwise


def _check_punctuation(value: str, where: tuple[Any, ...], col: Collector) -> None:
    """Refuse Chinese (full-width) punctuation in English text, at the column of the mark itself."""
    for m in FULLWIDTH_PUNCT.finditer(value):
        at = col.at(where)
        line = _source_line(col, at.line)
        column = line.find(m.group(), at.col - 1) + 1 if line else 0
        location = Location(at.path, at.line, column) if column > 0 else at
        col.out.append(Diagnostic(location, f"full-width '{m.group()}' in English text",
                                  f"write '{_ascii_for(value, m)}' instead"))


def _ascii_for(value: str, m: re.Match) -> str:
    """The ASCII mark for a full-width one, with the space English sets beside it where the text has none:
    '@qujing，Baoshan' wants ', ', 'Qujing（Yunnan）' wants ' ('."""
    mark = ASCII_OF[m.group()]
    before, after = value[m.start() - 1 : m.start()], value[m.end() : m.end() + 1]
    if m.group() == "（" and before and not before.isspace():
        return " " + mark
    if m.group() not in "（）" and after and not after.isspace() and after not in "\"'）)":
        return mark + " "
    return mark


def _source_line(col: Collector, number: int) -> str:
    source = col.loaded.source
    try:
        lines = source.read_text(encoding="utf-8").splitlines() if source else []
    except OSError:
        return ""
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _check_text(ds: Dataset, text: Text, path: tuple[Any, ...], col: Collector, facts: dict[str, Fact] | None = None,
                used: set[str] | None = None) -> None:
    """Check one bilingual passage: references resolve, both languages say the same things.

    facts: the facts its {fact} references may name (none when omitted); used: gathers the ids it names.
    """
    refs: dict[str, set[str]] = {}
    reported: set[str] = set()  # an unknown reference in both languages is reported once
    unknown: set[str] = set()
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
            col.error(where, f"unknown place '@{pid}'", did_you_mean(pid, ds.places, "add it to data/gazetteer.yaml"))
        for tid in sorted(terms - ds.terms.keys() - reported):
            col.error(where, f"unknown glossary term '#{tid}'",
                      did_you_mean(tid, ds.terms, "add it to data/glossary.yaml"))
        for fid in sorted(fact_ids - (facts or {}).keys() - reported):
            col.error(where, f"unknown fact '{{{fid}}}'",
                      did_you_mean(fid, facts or {}, "define the fact in this item's facts"))
        unknown |= (places - ds.places.keys()) | (terms - ds.terms.keys()) | (fact_ids - (facts or {}).keys())
        reported |= places | terms | fact_ids
        if used is not None:
            used.update(fact_ids)
        refs[lang] = {f"@{p}" for p in places} | {f"#{t}" for t in terms} | {f"{{{f}}}" for f in fact_ids}
        if lang == "en":
            _check_punctuation(value, where, col)
            han = HAN.search(PLACE_REF.sub("", value))
            if han:
                col.error(where, f"Chinese character '{han.group()}' in English text",
                          "write the English, or use @place / #term references")
    only_zh, only_en = refs["zh"] - refs["en"], refs["en"] - refs["zh"]
    # A reference misspelt in one language is one slip: its unknown name is reported, not the mismatch too.
    if (only_zh or only_en) and not unknown:
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


def check_series(ds: Dataset, loaded: LoadedFile, out: list[Diagnostic]) -> None:
    col = Collector(loaded, out)
    s = ds.series
    for name in ("kicker", "title"):
        _check_text(ds, getattr(s, name), (name,), col)
    _check_text(ds, s.follow.account, ("follow", "account"), col)
    if s.principle not in ds.terms:
        col.error(("principle",), f"unknown glossary term '{s.principle}'",
                  did_you_mean(s.principle, ds.terms, "add it to data/glossary.yaml"))
    for i, tid in enumerate(s.intro_terms):
        if tid not in ds.terms:
            col.error(("intro_terms", i), f"unknown glossary term '{tid}'",
                      did_you_mean(tid, ds.terms, "add it to data/glossary.yaml"))
    seen: set[str] = set()
    for i, inst in enumerate(s.instalments):
        if inst.id in seen:
            col.error(("instalments", i, "id"), f"duplicate instalment id '{inst.id}'")
        seen.add(inst.id)
        if inst.date and not s.run_from[:len(inst.date)] <= inst.date <= s.run_to[:len(inst.date)]:
            col.error(("instalments", i, "date"), f"instalment date {inst.date} is outside the series' run "
                      f"({s.run_from} to {s.run_to})", "give the day the instalment ran, or no date")
        for j, did in enumerate(inst.districts):
            # A record that exists but failed its own checks is reported there, not again here.
            if did not in ds.districts and not (ds.root / "data" / "districts" / f"{did}.yaml").exists():
                known = [f.stem for f in (ds.root / "data" / "districts").glob("*.yaml")]
                col.error(("instalments", i, "districts", j), f"unknown district '{did}'",
                          did_you_mean(did, known, "add data/districts/<id>.yaml"))
    _check_fact_ids(s.facts, ("facts",), col)
    for k, fact in enumerate(s.facts):
        ds.fact_locations[("series", fact.id)] = col.at(("facts", k))


def _check_fact_ids(facts: list[Fact], path: tuple[Any, ...], col: Collector) -> dict[str, Fact]:
    seen: dict[str, Fact] = {}
    for i, fact in enumerate(facts):
        if fact.id in seen:
            col.error(path + (i, "id"), f"duplicate fact id '{fact.id}'", "fact ids are unique in a record")
        seen[fact.id] = fact
    return seen


def _check_item_ids(items: list[tuple[tuple[Any, ...], Item]], block_ids: set[str], col: Collector) -> None:
    """Every item has an id, unique in its record and none of the record's block ids, so that a block id
    `block.item` (industry.luoping-investors), which editors' overrides are keyed by, names one sentence."""
    seen: dict[str, tuple[Any, ...]] = {}
    for path, item in items:
        if item.id is None:
            col.error(path, "item has no id",
                      "add a short id naming what the item says, unique in this record, e.g. `id: luoping-investors`")
        elif item.id in seen:
            col.error(path + ("id",), f"duplicate item id '{item.id}' (first at line {col.at(seen[item.id]).line})",
                      "item ids are unique in a record: give this one another short id naming what it says")
        elif item.id in block_ids:
            col.error(path + ("id",), f"item id '{item.id}' is also a block id",
                      "give the item another id: an item id that is also a block id makes `block.item` ids ambiguous")
        else:
            seen[item.id] = path + ("id",)


def check_district(ds: Dataset, record: District, loaded: LoadedFile, out: list[Diagnostic]) -> None:
    col = Collector(loaded, out)
    if record.place not in ds.places:
        col.error(("place",), f"unknown place '{record.place}'",
                  did_you_mean(record.place, ds.places, "add it to data/gazetteer.yaml"))
    _check_text(ds, record.headline, ("headline",), col)
    for i, pairing in enumerate(record.pairings):
        if pairing.relation not in ds.terms:
            col.error(("pairings", i, "relation"), f"unknown glossary term '{pairing.relation}'",
                      did_you_mean(pairing.relation, ds.terms,
                                   "use east-west-cooperation or counterpart-support, or add the term"))
        for j, pid in enumerate(pairing.places):
            info = ds.places.get(pid)
            if info is None:
                col.error(("pairings", i, "places", j), f"unknown county '{pid}'",
                          did_you_mean(pid, ds.places, "add it to data/gazetteer.yaml"))
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
    _check_item_ids([(("blocks", b, "items", i), item) for b, block in enumerate(record.blocks)
                     for i, item in enumerate(block.items)], block_ids, col)
    check_facts(refs, out, ds.notes)
    ds.fact_locations.update({(record.id, fid): ref.location for fid, ref in refs.items()})
    for p, photo in enumerate(record.photos):
        _check_text(ds, photo.caption, ("photos", p, "caption"), col)
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
