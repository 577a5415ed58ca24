"""Keeping a build's memory bounded: freed heap handed back, heavy work done in a process of its own.

A process keeps what it imported, and much of what a big layout allocated, until it ends. Work that
would leave a build worker carrying that through every later job (pandas and matplotlib for the
brief, the layout of a long document) runs in a child process: a fresh interpreter, not a fork,
which would start with the parent's memory. The request and the result cross as pickles between
two processes of the same toolkit.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc; elsewhere freed memory simply stays with the process
    except (OSError, AttributeError):
        return None


def release() -> None:
    """Collect cycles and return freed heap to the system, so one big job does not raise every later one."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def in_child(module: str, request: Any, what: str) -> Any:
    """Run `python -m module` on request (pickled on its stdin) and return what it writes back."""
    package_parent = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", module], input=pickle.dumps(request), capture_output=True,
                          env=env, check=False)
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"{what} failed: {lines[-1] if lines else f'exit status {proc.returncode}'}")
    return pickle.loads(proc.stdout)


def serve(handler: Callable[[Any], Any]) -> None:
    """In the child: read the request, hand it to handler, write back the result."""
    from .processes import die_with_parent

    die_with_parent(os.getppid())  # a build that dies takes its helpers with it
    sys.stdout.buffer.write(pickle.dumps(handler(pickle.loads(sys.stdin.buffer.read()))))
