"""The district release: a press release summing up one district's record."""

from __future__ import annotations

from typing import Any

from . import Job, Kind

LEAD_FIGURES = 3  # the figures the lead names (of the measures ranked for leads in measures.yaml)


class DistrictRelease(Kind):
    name, folder, template = "district_release", "press", "district_release.html.j2"
    formats = (*Kind.formats, "wechat")
    editions = ("zh-Hant", "bilingual")

    def jobs(self, ds) -> list[Job]:
        return [Job(self.name, self.folder, f"district-{did}", did) for did in ds.districts]

    def view(self, r, w, job: Job, ctx: Any) -> dict[str, Any]:
        from ..view.parts import district_name, lead_figures, release, sources

        record = w.district(job.subject)
        origin = r.ds.district_files[job.subject]
        context = {
            "release": release(r, w, w.series.press.release_date),
            "headline": w.expand(record.headline, None, origin),
            "district_name": district_name(w, record),
            "counties": [w.place(pid) for p in record.pairings for pid in p.places],
            "lead_figures": lead_figures(w, record, origin, LEAD_FIGURES),
            "paragraphs": [{"id": block.id, "sentences": [w.sentence(item, origin, block=block.id or "")
                                                          for item in block.items]} for block in record.blocks],
        }
        context["sources"] = sources(r, w, [job.subject])
        return context


KIND = DistrictRelease()
