"""A toy document kind, registered by tests/test_kinds.py: one module and its two templates, nothing else.

Synthetic: it exists to show that a kind is one module plus templates, found through the registry.
"""

from __future__ import annotations

from pathlib import Path

from generator.kinds import Job

NAME = "toy"
FOLDER = "toys"
HEAVY = False
TEMPLATES = Path(__file__).parent  # the test points this at a copy it may edit


def jobs(ds) -> list[Job]:
    return [Job(NAME, FOLDER, did, did) for did in ds.districts]


def render(r, job: Job, lang: str, ctx=None):
    w = r.writer(lang)
    return r.render(w, f"toy.{lang}.html.j2", {"record": w.district(job.subject)}, FOLDER, job.name)
