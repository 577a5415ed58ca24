"""The build: check everything, render every document, then write all outputs atomically."""

from __future__ import annotations

import fcntl
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import Dataset, load_dataset
from .errors import BuildError, DataError
from .fonts import Face, coverage, font_face_css, missing_glyphs, missing_in_text, prepare_faces
from .render import LANGS, Document, Renderer

FORMATS = ("html", "pdf", "docx")
TAG = re.compile(r"<[^>]+>")


@dataclass
class BuildContext:
    """One object passed through the build: where things are and what the fonts are."""

    root: Path
    output: Path
    faces: list[Face]
    font_css: str
    fetch_roots: list[Path]
    dataset: Dataset | None = None


@dataclass
class BuildReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def check_project(root: Path) -> Dataset:
    """Load and check every data file; raise DataError listing all problems."""
    return load_dataset(root)


def font_cache(root: Path) -> Path:
    """Return where prepared fonts are kept: in the project's output/, whatever --output says."""
    return root / "output" / ".cache" / "fonts"


def make_context(root: Path, output: Path) -> BuildContext:
    faces = prepare_faces(font_cache(root))
    return BuildContext(root, output, faces, font_face_css(faces),
                        [root / "templates", root / "data", font_cache(root)])


def render_documents(ctx: BuildContext, dataset: Dataset) -> list[Document]:
    """Render every document of the project in every language, checking each glyph first."""
    points = coverage(ctx.faces)
    problems = missing_glyphs(dataset.files, points)
    if problems:
        raise DataError(problems)
    from . import documents

    renderer = Renderer(ctx.root, dataset)
    fonts = [face.path for face in ctx.faces]
    docs = []
    for lang in LANGS:
        docs += [renderer.article(inst, lang) for inst in dataset.series.instalments]
        docs.append(documents.brief(renderer, lang, fonts))
        docs += [documents.factsheet(renderer, did, lang) for did in dataset.districts]
        docs += [documents.event_release(renderer, event, lang) for event in dataset.events.values()]
        docs += [documents.district_release(renderer, did, lang) for did in dataset.districts]
        docs.append(documents.series_release(renderer, lang))
    for doc in docs:
        text = TAG.sub(" ", doc.html.split("<body", 1)[1])
        problems += missing_in_text(text, points, ", ".join(sorted(t for t in doc.templates if t.endswith(".j2"))))
    problems += check_parity(docs, dataset)
    if problems:
        raise DataError(problems)
    return docs


def check_parity(docs: list[Document], dataset: Dataset) -> list:
    """Compare the figures of every Chinese document with its English twin, as values."""
    from .parity import compare

    by_key = {(d.kind, d.name, d.lang): d for d in docs}
    problems = []
    for (kind, name, lang), zh in sorted(by_key.items()):
        en = by_key.get((kind, name, "en"))
        if lang == "zh" and en is not None:
            problems += compare(zh.html, en.html, f"output/{zh.stem}.html", f"output/{en.stem}.html", dataset)
    return problems


def _atomic_write(path: Path, data: bytes) -> bool:
    """Write data to path via a temporary file; return False when path already held it."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return True


def _remove_stale_temporaries(output: Path) -> None:
    """Remove temporary files an interrupted build left (never a file under its final name)."""
    for tmp in output.rglob(".*.tmp*"):
        if tmp.is_file() and re.search(r"\.tmp\d+$", tmp.name):
            tmp.unlink()


def build(root: Path, output: Path | None = None, formats: tuple[str, ...] = FORMATS) -> BuildReport:
    """Build every document into output/; nothing is written unless everything succeeded."""
    from .writers import registry

    root = root.resolve()
    output = (output or root / "output").resolve()
    dataset = check_project(root)
    # Everything is rendered in memory first; output/ is touched only once all of it succeeded.
    ctx = make_context(root, output)
    ctx.dataset = dataset
    docs = render_documents(ctx, dataset)
    results: dict[Path, bytes] = {}
    for fmt in formats:
        writer = registry[fmt]()(ctx)
        for doc in docs:
            results[output / f"{doc.stem}.{writer.ext}"] = writer.write(doc)
    from .manifest import manifest

    fonts = {f"fonts/{face.path.name}": face.path.stem.rsplit("-", 1)[-1] for face in ctx.faces}
    results[output / "manifest.json"] = manifest(
        root, dataset, docs, {p.relative_to(output).as_posix(): d for p, d in results.items()}, fonts)
    if output.exists() and not output.is_dir():
        raise BuildError(f"cannot write to {output}: it is a file, not a folder")
    try:
        output.mkdir(parents=True, exist_ok=True)
        lock = open(output / ".lock", "w")
    except OSError as exc:
        raise BuildError(f"cannot write to {output}: {exc.strerror}") from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is writing {output}; wait for it to finish") from None
        _remove_stale_temporaries(output)
        report = BuildReport()
        try:
            for path, data in sorted(results.items()):
                rel = path.relative_to(output).as_posix()
                (report.written if _atomic_write(path, data) else report.unchanged).append(rel)
        except OSError as exc:
            raise BuildError(f"cannot write output: {exc.strerror} ({exc.filename})") from None
        return report
