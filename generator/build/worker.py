"""Rendering in a worker: every language of one job, checked, then written in each format to staging.

A worker process keeps what it loaded (the dataset, the templates, one writer per format) between
jobs. For a document published before (`aidreport publish`) whose text has changed since, it also
writes the copy desk's redline beside the DOCX (redline.py): output/<lang>/redline/<folder>/<name>.docx.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..context import BuildContext
from ..view.dataview import DataView
from ..view.deps import Reads
from ..errors import DataError, Diagnostic, Location, relpath
from ..fonts.faces import coverage, missing_glyphs, missing_in_text
from ..kinds import Job, kind
from ..words.lang import LANGS
from .plan import plan, template_dirs
from ..writers import REDLINE, output_path

if TYPE_CHECKING:
    from ..records.lookups import Dataset
    from ..render.renderer import Document, Renderer

TAG = re.compile(r"<[^>]+>")


# Rendering one job -------------------------------------------------------------------------------

def render_job(renderer: Renderer, job: Job, lang: str, ctx: BuildContext | None = None) -> Document:
    """Render one job's document in one language, through its kind."""
    return kind(job.kind).render(renderer, job, lang, ctx)


def check_documents(docs: list[Document], dataset: Dataset, points: frozenset[int]) -> list[Diagnostic]:
    """Check rendered documents: every glyph exists, and each zh document's figures match its en twin."""
    problems = [p for doc in docs for p in doc.problems]  # an override that cannot apply
    for doc in docs:
        text = TAG.sub(" ", doc.html.split("<body", 1)[1])
        problems += missing_in_text(text, points, ", ".join(doc.templates))
    return problems + check_parity(docs, dataset)


def check_parity(docs: list[Document], dataset: Dataset) -> list[Diagnostic]:
    """Compare the figures of every Chinese document with its English twin, as values."""
    from ..render.parity import compare, compare_overridden

    by_key = {(d.folder, d.name, d.lang.code): d for d in docs}
    problems = []
    for (kind, name, lang), zh in sorted(by_key.items()):
        en = by_key.get((kind, name, "en"))
        if lang == "zh" and en is not None:
            zh_rest, en_rest, problems_here = compare_overridden(zh, en, dataset, overrides_located(dataset))
            problems += problems_here + compare(zh_rest, en_rest, f"output/{zh.stem}.html", f"output/{en.stem}.html",
                                                dataset)
    return problems


def overrides_located(dataset: Dataset) -> dict:
    return dataset.overrides.locations if dataset.overrides is not None else {}


def render_documents(ctx: BuildContext, dataset: Dataset) -> list[Document]:
    """Render every document in every language, with all checks (for tests and tools)."""
    from ..render.renderer import Renderer

    points = coverage(ctx.faces)
    problems = missing_glyphs(dataset.files, points)
    if problems:
        raise DataError(problems)
    renderer = Renderer(ctx.root, dataset, template_dirs())
    docs = [render_job(renderer, job, lang, ctx) for job in plan(dataset) for lang in LANGS]
    problems = check_documents(docs, dataset, points)
    if problems:
        raise DataError(problems)
    return docs


# The worker -----------------------------------------------------------------------------------------

