"""The Sở Nội vụ dashboard: progress per unit, aggregates across departments, drill-down,
permissions, a constant number of queries, and the deadline reminders."""

import datetime
import statistics
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import ReportKind
from indicators.services import version_import, version_publish
from indicators.types import ValueType
from indicators.values import parse_value
from org.models import Role, Unit, UnitKind
from reports.access import OPERATOR
from reports.models import (
    SUBMITTED_STATES,
    Explanation,
    IndicatorValue,
    Notification,
    Period,
    Report,
    ReportState,
    Submission,
    TableRow,
)
from reports.selectors import indicator_values
from reports.services import report_create, report_save_table, report_save_values
from reports.services.workflow import report_submit
from review.aggregates import indicator_aggregates
from review.dashboard import STATE_ORDER, dashboard_rows, dashboard_units
from review.management.commands.send_deadline_reminders import deadline_message
from tests.factories import (
    PASSWORD,
    make_department,
    make_period,
    make_province,
    make_user,
    write_sections,
)
from tests.indicators.test_template_workbooks import base_spec
from tests.review.oracle import state_counts

DASHBOARD = "/bang-theo-doi/"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def version(cast):
    spec = base_spec(applies_from=datetime.date(2025, 1, 1))
    return version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))


def fill(report, **values):
    appendix = report.template_version.appendices.get(code="pl1")
    report_save_values(
        by=OPERATOR,
        report=report,
        appendix=appendix,
        values={code: (value, "") for code, value in values.items()},
        expected=None,
    )


def fill_table(report, rows):
    appendix = report.template_version.appendices.get(code="bang")
    report_save_table(by=OPERATOR, report=report, appendix=appendix, rows=rows, expected=None)


def leader_of(unit):
    return make_user(f"lanhdao-{unit.code}", Role.LEADER, unit)


def filed(unit, period, leader=None, *, submit=True, **values):
    """A report of `unit` with `values`, submitted by the unit's leader unless `submit` is
    False."""
    report = report_create(unit=unit, period=period, by=OPERATOR)
    fill(report, **values)
    if not submit:
        return report
    return report_submit(report=report, by=leader or leader_of(unit))


def rows_by_code(response):
    return {row.unit.code: row for row in response.context["rows"]}


# --- progress ---------------------------------------------------------------------------------


def test_home_leads_reviewers_to_the_dashboard(client, cast):
    login(client, cast.reviewer)
    response = client.get("/")
    assert response.status_code == 200
    assert f'href="{DASHBOARD}"' in response.content.decode()


def test_reviewer_sees_every_unit_of_the_province_with_its_state(client, cast, version):
    report = filed(cast.department, cast.period, cast.leader, so_nv=10, so_ht=8)
    login(client, cast.reviewer)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    rows = rows_by_code(response)
    assert set(rows) == {"tinh-a-skhcn", "tinh-a-stp", "tinh-a-snv"}
    assert rows["tinh-a-skhcn"].state == ReportState.SUBMITTED
    assert rows["tinh-a-skhcn"].submitted_on == timezone.localdate()
    assert rows["tinh-a-stp"].state == "missing"
    assert "Chưa lập" in response.text
    assert f'href="/bao-cao/{report.pk}/"' in response.text
    assert cast.other_department.name not in response.text
    counts = {c.state: c.count for c in response.context["counts"]}
    assert counts["submitted"] == 1 and counts["missing"] == 2
    assert "<svg" in response.text and "Tiến độ gửi báo cáo" in response.text


def test_a_draft_shows_as_draft_without_link_and_does_not_count(client, cast, version):
    filed(cast.department, cast.period, cast.leader, so_nv=10, so_ht=8)
    draft = filed(cast.colleague_department, cast.period, submit=False, so_nv=500, so_ht=1)
    login(client, cast.reviewer)
    response = client.get(DASHBOARD)
    row = rows_by_code(response)["tinh-a-stp"]
    assert (row.state, row.report) == (ReportState.DRAFT, None)
    assert f"/bao-cao/{draft.pk}/" not in response.text
    totals = {
        a.indicator.code: a.total
        for a in response.context["aggregates"].rows
        if not getattr(a, "is_heading", False)
    }
    assert totals["so_nv"] == 10


