"""A build with nothing to do, told without importing the stages: output/.stamp.json.

The fingerprint of a build is the hash of everything it reads as bytes: the data, the templates, the
toolkit's code, the font sources and the options. When it equals the last successful build's, that
build checked these very bytes and made every output from them, so there is nothing to check or make
again, only its warnings to say again. The manifest holds the fingerprint too, but it grows with the
project (1.6 MB at four districts): the stamp, written beside it at every commit, holds only what this
question needs, and each output's size and modification time beside its hash, so that an output is
read again only when its stat differs (as git's index does). A stamp that does not match the manifest
as it is (a build killed between the two) is not trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .. import PACKAGE, __version__
from ..hashing import digest, file_digest

FORMATS = ("html", "pdf", "docx", "wechat")
ARCHIVE = "archive"  # the archival PDF/A copies: made on request (build --archive)
STAMP = ".stamp.json"


def toolkit_hash() -> str:
    """Hash the toolkit's own code: a new version of it rebuilds everything."""
    return digest([__version__] + [file_digest(p) for p in sorted(PACKAGE.rglob("*.py"))])


def fingerprint(root: Path, formats: tuple[str, ...], only: tuple[str, ...], fonts: str,
                template_dirs: list[Path]) -> str:
    """Hash everything a build reads, as bytes: the data, the templates (the project's and those of kinds
    that bring their own), the toolkit, the font sources (fonts: their key) and the options."""
    folders = ["data", "templates", *(str(d) for d in template_dirs)]
    files = [p for folder in folders for p in sorted((root / folder).rglob("*")) if p.is_file()]
    parts = [f"{p.relative_to(root).as_posix() if p.is_relative_to(root) else p}={file_digest(p)}" for p in files]
    return digest([parts, toolkit_hash(), sorted(formats), sorted(only), fonts])


def write_stamp(output: Path, stamp: str, template_dirs: list[Path], manifest: dict[str, Any],
                fonts: str, font_files: list[Path] | None) -> None:
    """Write output/.stamp.json after the manifest: the fingerprint, what a build with nothing to do says,
    every file the manifest lists (outputs, assets, index) with its hash, size and modification time, and
    the font sources' key with the files it stands for (so that it is not worked out again)."""
    tmp = output / f"{STAMP}.tmp"
    try:
        if font_files is None:  # a font source is missing: only the full build can tell
            forget_stamp(output)
            return
        files = {}
        for group in ("outputs", "assets", "index"):
            for rel, entry in manifest.get(group, {}).items():
                stat = (output / rel).stat()
                files[rel] = [entry["sha256"], stat.st_size, stat.st_mtime_ns]
        written = (output / "manifest.json").stat()
        body = {"fingerprint": stamp, "template_dirs": [str(d) for d in template_dirs],
                "warnings": manifest.get("warnings", []), "counted": manifest.get("counted"), "files": files,
                "manifest": [written.st_size, written.st_mtime_ns], "fonts": fonts,
                "font_files": {str(p): _stat(p) for p in font_files}}
        tmp.write_text(json.dumps(body, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, output / STAMP)
    except OSError:  # a full disk, a folder not ours to write: no stamp, and the full build decides next time
        tmp.unlink(missing_ok=True)
        forget_stamp(output)


def forget_stamp(output: Path) -> None:
    """Remove the stamp before a build changes what it describes."""
    try:
        (output / STAMP).unlink(missing_ok=True)
    except OSError:
        pass


def _stat(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def nothing_to_do(root: Path, output: Path, formats: tuple[str, ...], only: tuple[str, ...]) -> dict[str, Any] | None:
    """Return the last build's warnings and count when a build of these options has nothing to do; None when
    only the full build can tell (no stamp, the manifest or an output changed, or any input)."""
    try:
        stamp = json.loads((output / STAMP).read_text(encoding="utf-8"))
        written = (output / "manifest.json").stat()
    except (OSError, ValueError):
        return None
    if stamp.get("manifest") != [written.st_size, written.st_mtime_ns] or not stamp.get("files"):
        return None
    if not stamp.get("font_files") or any(_stat(Path(p)) != s for p, s in stamp["font_files"].items()):
        return None
    if stamp.get("fingerprint") != fingerprint(root, formats, only, stamp.get("fonts", ""),
                                               [Path(d) for d in stamp.get("template_dirs", [])]):
        return None
    for rel, (sha, size, mtime_ns) in stamp["files"].items():
        try:
            stat = (output / rel).stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns) and \
                hashlib.sha256((output / rel).read_bytes()).hexdigest() != sha:
            return None
    return {"warnings": stamp.get("warnings", []), "counted": stamp.get("counted")}