class Worker:
    """What one process keeps between jobs: the dataset, the templates, one writer per format."""

    def __init__(self, root: Path, output: Path, staging: Path, formats: tuple[str, ...],
                 dataset: Dataset | None = None, ctx: BuildContext | None = None):
        import gc

        from ..render.renderer import Renderer
        from ..writers import registry

        gc.freeze()  # what is loaded so far lives to the end: keep the collector off it
        gc.enable()  # the CLI turns the collector off for its short checks; rendering needs it
        from ..context import make_context
        from ..records.dataset import load_dataset

        self.dataset = dataset or load_dataset(root)
        self.ctx = ctx or make_context(root, output, self.dataset)
        self.ctx.dataset = self.dataset
        self.renderer = Renderer(root, self.dataset, template_dirs())
        # Rendered text is checked against the lean faces: whatever they lack would print as a box.
        self.points = coverage(self.ctx.faces)
        self.staging = staging
        self.writers = {fmt: registry[fmt]()(self.ctx) for fmt in formats}

    def run(self, job: Job, tasks: list[tuple[str, str]]) -> dict[str, Any]:
        import jinja2

        try:
            docs = [render_job(self.renderer, job, lang, self.ctx) for lang in LANGS]
            problems = check_documents(docs, self.dataset, self.points)
            if not problems:
                derived, problems = derive_editions(self.ctx, docs, {lang for lang, _ in tasks}, self.points)
                docs += derived
        except jinja2.TemplateSyntaxError as exc:  # a template edited by hand: located like a data problem
            where = Location(relpath(Path(exc.filename), self.ctx.root) if exc.filename else "templates", exc.lineno or 1)
            return {"job": job, "problems": [Diagnostic(where, f"template: {exc.message}",
                                                        "fix the template (Jinja syntax)")]}
        except jinja2.UndefinedError as exc:  # a template names a value its kind does not give (an older copy)
            return {"job": job, "problems": [Diagnostic(self._template_line(exc), f"template: {exc.message}",
                                                        "compare the template with the toolkit's own: a value it "
                                                        "names is not one this kind of document gives")]}
        if problems:
            return {"job": job, "problems": problems}
        staged: list[str] = []
        documents, extras, writer_reads = {}, {}, {}
        for doc in docs:
            published = self._published_text(doc)
            documents[doc.stem] = {"figures": _figures(self.dataset, doc), "reads": doc.reads, "title": doc.title}
            for fmt in (fmt for lang, fmt in tasks if lang == doc.lang.code):
                rel = output_path(doc.stem, fmt)
                writer = self.writers[fmt]
                with self._lent() as reads:  # what the writer itself reads of the dataset (the DOCX's dates)
                    _stage(self.staging / rel, writer.write(doc))
                    made = writer.extras(doc)
                staged.append(rel)
                if reads.keys:
                    writer_reads[rel] = reads.keys
                # Files a format makes beside its own (a WeChat edition's images), and the DOCX's redline.
                beside = {posixpath.join(posixpath.dirname(rel), name): data for name, data in made.items()}
                if fmt == "docx":
                    beside.update(self._redline(doc, published))
                for path, data in beside.items():
                    _stage(self.staging / path, data)
                extras[rel] = sorted(beside)
                staged += extras[rel]
        return {"job": job, "problems": [], "staged": staged, "documents": documents, "extras": extras,
                "writer_reads": writer_reads}

    def _template_line(self, exc: BaseException) -> Location:
        """Where in a template an error was raised: the innermost template line of its traceback (Jinja
        gives each frame of a template its file and line)."""
        where = Location("templates", 1)
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith(".j2"):
                where = Location(relpath(Path(name), self.ctx.root), tb.tb_lineno)
            tb = tb.tb_next
        return where

    @contextmanager
    def _lent(self) -> Iterator[Reads]:
        """Lend the writers the dataset as a view that notes what they read, for one file."""
        reads = Reads()
        self.ctx.dataset = DataView(self.dataset, reads)
        try:
            yield reads
        finally:
            self.ctx.dataset = self.dataset

    def _published_text(self, doc: Document) -> str | None:
        """Return a document's text as last published, if it was; what was published counts as read."""
        from ..records.dataset import PUBLISHED
        from ..hashing import file_digest

        publication = self.dataset.publication
        if publication is None:
            return None
        rel = f"data/{PUBLISHED}/{publication.date}/{doc.stem}.txt"
        path = self.ctx.root / rel
        doc.reads[rel] = file_digest(path)
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def _redline(self, doc: Document, published: str | None) -> dict[str, bytes]:
        """The redline of a document changed since its publication (none if it is as published)."""
        from ..words.plaintext import plain_text
        from ..writers.redline import redline_docx

        text = plain_text(doc.html)
        if published is None or published == text:
            return {}
        data = redline_docx(published, text, doc.lang, self.writers["docx"].reference, doc.title,
                            self.dataset.publication.date)
        return {redline_path(doc.stem): data}


def redline_path(stem: str) -> str:
    """Where the redline of a document (lang/folder/name) goes: lang/redline/folder/name.docx."""
    lang, rest = stem.split("/", 1)
    return f"{lang}/{REDLINE}/{rest}.docx"


def derive_editions(ctx: BuildContext, renders: list[Document], wanted: set[str],
                    points: frozenset[int]) -> tuple[list[Document], list[Diagnostic]]:
    """Make the wanted editions of a job from its renders, and check them as the renders are checked."""
    from ..editions import editions

    by_lang = {doc.lang.code: doc for doc in renders}
    derived, problems = [], []
    for module in editions():
        if module.CODE in wanted:
            doc = module.derive(ctx, by_lang)
            derived.append(doc)
            problems += doc.problems + missing_in_text(TAG.sub(" ", doc.html.split("<body", 1)[1]), points, doc.stem)
            problems += module.check(ctx, doc, by_lang) if hasattr(module, "check") else []
    return derived, problems


def _figures(ds: Dataset, doc: Document) -> list[list[Any]]:
    from .manifest import figures

    return figures(ds, doc)


def _stage(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


