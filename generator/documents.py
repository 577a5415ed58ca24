"""Views of the brief, the fact sheets and the press releases, rendered through the Renderer."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from .briefs import BriefWriter, Row, gather, records
from .models import District, Event
from .numbers import period_label
from .prose import Printed, Writer, date_range, join, typographic
from .plan import LANGS
from .render import Document, Renderer


def _district_name(w: Writer, record: District) -> str:
    return w.place(record.place, "full" if w.lang == "zh" else "")


def _sources(r: Renderer, w: Writer, district_ids: list[str], facts_used: list[tuple[str, str, str]]) -> list[str]:
    """Return one line per district naming the document, section and paragraphs its figures came from."""
    labels = r.labels[w.lang]
    docs = {s.id: getattr(s.title, w.lang) for s in r.ds.series.sources}
    lines = []
    for did in district_ids:
        record = r.ds.districts[did]
        facts = r.ds.facts(did)
        used = {fid for _, fid, _ in facts_used}
        # src reads "宝山区 ¶2": the paragraph mark is what both languages can print.
        marks = {m for f in used if f in facts for m in re.findall(r"¶\d+", facts[f].src)}
        paragraphs = sorted(marks, key=lambda m: int(m[1:])) or ["—"]
        lines.append(labels["source_line"].format(
            district=_district_name(w, record), doc=docs.get(record.source.doc, record.source.doc),
            section=record.source.section if w.lang == "zh" else w.place(record.place, "short"),
            paragraphs="、".join(paragraphs) if w.lang == "zh" else ", ".join(paragraphs)))
    return lines


def _brief_made(r: Renderer, rows: list[Row], font_files: list[Path], lang: str):
    """Return the brief's table cells and its charts drawn in lang.

    Both languages are made in one child process on the first call (see offload.py); the second
    language's share waits on the renderer until its own call takes it.
    """
    from . import offload

    key = ("brief", lang)
    if key not in r.made:
        specs = []
        for other in LANGS:
            bw = BriefWriter(r.ds, Writer(r.ds, other, Printed()), r.labels[other])
            specs += [(chart, other) for row in rows if row.indicator.chart and (chart := bw.chart(row))]
        result = offload.run(offload.Request(records(rows), [row.indicator.id for row in rows], list(r.ds.districts),
                                             specs, font_files))
        for other in LANGS:
            charts = [c for c, (_, lang_) in zip(result.charts, specs) if lang_ == other]
            r.made[("brief", other)] = offload.Result(result.cells, charts)
    return r.made.pop(key)


def brief(r: Renderer, lang: str, font_files: list[Path]) -> Document:
    """Render the comparison brief: pairing overview, indicator table, charts, findings, sources."""
    ds = r.ds
    printed = Printed()
    w = Writer(ds, lang, printed)
    labels = r.labels[lang]
    bw = BriefWriter(ds, w, labels)
    rows = gather(ds)
    dids = list(ds.districts)
    names = [bw.district(d) for d in dids]
    relations: list[str] = []
    for did in dids:
        for p in ds.districts[did].pairings:
            if p.relation not in relations:
                relations.append(p.relation)
    pairing_rows = []
    for did in dids:
        record = ds.districts[did]
        cells = []
        for rel in relations:
            places = [pid for p in record.pairings if p.relation == rel for pid in p.places]
            if not places:
                cells.append("—")
                continue
            groups: dict[str, list[str]] = {}
            for pid in places:
                info = ds.places[pid]
                key = ", ".join(w.place(p.id, "short") for p in (info.prefecture, info.province) if p) if \
                    lang == "en" else "".join(w.place(p.id, "short") for p in (info.province, info.prefecture) if p)
                groups.setdefault(key, []).append(w.place(pid, "short") if lang == "en" else w.place(pid))
            sep = "、" if lang == "zh" else ", "
            text = "；".join(f"{k}：{sep.join(v)}" for k, v in groups.items()) if lang == "zh" else \
                "; ".join(f"{k}: {sep.join(v)}" for k, v in groups.items())
            cells.append(f"{text}（{len(places)}）" if lang == "zh" else f"{text} ({len(places)})")
        total = sum(len(p.places) for p in record.pairings)
        pairing_rows.append({"district": bw.district(did), "cells": cells, "total": total})
    made = _brief_made(r, rows, font_files, lang)  # pandas and matplotlib, in a process of their own
    tables = []
    for start in range(0, len(dids), 4):  # four districts a table keeps every cell readable
        chunk = dids[start : start + 4]
        tables.append({
            "districts": names[start : start + 4],
            "rows": [{"label": getattr(row.indicator.label, lang),
                      "cells": [bw.cell(row, d, made.cells[(row.indicator.id, d)]) for d in chunk]} for row in rows],
        })
    source = "、".join(getattr(s.title, lang) for s in ds.series.sources) if lang == "zh" else \
        "; ".join(getattr(s.title, lang) for s in ds.series.sources)
    charts, pngs = [], {}
    for chart in made.charts:
        pngs[chart.id] = chart.png
        charts.append({"id": chart.id, "alt": chart.alt, "note": chart.note,
                       "src": "data:image/svg+xml;base64," + base64.b64encode(chart.svg).decode(),
                       "source": labels["chart_source"].format(source=source), "data": chart})
    summaries = [{"label": getattr(row.indicator.label, lang), "text": bw.summary(row)} for row in rows]
    title = labels["brief_title"]
    context = r.base_context(lang, "brief", title)
    context.update({
        "series_name": w.expand(ds.series.kicker) + (" " if lang == "zh" else ": ") + w.expand(ds.series.title),
        "dates": date_range(ds.series.run_from, ds.series.run_to, lang),
        "intro": labels["brief_intro"].format(districts=join(names, lang)),
        "relations": [w.term(rel, short=True)[:1].upper() + w.term(rel, short=True)[1:] for rel in relations],
        "pairing_rows": pairing_rows,
        "indicator_tables": tables,
        "charts": charts,
        "summaries": summaries,
        "sources": _sources(r, w, dids, printed.figures),
    })
    doc = r.render("brief.html.j2", context, "briefs", "comparison", lang, title, printed,
                   set(ds.district_files.values()), pngs)
    doc.extra = {"rows": rows, "charts": [c["data"] for c in charts]}
    return doc


def _key_figures(r: Renderer, w: Writer, record: District) -> list[dict[str, Any]]:
    """Return the district's measured facts, in record order, each with its theme and period."""
    labels = r.labels[w.lang]
    origin = r.ds.district_files[record.id]
    figures: list[dict[str, Any]] = []
    for block in record.blocks:
        for item in block.items:
            for f in item.facts:
                if f.measure is None:
                    continue
                label = w.measure(f.measure)
                if f.scope:
                    label += f"（{w.expand(f.scope)}）" if w.lang == "zh" else f" ({w.expand(f.scope)})"
                figures.append({"label": label, "figure": w.figure(f, f"{origin}/{f.id}"),
                                "theme": labels["themes"][block.theme], "period": period_label(f.period, w.lang)})
    return figures


