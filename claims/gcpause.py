"""Pause Python's cyclic garbage collector around allocation-heavy batch work.

Grouping 100,000 claims builds millions of small tuples, sets and dicts that
live until the grouping ends and hold no reference cycles. Each time enough
of them pile up the cyclic collector walks every tracked object, so about a
quarter of the grouping's time went to collections that freed nothing.
Reference counting still frees everything as usual while the collector is
paused; any cycles left behind are collected by a later full collection.

What the work leaves alive (its caches and results) is long-lived, so on
resuming it goes straight to the oldest generation (``gc.freeze()`` then
``gc.unfreeze()``, which only relink lists): the young collection that would
otherwise run at once walked the hundreds of thousands of objects grouping
leaves cached, and found nothing to free, for a fifth of a second. Skipped
when the process has frozen objects of its own, which unfreezing would release.

The collector is process-wide and Streamlit runs each session in a thread, so
the pause is counted: the collector resumes when the last overlapping pause
ends, and only if it was running when the first one began.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the body with the cyclic collector paused; nested and concurrent pauses are safe."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                if gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()
