"""Editing data files as an editor keeps them: a ruamel.yaml round trip (comments, order and quoting kept, one
line per text) and writing files all or none. The scaffolds and the overrides write through here."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any


def round_trip():
    """A YAML loader and dumper that keeps what the file had: comments, order, quotes, long lines whole."""
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # never fold a long line the file kept on one: a diff shows the sentence that changed
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def load(path: Path) -> Any:
    return round_trip().load(path.read_text(encoding="utf-8"))


def dumped(data: Any) -> str:
    out = io.StringIO()
    round_trip().dump(data, out)
    return out.getvalue()


def write_all(files: dict[Path, str]) -> None:
    """Write every file or none: each to a hidden temporary file beside it (a build and the preview's watcher
    read no hidden file), then all renamed into place. An OSError leaves every file as it was."""
    temps = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            temps.append((tmp, path))
    except OSError:
        for tmp, _ in temps:
            os.unlink(tmp)
        raise
    for tmp, path in temps:
        os.replace(tmp, path)
