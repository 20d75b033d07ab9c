"""A bounded per-process memory for entries whose key names their content.

A key built from a stamp of everything the entry depends on (a report's part versions and last
edit, say) can never point at stale content: a change makes a new key. Such entries may live in
each process without any invalidation, which saves the shared cache's round trip on every read.
"""

import threading
from collections import OrderedDict

_MISSING = object()


class LocalMemo:
    """Least recently used entries first out; safe across threads. Values are shared, not
    copied: callers treat them as read-only."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._entries.move_to_end(key)
            return value

    def set(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
