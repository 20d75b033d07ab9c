import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from org.models import Role, Unit
from tests.factories import make_department, make_province, make_user

D = datetime.date


def window(start, end):
    return SimpleNamespace(window_start=start, window_end=end)


@pytest.fixture
def units(db):
    """A province closed mid-2025 into a new one, and one department of each."""
    new = make_province("tinh-moi", "tỉnh Mới", valid_from=D(2025, 7, 1))
    old = make_province("tinh-cu", "tỉnh Cũ", valid_to=D(2025, 6, 30), successor=new)
    oldest = make_province("tinh-xua", "tỉnh Xưa", valid_to=D(2003, 12, 31), successor=old)
    return SimpleNamespace(new=new, old=old, oldest=oldest)


@pytest.mark.parametrize(
    ("start", "end", "active"),
    [
        (D(2025, 1, 1), D(2025, 6, 30), {"tinh-cu"}),
        # The merger year: both existed during it.
        (D(2025, 1, 1), D(2025, 12, 31), {"tinh-cu", "tinh-moi"}),
        (D(2025, 6, 30), D(2025, 6, 30), {"tinh-cu"}),
        (D(2025, 7, 1), D(2025, 9, 30), {"tinh-moi"}),
        (D(2003, 12, 31), D(2004, 1, 1), {"tinh-xua", "tinh-cu"}),
    ],
)
def test_a_unit_is_active_when_its_validity_overlaps_the_window(units, start, end, active):
    found = Unit.objects.active_during(window(start, end))
    assert set(found.values_list("code", flat=True)) == active
    for unit in (units.new, units.old, units.oldest):
        assert unit.is_active_during(window(start, end)) == (unit.code in active)


def test_active_on_a_day(units):
    assert list(Unit.objects.active_on(D(2025, 7, 1)).values_list("code", flat=True)) == [
        "tinh-moi"
    ]


def test_provinces_leave_out_departments(units):
    make_department(units.new, "snv", "Sở Nội vụ", is_home_affairs=True)
    assert set(Unit.objects.provinces().values_list("code", flat=True)) == {
        "tinh-moi",
        "tinh-cu",
        "tinh-xua",
    }


def test_lineage_reaches_every_predecessor_and_forward_every_successor(units):
    back = set(units.new.lineage().values_list("code", flat=True))
    assert back == {"tinh-moi", "tinh-cu", "tinh-xua"}
    assert set(units.old.lineage().values_list("code", flat=True)) == {"tinh-cu", "tinh-xua"}
    forward = set(units.oldest.lineage(forward=True).values_list("code", flat=True))
    assert forward == {"tinh-xua", "tinh-cu", "tinh-moi"}
    assert list(units.new.lineage(forward=True)) == [units.new]


def test_lineage_joins_two_provinces_merged_into_one(units):
    other = make_province("tinh-ben", "tỉnh Bên", valid_to=D(2025, 6, 30), successor=units.new)
    assert other in units.new.lineage()
    assert units.old not in other.lineage()


def test_reviewer_must_belong_to_home_affairs(cast):
    with pytest.raises(ValidationError, match="Sở Nội vụ"):
        make_user("sai-vai-tro", Role.REVIEWER, cast.department)


def test_staff_must_belong_to_a_unit(db):
    with pytest.raises(ValidationError, match="phải gắn với một đơn vị"):
        make_user("khong-don-vi", Role.STAFF)
