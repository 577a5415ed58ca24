"""The catalogue of edits the incremental build's property test makes (test_incremental_property.py).

Each edit takes a copy of the project, its dataset and two numbers that choose among what there is
(so that hypothesis shrinks towards the first), makes one change an editor could make, and says what
it did. What the edits add is synthetic and lives only in the test's copies: no such district, event
or source exists. The module holds no test of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

from test_new_district import SYNTHETIC_RECORD

NEW_DISTRICT = "xinqu"  # SYNTHETIC_RECORD's (test_new_district.py)
SYNTHETIC_EVENT = """\
# SYNTHETIC test record: not a real event, not in data/.
id: {id}
kind: fair
district: {district}
headline: {{zh: 测试展销会, en: A synthetic test fair}}
date: "2019-09"
release_date: "2019-10-13"
organiser: {{zh: 测试单位, en: a test organiser}}
lead:
  text:
    zh: 测试展销会共有{{{id}-stalls}}个展位
    en: "The synthetic test fair had {{{id}-stalls}} stalls"
  facts:
    - {{id: {id}-stalls, value: 12, unit: items, qualifier: exact, period: "2019", src: synthetic}}
  src: synthetic
source: {{doc: source-article, section: 测试}}
"""
DATE_RUNS = (("2019-10-13", "2019-10-16"), ("2019-10-12", "2019-10-15"), ("2019-10-01", "2019-10-04"),
             ("2020-01-06", "2020-01-09"), ("2019-10-30", "2019-11-02"))
CLASSIFIERS = (None, "个", "项", "家", "场", "名", "批")
MARK = {"zh": "（改）", "en": " (edited)"}  # what an edit adds to a name, a label or a sentence


def edit_yaml(path: Path, change) -> None:
    """Load a YAML file round-trip, let change(data) alter it, write it back."""
    from generator.editing.roundtrip import dumped, load

    data = load(path)
    change(data)
    path.write_text(dumped(data), encoding="utf-8")


def _places(nodes):
    for node in nodes:
        yield node
        yield from _places(node.get("children") or [])


def _pick(options, n: int):
    options = sorted(options, key=str)
    return options[n % len(options)] if options else None


# The catalogue: each edit takes the project, its dataset and two numbers that choose among what there is,
# and returns what it did (None: nothing to do in this state) ----------------------------------------------

def add_district(root: Path, ds, a: int, b: int) -> str | None:
    from generator.editing.scaffold import new_district

    if NEW_DISTRICT in ds.districts:
        return None
    if NEW_DISTRICT not in ds.places:  # the gazetteer entry a removal left stays
        new_district(root, NEW_DISTRICT, "新区", "Xinqu District")
    (root / f"data/districts/{NEW_DISTRICT}.yaml").write_text(SYNTHETIC_RECORD, encoding="utf-8")
    if b % 2:
        edit_yaml(root / "data/series.yaml", lambda s: s["instalments"][0]["districts"].append(NEW_DISTRICT))
    return f"add district {NEW_DISTRICT}" + (" to the first instalment" if b % 2 else "")


def remove_district(root: Path, ds, a: int, b: int) -> str | None:
    alone = {i.districts[0] for i in ds.series.instalments if len(i.districts) == 1}
    did = _pick(set(ds.districts) - alone, a)
    if did is None or len(ds.districts) < 2:
        return None
    (root / ds.district_files[did]).unlink()
    for eid, event in ds.events.items():
        if event.district == did:
            (root / ds.event_files[eid]).unlink()

    def drop(series) -> None:
        for inst in series["instalments"]:
            if did in inst["districts"]:
                inst["districts"].remove(did)
    edit_yaml(root / "data/series.yaml", drop)
    return f"remove district {did} (its events, its place in the instalments)"


def add_event(root: Path, ds, a: int, b: int) -> str | None:
    did = _pick(ds.districts, a)
    eid = f"synthetic-fair-{did}"
    if eid in ds.events:
        return None
    (root / f"data/events/{eid}.yaml").write_text(SYNTHETIC_EVENT.format(id=eid, district=did), encoding="utf-8")
    return f"add event {eid}"


def remove_event(root: Path, ds, a: int, b: int) -> str | None:
    eid = _pick(ds.events, a)
    if eid is None:
        return None
    (root / ds.event_files[eid]).unlink()
    return f"remove event {eid}"


def change_fact(root: Path, ds, a: int, b: int) -> str | None:
    from typing import get_args

    from generator.records.models import Qualifier
    from generator.editing.yamledit import Change, apply_changes, write_files

    origins = sorted(ds.fact_values())  # every fact, as '<record file>/<fact id>'
    facts = [(Path(o.rpartition("/")[0]).stem, ds.fact_at(o)) for o in origins]
    record, fact = facts[a % len(facts)]  # a district's or an event's id, or "series"
    field = ("value", "qualifier", "period")[b % 3]
    periods = sorted({f.period for _, f in facts} - {fact.period})
    if field == "value":
        if fact.value is None:
            return None
        new = fact.value * 2 if b % 2 else fact.value + 1
    elif field == "qualifier":
        new = _pick(set(get_args(Qualifier)) - {fact.qualifier}, b // 3)
    else:
        new = _pick(periods, b // 3)
    change = Change(record, fact.id, field, getattr(fact, field), new)
    write_files(root, apply_changes(root, ds, [change]))
    return f"change {record}'s fact {fact.id}: {field} {change.old!r} -> {new!r}"


def rename_place(root: Path, ds, a: int, b: int) -> str | None:
    used = {r.place for r in ds.districts.values()} | {p for r in ds.districts.values() for x in r.pairings
                                                        for p in x.places}
    pid, lang = _pick(used, a), ("zh", "en")[b % 2]

    def rename(g) -> None:
        place = next(p for p in _places(g["places"]) if p["id"] == pid)
        place[lang] += MARK[lang]
    edit_yaml(root / "data/gazetteer.yaml", rename)
    return f"rename place {pid} in {lang}"


def change_term(root: Path, ds, a: int, b: int) -> str | None:
    text = "".join((root / rel).read_text(encoding="utf-8") for rel in [*ds.district_files.values(),
                                                                       *ds.event_files.values(), "data/series.yaml"])
    used = {m for m in re.findall(r"#([a-z0-9-]+)", text) if m in ds.terms}
    used |= {p.relation for r in ds.districts.values() for p in r.pairings} | {ds.series.principle}
    tid, lang = _pick(used, a), ("zh", "en")[b % 2]

    def change(g) -> None:
        term = next(t for t in g["terms"] if t["id"] == tid)
        term[lang] += MARK[lang]
    edit_yaml(root / "data/glossary.yaml", change)
    return f"change glossary term {tid} in {lang}"


def traditional_name(root: Path, ds, a: int, b: int) -> str | None:
    """Give a place its own Traditional name: the zh-Hant edition uses it wherever its Chinese name is
    written, as a reference or plainly."""
    pid = _pick([p for p, info in ds.places.items() if not info.place.zh_hant], a)
    if pid is None:
        return None

    def name(g) -> None:
        place = next(p for p in _places(g["places"]) if p["id"] == pid)
        place["zh_hant"] = f"{place['zh']}（繁）"
    edit_yaml(root / "data/gazetteer.yaml", name)
    return f"give place {pid} a Traditional name"


def change_classifier(root: Path, ds, a: int, b: int) -> str | None:
    used = {f.measure for did in ds.districts for f in ds.facts(did).values() if f.measure}
    mid = _pick(used, a)
    new = _pick(set(CLASSIFIERS) - {ds.measures[mid].classifier}, b)

    def change(m) -> None:
        measure = next(x for x in m["measures"] if x["id"] == mid)
        if new is None:
            del measure["classifier"]
        else:
            measure["classifier"] = new
    edit_yaml(root / "data/measures.yaml", change)
    return f"change measure {mid}'s classifier to {new!r}"


JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
SENTENCE_END = {"zh": re.compile(r"(?=。)"), "en": re.compile(r"(?<=[A-Za-z)}])(?=\.(?:\s|$|<|\"))")}


def edit_sentence(root: Path, ds, a: int, b: int) -> str | None:
    """Add a few words before a sentence's full stop, in the text of a kind's template (not in its Jinja tags)."""
    spots: list[tuple[Path, str, int]] = []
    for path in sorted((root / "templates").glob("*.j2")):
        found = re.search(r"\.(zh|en)\.(html\.)?j2$", path.name)
        if found:
            text = path.read_text(encoding="utf-8")
            tags = [m.span() for m in JINJA.finditer(text)]
            spots += [(path, found.group(1), m.start()) for m in SENTENCE_END[found.group(1)].finditer(text)
                      if not any(s <= m.start() < e for s, e in tags)]
    files = sorted({path for path, _, _ in spots})
    path = files[a % len(files)]
    _, lang, at = [spot for spot in spots if spot[0] == path][b % sum(1 for spot in spots if spot[0] == path)]
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:at] + MARK[lang] + text[at:], encoding="utf-8")
    return f"edit a sentence of templates/{path.name} (line {text.count(chr(10), 0, at) + 1})"


def edit_label(root: Path, ds, a: int, b: int) -> str | None:
    found: list[tuple[str, ...]] = []

    def walk(node, path) -> None:
        for key, value in node.items():
            if isinstance(value, str):
                found.append((*path, key))
            elif hasattr(value, "items"):
                walk(value, (*path, key))

    def change(labels) -> None:
        walk(labels, ())
        *parents, key = _pick(found, a)
        node = labels
        for step in parents:
            node = node[step]
        node[key] += MARK[parents[0]]
        change.label = ".".join((*parents, key))
    edit_yaml(root / "templates/labels.yaml", change)
    return f"edit label {change.label}"


def series_dates(root: Path, ds, a: int, b: int) -> str | None:
    run = _pick(set(DATE_RUNS) - {(ds.series.run_from, ds.series.run_to)}, a)

    def change(s) -> None:
        s["run_from"], s["run_to"] = run
    edit_yaml(root / "data/series.yaml", change)
    return f"series dates {run[0]} to {run[1]}"


def series_instalments(root: Path, ds, a: int, b: int) -> str | None:
    """Reorder an instalment's districts, split the last district off into an instalment of its own, or merge."""
    instalments = ds.series.instalments
    how = ("reorder", "split", "merge")[a % 3]
    if how == "merge" and len(instalments) < 2 or how != "merge" and len(instalments[0].districts) < 2:
        return None

    def change(s) -> None:
        insts = s["instalments"]
        if how == "reorder":
            insts[0]["districts"].reverse()
        elif how == "split":
            insts.append({"id": f"synthetic-instalment-{len(insts)}", "districts": [insts[0]["districts"].pop()]})
        else:
            insts[0]["districts"].extend(insts.pop()["districts"])
    edit_yaml(root / "data/series.yaml", change)
    return f"instalments: {how}"


