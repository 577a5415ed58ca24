"""The district release: a press release summing up one district's record."""

from __future__ import annotations

from typing import Any

from . import Job, Kind

KEY_FIGURES = 4


class DistrictRelease(Kind):
    name, folder, template = "district_release", "press", "district_release.html.j2"
    formats = (*Kind.formats, "wechat")
    editions = ("zh-Hant", "bilingual")

    def jobs(self, ds) -> list[Job]:
        return [Job(self.name, self.folder, f"district-{did}", did) for did in ds.districts]

    def view(self, r, w, job: Job, ctx: Any) -> dict[str, Any]:
        from ..view.parts import district_name, key_figures, release, sources

        record = w.district(job.subject)
        origin = r.ds.district_files[job.subject]
        context = {
            "release": release(r, w, w.series.press.release_date),
            "headline": w.expand(record.headline, None, origin),
            "district_name": district_name(w, record),
            "counties": [w.place(pid) for p in record.pairings for pid in p.places],
            "key_figures": key_figures(w, record, origin, KEY_FIGURES),
            "paragraphs": [[w.sentence(item, origin) for item in block.items] for block in record.blocks],
        }
        context["sources"] = sources(r, w, [job.subject])
        return context


KIND = DistrictRelease()