def test_lateness_counts_days_after_the_deadline(cast, version):
    late = filed(cast.department, cast.period, cast.leader, so_nv=1, so_ht=1)
    deadline = cast.period.deadline
    submitted = timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(10)))
    Submission.objects.filter(report=late).update(at=submitted + datetime.timedelta(days=3))
    today = deadline + datetime.timedelta(days=5)
    rows = {
        r.unit.code: r
        for r in dashboard_rows(province=cast.province, period=cast.period, today=today)
    }
    assert (rows["tinh-a-skhcn"].days_late, rows["tinh-a-skhcn"].days_overdue) == (3, 0)
    assert rows["tinh-a-skhcn"].lateness == "gửi trễ 3 ngày"
    assert (rows["tinh-a-stp"].days_late, rows["tinh-a-stp"].days_overdue) == (0, 5)
    assert rows["tinh-a-stp"].lateness == "quá hạn 5 ngày"
    before = dashboard_rows(province=cast.province, period=cast.period, today=deadline)
    assert all(r.days_overdue == 0 for r in before)


def test_explained_warnings_are_counted_from_stored_explanations(cast, version):
    report = filed(cast.department, cast.period, cast.leader, so_nv=10, so_ht=8)
    Explanation.objects.create(report=report, key="a", text="Số liệu lũy kế")
    Explanation.objects.create(report=report, key="b", text="")
    rows = dashboard_rows(province=cast.province, period=cast.period)
    assert {r.unit.code: r.warnings_explained for r in rows}["tinh-a-skhcn"] == 1


def test_filters_by_unit_kind_and_state(client, cast, version):
    commune = Unit.objects.create(
        code="tinh-a-xa",
        name="Ủy ban nhân dân xã Mỹ An",
        kind=UnitKind.COMMUNE,
        parent=cast.province,
        province=cast.province,
    )
    filed(cast.department, cast.period, cast.leader, so_nv=10, so_ht=8)
    login(client, cast.reviewer)
    by_kind = rows_by_code(client.get(DASHBOARD, {"kind": "commune"}))
    assert set(by_kind) == {commune.code}
    missing = client.get(DASHBOARD, {"state": "missing"})
    assert set(rows_by_code(missing)) == {"tinh-a-stp", "tinh-a-snv", "tinh-a-xa"}
    # The counts and the chart keep every state, so the progress stays visible.
    assert {c.state: c.count for c in missing.context["counts"]}["submitted"] == 1
    both = client.get(DASHBOARD, {"kind": "department", "state": "submitted"})
    assert set(rows_by_code(both)) == {"tinh-a-skhcn"}
    ignored = client.get(DASHBOARD, {"kind": "planet", "state": "lost"})
    assert len(ignored.context["rows"]) == 4


def test_a_closed_unit_is_not_listed_for_a_later_period(cast, version):
    make_department(
        cast.province, "sgtvt", "Sở Giao thông vận tải", valid_to=datetime.date(2025, 6, 30)
    )
    codes = {r.unit.code for r in dashboard_rows(province=cast.province, period=cast.period)}
    assert "tinh-a-sgtvt" not in codes and "tinh-a-skhcn" in codes


def test_default_period_is_the_open_one_with_the_nearest_deadline(client, cast, version):
    make_period("H1", 2026, is_open=True)  # deadline in June: already passed on 22/11/2026
    login(client, cast.reviewer)
    today = timezone.localdate()
    expected = cast.period if cast.period.deadline >= today else Period.objects.get(kind="H1")
    assert client.get(DASHBOARD).context["scope"].period == expected
    picked = client.get(DASHBOARD, {"period": "2026-H1"}).context["scope"].period
    assert picked.code == "2026-H1"


def test_an_unknown_period_or_indicator_is_404(client, cast, version):
    login(client, cast.reviewer)
    assert client.get(DASHBOARD, {"period": "2031-Y"}).status_code == 404
    assert client.get(DASHBOARD, {"period": "khong-hop-le"}).status_code == 404
    assert client.get(f"{DASHBOARD}chi-tieu/khong_co/").status_code == 404


# --- permissions ------------------------------------------------------------------------------