def factsheet(r: Renderer, did: str, lang: str) -> Document:
    """Render one district's one-page fact sheet."""
    record = r.ds.districts[did]
    printed = Printed()
    w = Writer(r.ds, lang, printed)
    labels = r.labels[lang]
    origin = r.ds.district_files[did]
    areas, seen = [], set()
    for block in record.blocks:
        if block.theme in seen or block.theme == "overview":
            continue
        seen.add(block.theme)
        first = block.items[0]
        areas.append({"theme": labels["themes"][block.theme], "text": w.sentence(first, origin)})
    name = _district_name(w, record)
    title = f"{name}{labels['factsheet']}" if lang == "zh" else f"{name}: {labels['factsheet'].lower()}"
    context = r.base_context(lang, "factsheet", title)
    context.update({
        "district_name": name,
        "headline": w.expand(record.headline, None, origin),
        "key_figures": _key_figures(r, w, record),
        "section": r.box_view(w, record),
        "areas": areas,
        "sources": _sources(r, w, [did], printed.figures),
    })
    return r.render("factsheet.html.j2", context, "briefs", did, lang, title, printed, {origin})


def _release(r: Renderer, w: Writer, name: str, title: str, headline: Any, subhead: Any, lead: Any,
             paragraphs: list[Any], sources: list[str], inputs: set[str], printed: Printed) -> Document:
    """Render a release in the press office's form around its headline, lead and body."""
    press = r.ds.series.press
    labels = r.labels[w.lang]
    release_date = w.date(press.release_date).removeprefix("on ")
    if w.lang == "zh":
        dateline = labels["dateline"].format(date=release_date)
    else:
        from datetime import date as _date

        from babel.dates import format_date

        day = _date.fromisoformat(press.release_date)
        month = format_date(day, "MMM", locale="en_GB")
        short = f"{month}{'.' if month != 'May' else ''} {day.day}"
        dateline = labels["dateline"].format(date=short)
    office = w.expand(press.office)
    context = r.base_context(w.lang, "release", title)
    context.update({
        "release_date": release_date,
        "headline": headline,
        "subhead": subhead,
        "dateline": dateline,
        "dateline_gap": "\u3000" if w.lang == "zh" else " ",
        "lead": lead,
        "paragraphs": paragraphs,
        "quote": None,
        "about_title": labels["about"].format(office=office),
        "about": w.expand(press.about),
        "contact": w.expand(press.contact),
        "sources": sources,
    })
    return r.render("release.html.j2", context, "press", name, w.lang, title, printed, inputs)