def add_source(root: Path, ds, a: int, b: int) -> str | None:
    from generator.editing.scaffold import new_source

    ident = f"synthetic-source-{len(ds.series.sources)}"
    new_source(root, ident, "测试资料", "A synthetic test source")
    return f"add source {ident}"


def edit_override(root: Path, ds, a: int, b: int) -> str | None:
    """The editor's wording of a release's sentence, in zh and en (the generated text marked, its figures kept),
    as the preview writes it; or one removed."""
    from generator.editing.overrides import document_blocks, save

    existing = sorted(ds.overrides, key=lambda o: o.ident) if ds.overrides is not None else []
    if existing and b % 3 == 0:
        gone = existing[a % len(existing)]
        path = root / ds.overrides.files[gone.ident]
        edit_yaml(path, lambda data: data["overrides"].__delitem__(next(
            i for i, o in enumerate(data["overrides"]) if (o["block"], o["lang"]) == (gone.block, gone.lang))))
        return f"remove the override {gone.ident}"
    district = _pick(ds.districts, a)
    if district is None:
        return None
    label = f"press/district-{district}"
    found = [blk for blk in document_blocks(root, ds, label) if "." in blk.id and blk.lang in MARK]
    block = _pick({blk.id for blk in found}, b)
    for blk in (blk for blk in found if blk.id == block):
        save(root, ds, block, blk.lang, MARK[blk.lang] + blk.skeleton, blk.skeleton, today="2026-12-07")
    return f"override {block} in zh and en"


