"""Property test of the province compilation (issue 22): generated departments with "/", blanks,
revisions (approved, reopened, under review again), closures during the period and successors;
and an override of a figure a ratio is built on; every compiled value of the shipped province
template is compared with an oracle written here from docs/rules.md ("Tổng hợp"), not with the
portal's code."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.loader import load_periods, load_templates, load_units
from indicators.models import Indicator, ReportKind, TemplateVersion
from indicators.types import ValueType
from org.models import Role, Unit, UnitKind, User
from province.services import compile_province_report, value_override
from reports.access import OPERATOR
from reports.models import IndicatorValue, Period, Report, ReportState
from tests.factories import make_user

NA = "/"
COUNTS = ["so_nv_ke_hoach", "so_nv_hoan_thanh", "hs_tiep_nhan", "hs_tra_ket_qua"]
COUNTS += ["bien_che_giao", "so_phieu_khao_sat", "nv_ubnd_giao", "nv_ubnd_dung_han"]
SHARE, CHOICE = "ty_le_vb_dien_tu", "tu_chu_so"


def _cell(numbers):
    return st.one_of(st.none(), st.just(NA), numbers)


VALUES = st.fixed_dictionaries(
    {
        **{code: _cell(st.integers(0, 60)) for code in COUNTS},
        SHARE: _cell(st.decimals(0, 100, places=2)),
        CHOICE: _cell(st.sampled_from([0, 1])),
    }
)
STATES = [ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED, ReportState.APPROVED]
# Each department's revisions, oldest first: earlier ones approved then reopened.
REVISIONS = st.lists(st.tuples(st.just(ReportState.APPROVED), VALUES), max_size=2).flatmap(
    lambda approved: st.tuples(st.sampled_from(STATES), VALUES).map(lambda last: [*approved, last])
)
DEPARTMENT = st.fixed_dictionaries(
    {
        "revisions": st.one_of(st.just([]), REVISIONS),
        "closed": st.booleans(),
        "successor": st.one_of(st.none(), st.integers(0, 5)),
    }
)


# A Sở Nội vụ override of a province figure that a ratio is built on, or none.
OVERRIDE = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from(
            ["nv_hoan_thanh", "nv_ke_hoach", "hs_tiep_nhan_tinh", "hs_tra_ket_qua_tinh"]
        ),
        st.integers(0, 200),
    ),
)


@pytest.fixture
def setting(db):
    load_units()
    load_periods(datetime.date(2026, 12, 1))
    load_templates()
    province = Unit.objects.get(code="can-tho")
    # the existing departments of the demo have no report: they list as missing
    version = TemplateVersion.objects.filter(template__code="cchc-chung").latest("number")
    make_user("ct.thamdinh", Role.REVIEWER, Unit.objects.get(code="can-tho-snv"))
    return province, Period.objects.get(kind="Y", year=2026), version


# --- the oracle --------------------------------------------------------------------------------


def counted_values(department):
    """The values of the revision that counts: the latest approved one, or none."""
    approved = [values for state, values in department["revisions"] if state == "approved"]
    return approved[-1] if approved else None


def is_number(value):
    return value is not None and value != NA


def expected(expression: str, units: list[dict]):
    """The province's figure over `units` (each: the counted revision's values)."""
    if expression == "count_units()":
        return Decimal(len(units))
    if m := re.fullmatch(r"(sum|min|max|avg)\((\w+)\)", expression):
        numbers = [Decimal(u[m[2]]) for u in units if is_number(u.get(m[2]))]
        if not numbers:
            return None
        return {
            "sum": sum(numbers),
            "min": min(numbers),
            "max": max(numbers),
            "avg": sum(numbers) / len(numbers),
        }[m[1]]
    if m := re.fullmatch(r"count\((\w+) (=|>) (\d+)\)", expression):
        code, op, k = m[1], m[2], int(m[3])
        return Decimal(
            sum(
                1
                for u in units
                if is_number(u.get(code)) and (u[code] == k if op == "=" else u[code] > k)
            )
        )
    if m := re.fullmatch(r"ratio\(sum\((\w+)\), sum\((\w+)\)\)", expression):
        both = [u for u in units if is_number(u.get(m[1])) and is_number(u.get(m[2]))]
        top = sum(Decimal(u[m[1]]) for u in both)
        bottom = sum(Decimal(u[m[2]]) for u in both)
        return top * 100 / bottom if both and bottom else None
    raise AssertionError(f"the oracle does not know {expression}")


def expected_with_override(indicator, units, aggregates, override):
    """With `override` (code, number): that row holds the number, and a ratio with a part equal
    to its expression divides the province's figures (the override, the other part's sum)."""
    if override is None:
        return expected(indicator.aggregate, units)
    code, number = override
    if indicator.code == code:
        return Decimal(number)
    m = re.fullmatch(r"ratio\((sum\(\w+\)), (sum\(\w+\))\)", indicator.aggregate)
    if not m or aggregates[code] not in (m[1], m[2]):
        return expected(indicator.aggregate, units)
    top, bottom = (
        Decimal(number) if part == aggregates[code] else expected(part, units)
        for part in (m[1], m[2])
    )
    return top * 100 / bottom if top is not None and bottom else None


def stored(value_type, number):
    if number is None:
        return None
    places = Decimal(1) if value_type == ValueType.INTEGER else Decimal("0.01")
    return Decimal(number).quantize(places, rounding=ROUND_HALF_UP)


# --- the property ------------------------------------------------------------------------------


def _file(unit, period, version, department, indicators):
    now, kind = timezone.now(), ReportKind.default()
    for number, (state, values) in enumerate(department["revisions"], start=1):
        report = Report.objects.create(
            unit=unit,
            period=period,
            kind=kind,
            template_version=version,
            revision=number,
            state=state,
            title="Báo cáo",
            submitted_at=None if state == ReportState.DRAFT else now,
            approved_at=now if state == ReportState.APPROVED else None,
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                report=report,
                indicator=indicators[code],
                number=None if value == NA else value,
                not_applicable=value == NA,
            )
            for code, value in values.items()
            if value is not None
        )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(departments=st.lists(DEPARTMENT, min_size=2, max_size=6), override=OVERRIDE)
def test_every_compiled_value_matches_the_oracle(setting, departments, override):
    province, period, version = setting
    indicators = {
        i.code: i for i in Indicator.objects.filter(appendix__version=version).exclude(code="")
    }
    mid_year = datetime.date(2026, 6, 30)
    with transaction.atomic():  # each example on its own data
        units = [
            Unit.objects.create(
                code=f"can-tho-h{i}",
                name=f"Sở Thử {i}",
                kind=UnitKind.DEPARTMENT,
                parent=province,
                province=province,
                valid_to=mid_year if d["closed"] else None,
            )
            for i, d in enumerate(departments)
        ]
        for unit, department in zip(units, departments, strict=True):
            target = department["successor"]
            closed = department["closed"] and target is not None and target < len(units)
            if closed and units[target] != unit:
                Unit.objects.filter(pk=unit.pk).update(successor=units[target])
            _file(unit, period, version, department, indicators)
        report = compile_province_report(province=province, period=period, by=OPERATOR)
        if override is not None:
            value_override(
                report=report,
                by=User.objects.get(username="ct.thamdinh"),
                code=override[0],
                text=str(override[1]),
                note="Sở Nội vụ rà soát lại.",
            )
        everyone = [v for d in departments if (v := counted_values(d)) is not None]
        in_force = [
            v for d in departments if (v := counted_values(d)) is not None and not d["closed"]
        ]
        values = {v.indicator.code: v.number for v in report.values.select_related("indicator")}
        compiled = Indicator.objects.filter(appendix__version=report.template_version).exclude(
            aggregate=""
        )
        aggregates = {i.code: i.aggregate for i in compiled}
        checked = 0
        for indicator in compiled:
            assert indicator.timing, f"{indicator.code}: the shipped template says which"
            units_read = in_force if indicator.timing == "point" else everyone
            want = stored(
                indicator.value_type,
                expected_with_override(indicator, units_read, aggregates, override),
            )
            assert values.get(indicator.code) == want, (indicator.code, indicator.aggregate)
            checked += 1
        assert checked >= 50
        transaction.set_rollback(True)
