"""The registry of document kinds: one module per kind, each defining a Kind and its instance, KIND.

A kind declares what it is (`Kind` below: its name, output folder, template, whether it is heavy, and
which formats and editions it is made in) and makes its jobs and its view; the rendering every kind
shares is here. The build, the plan, the writers and the editions know kinds only through `kinds()`
and `kind(name)`. Adding a kind is one module plus its templates, and one line in BUILT_IN (or
`register(kind)` from outside the package).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ..render.renderer import Document, Renderer
    from ..view.prose import Writer

BUILT_IN = ("article", "brief.kind", "factsheet", "event_release", "district_release", "series_release",
            "corrections")
_extra: list[Kind] = []


@dataclass(frozen=True)
class Job:
    """One document to make in every language: its kind, output folder, name, and the record it is about."""

    kind: str
    folder: str
    name: str
    subject: str = ""

    @property
    def label(self) -> str:
        return f"{self.folder}/{self.name}"


class Kind:
    """A document kind: what it declares, the jobs it makes, and its view.

    - `name`, `folder`: its name, and its output folder (`output/<lang>/<folder>/<name>.<ext>`);
    - `template`: its template, `{lang}` standing for the language's code where it has one per language;
    - `heavy`: whether its documents are long (the build starts them first, so workers finish together);
    - `formats`: the formats it is made in, of the writers' (`wechat` only where it is cut for WeChat);
    - `editions`: the editions made of it beyond the languages (their codes: `zh-Hant`, `bilingual`);
    - `wechat_part`, `wechat_frame`: how its WeChat edition is cut: the class of the elements that get a
      fragment each (None: one fragment), and the classes of those every fragment repeats;
    - `templates`: a folder of its own templates (a kind from outside the package), else None.
    """

    name: ClassVar[str]
    folder: ClassVar[str]
    template: ClassVar[str]
    heavy: ClassVar[bool] = False
    formats: ClassVar[tuple[str, ...]] = ("html", "pdf", "docx", "archive")
    editions: ClassVar[tuple[str, ...]] = ("zh-Hant",)
    wechat_part: ClassVar[str | None] = None
    wechat_frame: ClassVar[frozenset[str]] = frozenset()
    templates: ClassVar[Path | None] = None

    def subjects(self, ds: Any) -> list[str]:
        """The ids of the records it makes a document of, one each, in a stable order."""
        raise NotImplementedError

    def jobs(self, ds: Any) -> list[Job]:
        return [Job(self.name, self.folder, subject, subject) for subject in self.subjects(ds)]

    def view(self, r: Renderer, w: Writer, job: Job, ctx: Any) -> dict[str, Any]:
        """The values and decisions its template needs (the template writes the sentences)."""
        raise NotImplementedError

    def render(self, r: Renderer, job: Job, lang: str, ctx: Any = None) -> Document:
        """Render the job's document in one language: its view through its template."""
        w = r.writer(lang)
        return r.render(w, self.template.format(lang=lang), self.view(r, w, job, ctx), self.folder, job.name,
                        kind=self.name)


def kinds() -> list[Kind]:
    """Return every kind, the built-in ones first, in a stable order."""
    return [importlib.import_module(f"{__name__}.{name}").KIND for name in BUILT_IN] + list(_extra)


def kind(name: str) -> Kind:
    """Return a kind by its name."""
    for found in kinds():
        if found.name == name:
            return found
    raise KeyError(name)


def register(added: Kind) -> None:
    """Add a kind from outside the package (a test's, a plug-in's)."""
    if added not in _extra:
        _extra.append(added)


def unregister(added: Kind) -> None:
    if added in _extra:
        _extra.remove(added)