PAGES = [DASHBOARD, f"{DASHBOARD}chi-tieu/so_nv/", f"{DASHBOARD}tong-hop.xlsx"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["staff", "leader", "outsider_staff"])
def test_department_people_get_403(client, cast, version, url, who):
    filed(cast.department, cast.period, cast.leader, so_nv=10, so_ht=8)
    login(client, getattr(cast, who))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_another_provinces_reviewer_gets_404_for_the_province(client, cast, version, url):
    filed(cast.department, cast.period, cast.leader, so_nv=10, so_ht=8)
    login(client, cast.outsider_reviewer)
    assert client.get(url, {"province": cast.province.code}).status_code == 404


def test_another_provinces_reviewer_sees_only_their_own_province(client, cast, version):
    filed(cast.department, cast.period, cast.leader, so_nv=10, so_ht=8)
    login(client, cast.outsider_reviewer)
    response = client.get(DASHBOARD)
    assert set(rows_by_code(response)) == {"tinh-b-skhcn", "tinh-b-snv"}
    assert cast.department.name not in response.text
    assert response.context["aggregates"].report_count == 0
    drilldown = client.get(f"{DASHBOARD}chi-tieu/so_nv/")
    assert drilldown.status_code == 404  # no report of their province has the indicator


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, cast, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/dang-nhap/")


def test_administrators_choose_any_province(client, cast, version):
    filed(cast.department, cast.period, cast.leader, so_nv=10, so_ht=8)
    login(client, cast.admin)
    response = client.get(DASHBOARD, {"province": cast.other_province.code})
    assert set(rows_by_code(response)) == {"tinh-b-skhcn", "tinh-b-snv"}
    response = client.get(DASHBOARD, {"province": cast.province.code})
    assert "tinh-a-skhcn" in rows_by_code(response)
    assert client.get(DASHBOARD, {"province": "khong-co"}).status_code == 404
    assert client.get(DASHBOARD, {"province": "tinh-a-skhcn"}).status_code == 404


def test_nav_shows_the_dashboard_to_reviewers_only(client, cast, version):
    login(client, cast.reviewer)
    page = client.get(DASHBOARD).text
    assert 'href="/bang-theo-doi/"' in page and 'href="/thong-bao/"' in page
    login(client, cast.staff)
    page = client.get(f"/don-vi/{cast.department.code}/").text
    assert 'href="/bang-theo-doi/"' not in page and 'href="/thong-bao/"' in page


# --- aggregates and drill-down ----------------------------------------------------------------


def test_percentages_are_not_summed_but_spread(client, cast, version):
    leader_b = leader_of(cast.colleague_department)
    filed(cast.department, cast.period, cast.leader, so_nv=10, so_ht=8, ty_le=Decimal("80"))
    filed(cast.colleague_department, cast.period, leader_b, so_nv=4, so_ht=4, ty_le=Decimal("91.5"))
    login(client, cast.reviewer)
    rows = {
        a.indicator.code: a
        for a in client.get(DASHBOARD).context["aggregates"].rows
        if not getattr(a, "is_heading", False)
    }
    assert rows["so_nv"].total == 14
    assert rows["ty_le"].total is None
    assert (rows["ty_le"].minimum, rows["ty_le"].maximum) == (Decimal("80"), Decimal("91.5"))
    assert rows["ty_le"].median == Decimal("85.75")
    assert rows["ty_le"].summary == "nhỏ nhất 80% · lớn nhất 91,5% · trung vị 85,75%"
    page = client.get(f"{DASHBOARD}chi-tieu/ty_le/")
    assert "không cộng dồn" in page.text
    assert "80%" in page.text and "91,5%" in page.text
    assert page.context["drilldown"].aggregate.reported == 2


def test_drilldown_lists_each_department_and_draws_an_escaped_chart(client, cast, version):
    odd = make_department(cast.province, "sxd", "<b>Sở Xây dựng</b>")
    filed(cast.department, cast.period, cast.leader, so_nv=2986670, so_ht=8)
    filed(odd, cast.period, so_nv=5, so_ht=5)
    login(client, cast.reviewer)
    page = client.get(f"{DASHBOARD}chi-tieu/so_nv/")
    assert page.status_code == 200
    values = {e.report.unit.code: e.text for e in page.context["drilldown"].entries}
    assert values == {"tinh-a-skhcn": "2.986.670", "tinh-a-sxd": "5"}
    assert page.context["drilldown"].aggregate.total == 2986675
    assert "<b>Sở Xây dựng" not in page.text
    assert "&lt;b&gt;Sở Xây dựng&lt;/b&gt;" in page.text
    chart = str(page.context["chart"])
    assert chart.startswith("<svg") and chart.count("<rect") == 2
    assert "<script" not in page.text.split("<main")[1].split("</main>")[0]


