"""The district fact sheet: one page of a district's key figures, its paired counties and areas of work."""

from __future__ import annotations

from typing import Any

from . import Job, Kind


class Factsheet(Kind):
    name, folder, template = "factsheet", "briefs", "factsheet.html.j2"

    def subjects(self, ds) -> list[str]:
        return list(ds.districts)

    def view(self, r, w, job: Job, ctx: Any) -> dict[str, Any]:
        from ..view.parts import box, district_name, key_figures, sources

        record = w.district(job.subject)
        origin = r.ds.district_files[job.subject]
        areas, seen = [], set()
        for block in record.blocks:
            if block.theme in seen or block.theme == "overview":
                continue
            seen.add(block.theme)
            areas.append({"theme": block.theme, "id": f"area.{block.id}" if block.id else "",
                          "sentence": w.sentence(block.items[0], origin)})
        context = {
            "district_name": district_name(w, record),
            "headline": w.expand(record.headline, None, origin),
            "key_figures": key_figures(w, record, origin),
            "box": box(w, record),
            "areas": areas,
        }
        context["sources"] = sources(r, w, [job.subject])
        return context


KIND = Factsheet()