EDITS = {f.__name__.replace("_", " "): f for f in (
    add_district, remove_district, add_event, remove_event, change_fact, rename_place, traditional_name,
    change_term, change_classifier, edit_sentence, edit_label, series_dates, series_instalments, add_source,
    edit_override)}


def apply_step(root: Path, step) -> str:
    """Make one edit (undone if the checks refuse what it made); return what it did."""
    from generator.build.overrides import check_overrides
    from generator.records.dataset import load_dataset
    from generator.errors import DataError

    name, a, b, _ = step
    before = {p: p.read_bytes() for folder in ("data", "templates") for p in (root / folder).rglob("*") if p.is_file()}
    did = EDITS[name](root, load_dataset(root), a, b)
    if did is None:
        return f"{name}: nothing to do here"
    try:
        problems = check_overrides(root, load_dataset(root))  # a district removed under its overrides, say
        if problems:
            raise DataError(problems)
    except DataError as exc:  # e.g. a part made larger than its whole: an edit no editor could build
        for path in {p for folder in ("data", "templates") for p in (root / folder).rglob("*") if p.is_file()} \
                - set(before):
            path.unlink()
        for path, data in before.items():
            path.write_bytes(data)
        return f"{did}: refused by the checks ({exc.lines()[0]}), undone"
    return did
