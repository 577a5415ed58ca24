"""output/manifest.json: for every output, the hashes of its inputs and every figure it prints, with its record.

The manifest is also the build's memory: the next build compares each output's inputs with it
to decide what is out of date.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .. import __version__

if TYPE_CHECKING:
    from ..records.lookups import Dataset
    from ..render.renderer import Document


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


FIGURE_FIELDS = ["text", "fact", "record", "line", "col"]


def figures(ds: Dataset, doc: Document) -> list[list[Any]]:
    """Return every figure a document prints: [text, fact id, record, line, col] (FIGURE_FIELDS)."""
    out = []
    for origin, _, text in doc.printed.figures:
        fid, where = ds.locate_fact(origin)
        out.append([text, fid, where.path, where.line, where.col] if where else [text, fid, None, None, None])
    return out


def write_manifest(output: Path, entries: dict[str, Any], documents: dict[str, Any],
                   write: Callable[[Path, bytes], bool], fingerprint: str,
                   extra: dict[str, Any] | None = None) -> bool:
    """Write the manifest (sorted, so the same build gives the same bytes); return whether it changed.

    "outputs" maps each file to its hash and the hashes of its inputs; "documents" maps each
    document (the files of one document in every format print the same figures) to its figures;
    extra adds "assets", the files the previews share (their fonts) with their hashes, and "facts",
    every fact's value as this build read it (what `aidreport diff` compares with), and "warnings", the
    located warnings of the check it ran (what a build with nothing to do prints again), "index", the hash
    of index.html, and "counted", the outputs the build covered (what a build with nothing to do counts).
    """
    body = {"generator": f"aidreport {__version__}", "fingerprint": fingerprint, "figure_fields": FIGURE_FIELDS,
            "documents": dict(sorted(documents.items())), "outputs": dict(sorted(entries.items())),
            **{key: dict(sorted(value.items())) if isinstance(value, dict) else value
               for key, value in (extra or {}).items()}}
    data = (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    return write(output / "manifest.json", data)