def event_release(r: Renderer, event: Event, lang: str) -> Document:
    """Render the release announcing one event."""
    ds = r.ds
    printed = Printed()
    w = Writer(ds, lang, printed)
    labels = r.labels[lang]
    origin = ds.event_files[event.id]
    facts = ds.event_facts(event)
    lead = w.sentence(event.lead, origin, facts, opener=w.date(event.date, event.date_to))
    paragraphs: list[Any] = [w.sentence(item, origin, facts) for item in event.items]
    organiser = w.expand(event.organiser)
    extra = []
    if event.first:
        extra.append(labels["first_time"].format(organiser=organiser))
    if event.recurring:
        extra.append(labels[f"recurring_{event.recurring}"])
    counties = w.counties(event.counties)
    if counties:
        extra.append(labels["counties_took_part"].format(counties=counties))
    if extra:
        paragraphs.append(Markup(escape(("" if lang == "zh" else " ").join(extra))))
    if event.quote is not None:
        paragraphs.append(w.expand(event.quote.text) + Markup(escape(
            f"——{w.expand(event.quote.speaker)}" if lang == "zh" else f" — {w.expand(event.quote.speaker)}")))
    title = str(w.expand(event.headline, None, origin))
    sources = _sources(r, w, [event.district], printed.figures)
    return _release(r, w, event.id, title, w.expand(event.headline, None, origin),
                    w.expand(event.subhead, None, origin) if event.subhead else None, lead, paragraphs,
                    sources, {origin, ds.district_files[event.district]}, printed)


def district_release(r: Renderer, did: str, lang: str) -> Document:
    """Render the release summarising one district's record."""
    ds = r.ds
    record = ds.districts[did]
    printed = Printed()
    w = Writer(ds, lang, printed)
    labels = r.labels[lang]
    origin = ds.district_files[did]
    name = _district_name(w, record)
    counties = w.counties([pid for p in record.pairings for pid in p.places])
    lead = escape(labels["district_release_lead"].format(district=name, counties=counties))
    key = []
    for block in record.blocks:
        for item in block.items:
            for f in item.facts:
                if f.measure and f.value is not None and len(key) < 4:
                    figure = w.figure(f, f"{origin}/{f.id}")
                    when = period_label(f.period, lang)
                    key.append(escape(w.measure(f.measure)) + figure + escape(f"（{when}）") if lang == "zh" else
                               escape(w.measure(f.measure) + ": ") + figure + escape(f" ({when})"))
    if key:
        sep, end = ("；", "。") if lang == "zh" else ("; ", ".")
        lead += escape(labels["key_facts_lead"]) + Markup(escape(sep)).join(key) + escape(end)
    paragraphs = []
    for block in record.blocks:
        paragraphs.append(Markup(("" if lang == "zh" else " ").join(str(w.sentence(i, origin)) for i in block.items)))
    title = str(w.expand(record.headline, None, origin))
    return _release(r, w, f"district-{did}", title, w.expand(record.headline, None, origin), None,
                    Markup(lead), paragraphs, _sources(r, w, [did], printed.figures), {origin}, printed)


def series_release(r: Renderer, lang: str) -> Document:
    """Render the release announcing the series and its instalments."""
    ds = r.ds
    s = ds.series
    printed = Printed()
    w = Writer(ds, lang, printed)
    labels = r.labels[lang]
    facts = {f.id: f for f in s.facts}
    kicker, title = w.expand(s.kicker), w.expand(s.title)
    dates = date_range(s.run_from, s.run_to, lang)
    headline = labels["series_release_headline"].format(kicker=kicker, dates=dates)
    lead = labels["series_release_lead"].format(
        kicker=kicker, title=title, dates=dates,
        days=w.figure(facts["series-days"], "data/series.yaml/series-days"),
        districts=w.figure(facts["series-districts"], "data/series.yaml/series-districts"))
    paragraphs = []
    for inst in s.instalments:
        names = [_district_name(w, ds.districts[d]) for d in inst.districts]
        count = sum(len(p.places) for d in inst.districts for p in ds.districts[d].pairings)
        paragraphs.append(labels["series_release_instalment"].format(districts=join(names, lang),
                                                                     counties=count))
    paragraphs.append(labels["series_release_follow"].format(platform=w.expand(s.follow.platform),
                                                             account=w.expand(s.follow.account)))
    if lang == "en":
        headline = typographic(headline)
    return _release(r, w, "series", str(headline), headline, None, Markup(lead), paragraphs,
                    [labels["sources"] + "; ".join(getattr(src.title, lang) for src in s.sources)],
                    set(), printed)
