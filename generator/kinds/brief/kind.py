"""The comparison brief: the districts side by side, in a pairing overview, an indicator table,
charts and a finding per indicator, with honest notes where figures cover different periods.

The numbers (matrix, comparable groups, ranking with ties) come from the tidy frame of facts
(records/table.py) in a child process (offload.py, comparison.py); the decisions from findings.py;
the sentences from brief.<lang>.j2.
"""

from __future__ import annotations

import base64
from typing import Any

from .. import Job, Kind

PAIRED = "paired-counties"
TRADITIONAL = "zh-Hant"  # the edition whose charts are drawn with the others


class Brief(Kind):
    name, folder, template, heavy = "brief", "briefs", "brief.html.j2", True

    def jobs(self, ds) -> list[Job]:
        return [Job(self.name, self.folder, "comparison")]

    def render(self, r, job: Job, lang: str, ctx: Any = None):
        """Its view and its charts are made together (offload.py), and the document keeps them for tests."""
        return _render(r, job, lang, ctx)


# The indicator tables (docs/templates.md, "The comparison brief"): up to COLUMNS districts are columns beside
# each other in one table; more are rows, in record order, with the indicators as columns, PER_TABLE at most
# a table, so that every table holds every district and a cell stays readable on a portrait page.
COLUMNS, PER_TABLE = 4, 3


def layout(districts: int) -> str:
    """Whether the districts are the tables' columns or their rows."""
    return "columns" if districts <= COLUMNS else "rows"


