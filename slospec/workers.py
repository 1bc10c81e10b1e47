"""Many files at once: how many worker processes a run gets, and the fork pool that runs them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many files a pool costs more than it saves (each worker's start-up, the results'
# pickling back); beyond it, one worker per 50 files, at most one per core.
FILES_PER_WORKER = 50


def count(files: int, threshold: int, jobs: int | None = None) -> int:
    """Worker processes for `files` files: 1 below `threshold` or when `jobs` is 1, else up to
    `jobs` (the configuration's `jobs`; 0 or None: every core the process may run on)."""
    import os

    if jobs == 1 or files < threshold:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(jobs or cores, cores, files // FILES_PER_WORKER))


def run(function: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[R]:
    """`function` over `items` in forked workers, results in the order of `items` as they come.

    fork: the caller has already imported (and warmed) everything the workers need, and Python
    3.14 changes the default start method, so it is named. What the workers inherit is frozen
    out of the cyclic collector's sight while they run: no collection touches (and so copies)
    the pages they share with the parent.
    """
    import gc
    import multiprocessing

    context = multiprocessing.get_context("fork")
    gc.freeze()
    try:
        with context.Pool(workers) as pool:
            yield from pool.imap(function, items, chunksize=max(1, len(items) // (workers * 8)))
    finally:
        gc.unfreeze()
