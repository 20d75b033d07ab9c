"""Benchmark of the Sở Nội vụ dashboard and the roll-up workbook with 200 or 2,000 departments
(BENCH_DEPARTMENTS, 200 by default).

Setup (bulk_create): one province, N departments, a template version of 150 indicators
(120 counts, 20 percentages, 5 decimals, 5 code lists) and a repeating table of 4 columns; a
submitted report per department for the period and for the previous one, every indicator filled
and 5 table rows each: at 200 departments 400 reports, 60,000 values, 2,000 rows; at 2,000
departments 4,000 reports, 600,000 values, 20,000 rows.

Measured: the dashboard page, the drill-down page and the roll-up download (server time through
the test client, SQL queries counted; the first dashboard view computes and stores the
aggregates, the later ones read them), and building the roll-up workbook (time, tracemalloc
peak, process max RSS, size). Run on the PostgreSQL of DATABASE_URL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench \\
        .venv/bin/pytest benchmarks/bench_dashboard.py -s -q
    BENCH_DEPARTMENTS=2000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench \\
        .venv/bin/pytest benchmarks/bench_dashboard.py -s -q

Figures are recorded in docs/benchmarks.md.
"""

import datetime
import os
import platform
import resource
import statistics
import time
import tracemalloc
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from indicators.models import ReportKind
from indicators.services import version_import, version_publish
from indicators.spec import AppendixSpec, ColumnSpec, IndicatorSpec, TemplateSpec
from org.models import Role, Unit, UnitKind, User
from org.permissions import OPERATOR
from reports.models import IndicatorValue, Report, ReportState, Submission, TableRow
from reports.services import period_create
from review.rollup import rollup_workbook

DEPARTMENTS = int(os.environ.get("BENCH_DEPARTMENTS", "200"))
COUNTS, PERCENTS, DECIMALS, CHOICES = 120, 20, 5, 5
TABLE_ROWS = 5
RUNS = 5


def build_spec() -> TemplateSpec:
    groups = [
        ("I", "Chỉ tiêu số lượng", [("Số lượng", "Cái", "dem", "integer", COUNTS)]),
        (
            "II",
            "Tỷ lệ, kinh phí, lựa chọn",
            [
                ("Tỷ lệ", "%", "ty_le", "percent", PERCENTS),
                ("Kinh phí", "Triệu đồng", "kinh_phi", "decimal", DECIMALS),
                ("Có làm", "Có = 1 Không = 0", "co", "choice", CHOICES),
            ],
        ),
    ]
    rows = []
    for stt, title, kinds in groups:
        rows.append(IndicatorSpec(stt, title, "", "", "heading", level=1))
        number = 0
        for label, unit, prefix, value_type, count in kinds:
            for i in range(count):
                number += 1
                code = f"{prefix}_{i}"
                rows.append(
                    IndicatorSpec(str(number), f"{label} {i}", unit, code, value_type, level=2)
                )
    columns = [
        ColumnSpec("ten", "Tên thủ tục", "text"),
        ColumnSpec("tiep_nhan", "Tiếp nhận", "integer"),
        ColumnSpec("truc_tuyen", "Trực tuyến", "integer"),
        ColumnSpec("ty_le", "Tỷ lệ", "percent"),
    ]
    return TemplateSpec(
        code="bench",
        title="Mẫu đo",
        period_kinds=["Y"],
        applies_from=datetime.date(2025, 1, 1),
        appendices=[
            AppendixSpec("pl1", "Phụ lục 1", "THỐNG KÊ", "indicators", indicators=rows),
            AppendixSpec("bang", "Phụ lục 2", "TTHC", "table", has_total_row=True, columns=columns),
        ],
    )


def value_of(indicator, unit_index: int) -> Decimal:
    if indicator.value_type == "percent":
        return Decimal(50 + unit_index % 50)
    if indicator.value_type == "choice":
        return Decimal(unit_index % 2)
    if indicator.value_type == "decimal":
        return Decimal(unit_index) + Decimal("0.25")
    return Decimal(unit_index % 97)


