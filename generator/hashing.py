"""The hashes every stage compares: of a value (as sorted JSON) and of a file's bytes.

Here, with nothing but the standard library, so that a build with nothing to do (build/stamp.py) can
tell so without importing the stages (view/deps.py adds the records' models to what it may hash).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any, Callable

MISSING = "-"  # the hash of what no longer exists


def digest(value: Any, default: Callable[[Any], Any] = str) -> str:
    """Hash a value (bytes as they are, anything else as sorted JSON; default: how to write other objects)."""
    data = value if isinstance(value, bytes) else json.dumps(value, sort_keys=True, ensure_ascii=False,
                                                               default=default).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:20]


@cache
def _file_digest(path: Path, mtime_ns: int, size: int) -> str:
    return digest(path.read_bytes())


def file_digest(path: Path) -> str:
    """Hash a file's bytes (remembered per modification time within one process)."""
    try:
        stat = path.stat()
    except OSError:
        return MISSING
    return _file_digest(path, stat.st_mtime_ns, stat.st_size)
