"""The corrections list: every figure changed since the latest publication, document by document.

Made only once a publication is recorded (`aidreport publish`); each document listed also carries
its own correction notice (views.corrections, rendered by base.html.j2).
"""

from __future__ import annotations

from typing import Any

from . import Job

NAME = "corrections"
FOLDER = "notices"
HEAVY = False


def jobs(ds) -> list[Job]:
    return [Job(NAME, FOLDER, "corrections")] if ds.publication is not None else []


def render(r, job: Job, lang: str, ctx: Any = None):
    from ..view.deps import PUBLISHED, PUBLISHED_DATE
    from ..view.parts import corrections
    from . import kinds as all_kinds

    w = r.writer(lang)
    publication = w.ds.publication
    w.reads.note(f"{PUBLISHED}#{PUBLISHED_DATE}", publication.date)
    kinds_of = {f"{lang}/{job.label}": job.kind for module in all_kinds() for job in module.jobs(w.ds)}
    documents = []
    for stem, entry in publication.documents.items():
        if not stem.startswith(f"{lang}/") or stem.split("/")[1] == FOLDER or stem not in kinds_of:
            continue  # another language's, this list itself, or a document no longer made
        found = corrections(w, stem)
        if found:
            folder, name = stem.split("/", 2)[1:]
            documents.append({"title": entry.title, "kind": kinds_of[stem], "corrections": found,
                              "href": f"../{folder}/{name}.html"})
    context = {"published": w.when(publication.date), "documents": documents, "kind": NAME}
    return r.render(w, "corrections.html.j2", context, FOLDER, job.name)
