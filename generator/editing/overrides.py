"""The editor's tools for overrides: list a document's blocks, list the overrides with their states, confirm a
stale one, and write one (the preview's edit, `aidreport serve`).

Override files are edited through a ruamel.yaml round trip, so an editor's comments and order stay. A new
override goes into data/overrides/<folder>/<name>.yaml, the file of its document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build.overrides import TemplateFailed, override_states, render_labels
from ..build.plan import plan
from ..errors import AidReportError, DataError, relpath
from ..records.overrides import FOLDER, REF, Override
from ..records.schema import modeline
from .roundtrip import dumped, load, write_all
from ..render.overrides import blocks, normal, refs, skeleton

# A new file's comment, under its schema's line.
HEADER = "# The editor's wording of generated blocks (docs/editing.md, overrides): {figure} references stay live.\n"


class OverrideError(AidReportError):
    """An override cannot be listed, confirmed or written as asked."""


@dataclass
class BlockInfo:
    """One block of a document in one language: its skeleton and the figures it names."""

    id: str  # the full id: press/district-baoshan#lead
    lang: str
    skeleton: str
    refs: list[str]
    overridden: bool = False


def document_blocks(root: Path, ds: Any, label: str) -> list[BlockInfo]:
    """Every block of one document, in each language an override may be written in."""
    jobs = {job.label: job for job in plan(ds)}
    if label not in jobs:
        import difflib

        nearest = difflib.get_close_matches(label, list(jobs), n=3, cutoff=0.4)
        raise OverrideError(f"no document {label}" + (f"; did you mean {', '.join(nearest)}?" if nearest else "")
                            + " (documents are named like press/district-baoshan, briefs/comparison)")
    out = []
    try:
        docs = render_labels(root, ds, [jobs[label]])[label]
    except TemplateFailed as exc:
        raise DataError([exc.diagnostic]) from None
    for doc in docs:
        generated = {a.override.local: a.skeleton for a in doc.overrides if a.state != "orphaned"}
        for block in blocks(doc.html).values():
            content = doc.html[block.start:block.end]
            # An overridden block: the text generated for it, which an override replaces (and its own figures).
            now = generated.get(block.id, skeleton(content))
            names = sorted(set(refs(content)) | set(REF.findall(now)))
            out.append(BlockInfo(f"{label}#{block.id}", doc.lang.code, now, names, block.id in generated))
    return out


def listing(root: Path, ds: Any) -> list[dict[str, Any]]:
    """Every override with its state, the text it replaced and the block's text now, in file order."""
    found = override_states(root, ds)
    if found.failed:
        raise DataError(found.failed)
    rows = []
    for a in sorted(found.applied, key=lambda a: ds.overrides.where[a.override.ident]):
        o = a.override
        rows.append({"id": o.ident, "state": a.state, "text": o.text, "replaced": o.replaced, "skeleton": a.skeleton,
                     "nearest": [f"{o.doc}#{n}" if "/" not in n else n for n in a.nearest],
                     "file": ds.overrides.files[o.ident]})
    return rows


def as_html(rows: list[dict[str, Any]]) -> str:
    """The list of overrides as a page (aidreport overrides --format html)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "scaffolds")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    counts = {state: sum(r["state"] == state for r in rows) for state in ("current", "stale", "orphaned")}
    return env.get_template("overrides.html.j2").render(rows=rows, counts=counts)


def confirm(root: Path, ds: Any, ident: str) -> list[str]:
    """Mark overrides as read against the current text: their `replaced` becomes the block's skeleton now.

    ident: one override (en/press/district-baoshan#lead), or a block's id for every language of it.
    Return the ids confirmed.
    """
    found = override_states(root, ds)
    if found.failed:
        raise DataError(found.failed)
    chosen = [a for a in found.applied if ident in (a.override.ident, a.override.block)]
    if not chosen:
        known = sorted(a.override.ident for a in found.applied)
        raise OverrideError(f"no override {ident}; the overrides are: {', '.join(known) or 'none'}")
    orphans = [a.override.ident for a in chosen if a.state == "orphaned"]
    if orphans:
        raise OverrideError(f"{', '.join(orphans)} names a block that does not exist: change its block id or delete it")
    for a in chosen:
        _rewrite(root, ds.overrides.files[a.override.ident], a.override, {"replaced": a.skeleton})
    return [a.override.ident for a in chosen]


def save(root: Path, ds: Any, block: str, lang: str, text: str, seen: str, by: str | None = None,
         today: str | None = None) -> Path:
    """Write the editor's text for a block (the preview's edit), keeping the skeleton it replaces.

    seen: the block's skeleton as the editor's page showed it. If the block's skeleton has changed since
    (a template or record edited, the page not yet reloaded), nothing is written: the editor was not
    looking at the text the override would replace.
    """
    label, _, local = block.partition("#")
    now = {(b.id, b.lang): b for b in document_blocks(root, ds, label)}
    current = now.get((block, lang))
    if current is None:
        raise OverrideError(f"{label} has no block {local} in {lang}")
    if normal(seen) != current.skeleton:
        raise OverrideError(f"the text of {block} ({lang}) has changed since the page was loaded; reload it and "
                            "edit again")
    fields = {"text": normal(text), "replaced": current.skeleton, **({"by": by} if by else {}),
              "on": today or dt.date.today().isoformat()}
    existing = ds.overrides.get(f"{lang}/{block}") if ds.overrides is not None else None
    if existing is not None:
        return _rewrite(root, ds.overrides.files[existing.ident], existing, fields)
    path = root / "data" / FOLDER / f"{label}.yaml"
    data = load(path) if path.is_file() else None
    if data is None:
        from ruamel.yaml.comments import CommentedMap

        data = CommentedMap(overrides=[])
    data.setdefault("overrides", []).append({"block": block, "lang": lang, **fields})
    _write(root, path, data, header=not path.is_file())
    return path


def _rewrite(root: Path, rel: str, override: Override, fields: dict[str, Any]) -> Path:
    """Change fields of one override in its file, keeping everything else."""
    path = root / rel
    data = load(path)
    entry = next(e for e in data["overrides"] if e.get("block") == override.block and e.get("lang") == override.lang)
    entry.update(fields)
    _write(root, path, data)
    return path


def _write(root: Path, path: Path, data: Any, header: bool = False) -> None:
    top = f"{modeline(root, path)}\n{HEADER}" if header else ""
    try:
        write_all({path: top + dumped(data)})
    except OSError as exc:
        raise OverrideError(f"cannot write {relpath(path, root)}: {exc.strerror}") from None
