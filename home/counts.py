"""The number beside "Việc cần làm" on every page, computed again only when something it
counts may have changed (docs/decisions/0011: a derived kind keyed by a stamp).

What waits for a person changes with a report's creation, state or deletion, a period, a
template version, a unit, a province compilation or a PAR Index assessment, and with the date.
Each such change (home/receivers.py) renews one shared *epoch* in Django's cache; a person's
count is kept, in each process and in the cache, at the stamp (epoch, date, the person's role
and unit). Reading the epoch is one cache lookup; the count itself, five queries and ~20 ms of
Python on every page before, is then computed once per change, not once per page."""

import datetime
import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from lib.derived import Derived, stamp

from .todo import todo_count, todo_for

EPOCH_KEY = "home.todo:epoch"
# Shared by every process: a person's pages land on any of them, and each would count again.
TODO_COUNT = Derived("home.todo_count", maxsize=5000, shared_seconds=24 * 3600)


def _new_epoch() -> str:
    # A moment and a random part: never repeated, not even by two processes in one microsecond.
    value = f"{timezone.now().isoformat()}-{uuid.uuid4().hex[:8]}"
    cache.set(EPOCH_KEY, value, None)
    return value


def epoch() -> str:
    return cache.get(EPOCH_KEY) or _new_epoch()


def renew_epoch() -> None:
    """Something a to-do list counts changed: every count is computed again at its next page.
    Renewed at once, so that this transaction's own pages count the change (the database cache
    writes inside the transaction, and a rollback takes the epoch back with the change), and
    again when it commits, so that no other process keeps a count it computed in between."""
    _new_epoch()
    transaction.on_commit(_new_epoch)


def count_for(user, today: datetime.date) -> int:
    key = stamp(epoch(), today, user.role, user.unit_id, user.is_superuser, user.is_active)
    return TODO_COUNT.get(user.pk, key, lambda: todo_count(todo_for(user, today)))
