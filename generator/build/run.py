"""The build: check everything, make only what is out of date (in parallel), then commit atomically.

Stages: load and check the data (always) -> plan the jobs and their inputs -> compare with the last
build's manifest -> render the stale jobs in worker processes into a staging folder -> if every job
succeeded, move each changed file into place (os.replace) and write the manifest. A failure or an
interruption before that point leaves output/ exactly as it was. The commit is ordered, not journaled:
each file is replaced whole, and the manifest is written last, after the index; so a commit cut short
leaves files each complete, old or new, that the manifest does not yet record, and the next build
makes them again (its hashes against the files on disk) and completes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..cache import Cache
from ..context import BuildContext, fonts_key, make_context
from ..view.deps import Current
from ..errors import BuildError, DataError
from ..fonts.faces import missing_glyphs, source_coverage, source_files, sources_key
from .plan import Stale, plan, selects, template_dirs
from ..editions import languages
from ..kinds import kind
from .stamp import ARCHIVE, FORMATS, fingerprint, forget_stamp, nothing_to_do, toolkit_hash, write_stamp
from .overrides import check_overrides
from .pool import render
from .preview import font_assets, write_fonts, write_index
from ..processes import signals_held, stopped_by_signals
from ..writers import document_of

if TYPE_CHECKING:
    from ..kinds import Job
    from ..records.lookups import Dataset


STAGING = ".staging"


class Progress:
    """What a build tells as it goes; the command line shows it, a library caller may ignore it."""

    def preparing_fonts(self) -> None:
        """The fonts are being made (only when the cache lacks them: a first build)."""

    def rendering(self, total: int) -> None:
        """Rendering starts: total documents are out of date."""

    def finished(self, label: str, reasons: list[str], done: int, total: int) -> None:
        """One document (every language and format of it) has been rendered."""


@dataclass
class BuildReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rebuilt: list[tuple[str, list[str]]] = field(default_factory=list)  # (job label, reasons)
    up_to_date: int = 0
    warnings: list[str] = field(default_factory=list)  # as `check` prints them, located (path:line:col)
    removed: list[str] = field(default_factory=list)  # the files of documents no longer made
    index_remade: bool = False  # output/index.html written anew with no document rebuilt (it was gone or edited)


def check_project(root: Path) -> Dataset:
    """Load and check every data file; raise DataError listing all problems."""
    from ..records.dataset import load_dataset

    return load_dataset(root)


def warnings_of(dataset: Dataset) -> list[str]:
    """The warnings of a project's check, each on one located line, in the order `check` prints them."""
    return [d.format() for d in sorted(dataset.notes, key=lambda d: d.location) if d.level == "warning"]


# The build ---------------------------------------------------------------------------------------

def _manifest(output: Path) -> dict[str, Any]:
    try:
        return json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _untouched(output: Path, entries: dict[str, Any], empty: bool = False) -> bool:
    """Return whether every output the manifest lists is there, as the last build wrote it (empty: none listed)."""
    from .manifest import sha256

    for rel, entry in entries.items():
        path = output / rel
        if not path.is_file() or sha256(path.read_bytes()) != entry.get("sha256"):
            return False
    return empty or bool(entries)


def _labels(root: Path) -> dict[str, Any]:
    from ..records.yamlload import load_yaml

    loaded, problems = load_yaml(root / "templates" / "labels.yaml", "templates/labels.yaml")
    if loaded is None:
        raise DataError(problems)
    return loaded.data


def _remove_stale_temporaries(output: Path) -> None:
    """Remove what an interrupted build left (never a file under its final name)."""
    shutil.rmtree(output / STAGING, ignore_errors=True)
    for tmp in output.rglob(".*.tmp*"):
        if tmp.is_file() and re.search(r"\.tmp\d+$", tmp.name):
            tmp.unlink()


def _atomic_write(path: Path, data: bytes) -> bool:
    """Write data to path via a temporary file; return False when path already held it."""
    if path.exists() and path.stat().st_size == len(data) and path.read_bytes() == data:
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


