"""What the build makes: one Job per document (both languages), and the inputs each one depends on.

A job's inputs are named parts with a hash each: the data it reads (only the parts of a record it
prints, so a figure change rebuilds just the documents that print it), the templates it loads, the
fonts and the toolkit. The build compares them with the last build's to skip what is up to date.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__

if TYPE_CHECKING:
    from .dataset import Dataset

LANGS = ("zh", "en")  # every document is made in both, so that their figures can be compared
FORMAT_FILES = {"pdf": ("templates/css/print.css",), "html": ("templates/css/print.css",),
                "docx": ("templates/reference.docx",)}


@dataclass(frozen=True)
class Job:
    """One document to make in every language: what kind, its name, and the record it is about."""

    kind: str  # output folder: articles, briefs, press
    name: str
    maker: str  # article, brief, factsheet, event, district, series
    subject: str = ""

    @property
    def label(self) -> str:
        return f"{self.kind}/{self.name}"


def plan(ds: Dataset) -> list[Job]:
    """Return every job of the project, in a stable order."""
    jobs = [Job("articles", inst.id, "article", inst.id) for inst in ds.series.instalments]
    jobs.append(Job("briefs", "comparison", "brief"))
    jobs += [Job("briefs", did, "factsheet", did) for did in ds.districts]
    jobs += [Job("press", eid, "event", eid) for eid in ds.events]
    jobs += [Job("press", f"district-{did}", "district", did) for did in ds.districts]
    jobs.append(Job("press", "series", "series"))
    return jobs


def _h(value: Any) -> str:
    data = value if isinstance(value, bytes) else json.dumps(value, sort_keys=True, ensure_ascii=False,
                                                               default=str).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:20]


@cache
def _file_hash(path: Path, mtime_ns: int, size: int) -> str:
    return _h(path.read_bytes())


def file_hash(path: Path) -> str:
    """Hash a file's bytes (remembered per modification time within one process)."""
    stat = path.stat()
    return _file_hash(path, stat.st_mtime_ns, stat.st_size)


def toolkit_hash() -> str:
    """Hash the toolkit's own code: a new version of it rebuilds everything."""
    package = Path(__file__).parent
    parts = [__version__] + [file_hash(p) for p in sorted(package.rglob("*.py"))]
    return _h(parts)


def _record_parts(ds: Dataset, did: str, whole: bool) -> Any:
    record = ds.districts[did]
    if whole:
        return record.model_dump(mode="json")
    measured = [f.model_dump(mode="json") for f in ds.facts(did).values() if f.measure]
    return {"place": record.place, "pairings": [p.model_dump(mode="json") for p in record.pairings],
            "source": record.source.model_dump(mode="json"), "measured": measured}


def data_inputs(ds: Dataset, job: Job) -> dict[str, str]:
    """Return the data a job reads, as {record file: hash of the parts of it the job prints}."""
    root = ds.root
    shared = {f"data/{name}.yaml": file_hash(root / "data" / f"{name}.yaml")
              for name in ("series", "gazetteer", "glossary", "measures")}
    parts: dict[str, Any] = {}
    if job.maker == "article":
        inst = next(i for i in ds.series.instalments if i.id == job.subject)
        parts = {ds.district_files[d]: _record_parts(ds, d, True) for d in inst.districts}
    elif job.maker == "brief":
        parts = {ds.district_files[d]: _record_parts(ds, d, False) for d in ds.districts}
    elif job.maker in {"factsheet", "district"}:
        parts = {ds.district_files[job.subject]: _record_parts(ds, job.subject, True)}
    elif job.maker == "event":
        event = ds.events[job.subject]
        facts = ds.event_facts(event)
        used = {fid: facts[fid].model_dump(mode="json") for fid in sorted(facts)
                if fid in json.dumps(event.model_dump(mode="json"), ensure_ascii=False)}
        record = ds.districts[event.district]
        parts = {ds.event_files[job.subject]: event.model_dump(mode="json"),
                 ds.district_files[event.district]: {"facts": used, "place": record.place,
                                                     "source": record.source.model_dump(mode="json")}}
    elif job.maker == "series":
        districts = sorted({d for inst in ds.series.instalments for d in inst.districts})
        parts = {ds.district_files[d]: {"place": ds.districts[d].place,
                                        "pairings": [p.model_dump(mode="json") for p in ds.districts[d].pairings]}
                 for d in districts}
    return shared | {name: _h(value) for name, value in parts.items()}


def output_inputs(ds: Dataset, data: dict[str, str], lang: str, fmt: str, templates: set[str], fonts: str,
                  toolkit: str) -> dict[str, str]:
    """Return every named input of one output file with its hash (data: the job's data_inputs)."""
    inputs = dict(data)
    for rel in sorted(set(templates) | set(FORMAT_FILES[fmt]) | {"templates/labels.yaml"}):
        inputs[rel] = file_hash(ds.root / rel)
    if fmt == "pdf":
        inputs["fonts"] = fonts
    inputs["toolkit"] = toolkit
    return inputs


TEMPLATES = {"article": "article.{lang}.html.j2", "brief": "brief.html.j2", "factsheet": "factsheet.html.j2",
             "event": "release.html.j2", "district": "release.html.j2", "series": "release.html.j2"}


_REFERENCE = re.compile(r"""{%-?\s*(?:extends|import|include|from)\s+["']([^"']+)["']""")


def template_closure(templates_dir: Path, name: str, _seen: frozenset[str] = frozenset()) -> set[str]:
    """Return a template and every template it extends, imports or includes (without loading Jinja)."""
    found = {name}
    text = (templates_dir / name).read_text(encoding="utf-8")
    for ref in _REFERENCE.findall(text):
        if ref not in _seen | found:
            found |= template_closure(templates_dir, ref, _seen | found)
    return found


def fingerprint(root: Path, formats: tuple[str, ...], only: tuple[str, ...], fonts: str) -> str:
    """Hash everything a build reads, as bytes: the data, the templates, the toolkit, the font sources.

    When it equals the last successful build's, that build already checked these very bytes and
    made every output from them, so there is nothing to check or make again.
    """
    files = [p for folder in ("data", "templates") for p in sorted((root / folder).rglob("*")) if p.is_file()]
    parts = [f"{p.relative_to(root).as_posix()}={file_hash(p)}" for p in files]
    return _h([parts, toolkit_hash(), sorted(formats), sorted(only), fonts])
