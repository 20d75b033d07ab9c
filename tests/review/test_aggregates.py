"""Stored indicator aggregates: equal to the full computation (tests/review/oracle.py over every
value of `indicator_values_for_period`) through submission, approval, return and resubmission,
across template versions and value types, and renewed by the task queued when a report moves."""

import datetime
from decimal import Decimal

import pytest

from indicators.services import version_import, version_publish
from indicators.spec import IndicatorSpec
from indicators.types import NOT_APPLICABLE
from org.models import User
from reports.access import OPERATOR
from reports.services.workflow import report_approve, report_return, report_submit
from review.aggregates import fresh_aggregates, indicator_aggregates, indicator_drilldown
from review.dashboard import indicator_values_for_period
from review.models import IndicatorAggregate, PeriodAggregate
from tests.factories import make_department, make_period
from tests.indicators.test_template_workbooks import base_spec
from tests.review.oracle import aggregate
from tests.review.test_dashboard import fill, leader_of
from tests.tasks import commit_and_run

COMPARED = [
    "reported",
    "not_applicable",
    "number_count",
    "number_sum",
    "total",
    "minimum",
    "maximum",
    "median",
    "counts",
    "choice_counts",
    "summary",
    "total_text",
]
# Shown for rates only (the drill-down's spread); for a code list the full computation's median
# of 0 and 1 is the float 0.5, equal to the stored Decimal but printed otherwise.
SPREAD = ["minimum_text", "maximum_text", "median_text"]


def full_computation(province, period) -> dict:
    """The oracle: every value read and converted in Python."""
    values = indicator_values_for_period(province=province, period=period)
    return {
        info.code: aggregate(info, values.values.get(info.code, {}).values())
        for info in values.indicators
        if not info.is_heading
    }


def shown(item) -> dict:
    names = COMPARED + (SPREAD if item.indicator.value_type == "percent" else [])
    return {name: getattr(item, name) for name in names}


def assert_stored_equal_full(province, period):
    expected = full_computation(province, period)
    result = indicator_aggregates(province=province, period=period)
    stored = {r.indicator.code: r for r in result.rows if not getattr(r, "is_heading", False)}
    assert set(stored) == set(expected)
    for code, item in expected.items():
        assert shown(stored[code]) == shown(item), code
        assert stored[code].indicator == item.indicator
    return stored


V2_EXTRA = [
    IndicatorSpec("3", "Kinh phí", "Triệu đồng", "kinh_phi", "decimal", level=2),
    IndicatorSpec("4", "Ngày ban hành", "", "ngay", "date", level=2),
]


def second_version():
    spec = base_spec(applies_from=datetime.date(2025, 1, 1))
    spec.appendices[0].indicators += V2_EXTRA
    return version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))


@pytest.fixture
def province_reports(cast):
    """Six departments' reports: three on the first template version, three on a second one
    with a decimal and a date indicator; counts, rates, code lists, text, "/" and blanks."""
    version_publish(
        by=OPERATOR,
        version=version_import(by=OPERATOR, spec=base_spec(applies_from=datetime.date(2025, 1, 1))),
    )
    units = [make_department(cast.province, f"so{i}", f"Sở {i}") for i in range(6)]
    first = [
        {"so_nv": 10, "so_ht": 8, "ty_le": Decimal("80.5"), "co_kh": 1, "ghi_ro": "=SUM(A1)"},
        {"so_nv": NOT_APPLICABLE, "ty_le": Decimal("100"), "co_kh": 0},
        {"so_nv": 3, "so_ht": 3, "dung_han": NOT_APPLICABLE, "ty_le": NOT_APPLICABLE},
    ]
    second = [
        {
            "so_nv": 7,
            "so_ht": 1,
            "ty_le": Decimal("33.33"),
            "co_kh": 1,
            "kinh_phi": Decimal("12.5"),
        },
        {"so_nv": 2986670, "kinh_phi": Decimal("0.125"), "ngay": datetime.date(2026, 3, 1)},
        {"co_kh": 1, "kinh_phi": NOT_APPLICABLE, "ghi_ro": "Ghi chú"},
    ]
    reports = []
    for unit, values in zip(units[:3], first, strict=True):
        reports.append(filed_report(unit, cast.period, values))
    second_version()
    for unit, values in zip(units[3:], second, strict=True):
        reports.append(filed_report(unit, cast.period, values))
    return reports


