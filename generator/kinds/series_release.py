"""The series release: a press release announcing the series and what each instalment covers."""

from __future__ import annotations

from typing import Any

from . import Job, Kind


class SeriesRelease(Kind):
    name, folder, template = "series_release", "press", "series_release.html.j2"
    formats = (*Kind.formats, "wechat")
    editions = ("zh-Hant", "bilingual")

    def jobs(self, ds) -> list[Job]:
        return [Job(self.name, self.folder, "series")]

    def view(self, r, w, job: Job, ctx: Any) -> dict[str, Any]:
        from ..view.parts import district_name, release

        s = w.series
        facts = {f.id: f for f in s.facts}
        instalments = []
        for n, inst in enumerate(s.instalments, 1):
            records = [w.district(d) for d in inst.districts]
            instalments.append({"n": n, "id": inst.id, "date": w.when(inst.date), "districts": [district_name(w, rec) for rec in records],
                                "counties": sum(len(p.places) for rec in records for p in rec.pairings)})
        context = {
            "release": release(r, w, s.press.release_date),
            "kicker": w.expand(s.kicker), "title": w.expand(s.title), "dates": w.when(s.run_from, s.run_to),
            "days": w.figure(facts["series-days"], "data/series.yaml/series-days"),
            "districts": w.figure(facts["series-districts"], "data/series.yaml/series-districts"),
            "instalments": instalments, "several": len(instalments) > 1,
            "platform": w.expand(s.follow.platform), "account": w.expand(s.follow.account),
            "sources": [w.text(src.title) for src in s.sources],
        }
        return context


KIND = SeriesRelease()
