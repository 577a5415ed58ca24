"""output/manifest.json: for every output, the hashes of its inputs and every figure it prints, with its record."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from . import __version__
from .dataset import Dataset
from .render import Document


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def input_hashes(root: Path, doc: Document, extra: dict[str, str]) -> dict[str, str]:
    """Return the hash of every file a document was built from (records, templates), plus extra inputs."""
    hashes = {rel: sha256((root / rel).read_bytes()) for rel in sorted(doc.inputs | doc.templates)}
    hashes.update(extra)
    return dict(sorted(hashes.items()))


def figures(ds: Dataset, doc: Document) -> list[dict[str, Any]]:
    """Return every figure a document prints, each with the record and line of its fact."""
    out = []
    for origin, _, text in doc.printed.figures:
        fid, where = ds.locate_fact(origin)
        entry: dict[str, Any] = {"text": text, "fact": fid}
        if where is not None:
            entry.update({"record": where.path, "line": where.line, "col": where.col})
        out.append(entry)
    return out


def manifest(root: Path, ds: Dataset, docs: list[Document], outputs: dict[str, bytes],
             extra_inputs: dict[str, str]) -> bytes:
    """Return the manifest's bytes (sorted, so the same build gives the same file)."""
    entries = {}
    by_stem = {doc.stem: doc for doc in docs}
    for rel, data in sorted(outputs.items()):
        stem = rel.rsplit(".", 1)[0]
        doc = by_stem[stem]
        entries[rel] = {
            "sha256": sha256(data),
            "inputs": input_hashes(root, doc, extra_inputs),
            "figures": figures(ds, doc),
        }
    body = {"generator": f"aidreport {__version__}", "outputs": entries}
    return (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
