"""Parts of views that several kinds share: a district's section, its paired-counties box, photos,
the source lines, and the frame of a press release. Values only: the templates word them.
"""

from __future__ import annotations

import re
from typing import Any

from .prose import Writer


def district_name(w: Writer, record: Any, form: str = "full") -> str:
    """Return a district's name as a document names it in its title and source lines."""
    return w.place(record.place, form)


def box(w: Writer, record: Any) -> dict[str, Any]:
    """Return the paired-counties box: one line per relation, counties grouped by prefecture."""
    lines = []
    for pairing in record.pairings:
        groups: list[dict[str, Any]] = []
        for pid in pairing.places:
            name, prefecture, province = w.place_parts(pid)
            county = {"name": w.place(pid, "box"), "short": name, "alternate": w.alternate(pid)}
            if groups and (groups[-1]["prefecture"], groups[-1]["province"]) == (prefecture, province):
                groups[-1]["counties"].append(county)
            else:
                groups.append({"prefecture": prefecture, "province": province, "counties": [county]})
        lines.append({"relation": w.term(pairing.relation, short=True), "groups": groups,
                      "count": len(pairing.places)})
    return {"district": w.place(record.place), "lines": lines}


def photo(r: Any, w: Writer, item: Any, origin: str) -> dict[str, Any]:
    """Return a photo's caption and, when the record names one, its picture as embedded data."""
    return {"caption": w.expand(item.caption, None, origin), "src": r.picture(w, item.image)}


def section(r: Any, w: Writer, did: str) -> dict[str, Any]:
    """Return one district's section of an article: headline, themed blocks of sentences, box, photos."""
    record = w.district(did)
    origin = r.ds.district_files[did]
    blocks = []
    previous_theme = None
    photos = list(record.photos)
    for block in record.blocks:
        theme = block.theme
        blocks.append({
            "theme": theme if theme not in {"overview", previous_theme} else None,
            "id": f"{did}.{block.id}" if block.id else "",
            "sentences": [w.sentence(item, origin, block=f"{did}.{block.id}" if block.id else "") for item in block.items],
            "photos": [photo(r, w, p, origin) for p in photos if p.after == block.id],
        })
        previous_theme = theme
    return {"id": did, "headline": w.expand(record.headline, None, origin), "blocks": blocks,
            "end_photos": [photo(r, w, p, origin) for p in photos if p.after == "box"], "box": box(w, record)}


def sources(r: Any, w: Writer, district_ids: list[str]) -> list[dict[str, Any]]:
    """Return one source line per district: the document, its section and the paragraphs figures came from."""
    docs = {s.id: w.text(s.title) for s in w.series.sources}
    used = {fid for _, fid, _ in w.printed.figures}
    lines = []
    for did in district_ids:
        record = w.district(did)
        facts = w.facts_of(did)
        # src reads "宝山区 ¶2": the paragraph mark is what both languages can print.
        marks = {m for f in used if f in facts for m in re.findall(r"¶\d+", facts[f].src)}
        lines.append({"district": district_name(w, record), "short": w.place(record.place, "short"),
                      "doc": docs.get(record.source.doc, record.source.doc), "section": record.source.section,
                      "paragraphs": sorted(marks, key=lambda m: int(m[1:])) or ["—"]})
    return lines


def release(r: Any, w: Writer, day: str) -> dict[str, Any]:
    """Return the press office's frame of a release: its date, the office, its about text and contact."""
    press = w.series.press
    return {"release_date": w.when(day), "office": w.expand(press.office), "about": w.expand(press.about),
            "contact": w.expand(press.contact), "day": day}


def key_figures(w: Writer, record: Any, origin: str) -> list[dict[str, Any]]:
    """Return a district's measured facts in record order, each with its measure, scope, theme and period
    (the fact sheet's key-figure panel, where a figure not reported is said so)."""
    figures: list[dict[str, Any]] = []
    for block in record.blocks:
        for item in block.items:
            for f in item.facts:
                if f.measure is None:
                    continue
                figures.append({"measure": w.measure(f.measure),
                                "scope": w.expand(f.scope) if f.scope else None,
                                "figure": w.figure(f, f"{origin}/{f.id}", w.classifier(f.measure)),
                                "theme": block.theme, "period": w.period(f.period)})
    return figures


def lead_figures(w: Writer, record: Any, origin: str, limit: int) -> list[dict[str, Any]]:
    """Return the figures a district release's lead names: of the measures ranked for leads (measures.yaml's
    `lead`), the first `limit` the record has, one per measure (its first in record order), by rank. Chosen by
    rank and order, never by value: a changed figure never changes which figures the lead holds."""
    first: dict[str, tuple[int, Any]] = {}
    for block in record.blocks:
        for item in block.items:
            for f in item.facts:
                rank = w.ds.measures[f.measure].lead if f.measure else None
                if rank is not None and f.value is not None and f.measure not in first:
                    first[f.measure] = (rank, f)
    chosen = sorted(first.values(), key=lambda pair: pair[0])[:limit]
    return [{"measure": w.measure(f.measure), "scope": w.expand(f.scope) if f.scope else None,
             "figure": w.figure(f, f"{origin}/{f.id}", w.classifier(f.measure)), "money": f.unit == "yuan",
             "period": w.period(f.period)} for _, f in chosen]


def corrections(w: Writer, stem: str) -> list[dict[str, Any]]:
    """Return each figure a published document printed that the records now give differently.

    What the document corrects is noted as read (not the whole publication record), so recording a
    publication rebuilds nothing, and correcting a figure after one rebuilds exactly the documents concerned.
    """
    corrected = w.ds.corrected(stem)
    return [{"what": w.measure(fact.measure) if fact.measure else None, "was": was.text,
             "now": w.figure(fact, was.origin)} for was, fact in (corrected["figures"] if corrected else [])]