def build(root: Path, output: Path | None = None, formats: tuple[str, ...] = FORMATS, jobs: int | None = None,
          force: bool = False, progress: Progress | None = None, only: tuple[str, ...] = ()) -> BuildReport:
    """Build every out-of-date document into output/; nothing is written unless everything succeeded."""
    root = root.resolve()
    output = (output or root / "output").resolve()
    said = None if force else nothing_to_do(root, output, formats, only)
    if said is not None:
        # The same bytes in, the same outputs there: the last build checked and made all of it, and
        # recorded the warnings its check gave and the outputs it counted.
        return BuildReport(up_to_date=said["counted"], warnings=list(said["warnings"]))
    last = _manifest(output)
    dirs = template_dirs()
    fonts = sources_key()  # worked out once: the fingerprint's, and the stamp's
    stamp = fingerprint(root, formats, only, fonts, dirs)
    Cache().evict()  # within its bound before the build adds to it, whatever another process left
    # What each document read last time, and what it printed (kept for the documents this build does not make):
    # held from here to the commit, since reading the manifest again there would hold it twice (at 40
    # districts, 15 MB of JSON: the build's peak memory).
    documents_before = last.pop("documents", {})
    read_before = {stem: doc["reads"] for stem, doc in documents_before.items() if "reads" in doc}
    dataset = check_project(root)
    problems = missing_glyphs(dataset.files, source_coverage()) + check_overrides(root, dataset)
    if problems:
        raise DataError(problems)
    progress = progress or Progress()
    ctx = make_context(root, output, dataset, progress.preparing_fonts)
    if output.exists() and not output.is_dir():
        raise BuildError(f"cannot write to {output}: it is a file, not a folder")

    previous = last.get("outputs", {})
    every = plan(dataset)
    selected = _selected(every, only)
    labels = _labels(root)
    stale = Stale(Current(root, dataset, labels), root, output, previous, read_before, force,
                  fonts_key(ctx), toolkit_hash())
    todo, planned, up_to_date = stale.todo(selected, formats, only)
    gone = stale.gone(every)  # the files of documents no longer made (their record removed), whatever --only says
    report = BuildReport(up_to_date=up_to_date, warnings=warnings_of(dataset))
    assets = font_assets(ctx.faces) if "html" in formats else {}
    if not todo and not gone and _nothing_new(output, last, planned, only, stamp, assets, report.warnings):
        # Everything is up to date: nothing is written, not even the manifest; the stamp, so that the next
        # build with nothing to do tells so at once (it describes the manifest as it is, or is not trusted).
        write_stamp(output, stamp, dirs, {**last, "counted": report.up_to_date}, fonts, source_files())
        return report
    with _locked(output) as lock_fd, stopped_by_signals():
        results = _run(root, output, formats, todo, jobs, progress, dataset, ctx, lock_fd)
        problems = list(dict.fromkeys(p for r in results for p in r["problems"]))  # a job's, once (pool._units)
        if problems:
            shutil.rmtree(output / STAGING, ignore_errors=True)
            raise DataError(problems)
        with signals_held():
            report = _commit(root, output, planned, previous, results, todo, report, (stamp, dirs, fonts),
                             documents_before, labels, ctx, assets, gone)
    Cache().evict(keep=set(ctx.chart_fonts))  # what the build added (charts) counts against the bound too
    return report


def _selected(every: list, only: tuple[str, ...]) -> list:
    selected = [job for job in every if any(selects(only, job.label, lang) for lang in languages(kind(job.kind)))]
    if only and not selected:
        raise BuildError(f"no document matches {', '.join(only)}; documents are named like articles/<id>, "
                         "briefs/comparison, press/series (or zh/press/series: one language's)")
    return selected


@contextlib.contextmanager
def _locked(output: Path) -> Iterator[int]:
    """Hold output/.lock while building (one build writes a folder at a time); yield its descriptor."""
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
        yield lock.fileno()


def _nothing_new(output: Path, last: dict[str, Any], planned: dict[str, Any], only: tuple[str, ...], stamp: str,
                 assets: dict[str, Any], warnings: list[str]) -> bool:
    """Whether a build with no document to make would leave the manifest, the assets and the index as they are."""
    before = {rel for rel, e in last.get("outputs", {}).items() if "of" not in e}  # not the files made beside one
    return set(planned) <= before and (bool(only) or before == set(planned)) and last.get("fingerprint") == stamp \
        and last.get("assets", {}) == assets and last.get("warnings") == warnings and _untouched(output, assets, empty=True) \
        and _untouched(output, last.get("index", {}))


def _run(root: Path, output: Path, formats: tuple[str, ...], todo: list, jobs: int | None,
         progress: Progress, dataset: Dataset, ctx: BuildContext, lock_fd: int) -> list[dict[str, Any]]:
    """Render the stale jobs into output/.staging, in worker processes when more than one job."""
    if not todo:
        return []
    staging = output / STAGING
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
    except OSError as exc:
        raise BuildError(f"cannot write to {output}: {exc.strerror}") from None
    why = {job.label: reasons for job, _, reasons in todo}
    progress.rendering(len(todo))
    try:
        # No more workers than there is work for: a document's languages may go to different workers (pool._units).
        most = sum(len({lang for lang, _ in tasks}) for _, tasks, _ in todo)
        return render(root, output, staging, formats, todo, max(1, min(jobs or os.cpu_count() or 1, most)),
                      dataset, ctx, lock_fd, lambda label, done: progress.finished(label, why[label], done, len(todo)))
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _write_error(exc) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_error(exc: OSError) -> BuildError:
    from jinja2 import TemplateNotFound

    if isinstance(exc, TemplateNotFound):  # an OSError to jinja2
        return BuildError(f"{exc}: no such template in templates/")
    where = f" ({exc.filename})" if exc.filename else ""
    return BuildError(f"cannot write output: {exc.strerror or exc}{where}")


