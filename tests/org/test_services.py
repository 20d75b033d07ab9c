import datetime

import pytest

from org.models import Unit, User
from org.services import OrgError, unit_succeed
from tests.factories import make_department, make_province

MERGER = datetime.date(2025, 7, 1)


@pytest.fixture
def merger(cast):
    """Two provinces about to merge into a new one, each with its Sở Nội vụ and people."""
    new = make_province("tinh-moi", "tỉnh Mới", valid_from=MERGER)
    new_snv = make_department(new, "snv", "Sở Nội vụ", valid_from=MERGER, is_home_affairs=True)
    old_snv = [cast.home_affairs, Unit.objects.get(code="tinh-b-snv")]
    return new, new_snv, old_snv, cast.reviewer


def test_merger_closes_units_sets_successor_and_moves_people(cast, merger):
    new, new_snv, old_snv, reviewer = merger
    moved = unit_succeed(units=old_snv, successor=new_snv, on=MERGER, by=cast.admin)
    assert moved == 2  # both provinces' reviewers
    for unit in old_snv:
        unit.refresh_from_db()
        assert unit.valid_to == datetime.date(2025, 6, 30)
        assert unit.successor == new_snv
    reviewer.refresh_from_db()
    assert reviewer.unit == new_snv
    assert User.objects.get(pk=cast.outsider_reviewer.pk).unit == new_snv
    assert set(new_snv.lineage()) == {new_snv, *old_snv}

    unit_succeed(
        units=[cast.province, cast.other_province], successor=new, on=MERGER, by=cast.admin
    )
    cast.province.refresh_from_db()
    assert cast.province.successor == new
    assert not cast.province.is_active_during(
        type("P", (), {"window_start": MERGER, "window_end": datetime.date(2025, 12, 31)})
    )


def test_only_an_administrator_merges(cast, merger):
    new, new_snv, old_snv, _reviewer = merger
    with pytest.raises(OrgError, match="Chỉ quản trị"):
        unit_succeed(units=old_snv, successor=new_snv, on=MERGER, by=cast.reviewer)
    assert Unit.objects.filter(successor__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("different kind", "không cùng loại"),
        ("already closed", "đã hết hiệu lực từ ngày 30/06/2025"),
        ("successor not yet valid", "không có hiệu lực vào ngày 01/07/2024"),
        ("reviewer to a plain department", "không phải Sở Nội vụ"),
        ("itself", "không thể kế thừa chính mình"),
    ],
)
def test_a_refused_merger_changes_nothing(cast, merger, case, message):
    new, new_snv, old_snv, reviewer = merger
    units, successor, on = list(old_snv), new_snv, MERGER
    if case == "different kind":
        units = [old_snv[1], cast.province]
    elif case == "already closed":
        unit_succeed(units=[old_snv[1]], successor=new_snv, on=MERGER, by=cast.admin)
        units = old_snv
    elif case == "successor not yet valid":
        on = datetime.date(2024, 7, 1)
    elif case == "reviewer to a plain department":
        successor = make_department(new, "stp", "Sở Tư pháp", valid_from=MERGER)
    elif case == "itself":
        units = [new_snv, old_snv[0]]
    before = list(Unit.objects.order_by("pk").values_list("pk", "valid_to", "successor_id"))
    with pytest.raises(OrgError, match=message):
        unit_succeed(units=units, successor=successor, on=on, by=cast.admin)
    after = list(Unit.objects.order_by("pk").values_list("pk", "valid_to", "successor_id"))
    assert after == before
    assert User.objects.get(pk=reviewer.pk).unit == old_snv[0]


def test_administrator_merges_from_the_unit_list(client, cast, merger):
    new, new_snv, old_snv, reviewer = merger
    client.force_login(cast.admin)
    url = "/quan-tri/org/unit/"
    selected = [unit.pk for unit in old_snv]
    page = client.post(url, {"action": "succeed", "_selected_action": selected})
    assert "Đơn vị kế thừa" in page.text
    refused = client.post(
        url,
        {
            "action": "succeed",
            "_selected_action": selected,
            "apply": "1",
            "successor": new_snv.pk,
            "on": "01/07/2024",
        },
    )
    assert "không có hiệu lực vào ngày 01/07/2024" in refused.text
    done = client.post(
        url,
        {
            "action": "succeed",
            "_selected_action": selected,
            "apply": "1",
            "successor": new_snv.pk,
            "on": "01/07/2025",
        },
        follow=True,
    )
    assert "Đã sáp nhập 2 đơn vị; 2 người dùng đã chuyển." in done.text
    assert User.objects.get(pk=reviewer.pk).unit == new_snv