def tables(dids: list[str], names: dict[str, str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the indicator tables: one of every indicator (districts as columns), or the indicators in
    groups of nearly equal size (districts as rows), in the catalogue's order."""
    districts = [{"id": d, "name": names[d]} for d in dids]
    if layout(len(dids)) == "columns":
        return [{"districts": districts, "rows": rows}]
    count = -(-len(rows) // PER_TABLE)
    size, extra = divmod(len(rows), count)
    bounds = [k * size + min(k, extra) for k in range(count + 1)]
    return [{"districts": districts, "rows": rows[a:b]} for a, b in zip(bounds, bounds[1:])]


def indicator_figures(ds, indicator) -> dict[str, list[tuple[Any, str]]]:
    """Return each district's facts for an indicator, with their origins (the paired count is computed)."""
    from ...records.models import Fact

    out = {}
    for did, record in ds.districts.items():
        origin = ds.district_files[did]
        if indicator.computed == PAIRED:
            count = sum(len(p.places) for p in record.pairings)
            # Not a record's fact: its id holds a colon, which no record id may.
            fact = Fact.model_construct(id=f"{did}:{PAIRED}", value=count, unit="items", qualifier="exact",
                                        period="current", src="pairings")
            out[did] = [(fact, f"{origin}/pairings")]
        else:
            out[did] = [(f, f"{origin}/{f.id}") for f in ds.facts(did).values() if f.measure in indicator.measures]
    return out


def rows_of(ds, figures) -> list[tuple]:
    """Return the tidy table's rows the comparison reads: each district's facts that an indicator gathers
    (and the computed counts), district by district. Only these: a figure the brief does not show is
    not read, so changing it does not rebuild the brief."""
    from ...records.table import row

    by_district: dict[str, dict[str, tuple]] = {did: {} for did in ds.districts}
    for i in ds.indicators:
        for did, figs in figures[i.id].items():
            for fact, _ in figs:
                by_district[did].setdefault(fact.id, row(did, did, ds.district_files[did], fact, i.computed))
    return [r for facts in by_district.values() for r in facts.values()]


def _made(r, w, figures, names_by_lang, fonts):
    """Return the table cells, rankings and charts; both languages are made by one child process."""
    from . import offload
    from ...words.lang import LANGUAGES

    key = (KIND.name, w.lang.code)
    if key not in r.made:
        ds = w.ds
        from ...records.table import indicator_measures

        table = rows_of(ds, figures)
        specs, ranked = [], []
        for code, names in names_by_lang.items():
            lw = r.writer(code)
            for i in ds.indicators:
                if i.chart and i.computed == PAIRED:
                    specs.append((_paired_chart(lw, names, i), lw.lang))
                elif i.chart:
                    ranked.append((i.id, lw.lang, getattr(i.label, code), names))
        again = _again(r.ds) if TRADITIONAL in KIND.editions else None
        result = offload.run(offload.Request(table, indicator_measures(ds), [i.id for i in ds.indicators],
                                             list(ds.districts), specs, ranked, fonts, again))
        for code in LANGUAGES:
            charts = [c for c, lang in zip(result.charts, result.langs) if lang == code]
            drawn_again = [c for c, lang in zip(result.charts, result.langs)
                           if again is not None and lang == again[0].code and code == again[1]]
            r.made[(KIND.name, code)] = offload.Result(result.cells, charts, result.rankings, again=drawn_again)
    return r.made.pop(key)


def _again(ds):
    """The Traditional edition's charts, drawn in the same process as the others (its DOCX shows them as
    pictures; its pages convert the vector charts' words in place): its language, the language it converts,
    and the converter (the series' OpenCC configuration and the records' own Traditional names)."""
    from ...words.hanzi import overrides
    from ...words.lang import language

    hant = language(TRADITIONAL)
    return hant, hant.source, ds.series.traditional.opencc, tuple(sorted(overrides(ds).items()))


def _paired_chart(w, names: dict[str, str], indicator):
    """The paired counties of each district, by kind of pairing, the most first (ties in record order)."""
    from .charts import Chart

    ds = w.ds
    relations = list(dict.fromkeys(p.relation for rec in ds.districts.values() for p in rec.pairings))
    totals = {d: sum(len(p.places) for p in rec.pairings) for d, rec in ds.districts.items()}
    order = sorted(ds.districts, key=lambda d: -totals[d])
    series = [(w.term(rel, short=True), [float(sum(len(p.places) for p in ds.districts[d].pairings
                                                   if p.relation == rel)) for d in order])
              for rel in relations]
    return Chart(indicator.id, w.text(indicator.label), [names[d] for d in order], series,
                 [w.lang.plain(totals[d]) for d in order], "", "")


def _cell(w, indicator, figs, fact_ids, record) -> list[dict[str, Any]]:
    """Return a table cell's figures: each with its measure (where the row mixes them), scope and period."""
    parts = []
    classifier = w.classifier(indicator.measures[0]) if len(indicator.measures) == 1 else None
    for fact, origin in figs:
        if fact.id not in fact_ids:
            continue
        detail = [(w.term(p.relation, short=True), len(p.places)) for p in record.pairings] \
            if indicator.computed == PAIRED else []
        notes = [w.expand(fact.scope)] if fact.scope else []
        parts.append({"figure": w.figure(fact, origin, classifier) if fact.value is not None else None,
                      "measure": w.measure(fact.measure) if len(indicator.measures) > 1 and fact.measure else None,
                      "detail": detail, "notes": [*notes, w.period(fact.period)]})
    return parts


def _pairings(w, ds) -> tuple[list[str], list[dict[str, Any]]]:
    relations = list(dict.fromkeys(p.relation for rec in ds.districts.values() for p in rec.pairings))
    rows = []
    for did in ds.districts:
        record = w.district(did)
        cells = []
        for rel in relations:
            groups: list[dict[str, Any]] = []
            places = [pid for p in record.pairings if p.relation == rel for pid in p.places]
            for pid in places:
                name, prefecture, province = w.place_parts(pid)
                if groups and (groups[-1]["prefecture"], groups[-1]["province"]) == (prefecture, province):
                    groups[-1]["names"].append(name)
                else:
                    groups.append({"prefecture": prefecture, "province": province, "names": [name]})
            cells.append({"groups": groups, "count": len(places)})
        rows.append({"district": w.place(record.place, "brief"), "cells": cells,
                     "total": sum(len(p.places) for p in record.pairings)})
    return [w.term(rel, short=True) for rel in relations], rows


def _render(r, job: Job, lang: str, ctx: Any = None):
    from .findings import finding
    from ...words.lang import LANGUAGES
    from ...view.parts import sources

    w = r.writer(lang)
    ds = w.ds  # the dataset as this document reads it: which districts there are is read too
    s = w.series
    dids = list(ds.districts)
    names_by_lang = {code: {d: LANGUAGES[code].place_name(ds.places[ds.districts[d].place], "brief") for d in dids}
                     for code in LANGUAGES}
    names = {d: w.place(w.district(d).place, "brief") for d in dids}
    figures = {i.id: indicator_figures(ds, i) for i in ds.indicators}
    made = _made(r, w, figures, names_by_lang, list(ctx.chart_fonts) if ctx else [])
    relations, pairing_rows = _pairings(w, ds)
    rows, findings = [], []
    for i in ds.indicators:
        by_fact = {(did, fact.id): (fact, origin) for did, figs in figures[i.id].items() for fact, origin in figs}
        rows.append({"label": w.text(i.label), "id": i.id,
                     "cells": {d: _cell(w, i, figures[i.id][d], made.cells[(i.id, d)], w.district(d)) for d in dids}})
        classifier = w.classifier(i.measures[0]) if i.measures else None
        measures = {m: w.measure(m) for m in i.measures} if len(i.measures) > 1 else {}
        findings.append(finding(w, w.text(i.label), made.rankings[i.id], by_fact, names, classifier, len(dids),
                                measures, i.id))
    by_id = {row["id"]: (row, f) for row, f in zip(rows, findings)}
    charts = [{"id": c.id, "chart": c, "src": "data:image/svg+xml;base64," + base64.b64encode(c.svg).decode(),
               "apart": by_id[c.id][1].apart if c.id in by_id and c.id != PAIRED else [],
               "trimmed": len(made.rankings[c.id].ranked) > len(c.categories) if c.id != PAIRED else False,
               "missing": [names[d] for d in made.rankings[c.id].missing] if c.id != PAIRED else []}
              for c in made.charts]
    context = {
        "series": {"kicker": w.expand(s.kicker), "title": w.expand(s.title), "dates": w.when(s.run_from, s.run_to)},
        "districts": [names[d] for d in dids],
        "relations": relations, "pairing_rows": pairing_rows,
        "layout": layout(len(dids)), "tables": tables(dids, names, rows),
        "contents": layout(len(dids)) == "rows",  # a brief of five districts or more runs to pages: a contents list
        "rows": rows, "charts": charts, "findings": findings,
        "source_titles": [w.text(src.title) for src in s.sources],
    }
    context["sources"] = sources(r, w, dids)
    doc = r.render(w, KIND.template, context, KIND.folder, job.name, {c.id: c.png for c in made.charts},
                   kind=KIND.name)
    doc.extra = {"rankings": made.rankings, "charts": made.charts, "findings": findings, "charts_again": made.again}
    return doc


KIND = Brief()
