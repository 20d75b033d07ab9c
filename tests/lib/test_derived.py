"""lib.derived: values kept under the stamp of what they were derived from, in each process, in
Django's shared cache, or in an app's tables, and renewed on commit."""

import datetime
import itertools

import pytest
from django.db import transaction
from django.test import TestCase

from lib.derived import KINDS, Derived, Stored, changed, stamp
from tests.tasks import run_queued_tasks

_names = itertools.count()


def kind(**options) -> Derived:
    return Derived(f"tests.kind{next(_names)}", **options)


class Counting:
    """A computation that says how often it ran."""

    def __init__(self, value="v"):
        self.value, self.runs = value, 0

    def __call__(self):
        self.runs += 1
        return f"{self.value}{self.runs}"


def test_a_value_is_computed_once_per_stamp_and_again_for_a_new_one():
    values, compute = kind(maxsize=4), Counting()
    assert values.get(1, "a", compute) == "v1"
    assert values.get(1, "a", compute) == "v1"
    assert values.get(1, "b", compute) == "v2"  # the content changed: never the old value
    assert values.peek(1, "a") is None  # one stamp per scope: the old one is gone
    assert values.get(2, "a", compute) == "v3"  # another scope with an equal stamp


def test_the_scope_used_least_recently_goes_first_when_full():
    values = kind(maxsize=2)
    values.put("x", "s", 1)
    values.put("y", "s", 2)
    assert values.peek("x", "s") == 1  # "x" is now the most recently used
    values.put("z", "s", 3)
    assert values.peek("y", "s") is None
    assert (values.peek("x", "s"), values.peek("z", "s")) == (1, 3)


def test_no_stamp_keeps_nothing():
    values, compute = kind(maxsize=4), Counting()
    assert [values.get(1, None, compute) for _ in range(2)] == ["v1", "v2"]
    assert values.peek(1, None) is None


def test_a_stored_none_is_told_from_a_miss():
    values, compute = kind(maxsize=2), Counting()
    values.put(1, "s", None)
    assert values.peek(1, "s", "absent") is None
    assert values.get(1, "s", compute) is None and compute.runs == 0


@pytest.mark.django_db
def test_a_shared_kind_finds_what_another_process_computed():
    values = kind(maxsize=1, shared_seconds=60)
    assert values.get(1, "s", Counting("first")) == "first1"
    values.put(2, "s", "other")  # pushes scope 1 out of this process, as another process lacks it
    assert values.peek(1, "s") is None
    compute = Counting("second")
    assert values.get(1, "s", compute) == "first1" and compute.runs == 0
    # Another stamp is another key in the shared cache too.
    assert values.get(1, "t", compute) == "second1"


@pytest.mark.django_db
def test_unshared_answers_stay_in_the_process():
    values = kind(maxsize=1, shared_seconds=60)
    assert values.get(1, "s", Counting("autosave"), share=False) == "autosave1"
    assert values.get(1, "s", Counting("page")) == "autosave1"  # this process has it
    values.put(2, "s", "other")
    assert values.get(1, "s", Counting("elsewhere")) == "elsewhere1"  # never reached the cache


def test_a_kind_is_declared_once():
    name = kind(maxsize=1).name
    assert name in KINDS
    with pytest.raises(ValueError, match="twice"):
        Derived(name, maxsize=1)


def test_stamps_write_moments_to_the_microsecond_and_none_as_a_dash():
    moment = datetime.datetime(2026, 12, 1, 8, 30, 0, 123456, tzinfo=datetime.UTC)
    assert stamp(7, moment, None, [("a", 1)]) == "7|2026-12-01T08:30:00.123456+00:00|-|[('a', 1)]"
    assert stamp(7, moment) != stamp(7, moment + datetime.timedelta(microseconds=1))


# --- stored kinds and their renewal on commit ------------------------------------------------

TABLE: dict[tuple, tuple[str, str]] = {}  # scope -> (stamp, value): an app's table
RENEWED: list[tuple] = []


def _load(scope, stamp_):
    found = TABLE.get(scope)
    return found[1] if found and found[0] == stamp_ else None


def _compute(scope, stamp_):
    TABLE[scope] = (stamp_, f"computed at {stamp_}")
    return TABLE[scope][1]


def _renew(scope):
    RENEWED.append(scope)
    _compute(scope, "now")


STORED = Stored("tests.stored", load=_load, renew=_renew)


def test_a_stored_kind_loads_the_set_of_the_stamp_or_computes_it():
    TABLE.clear()
    assert STORED.get((1, 2), "a", lambda: _compute((1, 2), "a")) == "computed at a"
    assert STORED.get((1, 2), "a", lambda: pytest.fail("computed again")) == "computed at a"
    assert STORED.get((1, 2), "b", lambda: _compute((1, 2), "b")) == "computed at b"


@pytest.mark.django_db
def test_a_change_queues_the_renewal_once_the_transaction_commits():
    RENEWED.clear()
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        changed(STORED, (3, 4))
        assert run_queued_tasks() == 0  # nothing before the commit
    assert len(callbacks) == 1
    assert run_queued_tasks() == 1
    assert RENEWED == [(3, 4)] and TABLE[(3, 4)] == ("now", "computed at now")


@pytest.mark.django_db
def test_a_rolled_back_change_queues_nothing():
    RENEWED.clear()
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                changed(STORED, (5, 6))
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and run_queued_tasks() == 0 and RENEWED == []