def test_previous_period_aggregate_is_shown_beside(client, cast, version):
    before = make_period("Y", 2025, is_open=True)
    filed(cast.department, before, cast.leader, so_nv=7, so_ht=7)
    filed(cast.department, cast.period, cast.leader, so_nv=10, so_ht=8)
    login(client, cast.reviewer)
    response = client.get(DASHBOARD, {"period": "2026-Y"})
    aggregates = response.context["aggregates"]
    assert aggregates.previous_period == before
    row = next(
        a for a in aggregates.rows if getattr(a, "indicator", None) and a.indicator.code == "so_nv"
    )
    assert (row.total, row.previous.total) == (10, 7)
    assert "Kỳ trước (năm 2025)" in response.text


# --- the demo provinces: aggregates equal sums computed by the database ----------------------


def database_sums(period, provinces) -> dict:
    """Sum of every count indicator over the submitted reports, computed by the database."""
    return dict(
        IndicatorValue.objects.filter(
            report__period=period,
            report__state__in=SUBMITTED_STATES,
            report__unit__province__code__in=provinces,
            indicator__value_type__in=["integer", "decimal"],
            not_applicable=False,
            number__isnull=False,
        )
        .values("indicator__code")
        .annotate(total=Sum("number"))
        .values_list("indicator__code", "total")
    )


def database_rates(period, provinces) -> dict:
    rates = {}
    for code, number in IndicatorValue.objects.filter(
        report__period=period,
        report__state__in=SUBMITTED_STATES,
        report__unit__province__code__in=provinces,
        indicator__value_type="percent",
        number__isnull=False,
    ).values_list("indicator__code", "number"):
        rates.setdefault(code, []).append(number)
    return rates


def assert_aggregates_match_database(province_code, period, provinces):
    province = Unit.objects.get(code=province_code)
    result = indicator_aggregates(province=province, period=period)
    rows = [r for r in result.rows if not getattr(r, "is_heading", False)]
    totals = {r.indicator.code: r.total for r in rows if r.total is not None}
    assert totals == database_sums(period, provinces)
    for code, numbers in database_rates(period, provinces).items():
        row = next(r for r in rows if r.indicator.code == code)
        assert (row.minimum, row.maximum) == (min(numbers), max(numbers))
        assert row.median == statistics.median(numbers)
        assert row.total is None
    return result


@pytest.fixture
def demo(demo_units):
    from demo.loader import load_periods, load_seed_reports, load_templates

    load_periods(datetime.date(2026, 11, 22))
    load_templates()
    load_seed_reports()


CAN_THO_VALUES = {
    "can-tho-skhcn": {"so_nv_ke_hoach": 12, "so_nv_hoan_thanh": 10, "ty_le_tuyen_truyen": 95},
    "can-tho-stp": {"so_nv_ke_hoach": 30, "so_nv_hoan_thanh": 30, "ty_le_tuyen_truyen": 100},
    "can-tho-stc": {"so_nv_ke_hoach": 8, "so_nv_hoan_thanh": 5, "ty_le_tuyen_truyen": 72.5},
}


def file_demo_report(code, period, values, *, submit=True, historical=False):
    unit = Unit.objects.get(code=code)
    report = report_create(unit=unit, period=period, by=OPERATOR, historical=historical)
    appendix = report.template_version.appendices.get(code="pl2_thong_ke")
    parsed = {k: (Decimal(str(v)) if isinstance(v, float) else v, "") for k, v in values.items()}
    report_save_values(by=OPERATOR, report=report, appendix=appendix, values=parsed, expected=None)
    if submit:
        fill_required_blanks(report)
        report = report_submit(report=report, by=leader_of(unit))
    return report


