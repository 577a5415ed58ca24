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
    from ..deps import PUBLISHED
    from ..views import corrections

    w = r.writer(lang)
    publication = w.ds.publication
    w.reads.note(f"{PUBLISHED}#dates", publication.date)
    documents = []
    for stem, entry in publication.documents.items():
        code, folder, name = stem.split("/", 2)
        if code != lang or folder == FOLDER:
            continue
        found = corrections(w, stem)
        if found:
            documents.append({"title": entry.title, "kind": _kind_of(stem), "corrections": found,
                              "href": f"../{folder}/{name}.html"})
    context = {"published": w.when(publication.date), "documents": documents, "kind": NAME}
    return r.render(w, "corrections.html.j2", context, FOLDER, job.name)


def _kind_of(stem: str) -> str:
    """The document kind a published stem belongs to, for the noun its notice uses."""
    folder, name = stem.split("/", 2)[1:]
    if folder == "articles":
        return "article"
    if folder == "briefs":
        return "brief" if name == "comparison" else "factsheet"
    return "series_release" if name == "series" else "district_release" if name.startswith("district-") \
        else "event_release"
