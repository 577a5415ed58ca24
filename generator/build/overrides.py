"""What becomes of the editor's overrides now: each current, stale or orphaned, from the documents' renders.

`check`, `build`, `publish`, `aidreport overrides` and the preview all ask here. Only the documents an
override names are rendered (as HTML, in this process): a project without overrides renders nothing.
A stale override is a warning (and stops `publish` until confirmed); an orphan, an override of a block
or document that does not exist, is an error naming the nearest ids.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Diagnostic, Location
from ..kinds import Job, kind
from .plan import plan, template_dirs

if TYPE_CHECKING:
    from ..records.lookups import Dataset
    from ..render.renderer import Document

# The renders an override of each language is applied to: zh-Hant's is derived from the zh render.
RENDERED = ("zh", "en")


@dataclass
class States:
    """Every override's state, and the problems and warnings they give."""

    applied: list[Any] = field(default_factory=list)  # render.overrides.Applied, in file order
    problems: list[Diagnostic] = field(default_factory=list)  # orphans, overlaps, unknown references
    warnings: list[Diagnostic] = field(default_factory=list)  # stale overrides
    failed: list[Diagnostic] = field(default_factory=list)  # a render that failed (a template): nothing is known

    @property
    def stale(self) -> list[Any]:
        return [a for a in self.applied if a.state == "stale"]


def override_states(root: Path, ds: Dataset, docs: dict[str, list[Document]] | None = None) -> States:
    """Render the documents the project's overrides name and say what became of each override."""
    from ..render.overrides import Applied

    out = States()
    if ds.overrides is None or not len(ds.overrides):
        return out
    jobs = {job.label: job for job in plan(ds)}
    located = ds.overrides.locations
    labels = sorted({o.doc for o in ds.overrides})
    if docs is None:
        try:
            docs = render_labels(root, ds, [jobs[label] for label in labels if label in jobs])
        except TemplateFailed as exc:  # a template edited by hand: said as the build says it, at its line
            out.failed.append(exc.diagnostic)
            return out
    for label in labels:
        if label not in jobs:
            nearest = tuple(difflib.get_close_matches(label, list(jobs), n=3, cutoff=0.4))
            for o in (o for o in ds.overrides if o.doc == label):
                out.applied.append(Applied(o, "orphaned", nearest=nearest))
                out.problems.append(Diagnostic(
                    ds.overrides.block_locations.get(o.ident, Location("data/overrides")), f"the override of {o.block} ({o.lang}) names "
                    f"a document the project does not make", (f"did you mean {', '.join(nearest)}? " if nearest else "")
                    + "documents are named like press/district-baoshan, briefs/comparison, articles/<instalment>"))
            continue
        for doc in docs[label]:
            out.applied += doc.overrides
            out.problems += doc.problems
    for a in out.stale:
        o = a.override
        out.warnings.append(Diagnostic(
            located.get(o.ident, Location("data/overrides")), f"the override of {o.block} ({o.lang}) is stale: the "
            "generated text it replaced has changed", f"read it against the new text (`aidreport overrides`), then "
            f"`aidreport overrides confirm {o.ident}`, or delete it", level="warning"))
    return out


class TemplateFailed(Exception):
    """A template could not be rendered (a syntax error, a value its kind does not give): where, and why."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def render_labels(root: Path, ds: Dataset, jobs: list[Job]) -> dict[str, list[Document]]:
    """Render the HTML of some documents in every language an override may name (zh, en and zh-Hant)."""
    import jinja2

    from ..editions.traditional import traditional
    from ..errors import relpath
    from ..render.renderer import Renderer
    from ..words.hanzi import converter

    renderer = Renderer(root, ds, template_dirs())
    convert = converter(ds)
    out: dict[str, list[Document]] = {}
    for job in jobs:
        try:
            renders = [kind(job.kind).render(renderer, job, lang) for lang in RENDERED]
        except jinja2.TemplateSyntaxError as exc:
            where = Location(relpath(Path(exc.filename), root) if exc.filename else "templates", exc.lineno or 1)
            raise TemplateFailed(Diagnostic(where, f"template: {exc.message}", "fix the template (Jinja syntax)")) \
                from None
        except jinja2.TemplateError as exc:
            raise TemplateFailed(Diagnostic(Location("templates"), f"template: {exc.message}",
                                            f"`aidreport build` says where ({job.label})")) from None
        out[job.label] = [*renders, traditional(ds, renders[0], convert)]
    return out


def check_overrides(root: Path, ds: Dataset) -> list[Diagnostic]:
    """Check the overrides as `check` and `build` do: return the problems (an orphan), and add a stale
    override's warning to the dataset's notes."""
    states = override_states(root, ds)
    ds.notes += states.warnings
    return list(dict.fromkeys(states.failed + states.problems))
