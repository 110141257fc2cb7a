"""Per-process memos: what a process computed once for a key that names every input it depends on.

A key must change whenever the value would (a version number bumped by every write that matters, a stamp new at every
rebuild): nothing here is ever invalidated, an entry is only pushed out by newer ones. Thread-safe (a threaded server),
bounded (least recently used first out). Use it for small values that are dear to build and read on every request
(a consultation's current articles for its comment form, a person's sub-navigation), never for per-request data.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")
_every: weakref.WeakSet[ProcessMemo] = weakref.WeakSet()


class ProcessMemo(Generic[T]):
    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        _every.add(self)

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value kept for ``key``, else ``build()``'s (kept; built outside the lock, so two threads may both
        build it once: ``build`` must be free of side effects)."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = build()
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


def clear_all() -> None:
    """Empty every memo of the process (tests: a rolled-back test's ids and versions come back in the next one)."""
    for memo in list(_every):
        memo.clear()
