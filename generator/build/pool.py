"""Rendering the stale jobs in forked worker processes, each writing its files into the staging folder.

The parent has loaded the dataset and the build context; forked workers take them as they are
(loading them again would double the memory). Workers are forked afresh for every BATCH jobs each:
what layout leaves in a process (caches, a fragmented heap) goes with it instead of weighing on every
later job. A worker dies with the build and closes the build's lock (processes.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..memory import release
from .plan import heavy
from ..processes import die_with_parent, end_children
from .worker import Worker

if TYPE_CHECKING:
    from ..context import BuildContext
    from ..records.lookups import Dataset

BATCH = 60  # jobs a worker process runs before a fresh one takes over

_worker: Worker | None = None
# What the parent loaded, handed to forked workers as it is.
_inherited: tuple[Dataset, BuildContext] | None = None
_lock: tuple[int, int] | None = None  # the building process and its lock's descriptor, which workers close


def _init_worker(root: Path, output: Path, staging: Path, formats: tuple[str, ...]) -> None:
    global _worker
    if _lock is not None:
        die_with_parent(*_lock)
    dataset, ctx = _inherited if _inherited is not None else (None, None)
    _worker = Worker(root, output, staging, formats, dataset, ctx)


def _run_in_worker(job: Any, tasks: list[tuple[str, str]]) -> dict[str, Any]:
    assert _worker is not None
    try:
        return _worker.run(job, tasks)
    finally:
        release()


def render(root: Path, output: Path, staging: Path, formats: tuple[str, ...], todo: list, jobs: int,
           dataset: Dataset, ctx: BuildContext, lock_fd: int | None,
           finished: Callable[[str, int], None]) -> list[dict[str, Any]]:
    """Render todo ([(job, tasks, reasons)]) in `jobs` processes, the biggest jobs first so that the workers
    finish together; call finished(label, done) as each job is done. Return the workers' results."""
    import os
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from multiprocessing import get_context

    from ..writers import registry

    if jobs == 1 and len(todo) <= BATCH:
        worker = Worker(root, output, staging, formats, dataset, ctx)
        results = []
        for job, tasks, _ in todo:
            results.append(worker.run(job, tasks))
            release()
            finished(job.label, len(results))
        return results
    global _inherited, _lock
    _inherited, _lock = (dataset, ctx), (os.getpid(), lock_fd) if lock_fd is not None else None
    for fmt in formats:
        registry[fmt]()  # imported once here (WeasyPrint takes a second), not again by every fresh worker
    order = _units(sorted(todo, key=lambda t: not heavy(t[0])), jobs)
    results = []
    left = {job.label: sum(1 for unit, _ in order if unit is job) for job, _, _ in todo}  # units per job
    try:
        for first in range(0, len(order), BATCH * jobs):
            batch = order[first : first + BATCH * jobs]
            with ProcessPoolExecutor(max_workers=min(jobs, len(batch)), mp_context=get_context("fork"),
                                     initializer=_init_worker, initargs=(root, output, staging, formats)) as pool:
                pending = {pool.submit(_run_in_worker, job, tasks) for job, tasks in batch}
                try:
                    while pending:
                        done, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for future in done:
                            results.append(future.result())
                            label = results[-1]["job"].label
                            left[label] -= 1
                            if not left[label]:
                                finished(label, len(todo) - sum(1 for n in left.values() if n))
                except BaseException:
                    # Interrupted (Ctrl-C, SIGTERM) or failed: start nothing more and end the workers, so that
                    # no process writes after the command.
                    pool.shutdown(wait=False, cancel_futures=True)
                    end_children()
                    raise
    finally:
        _inherited, _lock = None, None
    return results


def _units(todo: list, jobs: int) -> list[tuple[Any, list[tuple[str, str]]]]:
    """Return the work as (job, tasks) units: one per job, or, with more workers than jobs (the preview's
    PDF of the open pages, say), one per language of each job, so that its languages are made side by side.
    Each unit renders the job's documents (a few hundredths of a second) and writes its own files."""
    if jobs <= len(todo):
        return [(job, tasks) for job, tasks, _ in todo]
    return [(job, [task for task in tasks if task[0] == lang])
            for job, tasks, _ in todo for lang in dict.fromkeys(lang for lang, _ in tasks)]
