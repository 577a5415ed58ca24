"""The user's cache of prepared fonts and drawn charts: keyed by content, shared by every project, bounded.

It lives in the user's cache folder (platformdirs: `$XDG_CACHE_HOME/aidreport`, else
`~/.cache/aidreport`), so every clone, CI run and test project on a machine prepares each font
once. `AIDREPORT_CACHE_DIR` moves it and `AIDREPORT_CACHE_MAX_MB` sets its bound (default
DEFAULT_MAX_MB): when a build leaves it larger, the least recently used entries go.

An entry is one file named `<key>-<digest><suffix>`: the key says what it was made from, the digest
is the SHA-256 of its bytes. A file is written under a temporary name and renamed, so a reader never
sees half of one; and a file whose bytes do not match its digest (a disk error, a hand edit) is
deleted and made again, never used.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError

DEFAULT_MAX_MB = 200
_ENTRY = re.compile(r"^(?P<key>[0-9a-z]+)-(?P<digest>[0-9a-f]{16})(?P<suffix>\.[a-z0-9]+)$")


def cache_dir() -> Path:
    """Return the cache folder: AIDREPORT_CACHE_DIR, else the user's cache folder for aidreport."""
    if os.environ.get("AIDREPORT_CACHE_DIR"):
        return Path(os.environ["AIDREPORT_CACHE_DIR"]).expanduser().resolve()
    from platformdirs import user_cache_path

    return user_cache_path("aidreport", appauthor=False).resolve()


def max_bytes() -> int:
    """Return the cache's bound in bytes (AIDREPORT_CACHE_MAX_MB, else DEFAULT_MAX_MB)."""
    try:
        megabytes = float(os.environ.get("AIDREPORT_CACHE_MAX_MB", DEFAULT_MAX_MB))
    except ValueError:
        megabytes = DEFAULT_MAX_MB
    return int(max(megabytes, 1) * 1024 * 1024)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Usage:
    folder: Path
    entries: int
    size: int
    bound: int


class Cache:
    """A folder of self-checking entries, each made once from its key and evicted least recently used."""

    def __init__(self, folder: Path | None = None, bound: int | None = None):
        self.folder = folder or cache_dir()
        self.bound = bound if bound is not None else max_bytes()

    def get(self, key: str, suffix: str) -> Path | None:
        """Return the entry's file if it is there and sound (marking it used); delete it if not sound."""
        for path in self.folder.glob(f"{key}-*{suffix}"):
            match = _ENTRY.match(path.name)
            if not match or match["key"] != key:
                continue
            try:
                sound = digest(path.read_bytes()) == match["digest"]
                if sound:
                    os.utime(path)  # the modification time is the entry's last use
                    return path
                path.unlink()
            except OSError:
                continue
        return None

    def put(self, key: str, suffix: str, data: bytes) -> Path:
        """Store data under key (atomically) and return its file."""
        path = self.folder / f"{key}-{digest(data)}{suffix}"
        tmp = self.folder / f".{path.name}.tmp{os.getpid()}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError as exc:
            raise BuildError(f"cannot write the cache {self.folder}: {exc.strerror}; set AIDREPORT_CACHE_DIR to a "
                             "folder you can write") from None
        finally:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass  # the folder itself is the problem, reported above
        return path

    def entries(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return [p for p in self.folder.iterdir() if _ENTRY.match(p.name) and p.is_file()]

    def usage(self) -> Usage:
        files = self.entries()
        return Usage(self.folder, len(files), sum(_size(p) for p in files), self.bound)

    def evict(self, keep: set[Path] = frozenset()) -> int:
        """Delete the least recently used entries (never those in keep) until within the bound; return how many."""
        files = sorted(self.entries(), key=_mtime)
        total = sum(_size(p) for p in files)
        removed = 0
        for path in files:
            if total <= self.bound:
                break
            if path in keep:
                continue
            total -= _size(path)
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    def clear(self) -> int:
        """Delete every entry (and any temporary file a killed build left); return how many entries."""
        files = self.entries()
        for path in files:
            path.unlink(missing_ok=True)
        for path in self.folder.glob(".*.tmp*") if self.folder.is_dir() else []:
            path.unlink(missing_ok=True)
        return len(files)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
