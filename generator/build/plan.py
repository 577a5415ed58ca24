"""What the build makes, and what each output depends on.

The jobs come from the kinds' registry (kinds/). What a document depends on is not kept here: the
render records it (view/deps.py) and the manifest stores it. Here are the rest of each output's inputs
(its format's files, the fonts, the toolkit) and the hash of a whole build's bytes.
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..hashing import digest, file_digest
from ..view.deps import Current
from ..editions import formats as edition_formats, languages
from ..kinds import Job, kind, kinds
from ..writers import WRITERS, output_path

if TYPE_CHECKING:
    from ..records.lookups import Dataset

FORMAT_FILES = {"pdf": ("templates/css/print.css",), "html": ("templates/css/print.css",),
                "docx": ("templates/reference.docx",), "archive": ("templates/css/print.css",),
                "wechat": ("templates/css/wechat.css",)}
EMBED_FONTS = ("pdf", "archive")  # formats that embed the prepared faces


def plan(ds: Dataset) -> list[Job]:
    """Return every job of the project, kind by kind, in a stable order."""
    return [job for each in kinds() for job in each.jobs(ds)]


def selects(only: tuple[str, ...], label: str, lang: str | None = None) -> bool:
    """Whether --only's patterns select a document (label: articles/<id>) or, given lang, its files in that
    language or edition: a pattern names documents (press/*) or one language's of them (zh/press/*)."""
    if not only:
        return True
    names = [label] if lang is None else [label, f"{lang}/{label}"]
    return any(fnmatch(name, pattern) for pattern in only for name in names)


def outputs_of(jobs: list[Job]) -> set[str]:
    """Return every file a build of these jobs may make, in any format (a build of some formats keeps the rest)."""
    return {output_path(f"{lang}/{job.folder}/{job.name}", fmt) for job in jobs for lang in languages(kind(job.kind))
            for fmt in edition_formats(lang, tuple(WRITERS)) if fmt in kind(job.kind).formats}


def heavy(job: Job) -> bool:
    """Return whether a job's documents are long (started first, so that workers finish together)."""
    return kind(job.kind).heavy


def template_dirs() -> list[Path]:
    """Return the template folders of kinds that bring their own (a kind outside the package)."""
    return [Path(each.templates) for each in kinds() if each.templates]


def output_inputs(root: Path, fmt: str, fonts: str, toolkit: str) -> dict[str, str]:
    """Return an output's inputs beyond what its document read: its format's files, fonts, toolkit."""
    inputs = {rel: file_digest(root / rel) for rel in FORMAT_FILES.get(fmt, ())}
    if fmt in EMBED_FONTS:
        inputs["fonts"] = fonts
    inputs["toolkit"] = toolkit
    return inputs


class Stale:
    """Decides which outputs are out of date, and why, from the last build's manifest."""

    def __init__(self, current: Current, root: Path, output: Path, previous: dict[str, Any],
                 read_before: dict[str, dict[str, str]], force: bool, fonts: str, toolkit: str):
        self.current, self.root, self.output = current, root, output
        self.previous, self.read_before, self.force = previous, read_before, force
        self.fonts, self.toolkit = fonts, toolkit
        self.beside: dict[str, list[str]] = {}  # output -> the files it made beside it (a redline, images)
        for rel, entry in previous.items():
            if "of" in entry:
                self.beside.setdefault(entry["of"], []).append(rel)

    def todo(self, jobs: list[Job], formats: tuple[str, ...],
             only: tuple[str, ...] = ()) -> tuple[list, dict[str, dict[str, str]], int]:
        """Return the jobs to run with their (language, format) tasks and reasons, every output's inputs,
        and how many files are up to date (an output and the files made beside it, as a build that writes
        them counts them); only: the languages of each job that --only selects."""
        todo, planned, up_to_date = [], {}, 0
        for job in jobs:
            tasks: list[tuple[str, str]] = []
            reasons: list[str] = []
            made_in = kind(job.kind)
            for lang in languages(made_in):
                if not selects(only, job.label, lang):
                    continue
                stem = f"{lang}/{job.folder}/{job.name}"
                reads = self.read_before.get(stem)
                stale = [] if self.force else ["new"] if reads is None else changed(self.current, reads)
                made_from = None if reads is None else digest(reads)
                for fmt in edition_formats(lang, formats):
                    if fmt not in made_in.formats:
                        continue
                    rel = output_path(stem, fmt)
                    planned[rel] = inputs = output_inputs(self.root, fmt, self.fonts, self.toolkit)
                    why = ["--force"] if self.force else stale + [
                        r for r in _reasons(self.previous.get(rel), inputs, self.output / rel) if r not in stale]
                    if not why:  # what its writer read of the data while it wrote it (the DOCX's dates)
                        why = changed(self.current, self.previous[rel].get("writer_reads", {}))
                    if not why and not all((self.output / extra).is_file() for extra in self.beside.get(rel, [])):
                        why = ["output missing"]
                    if not why and self.previous[rel].get("reads") != made_from:
                        # Another format of the document was made since from newer data (build --format).
                        why = ["made from older data than its other formats"]
                    if why:
                        tasks.append((lang, fmt))
                        reasons += [r for r in why if r not in reasons]
                    else:  # counted as a build that writes counts: the output and the files made beside it
                        up_to_date += 1 + len(self.beside.get(rel, []))
            if tasks:
                todo.append((job, tasks, reasons))
        return todo, planned, up_to_date

    def gone(self, jobs: list[Job]) -> set[str]:
        """Return the files of the last build that no document of these jobs makes any more (a record
        removed: every language, edition and format of its documents), with the files made beside them."""
        made = outputs_of(jobs)
        owned = {rel for rel, entry in self.previous.items() if "of" not in entry and rel not in made}
        return owned | {rel for rel, entry in self.previous.items() if entry.get("of") in owned}


def _reasons(old: dict[str, Any] | None, inputs: dict[str, str], path: Path) -> list[str]:
    if old is None:
        return ["new"]
    if not path.is_file():
        return ["output missing"]
    from .manifest import sha256

    reasons = [f"{name} changed" for name, value in inputs.items() if old.get("inputs", {}).get(name) != value]
    reasons += [f"{name} no longer used" for name in old.get("inputs", {}) if name not in inputs]
    if not reasons and sha256(path.read_bytes()) != old.get("sha256"):
        reasons.append("output changed since the last build")
    return reasons


def changed(current: Current, reads: dict[str, str]) -> list[str]:
    """Return why a document read last time is out of date: '<file> changed' for each file it read."""
    reasons: list[str] = []
    for key, value in reads.items():
        if current(key) != value:
            reason = f"{key.partition('#')[0]} changed"
            if reason not in reasons:
                reasons.append(reason)
    return reasons
