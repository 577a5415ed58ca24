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
    return write(output / "manifest.json", encoded(body))


def encoded(body: dict[str, Any]) -> bytes:
    """Return body as compact JSON with sorted keys, the bytes json.dumps gives, encoded an entry at a time.

    Compact, for json's C encoder (`python -m json.tool` shows it indented). An entry at a time: at 40
    districts the manifest is 15 MB, and one string of it (two bytes a character, with the Chinese) was the
    build's peak memory, 70 MB above the rest."""
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    parts: list[bytes] = []
    for i, key in enumerate(sorted(body)):
        value = body[key]
        parts.append((("{" if i == 0 else ",") + dump(key) + ":").encode("utf-8"))
        if isinstance(value, dict) and value:
            parts += [b"{", *((("," if j else "") + dump(k) + ":" + dump(v)).encode("utf-8")
                              for j, (k, v) in enumerate(sorted(value.items()))), b"}"]
        else:
            parts.append(dump(value).encode("utf-8"))
    return b"".join(parts) + b"}\n"
