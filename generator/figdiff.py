"""`aidreport diff [REV]`: the figures that differ between the working records and a baseline.

The baseline is the last build (the values its manifest recorded under "facts") or, given a git
revision, the records as that revision holds them (read from `git archive` into a temporary folder
and loaded like any project). Each row names the record, the fact, the old and the new value, and
the documents of the last build that print it.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import AidReportError

FIELDS = ("record", "fact", "old", "new", "documents")


class DiffError(AidReportError):
    """No baseline to compare with: no build yet, not a git checkout, or an unknown revision."""


@dataclass(frozen=True)
class Row:
    record: str
    fact: str
    old: str
    new: str
    documents: tuple[str, ...]


def from_build(output: Path) -> dict[str, Any]:
    """The fact values the last build read, from its manifest."""
    try:
        manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DiffError("no build to compare with: run `aidreport build` first, or name a git revision") from None
    if "facts" not in manifest:
        raise DiffError("the last build recorded no figures (it predates `aidreport diff`): run `aidreport build`")
    return manifest["facts"]


def from_revision(root: Path, rev: str) -> dict[str, Any]:
    """The fact values of the records at a git revision."""
    from .dataset import load_dataset

    archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", rev, "data"],
                             capture_output=True)
    if archive.returncode != 0:
        reason = archive.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"cannot read the records at '{rev}': {reason[-1] if reason else 'git failed'}")
    with tempfile.TemporaryDirectory(prefix="aidreport-diff-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        try:
            return load_dataset(Path(folder)).fact_values()
        except AidReportError as exc:
            raise DiffError(f"the records at '{rev}' do not pass check ({len(exc.lines())} problems); "
                            "compare with another revision") from None


def differences(old: dict[str, Any], new: dict[str, Any], output: Path) -> list[Row]:
    """Each fact whose value, unit, qualifier or period differs, added or removed, with who prints it."""
    printers = _printers(output)
    rows = []
    for origin in sorted(set(old) | set(new)):
        before, after = old.get(origin), new.get(origin)
        if before == after:
            continue
        path, _, fid = origin.rpartition("/")
        rows.append(Row(Path(path).stem, fid, _shown(before), _shown(after), tuple(printers.get(origin, ()))))
    return rows


def _printers(output: Path) -> dict[str, list[str]]:
    """Which documents of the last build print each fact (a document once, whatever its languages)."""
    try:
        documents = json.loads((output / "manifest.json").read_text(encoding="utf-8")).get("documents", {})
    except (OSError, ValueError):
        return {}
    found: dict[str, list[str]] = {}
    for stem, doc in sorted(documents.items()):
        label = stem.split("/", 1)[1]
        for _text, fid, record, *_ in doc.get("figures", []):
            names = found.setdefault(f"{record}/{fid}", [])
            if label not in names:
                names.append(label)
    return {origin: sorted(names) for origin, names in found.items()}


def _shown(fact: dict[str, Any] | None) -> str:
    if fact is None:
        return "—"
    value = "not reported" if fact["value"] is None else f"{fact['value']:g}"
    if fact.get("value_to") is not None:
        value += f"–{fact['value_to']:g}"
    qualifier = "" if fact["qualifier"] == "exact" else f"{fact['qualifier']} "
    return f"{qualifier}{value} {fact['unit']} ({fact['period']})"


def as_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow([row.record, row.fact, row.old, row.new, " ".join(row.documents)])
    return out.getvalue()


def as_html(rows: list[Row], baseline: str) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "scaffolds")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("diff.html.j2").render(rows=rows, fields=FIELDS, baseline=baseline)
