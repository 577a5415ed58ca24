"""A toy document kind, registered by tests/test_kinds.py: one module and its two templates, nothing else.

Synthetic: it exists to show that a kind is one module plus templates, found through the registry.
"""

from __future__ import annotations

from pathlib import Path

from generator.kinds import Kind


class Toy(Kind):
    name, folder, template = "toy", "toys", "toy.{lang}.html.j2"
    templates = Path(__file__).parent  # the test points this at a copy it may edit

    def subjects(self, ds) -> list[str]:
        return list(ds.districts)

    def view(self, r, w, job, ctx) -> dict:
        return {"record": w.district(job.subject)}


KIND = Toy()
