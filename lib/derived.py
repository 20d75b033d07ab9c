"""Values derived from stamped content. Whatever the portal derives from its data and keeps, in
memory, in Django's cache or in its own tables, is a kind declared through this module
(`grep -rn "lib.derived"`; why: docs/decisions/0011-derived-data.md). Constants of the code
itself (the rule parser's tables, a stylesheet) are not data and stay `functools.cache`.

A *stamp* names one state of some content: a report's primary key, template version, last edit
and part versions; a published template version's publication moment; the set of reports an
aggregate counts. A kind keeps, per *scope* (what the value is about: a report, a version, an
appendix, a province's period), the value derived at one stamp and hands it only to a caller
holding that same stamp. A change makes a new stamp, so a value is never served stale and never
needs clearing: not between requests, processes or tests (a stamp carries a moment, `updated_at`
or `published_at`, so it differs even where a test database repeats a primary key).

Where a kind keeps its values:

- `Derived(name, maxsize=n)`: in each process, the `n` scopes used last, one stamp each. For
  what is cheap to compute again in another process, or cannot be pickled.
- `Derived(name, maxsize=n, shared_seconds=s)`: the same memory in front of Django's cache
  (shared by every process, `s` seconds), for what costs more than the cache's round trip and
  is asked for by other processes too.
- `Stored(name, load=…, renew=…)`: rows of the app's own models carrying the stamp they were
  computed from, for what every process reads far more often than its content changes.

No stamp (`None`: a draft template version, which changes without one) keeps nothing: the value
is computed on every call.

A memory kind needs no invalidation: its stamp names everything its value depends on. The one
entry point for what a stamp alone does not do, `changed()`, runs when the transaction commits:
a Stored kind is computed again in the background, so that its next reader does not wait.
"""

import datetime
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.core.cache import cache
from django.db import transaction
from django_tasks import task

logger = logging.getLogger("cchc.derived")

# Every kind by name, so a task can name one and a reader can list them.
KINDS: dict[str, "Derived | Stored"] = {}
_MISSING = object()


def stamp(*parts) -> str:
    """The one way to write a stamp: the parts joined by "|", a moment in ISO form to the
    microsecond, None as "-"."""
    return "|".join(_text(part) for part in parts)


def _text(part) -> str:
    if part is None:
        return "-"
    if isinstance(part, datetime.date):
        return part.isoformat()
    return str(part)


def _register(kind) -> None:
    if kind.name in KINDS:
        raise ValueError(f"Derived kind {kind.name!r} is declared twice.")
    KINDS[kind.name] = kind


class Derived:
    """Values kept in each process, least recently used scope out first, and in Django's cache
    too when `shared_seconds` is given. Values are shared, not copied: callers treat them as
    read-only. Safe across threads."""

    def __init__(self, name: str, *, maxsize: int, shared_seconds: int | None = None):
        self.name, self.maxsize, self.shared_seconds = name, maxsize, shared_seconds
        self._entries: OrderedDict = OrderedDict()  # scope -> (stamp, value)
        self._lock = threading.Lock()
        _register(self)

    def get(self, scope: Hashable, stamp: str | None, compute: Callable, *, share: bool = True):
        """The value of `scope` at `stamp`: from this process, else from the shared cache, else
        `compute()`d and kept. `share=False` skips the shared cache and keeps the answer in this
        process only: a write that has just made the stamp knows nobody asked for it yet, and
        the next page load shares it."""
        if stamp is None:
            return compute()
        value = self.peek(scope, stamp, _MISSING)
        if value is not _MISSING:
            return value
        shared = share and self.shared_seconds is not None
        if shared:
            value = cache.get(self._shared_key(scope, stamp), _MISSING)
        if value is _MISSING:
            value = compute()
            if shared:
                cache.set(self._shared_key(scope, stamp), value, self.shared_seconds)
        self.put(scope, stamp, value)
        return value

    def peek(self, scope: Hashable, stamp: str, default=None):
        """What this process keeps for `scope` at `stamp`, or `default`; computes nothing."""
        with self._lock:
            entry = self._entries.get(scope)
            if entry is None or entry[0] != stamp:
                return default
            self._entries.move_to_end(scope)
            return entry[1]

    def put(self, scope: Hashable, stamp: str, value) -> None:
        """Keep `value` as `scope`'s at `stamp` in this process (a write that knows the value
        its new stamp names, without reading it back)."""
        with self._lock:
            self._entries[scope] = (stamp, value)
            self._entries.move_to_end(scope)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def _shared_key(self, scope: Hashable, stamp: str) -> str:
        # Short, and only characters every cache backend accepts.
        digest = hashlib.sha256(stamp.encode()).hexdigest()
        scope_text = "-".join(map(str, scope)) if isinstance(scope, tuple) else str(scope)
        return f"{self.name}:{scope_text}:{digest}"


class Stored:
    """Derived rows kept in an app's own models, each set carrying the stamp it was computed
    from. `load(scope, stamp)` finds the set of that stamp (None if there is none); the
    `compute` given to `get` computes and stores it. `renew(scope)` computes it again for
    `changed()`, in the background; a scope is then a tuple of primary keys."""

    def __init__(self, name: str, *, load: Callable, renew: Callable):
        self.name, self.load, self.renew = name, load, renew
        _register(self)

    def get(self, scope: tuple, stamp: str, compute: Callable):
        found = self.load(scope, stamp)
        return compute() if found is None else found


def changed(kind: Stored, scope: tuple) -> None:
    """`scope`'s content changed: once the current transaction commits (at once outside one),
    queue `kind`'s renewal, so the next reader finds it computed. Nothing is queued for a
    rolled-back change, and a failure to queue never undoes the change (the next reader then
    computes it, the stamp having changed)."""

    def enqueue():
        try:
            renew_task.enqueue(kind.name, list(scope))
        except Exception:
            logger.exception("could not queue the renewal of %s %s", kind.name, scope)

    transaction.on_commit(enqueue)


@task()
def renew_task(name: str, scope: list) -> None:
    """Compute a Stored kind's set again (lib.derived.changed), unless a reader already did."""
    KINDS[name].renew(tuple(scope))