def filed_report(unit, period, values):
    from reports.services import report_create

    report = report_create(unit=unit, period=period, by=OPERATOR)
    fill(report, **values)
    return report_submit(report=report, by=leader_of(unit))


def test_stored_aggregates_equal_the_full_computation_through_the_workflow(cast, province_reports):
    province, period = cast.province, cast.period
    stored = assert_stored_equal_full(province, period)
    assert stored["so_nv"].total == 2986690  # "/" and blanks left out
    assert stored["so_nv"].not_applicable == 1
    assert stored["ty_le"].median == Decimal("80.5")
    assert stored["kinh_phi"].total == Decimal("12.625")
    assert stored["co_kh"].choice_counts == [("Có", 3), ("Không", 1)]
    assert stored["ngay"].reported == 1

    first, second = province_reports[0], province_reports[3]
    report_approve(report=first, by=cast.reviewer)
    assert_stored_equal_full(province, period)

    # A returned report stops counting at once, without waiting for the refresh task.
    report_return(report=second, by=cast.reviewer, reason="Sửa số liệu")
    stored = assert_stored_equal_full(province, period)
    assert stored["so_nv"].total == 2986683
    assert stored["ty_le"].median == Decimal("90.25")  # the mean of the middle two

    fill(second, so_nv=9, ty_le=Decimal("50"))
    report_submit(report=second, by=User.objects.get(username=f"lanhdao-{second.unit.code}"))
    stored = assert_stored_equal_full(province, period)
    assert stored["so_nv"].total == 2986692
    assert PeriodAggregate.objects.filter(province=province, period=period).count() == 1


def test_previous_period_is_read_from_its_stored_aggregates(cast, province_reports):
    last_year = make_period("Y", 2025, is_open=True)
    filed_report(cast.colleague_department, last_year, {"so_nv": 5, "ty_le": Decimal("60")})
    result = indicator_aggregates(province=cast.province, period=cast.period)
    assert result.previous_period == last_year
    rows = {row.indicator.code: row for row in result.rows if not getattr(row, "is_heading", 0)}
    before = full_computation(cast.province, last_year)
    assert rows["so_nv"].previous.total == 5
    assert shown(rows["so_nv"].previous) == shown(before["so_nv"])
    assert shown(rows["ty_le"].previous) == shown(before["ty_le"])


def test_the_drilldown_shows_the_stored_aggregates_beside_each_department(cast, province_reports):
    last_year = make_period("Y", 2025, is_open=True)
    filed_report(cast.colleague_department, last_year, {"so_nv": 5, "ty_le": Decimal("60")})
    expected = full_computation(cast.province, cast.period)
    before = full_computation(cast.province, last_year)
    for code, item in expected.items():
        drilldown = indicator_drilldown(province=cast.province, period=cast.period, code=code)
        assert shown(drilldown.aggregate) == shown(item), code
        assert [e.value for e in drilldown.entries].count(None) == 6 - item.reported
        if code in before:
            assert shown(drilldown.aggregate.previous) == shown(before[code]), code
    assert indicator_drilldown(province=cast.province, period=cast.period, code="khong") is None


def test_a_province_without_reports_has_empty_aggregates(cast):
    result = indicator_aggregates(province=cast.province, period=cast.period)
    assert result.rows == [] and result.report_count == 0


def test_submission_queues_a_refresh_that_stores_fresh_aggregates(cast, version):
    unit = cast.department
    from reports.services import report_create

    report = report_create(unit=unit, period=cast.period, by=OPERATOR)
    fill(report, so_nv=4, so_ht=2)
    commit_and_run(report_submit, report=report, by=cast.leader)
    stored = PeriodAggregate.objects.get(province=cast.province, period=cast.period)
    assert stored.report_count == 1
    assert IndicatorAggregate.objects.get(set=stored, code="so_nv").total == 4
    # The stored set is the fresh one: reading it computes nothing again.
    assert fresh_aggregates(province=cast.province, period=cast.period).pk == stored.pk
    assert fresh_aggregates(province=cast.province, period=cast.period).computed_at == (
        stored.computed_at
    )


@pytest.fixture
def version(cast):
    return version_publish(
        by=OPERATOR,
        version=version_import(by=OPERATOR, spec=base_spec(applies_from=datetime.date(2025, 1, 1))),
    )
