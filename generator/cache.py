"""The user's cache of prepared fonts and drawn charts: keyed by content, shared by every project, bounded.

It lives in the user's cache folder (platformdirs: `$XDG_CACHE_HOME/aidreport`, else
`~/.cache/aidreport`), so every clone, CI run and test project on a machine prepares each font
once. `AIDREPORT_CACHE_DIR` moves it and `AIDREPORT_CACHE_MAX_MB` sets its bound (default
DEFAULT_MAX_MB): at the start and the end of every build, the least recently used entries go until
it is within the bound.

The toolkit keeps its files in a subfolder of that location, SUBFOLDER, marked with a CACHEDIR.TAG
(the standard tag that backup tools skip): AIDREPORT_CACHE_DIR may name a folder the user shares with
other files, and those are never counted, evicted or cleared. Every file in the subfolder counts
against the bound, and `cache clear` empties it. A folder of that name without the tag is not ours:
nothing in it is deleted.

An entry is one file named `<key>-<digest><suffix>`: the key says what it was made from, the digest
is the SHA-256 of its bytes. A file is written under a temporary name and renamed, so a reader never
sees half of one; and a file whose bytes do not match its digest (a disk error, a hand edit) is
deleted and made again, never used.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError

DEFAULT_MAX_MB = 200
_ENTRY = re.compile(r"^(?P<key>[0-9a-z]+)-(?P<digest>[0-9a-f]{16})(?P<suffix>\.[a-z0-9]+)$")


SUBFOLDER = "aidreport-cache"
TAG = "CACHEDIR.TAG"
TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This folder holds aidreport's cache of prepared fonts and drawn charts; `aidreport cache clear`\n"
            "# empties it. See https://bford.info/cachedir/\n")


def cache_dir() -> Path:
    """Return the toolkit's cache folder: SUBFOLDER of AIDREPORT_CACHE_DIR, else of the user's cache folder."""
    if os.environ.get("AIDREPORT_CACHE_DIR"):
        return Path(os.environ["AIDREPORT_CACHE_DIR"]).expanduser().resolve() / SUBFOLDER
    from platformdirs import user_cache_path

    location = user_cache_path("aidreport", appauthor=False).resolve()
    _forget_flat_entries(location)
    return location / SUBFOLDER


@functools.cache  # once per process: every Cache() asks for its folder
def _forget_flat_entries(location: Path) -> None:
    """Remove the entries earlier versions kept at the top of the user's own aidreport cache folder."""
    try:
        for path in location.iterdir() if location.is_dir() else []:
            if path.is_file() and (_ENTRY.match(path.name) or re.match(r"^\..*\.tmp\d+$", path.name)):
                path.unlink(missing_ok=True)
    except OSError:
        pass


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
        for name in self._names(f"{key}-", suffix):
            match = _ENTRY.match(name)
            if not match or match["key"] != key:
                continue
            path = self.folder / name
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
            existed = self.folder.is_dir()
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self.ours():
                if existed and any(self.folder.iterdir()):
                    raise BuildError(f"{self.folder} holds files that are not aidreport's cache (it has no {TAG}); "
                                     "set AIDREPORT_CACHE_DIR to another folder")
                (self.folder / TAG).write_text(TAG_TEXT, encoding="utf-8")
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

    def ours(self) -> bool:
        """Whether the folder is the toolkit's (it carries the tag): only then is anything in it deleted."""
        return (self.folder / TAG).is_file()

    def _names(self, prefix: str, suffix: str) -> list[str]:
        """The names in the folder that start with prefix and end with suffix (no Path made for the others)."""
        try:
            with os.scandir(self.folder) as listing:
                return [e.name for e in listing if e.name.startswith(prefix) and e.name.endswith(suffix)]
        except OSError:
            return []

    def entries(self) -> list[Path]:
        """Every file in the folder but its tag (entries, and whatever else is there), if the folder is ours."""
        return [self.folder / name for name, _, _ in self._listing()]

    def _listing(self) -> list[tuple[str, int, int]]:
        """Every file's name in the folder but its tag, with its size and last use, if the folder is ours: one
        pass over the folder, one stat a file (a build counts the folder twice, and it may hold thousands)."""
        if not self.folder.is_dir() or not self.ours():
            return []
        found = []
        with os.scandir(self.folder) as listing:
            for entry in listing:
                try:
                    if entry.name != TAG and entry.is_file():
                        stat = entry.stat()
                        found.append((entry.name, stat.st_size, stat.st_mtime_ns))
                except OSError:
                    continue  # gone meanwhile
        return found

    def usage(self) -> Usage:
        files = self._listing()
        return Usage(self.folder, len(files), sum(size for _, size, _ in files), self.bound)

    def evict(self, keep: set[Path] = frozenset()) -> int:
        """Delete what a dead process left half written, then the least recently used files (never those in
        keep) until within the bound; return how many files went."""
        removed, files = 0, []
        for name, size, used in self._listing():
            temporary = re.match(r"^\..*\.tmp(\d+)$", name)
            if temporary and not _alive(int(temporary[1])):
                (self.folder / name).unlink(missing_ok=True)
                removed += 1
            else:
                files.append((used, name, size))
        files.sort(key=lambda file: file[0])
        total = sum(size for _, _, size in files)
        kept = {path.name for path in keep if path.parent == self.folder}
        for _, name, size in files:
            if total <= self.bound:
                break
            if name in kept:
                continue
            total -= size
            (self.folder / name).unlink(missing_ok=True)
            removed += 1
        return removed

    def clear(self) -> int:
        """Delete every file in the folder but its tag (a killed build's temporaries too); return how many."""
        files = self.entries()
        for path in files:
            path.unlink(missing_ok=True)
        return len(files)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process (or a number no process has: kept, to be safe)
    return True

