"""The corrections list: every figure changed since the latest publication, document by document.

Made only once a publication is recorded (`aidreport publish`); each document listed also carries
its own correction notice (view/parts.py, corrections; rendered by base.html.j2).
"""

from __future__ import annotations

from typing import Any

from . import Job, Kind


class Corrections(Kind):
    name, folder, template = "corrections", "notices", "corrections.html.j2"

    def jobs(self, ds) -> list[Job]:
        return [Job(self.name, self.folder, "corrections")] if ds.publication is not None else []

    def view(self, r, w, job: Job, ctx: Any) -> dict[str, Any]:
        from ..view.deps import PUBLISHED, PUBLISHED_DATE
        from ..view.parts import corrections
        from . import kinds as all_kinds

        lang = w.lang.code
        publication = w.ds.publication
        w.reads.note(f"{PUBLISHED}#{PUBLISHED_DATE}", publication.date)
        kinds_of = {f"{lang}/{other.label}": other.kind for each in all_kinds() for other in each.jobs(w.ds)}
        documents = []
        for stem, entry in publication.documents.items():
            if not stem.startswith(f"{lang}/") or stem.split("/")[1] == self.folder or stem not in kinds_of:
                continue  # another language's, this list itself, or a document no longer made
            found = corrections(w, stem)
            if found:
                folder, name = stem.split("/", 2)[1:]
                documents.append({"title": entry.title, "kind": kinds_of[stem], "corrections": found,
                                  "href": f"../{folder}/{name}.html"})
        return {"published": w.when(publication.date), "documents": documents, "kind": self.name}


KIND = Corrections()
