"""Rarer garbage collections while a long job allocates many short-lived objects (a rebuild)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

REBUILD_THRESHOLD = 10_000


@contextmanager
def rare_collections(threshold: int = REBUILD_THRESHOLD) -> Iterator[None]:
    """Collect the youngest generation after `threshold` allocations instead of 700.

    In a rebuild, full collections scanned the whole heap every few batches (~15 %
    of the CPU); its objects die by reference counting, so rarer ones hold little more.
    """
    before = gc.get_threshold()
    gc.set_threshold(threshold, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
