"""Running a step over many files in worker processes (or in this one), yielding results as they finish."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

LOST = "处理这个文件的进程意外退出（可能是内存不足），已跳过。"


def default_jobs() -> int:
    """Worker processes by default: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:          # not on Linux
        return max(1, os.cpu_count() or 1)


class Workers:
    """A pool of worker processes for the whole audit (or none: work in this process when jobs is 1).

    On Linux the workers are forked, so they start at once with the library already imported.
    """

    def __init__(self, jobs: int | None = None, tasks: int = 0):
        self.jobs = max(1, min(jobs or default_jobs(), tasks or 1))
        self.pool = None
        if self.jobs > 1:
            method = "fork" if sys.platform.startswith("linux") else None
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context(method))

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def run(self, func: Callable, tasks: Iterable[tuple], lost: Callable[[int], object]) -> Iterator[tuple[int, object]]:
        """(index, func(*task)) for each task as it finishes; a task whose process died gives lost(index)."""
        tasks = list(tasks)
        if self.pool is None:
            for i, task in enumerate(tasks):
                yield i, func(*task)
            return
        # a bounded window of submitted tasks keeps the packed reports waiting here, not in the pool's queue
        window = self.jobs * 4
        pending: dict = {}
        next_task = 0
        while next_task < len(tasks) or pending:
            while next_task < len(tasks) and len(pending) < window:
                try:
                    pending[self.pool.submit(func, *tasks[next_task])] = next_task
                except BrokenProcessPool:       # a worker died: what is left cannot be done
                    yield next_task, lost(next_task)
                next_task += 1
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                i = pending.pop(future)
                try:
                    yield i, future.result()
                except BrokenProcessPool:
                    yield i, lost(i)
