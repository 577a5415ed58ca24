"""The event release: a press release announcing one event (a fair, a camp, a training, a signing …)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import Job, Kind


class EventRelease(Kind):
    name, folder, template = "event_release", "press", "event_release.html.j2"
    formats = (*Kind.formats, "wechat")
    editions = ("zh-Hant", "bilingual")

    def subjects(self, ds) -> list[str]:
        return list(ds.events)

    def view(self, r, w, job: Job, ctx: Any) -> dict[str, Any]:
        from ..view.parts import release, sources

        event = w.event(job.subject)
        origin = w.ds.event_files[job.subject]
        facts = w.ds.event_facts(event)
        quote = event.quote
        context = {
            "release": release(r, w, event.release_date or event.date_to or event.date),
            "headline": w.expand(event.headline, None, origin),
            "subhead": w.expand(event.subhead, None, origin) if event.subhead else None,
            "lead": w.sentence(event.lead, origin, facts, opener=w.when(event.date, event.date_to)),
            # Each item is a paragraph of its own: its block is the item's id.
            "paragraphs": [replace(w.sentence(item, origin, facts), block=item.id or "") for item in event.items],
            "organiser": w.expand(event.organiser),
            "first": event.first,
            "recurring": event.recurring,
            "counties": [w.place(pid) for pid in event.counties],
            "quote": {"text": w.expand(quote.text, facts, origin), "speaker": w.expand(quote.speaker)} if quote else None,
        }
        context["sources"] = sources(r, w, [event.district])
        return context


KIND = EventRelease()