def fill_required_blanks(report):
    """The template requires some values and sections these partial demo reports leave blank;
    0 (a plan, a date, a first choice where no count) answers them without changing the sums
    under test, and the required sections get a line of text."""
    filled = indicator_values(report)
    for appendix in report.template_version.appendices.exclude(kind="table"):
        blanks = {
            row.code: (neutral_value(row, report), "")
            for row in appendix.indicators.filter(required=True)
            if filled.get(row.code, (None, ""))[0] is None
        }
        if blanks:
            report_save_values(
                by=OPERATOR, report=report, appendix=appendix, values=blanks, expected=None
            )
    write_sections(report)


def neutral_value(row, report):
    text = {
        ValueType.DOCREF: "Kế hoạch số 01/KH-UBND ngày 07/01/2026",
        ValueType.DATE: f"{report.period.deadline:%d/%m/%Y}",
        ValueType.TEXT: "Không",
        ValueType.CHOICE: str(row.choices[0][0]) if row.choices else "0",
    }.get(row.value_type, "0")
    return parse_value(row.value_type, text, choices=row.choices)


def test_demo_aggregates_equal_the_database_sums(client, demo):
    year = Period.objects.get(kind="Y", year=2026)
    for code, values in CAN_THO_VALUES.items():
        file_demo_report(code, year, {**values, "co_tuyen_truyen_hop": 1})
    file_demo_report("can-tho-syt", year, {"so_nv_ke_hoach": 900}, submit=False)
    last_year = make_period("Y", 2025)
    file_demo_report(
        "soc-trang-skhcn",
        last_year,
        {"so_nv_ke_hoach": 4, "so_nv_hoan_thanh": 4},
        historical=True,
    )
    provinces = ["can-tho", "soc-trang"]
    result = assert_aggregates_match_database("can-tho", year, provinces)
    rows = {r.indicator.code: r for r in result.rows if not getattr(r, "is_heading", False)}
    assert rows["so_nv_ke_hoach"].total == 50  # the draft's 900 is left out
    assert rows["so_nv_ke_hoach"].previous.total == 4
    assert rows["co_tuyen_truyen_hop"].choice_counts == [("Có", 3), ("Không", 0)]
    assert result.previous_period == last_year
    assert_aggregates_match_database("can-tho", last_year, provinces)
    # The seed reports, reached from the provinces that succeeded theirs.
    for province, period, old in [
        ("can-tho", ("Y", 2021), "soc-trang"),
        ("gia-lai", ("H1", 2022), "binh-dinh"),
    ]:
        seed_period = Period.objects.get(kind=period[0], year=period[1])
        result = assert_aggregates_match_database(province, seed_period, [province, old])
        assert result.report_count == 1
    # The page shows the same figures.
    reviewer = make_user("thamdinh-ct", Role.REVIEWER, Unit.objects.get(code="can-tho-snv"))
    login(client, reviewer)
    page = client.get(DASHBOARD, {"period": "2026-Y"})
    assert page.status_code == 200
    assert '<td data-testid="current">50</td>' in page.text
    states = {r.unit.code: r.state for r in page.context["rows"]}
    assert states["can-tho-skhcn"] == "submitted" and states["can-tho-syt"] == "draft"
    assert "soc-trang-skhcn" not in states  # closed before 2026
    old = client.get(DASHBOARD, {"period": "2021-Y"})
    assert {r.unit.code: r.state for r in old.context["rows"]}["soc-trang-skhcn"] == "approved"
    assert client.get(DASHBOARD, {"period": "2021-Y", "province": "soc-trang"}).status_code == 200
    assert client.get(DASHBOARD, {"province": "gia-lai"}).status_code == 404


# --- a constant number of queries -------------------------------------------------------------