def _commit(root: Path, output: Path, planned: dict[str, dict[str, str]], previous: dict[str, Any],
            results: list[dict[str, Any]], todo: list, report: BuildReport, stamp: tuple[str, list[Path], str],
            last_documents: dict[str, Any], labels: dict[str, Any], ctx: BuildContext,
            assets: dict[str, Any], gone: set[str]) -> BuildReport:
    """Move every staged file that differs into place, remove the files of documents no longer made, then
    write the manifest and the index (under the build's lock)."""
    from .manifest import write_manifest

    fingerprinted, dirs, fonts = stamp

    staging = output / STAGING
    documents = dict(last_documents)
    for r in results:
        documents.update(r.get("documents", {}))
    try:
        forget_stamp(output)  # it describes the outputs this commit replaces: written anew after the manifest
        entries = _move_staged(output, planned, previous, results, documents, report)
        for rel in sorted(gone):
            _remove(output, rel)
        report.removed = sorted(gone)
        gone = gone | _commit_extras(output, results, previous, entries, report)
        for rel, entry in previous.items():
            # Outputs of documents this build did not select keep their entries.
            if rel not in entries and rel not in gone and (output / rel).is_file():
                entries[rel] = entry
        stems = {document_of(rel) for rel, entry in entries.items() if "of" not in entry}
        kept = {k: v for k, v in documents.items() if k in stems}
        if assets:
            write_fonts(output, ctx.faces, _atomic_write)
        # The index before the manifest: the manifest is written last, so a build killed before it is redone.
        before = (output / "index.html").read_bytes() if (output / "index.html").is_file() else None
        index = write_index(root, output, entries, kept, labels, ctx.faces, _atomic_write)
        report.index_remade = not todo and before != (output / "index.html").read_bytes()
        said = {"warnings": report.warnings, "counted": len(report.written) + len(report.unchanged) + report.up_to_date}
        write_manifest(output, entries, kept, _atomic_write, fingerprinted,
                       {"assets": assets, "facts": ctx.dataset.fact_values() if ctx.dataset else {}, "index": index,
                        **said})
        write_stamp(output, fingerprinted, dirs, {"outputs": entries, "assets": assets, "index": index, **said}, fonts,
                    source_files())
    except OSError as exc:
        error = BuildError(f"cannot write output: {exc.strerror or exc} ({exc.filename or output})")
        error.written = len(report.written) + len(report.removed)  # the rest stay as they were
        raise error from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_stale_temporaries(output)
    report.rebuilt = [(job.label, reasons) for job, _, reasons in todo]
    return report


def _move_staged(output: Path, planned: dict[str, dict[str, str]], previous: dict[str, Any],
                 results: list[dict[str, Any]], documents: dict[str, Any], report: BuildReport) -> dict[str, Any]:
    """Move each staged file that differs into place; return the manifest entries of every planned file."""
    from ..view.deps import digest
    from .manifest import sha256

    staging = output / STAGING
    staged = {rel for r in results for rel in r.get("staged", [])}
    writer_reads = {rel: keys for r in results for rel, keys in r.get("writer_reads", {}).items()}
    entries: dict[str, Any] = {}
    for rel in sorted(planned):
        final = output / rel
        if rel not in staged:
            entries[rel] = previous[rel]
            continue
        data = (staging / rel).read_bytes()
        if final.is_file() and final.read_bytes() == data:
            report.unchanged.append(rel)
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, final)
            report.written.append(rel)
        # The reads it was made from: a build of other formats alone leaves this one stale.
        reads = documents[document_of(rel)]["reads"]
        entries[rel] = {"sha256": sha256(data), "inputs": planned[rel], "reads": digest(reads)}
        if rel in writer_reads:
            entries[rel]["writer_reads"] = writer_reads[rel]
    return entries


def _commit_extras(output: Path, results: list[dict[str, Any]], previous: dict[str, Any],
                   entries: dict[str, Any], report: BuildReport) -> set[str]:
    """Move into place the files each output made beside it (a redline, a WeChat edition's images), each
    listed with the output it belongs to; remove those an output made last time but not this time.
    Return the files removed."""
    from .manifest import sha256

    made = {rel: owner for r in results for owner, rels in r.get("extras", {}).items() for rel in rels}
    remade = {owner for r in results for owner in r.get("extras", {})}
    for rel, owner in sorted(made.items()):
        data = (output / STAGING / rel).read_bytes()
        (report.written if _atomic_write(output / rel, data) else report.unchanged).append(rel)
        entries[rel] = {"sha256": sha256(data), "of": owner, "inputs": entries[owner]["inputs"],
                        "reads": entries[owner]["reads"]}
    gone = {rel for rel, entry in previous.items() if entry.get("of") in remade and rel not in made}
    for rel in gone:
        _remove(output, rel)
    return gone


def _remove(output: Path, rel: str) -> None:
    """Remove a file of output/, and the folders it leaves empty."""
    (output / rel).unlink(missing_ok=True)
    for folder in (output / rel).parents:  # up to output/
        if folder == output or not folder.is_dir() or any(folder.iterdir()):
            break
        folder.rmdir()