def build_data():
    province = Unit.objects.create(code="tinh-do", name="Ủy ban nhân dân tỉnh Đo", kind="province")
    home_affairs = Unit.objects.create(
        code="tinh-do-snv",
        name="Sở Nội vụ tỉnh Đo",
        kind=UnitKind.DEPARTMENT,
        province=province,
        parent=province,
        is_home_affairs=True,
    )
    reviewer = User.objects.create(username="thamdinh", role=Role.REVIEWER, unit=home_affairs)
    version = version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=build_spec()))
    periods = [
        period_create(by=OPERATOR, kind="Y", year=2025),
        period_create(by=OPERATOR, kind="Y", year=2026, is_open=True),
    ]
    units = Unit.objects.bulk_create(
        Unit(
            code=f"tinh-do-so-{i}",
            name=f"Sở số {i:03d} tỉnh Đo",
            kind=UnitKind.DEPARTMENT,
            province=province,
            parent=province,
        )
        for i in range(DEPARTMENTS)
    )
    now = timezone.now()
    kind = ReportKind.default()
    reports = Report.objects.bulk_create(
        Report(
            unit=unit,
            period=period,
            kind=kind,
            template_version=version,
            state=ReportState.APPROVED,
            issuing_body="SỞ",
            place="Đo",
            title="Báo cáo",
            submitted_at=now,
            approved_at=now,
        )
        for unit in units
        for period in periods
    )
    indicators = [i for i in version.appendices.get(code="pl1").indicators.all() if i.code]
    index = {unit.pk: i for i, unit in enumerate(units)}
    # In slices, so the setup does not hold 600,000 objects (the process RSS is reported).
    for first in range(0, len(reports), 100):
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(report=r, indicator=ind, number=value_of(ind, index[r.unit_id]))
                for r in reports[first : first + 100]
                for ind in indicators
            ],
            batch_size=5000,
        )
    table = version.appendices.get(code="bang")
    cells = {"ten": "Cấp giấy phép", "tiep_nhan": 1200, "truc_tuyen": 950, "ty_le": Decimal("79.2")}
    TableRow.objects.bulk_create(
        TableRow(report=r, appendix=table, position=p, cells=cells)
        for r in reports
        for p in range(TABLE_ROWS)
    )
    Submission.objects.bulk_create(
        Submission(report=r, number=1, by=reviewer, snapshot={}) for r in reports
    )
    return province, reviewer, periods[1]


def timed(function, runs=RUNS) -> tuple[float, float]:
    """(median, best) in milliseconds over `runs` runs, after one warm-up run."""
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


class QueryCounter:
    """Counts SQL statements through an execute wrapper (the debug query log is bounded and
    full after the bulk setup)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def page(client, url):
    def get():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    with QueryCounter() as queries:
        get()
    median, best = timed(get)
    return median, best, queries.count


@pytest.mark.django_db
def test_dashboard_and_rollup(client):
    start = time.perf_counter()
    province, reviewer, period = build_data()
    if connection.vendor == "postgresql":
        # Statistics, as a running database keeps them: without them the planner takes the
        # tables bulk-filled a second ago for empty ones.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    setup_s = time.perf_counter() - start
    client.force_login(reviewer)
    query = f"?province={province.code}&period={period.code}"
    start = time.perf_counter()
    with QueryCounter() as first_queries:
        assert client.get(f"/bang-theo-doi/{query}").status_code == 200
    first_ms = (time.perf_counter() - start) * 1000
    figures = {
        "dashboard page": page(client, f"/bang-theo-doi/{query}"),
        "drill-down page (one count indicator)": page(
            client, f"/bang-theo-doi/chi-tieu/dem_1/{query}"
        ),
        "roll-up download (view)": page(client, f"/bang-theo-doi/tong-hop.xlsx{query}"),
    }
    build = timed(lambda: rollup_workbook(province=province, period=period), runs=3)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    content = rollup_workbook(province=province, period=period)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        f"\n{DEPARTMENTS} departments; machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {connection.vendor}; "
        f"setup {setup_s:.1f} s; load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"dashboard first view (computes and stores the aggregates): {first_ms:.0f} ms, "
        f"{first_queries.count} queries"
    )
    for name, (median, best, queries) in figures.items():
        print(f"{name}: median {median:.0f} ms, best {best:.0f} ms, {queries} queries")
    print(f"roll-up build: median {build[0]:.0f} ms, best {build[1]:.0f} ms")
    print(f"roll-up peak memory (tracemalloc): {peak / 1024 / 1024:.1f} MiB")
    print(
        f"process max RSS: {rss_before / 1024:.0f} MiB before the traced roll-up, "
        f"{rss_after / 1024:.0f} MiB after (setup included)"
    )
    print(f"roll-up size: {len(content) / 1024:.0f} KiB")
    assert figures["dashboard page"][2] <= 30