def bulk_departments(cast, version, periods, count: int, start: int = 0) -> list[Report]:
    """`count` departments of the cast's province, each with a submitted report for each of
    `periods` holding every value of the test template and two table rows; built with
    bulk_create."""
    units = Unit.objects.bulk_create(
        Unit(
            code=f"tinh-a-so-{start + i}",
            name=f"Sở số {start + i}",
            kind=UnitKind.DEPARTMENT,
            parent=cast.province,
            province=cast.province,
        )
        for i in range(count)
    )
    now = timezone.now()
    kind = ReportKind.default()
    reports = Report.objects.bulk_create(
        Report(
            unit=unit,
            period=period,
            kind=kind,
            template_version=version,
            state=ReportState.SUBMITTED,
            issuing_body=unit.name.upper(),
            place="An Giang",
            title="Báo cáo",
            submitted_at=now,
        )
        for unit in units
        for period in periods
    )
    indicators = {i.code: i for i in version.appendices.get(code="pl1").indicators.all()}
    numbers = {"so_nv": 10, "so_ht": 8, "dung_han": 5, "co_kh": 1, "ty_le": Decimal("87.5")}
    IndicatorValue.objects.bulk_create(
        IndicatorValue(report=report, indicator=indicators[code], number=number)
        for report in reports
        for code, number in numbers.items()
    )
    table = version.appendices.get(code="bang")
    TableRow.objects.bulk_create(
        TableRow(report=report, appendix=table, position=p, cells={"ten": "A", "so": 3})
        for report in reports
        for p in range(2)
    )
    Submission.objects.bulk_create(
        Submission(report=report, number=1, by=cast.leader, snapshot={}) for report in reports
    )
    return reports


# Each unit's revisions, oldest first: earlier revisions were approved, then reopened.
REVISIONS = st.one_of(
    st.just([]),
    st.lists(st.just(ReportState.APPROVED), max_size=2).flatmap(
        lambda approved: st.sampled_from(list(ReportState)).map(lambda last: [*approved, last])
    ),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    units=st.lists(
        st.tuples(st.sampled_from([UnitKind.DEPARTMENT, UnitKind.DISTRICT]), REVISIONS),
        min_size=1,
        max_size=8,
    )
)
def test_state_counts_and_filters_in_sql_agree_with_each_units_row(cast, version, units):
    """dashboard_units counts and filters the states in SQL; each listed unit's row works its
    state out in Python from the revisions. The oracle: counting the rows."""
    with transaction.atomic():  # each example on its own data
        province = make_province("tinh-thu", "tỉnh Thử")
        kind, now = ReportKind.default(), timezone.now()
        for i, (unit_kind, revisions) in enumerate(units):
            unit = Unit.objects.create(
                code=f"{province.code}-{i}",
                name=f"Đơn vị {i}",
                kind=unit_kind,
                parent=province,
                province=province,
            )
            Report.objects.bulk_create(
                Report(
                    unit=unit,
                    period=cast.period,
                    kind=kind,
                    template_version=version,
                    revision=number,
                    state=state,
                    title="Báo cáo",
                    submitted_at=None if state == ReportState.DRAFT else now,
                    approved_at=now if state == ReportState.APPROVED else None,
                )
                for number, state in enumerate(revisions, start=1)
            )
        for unit_kind in ("", UnitKind.DEPARTMENT, UnitKind.DISTRICT):
            rows = dashboard_rows(province=province, period=cast.period, kind=unit_kind)
            scope = {"province": province, "period": cast.period, "kind": unit_kind}
            counts, _listed = dashboard_units(**scope)
            assert {c.state: c.count for c in counts} == state_counts(rows)
            for state in STATE_ORDER:
                _counts, listed = dashboard_units(**scope, state=state)
                expected = {row.unit.pk for row in rows if row.state == state}
                assert set(listed.values_list("pk", flat=True)) == expected, state
        transaction.set_rollback(True)


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_pages_run_the_same_number_of_queries_for_20_and_60_departments(
    client, cast, version, url, django_assert_max_num_queries
):
    periods = [make_period("Y", 2025), cast.period]
    bulk_departments(cast, version, periods, 10)
    login(client, cast.reviewer)
    params = {"period": "2026-Y"}
    count_queries(client, url, params)  # stores the aggregates
    # With more departments the stored aggregates are stale: the page computes them again
    # in SQL, then reads them as stored.
    bulk_departments(cast, version, periods, 10, start=10)
    twenty_stale, twenty = count_queries(client, url, params), count_queries(client, url, params)
    bulk_departments(cast, version, periods, 40, start=20)
    sixty_stale, sixty = count_queries(client, url, params), count_queries(client, url, params)
    assert twenty == sixty
    assert twenty_stale == sixty_stale
    with django_assert_max_num_queries(30):
        response = client.get(url, params)
    if url == DASHBOARD:
        assert len(response.context["rows"]) == 50  # the first page of 63 units
        assert response.context["unit_count"] == 63
        counts = {c.state: c.count for c in response.context["counts"]}
        assert counts["submitted"] == 60


