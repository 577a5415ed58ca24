"""`aidreport publish`: record what was published, so that a later change of figure is a correction.

The record is data/published/<date>.yaml (each document's title, the hash of each format and every
figure it printed, with the fact's value then) and, beside it, data/published/<date>/<lang>/<folder>/
<name>.txt, each document's reader text, from which the redlines are made. The editor commits both.
The latest record is what the build compares with (view/parts.py, corrections).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ..records.dataset import PUBLISHED
from ..errors import AidReportError, DataError, counted
from ..words.plaintext import plain_text


class PublishError(AidReportError):
    """Publication cannot be recorded: a record of that date exists, or the build is not complete."""


class WarningsStand(PublishError):
    """The build's check warned: nothing is published until each warning is fixed or accepted."""

    def __init__(self, warnings: list[str]):
        self.warnings = warnings
        super().__init__(f"{len(warnings)} warning(s) stand")

    def lines(self) -> list[str]:
        return [*self.warnings, f"error: not published: {counted(len(self.warnings), 'warning')} above; fix each "
                "in the records, or publish with --accept-warnings to record them as accepted"]


class StaleOverrides(PublishError):
    """An editor's override was written against text that has changed: a person reads it again before it is
    published (--accept-warnings does not cover it)."""

    def __init__(self, stale: list[str]):
        self.stale = stale
        super().__init__(f"{len(stale)} stale override(s)")

    def lines(self) -> list[str]:
        return [*(f"error: the override {ident} is stale: read it against the new text (`aidreport overrides`), "
                  f"then `aidreport overrides confirm {ident}`, or delete it" for ident in self.stale),
                f"error: not published: {counted(len(self.stale), 'stale override')} above (--accept-warnings does "
                "not cover them: a published sentence is one a person has read against the current wording)"]


def stale_overrides(root: Path) -> list[str]:
    """The ids of the overrides written against text that has since changed."""
    from ..build.overrides import override_states
    from ..records.dataset import load_dataset

    found = override_states(root, load_dataset(root))
    if found.failed:
        raise DataError(found.failed)
    return [a.override.ident for a in found.stale]


def record_publication(root: Path, date: str, accepted: list[str] = ()) -> tuple[Path, int]:
    """Write the publication record of the current build (made complete first); return it and its document count.

    accepted: the build's warnings the editor accepted (publish --accept-warnings), kept in the record.
    """
    from ..records.dataset import load_dataset

    folder = root / "data" / PUBLISHED
    earlier = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    if earlier and earlier[-1] >= date:
        raise PublishError(f"data/{PUBLISHED}/{earlier[-1]}.yaml is already recorded; a new publication must be "
                           f"dated later than {earlier[-1]} (pass --date)")
    output = root / "output"
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    ds = load_dataset(root)
    documents: dict[str, Any] = {}
    texts: dict[Path, str] = {}
    for stem, doc in sorted(manifest.get("documents", {}).items()):
        html = output / f"{stem}.html"
        if not html.is_file():
            raise PublishError(f"output/{stem}.html is missing; run `aidreport build` with every format first")
        hashes = {rel.rsplit(".", 1)[1]: entry["sha256"] for rel, entry in manifest["outputs"].items()
                  if rel.rsplit(".", 1)[0] == stem}
        documents[stem] = {"title": doc.get("title", stem), "sha256": dict(sorted(hashes.items())),
                           "figures": _figures(ds, doc.get("figures", []))}
        texts[folder / date / f"{stem}.txt"] = plain_text(html.read_text(encoding="utf-8"))
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    record = folder / f"{date}.yaml"
    header = (f"# yaml-language-server: $schema=../../schemas/publication.schema.json\n"
              f"# What was published on {date}, recorded by `aidreport publish`: commit it with the texts in {date}/.\n")
    fields = {"date": date, **({"accepted_warnings": list(accepted)} if accepted else {}), "documents": documents}
    body = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=4096,
                          default_flow_style=None)  # one line per figure
    record.write_text(header + body, encoding="utf-8")
    return record, len(documents)


def _figures(ds, printed: list[list[Any]]) -> list[dict[str, Any]]:
    """Each figure a document printed (once per fact), with the fact's value as the records give it now."""
    found: dict[str, dict[str, Any]] = {}
    for text, fid, record, _line, _col in printed:
        origin = f"{record}/{fid}"
        fact = ds.fact_at(origin) if record else None
        if fact is None or origin in found:
            continue
        found[origin] = {"origin": origin, "text": text, "value": _number(fact.value), "value_to": _number(fact.value_to),
                         "unit": fact.unit, "qualifier": fact.qualifier, "period": fact.period}
    return list(found.values())


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and float(value).is_integer() else value
