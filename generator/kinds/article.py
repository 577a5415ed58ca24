"""The series article: one instalment, its masthead and intro, a section per district, the follow box."""

from __future__ import annotations

from typing import Any

from . import Job, Kind


class Article(Kind):
    name, folder, template, heavy = "article", "articles", "article.{lang}.html.j2", True
    formats = (*Kind.formats, "wechat")
    editions = ("zh-Hant", "bilingual")
    wechat_part, wechat_frame = "district", frozenset({"masthead", "follow", "sources", "correction"})

    def subjects(self, ds) -> list[str]:
        return [inst.id for inst in ds.series.instalments]

    def view(self, r, w, job: Job, ctx: Any) -> dict[str, Any]:
        from ..view.parts import section

        s = w.series
        instalment = next(i for i in s.instalments if i.id == job.subject)
        facts = {f.id: f for f in s.facts}
        origin = "data/series.yaml"
        districts = list(instalment.districts)
        terms = [t for t in s.intro_terms if t != "whole-city-one-game"]
        context = {
            "series": {"kicker": w.expand(s.kicker), "title": w.expand(s.title),
                       "dates": w.when(s.run_from, s.run_to)},
            "intro": {
                "principle": w.term(s.principle),
                "relations": [w.term(t) for t in terms],
                "whole_city": w.term("whole-city-one-game") if "whole-city-one-game" in w.ds.terms else "",
                "districts": w.figure(facts["series-districts"], f"{origin}/series-districts"),
                "days": w.figure(facts["series-days"], f"{origin}/series-days"),
                "covered": [w.place(w.district(d).place, "short") for d in districts],
                "covered_full": [w.place(w.district(d).place) for d in districts],
            },
            "follow": {"qr": r.qr(w), "account": w.expand(s.follow.account), "account_zh": s.follow.account.zh,
                       "platform": w.expand(s.follow.platform)},
            "sections": [section(r, w, d) for d in districts],
            "sources": [w.text(src.title) for src in s.sources],
        }
        return context


KIND = Article()