def test_unit_table_is_paged_and_page_links_keep_the_filters(client, cast, version):
    bulk_departments(cast, version, [cast.period], 60)
    login(client, cast.reviewer)
    params = {"period": "2026-Y", "kind": "department", "state": "submitted"}
    first = client.get(DASHBOARD, params)
    assert len(first.context["rows"]) == 50
    assert {row.state for row in first.context["rows"]} == {"submitted"}
    assert 'rel="next"' in first.text and "Trang 1/2" in first.text
    link = "?province=tinh-a&amp;period=2026-Y&amp;kind=department&amp;state=submitted&amp;page=2"
    assert link in first.text
    second = client.get(DASHBOARD, {**params, "page": 2})
    rows = second.context["rows"]
    assert len(rows) == 10 and 'rel="prev"' in second.text
    shown = {row.unit.code for row in first.context["rows"]} | {row.unit.code for row in rows}
    assert len(shown) == 60  # every submitted department once
    # The counts cover the whole province, not the page.
    counts = {c.state: c.count for c in second.context["counts"]}
    assert counts["submitted"] == 60 and counts["missing"] == 3


# --- deadline reminders -----------------------------------------------------------------------


@pytest.fixture
def due_period(db):
    today = timezone.localdate()
    return Period.objects.create(
        kind="Y",
        year=today.year + 1,
        window_start=today - datetime.timedelta(days=90),
        window_end=today - datetime.timedelta(days=1),
        deadline=today + datetime.timedelta(days=2),
        is_open=True,
    )


def remind(*args) -> str:
    from io import StringIO

    from tests.tasks import commit_and_run

    out = StringIO()
    commit_and_run(call_command, "send_deadline_reminders", *args, stdout=out)
    return out.getvalue()


def test_reminders_go_to_units_that_have_not_submitted(cast, version, due_period):
    colleague_leader = leader_of(cast.colleague_department)
    filed(cast.department, due_period, cast.leader, so_nv=1, so_ht=1)
    filed(cast.colleague_department, due_period, submit=False, so_nv=1)
    output = remind()
    told = set(Notification.objects.values_list("user__username", flat=True))
    # The department that submitted is left alone; reviewers and admins are never reminded.
    assert told == {cast.colleague.username, colleague_leader.username, "chuyenvien-b"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.colleague.email, colleague_leader.email, cast.outsider_staff.email]
    )
    assert f"Sắp đến hạn gửi báo cáo năm {due_period.year}" in mail.outbox[0].subject
    assert "Tổng cộng đã nhắc 3 người." in output


def test_reminders_are_sent_once_a_day(cast, due_period):
    remind()
    sent = len(mail.outbox)
    assert sent == 4  # staff and leader of skhcn, the colleague, the other province's staff
    output = remind()
    assert len(mail.outbox) == sent
    assert Notification.objects.count() == sent
    assert "Tổng cộng đã nhắc 0 người." in output


def test_reminders_wait_until_the_deadline_is_near(cast, due_period):
    assert "đã nhắc 0 người" in remind("--days", "1")
    assert mail.outbox == []
    assert "Tổng cộng đã nhắc 4 người." in remind("--days", "2")


def test_closed_periods_get_no_reminders(cast, due_period):
    Period.objects.filter(pk=due_period.pk).update(is_open=False)
    remind("--days", "10")
    # Other open periods may fall due within ten days of the day the suite runs (December's
    # year report does): only the closed one is asked about.
    about = deadline_message(due_period)
    assert not Notification.objects.filter(message=about).exists()
    assert not [m for m in mail.outbox if due_period.label in m.subject + m.body]


def test_inactive_users_are_not_reminded(cast, due_period):
    cast.staff.is_active = False
    cast.staff.save()
    remind()
    assert cast.staff.email not in [m.to[0] for m in mail.outbox]
