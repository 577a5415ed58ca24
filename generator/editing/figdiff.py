"""`aidreport diff [REV]`: the figures that differ between the working records and a baseline.

The baseline is the last build (the values its manifest recorded under "facts") or, given a git
revision, the records as that revision holds them (read from `git archive` into a temporary folder
and loaded like any project). Both sides are tidy frames of facts (records/table.py), joined on each
fact's origin. Each row names the record, the fact, the old and the new value, and the documents of
the last build that print it.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..errors import AidReportError
from ..records.table import VALUES

if TYPE_CHECKING:
    import pandas

# The CSV's columns: each value worded as the documents print it in each language, then the raw number.
FIELDS = ("record", "fact", "old_zh", "new_zh", "old_en", "new_en", "old_value", "new_value", "unit", "documents")


class DiffError(AidReportError):
    """No baseline to compare with: no build yet, not a git checkout, or an unknown revision."""


@dataclass(frozen=True)
class Side:
    """One side of a change: the figure as each language prints it, and its raw number ("" when absent)."""

    worded: dict[str, str]  # by language code: 3000万元（2019年） / 30 million yuan (2019)
    raw: str  # 30000000, 12.5, 100–200, "not reported"; "" when the fact is absent on this side

    def shown(self, sep: str = " / ") -> str:
        """The figure in every language, then the raw number: 3000万元（当前） / 30 million yuan (current) / = 30000000."""
        if not self.raw:
            return "—"
        return sep.join([*self.worded.values(), *([f"= {self.raw}"] if self.raw[0].isdigit() else [])])


@dataclass(frozen=True)
class Row:
    record: str
    fact: str
    old: Side
    new: Side
    unit: str
    documents: tuple[str, ...]


# Words a fact's values as the documents print them: (origin, values) -> {lang code: text}.
Wording = Callable[[str, dict[str, Any]], dict[str, str]]


def from_build(output: Path) -> "pandas.DataFrame":
    """The fact values the last build read, from its manifest, as a frame (origin and VALUES)."""
    import pandas as pd

    try:
        manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DiffError("no build to compare with: run `aidreport build` first, or name a git revision") from None
    if "facts" not in manifest:
        raise DiffError("the last build recorded no figures (it predates `aidreport diff`): run `aidreport build`")
    facts = manifest["facts"]
    return pd.DataFrame.from_records([(origin, *(values.get(k) for k in VALUES)) for origin, values in facts.items()],
                                     columns=["origin", *VALUES]).astype(object)


def from_revision(root: Path, rev: str) -> "pandas.DataFrame":
    """The facts of the records at a git revision, as their frame."""
    from ..records.dataset import load_dataset
    from ..records.table import frame, rows

    archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", rev, "data"],
                             capture_output=True)
    if archive.returncode != 0:
        reason = archive.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"cannot read the records at '{rev}': {reason[-1] if reason else 'git failed'}")
    with tempfile.TemporaryDirectory(prefix="aidreport-diff-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        try:
            return frame(rows(load_dataset(Path(folder))))
        except AidReportError as exc:
            raise DiffError(f"the records at '{rev}' do not pass check ({len(exc.lines())} problems); "
                            "compare with another revision") from None


def differences(old: "pandas.DataFrame", new: "pandas.DataFrame", output: Path, wording: Wording) -> list[Row]:
    """Each fact whose value, unit, qualifier or period differs, added or removed, with who prints it.

    old and new: frames of facts (an origin and VALUES per row), joined here on the origin.
    """
    printers = _printers(output)
    columns = ["origin", *VALUES]
    joined = old[columns].merge(new[columns], on="origin", how="outer", suffixes=("_old", "_new"),
                                indicator="side", sort=True).astype(object)
    joined = joined.where(joined.notna(), None)
    rows = []
    for record in joined.to_dict("records"):
        origin = record["origin"]
        before = None if record["side"] == "right_only" else {k: record[f"{k}_old"] for k in VALUES}
        after = None if record["side"] == "left_only" else {k: record[f"{k}_new"] for k in VALUES}
        if before == after:
            continue
        path, _, fid = origin.rpartition("/")
        unit = (after or before)["unit"]
        rows.append(Row(Path(path).stem, fid, _side(origin, before, wording), _side(origin, after, wording), unit,
                        tuple(printers.get(origin, ()))))
    return rows


def _side(origin: str, values: dict[str, Any] | None, wording: Wording) -> Side:
    if values is None:
        return Side({}, "")
    raw = "not reported" if values["value"] is None else plain(values["value"])
    if values.get("value_to") is not None:
        raw += f"–{plain(values['value_to'])}"
    return Side(wording(origin, values), raw)


def plain(number: float) -> str:
    """A number as a plain decimal, never in exponent form: 320000000, 12.5, 0.0001."""
    text = format(Decimal(repr(float(number))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


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


def as_csv(rows: list[Row], langs: tuple[str, ...] = ("zh", "en")) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in rows:
        worded = [side.worded.get(lang, "") for lang in langs for side in (row.old, row.new)]
        writer.writerow([row.record, row.fact, *worded, row.old.raw, row.new.raw, row.unit, " ".join(row.documents)])
    return out.getvalue()


def as_html(rows: list[Row], baseline: str) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "scaffolds")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("diff.html.j2").render(rows=rows, baseline=baseline)
