"""A build's processes live no longer than the build, however it ends.

- A worker (forked) or a helper child (a fresh interpreter, memory.py) asks the kernel to kill it when
  its parent dies (Linux's parent-death signal), so SIGKILL of the build, a closed terminal or a CI
  timeout leaves no process writing. Where there is no such signal, a thread watches the parent.
- A worker closes the build lock's descriptor that the fork handed it: the lock is the build's alone,
  and goes with it.
- SIGTERM and SIGHUP reach the build as an exception (Stopped), as Ctrl-C does: the workers are ended,
  the staged work is dropped, and the command says so and exits 128 + the signal's number. While the
  build moves its files into place (the commit) the signal waits, so the commit is whole or not begun.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class Stopped(BaseException):
    """The build was asked to stop by a signal (SIGTERM, SIGHUP)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


def die_with_parent(parent: int, close: int | None = None) -> None:
    """In a child: end when the parent (pid) ends; close the inherited descriptor `close` first."""
    if close is not None:
        with contextlib.suppress(OSError):
            os.close(close)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        armed = False
    if not armed:
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
_held: list[int] = []  # signals that came while the commit held them
_holding = False


def _stop(signum: int, frame: object) -> None:
    if _holding:
        _held.append(signum)
    else:
        raise Stopped(signum)


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into Stopped for the time of the block (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {s: signal.signal(s, _stop) for s in _STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Let a stop signal wait until the block ends (the commit), then act on it."""
    global _holding
    _holding = True
    try:
        yield
    finally:
        _holding = False
        if _held:
            signum = _held[0]
            _held.clear()
            raise Stopped(signum)


def end_children() -> None:
    """Kill this process's worker processes and wait for them (an interrupted build)."""
    from multiprocessing import active_children

    children = active_children()
    for child in children:
        with contextlib.suppress(OSError):
            child.kill()
    for child in children:
        child.join(timeout=10)
