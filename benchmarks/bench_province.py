"""Benchmark of compiling the province's own report from 200 departments x 150 indicators.

Setup: bench_dashboard's province (200 departments, each with an approved report of 150
indicators for the period and the previous one, every value filled) plus a province template of
150 aggregated indicators over the departments' codes: 120 sum(), 20 avg() of percentages, 5
sum() of decimals, 5 count(code = 1). Measured: compile_province_report (first compilation,
then a refresh), median and best of the runs, with the SQL queries counted; and the stale check
with what would change. BENCH_DEPARTMENTS=2000 runs the same with 2,000 departments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench \\
        .venv/bin/pytest benchmarks/bench_province.py -s -q

Figures are recorded in docs/benchmarks.md.
"""

import datetime
import os
import time

import bench_dashboard
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.services import version_import, version_publish
from indicators.spec import AppendixSpec, IndicatorSpec, TemplateSpec
from province.compilation import pending_changes
from province.services import compile_province_report
from reports.access import OPERATOR

DEPARTMENTS = int(os.environ.get("BENCH_DEPARTMENTS", "200"))
RUNS = 5


def province_spec() -> TemplateSpec:
    c = bench_dashboard
    rows = [IndicatorSpec("I", "Tổng hợp", "", "", "heading", level=1)]
    for i in range(c.COUNTS):
        rows.append(IndicatorSpec("-", f"Số lượng {i}", "Cái", f"t_dem_{i}", "integer", level=2))
        rows[-1].aggregate = f"sum(dem_{i})"
    for i in range(c.PERCENTS):
        rows.append(IndicatorSpec("-", f"Tỷ lệ {i}", "%", f"t_ty_le_{i}", "percent", level=2))
        rows[-1].aggregate = f"avg(ty_le_{i})"
    for i in range(c.DECIMALS):
        rows.append(IndicatorSpec("-", f"Kinh phí {i}", "Triệu", f"t_kp_{i}", "decimal", level=2))
        rows[-1].aggregate = f"sum(kinh_phi_{i})"
    for i in range(c.CHOICES):
        rows.append(IndicatorSpec("-", f"Có làm {i}", "Đơn vị", f"t_co_{i}", "integer", level=2))
        rows[-1].aggregate = f"count(co_{i} = 1)"
    return TemplateSpec(
        code="bench-tinh",
        title="Mẫu tỉnh đo",
        period_kinds=["Y"],
        applies_from=datetime.date(2025, 1, 1),
        report_kinds=["cchc-tinh"],
        appendices=[AppendixSpec("pl", "Phụ lục", "TỔNG HỢP", "indicators", indicators=rows)],
    )


@pytest.mark.django_db
def test_compile_province_report(monkeypatch):
    monkeypatch.setattr(bench_dashboard, "DEPARTMENTS", DEPARTMENTS)
    start = time.perf_counter()
    province, _reviewer, period = bench_dashboard.build_data()
    version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=province_spec()))
    setup_s = time.perf_counter() - start

    def compile_once():
        return compile_province_report(province=province, period=period, by=OPERATOR)

    with CaptureQueriesContext(connection) as first_queries:
        started = time.perf_counter()
        report = compile_once()
        first_ms = (time.perf_counter() - started) * 1000
    with CaptureQueriesContext(connection) as queries:
        compile_once()
    median, best = bench_dashboard.timed(compile_once, runs=RUNS)
    stale = bench_dashboard.timed(lambda: pending_changes(report), runs=3)
    values = report.values.exclude(number=None).count()
    assert values == 150
    load = os.getloadavg()
    print(
        f"\n{DEPARTMENTS} departments x 150 indicators (setup {setup_s:.0f} s); "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    print(f"first compilation: {first_ms:.0f} ms, {len(first_queries)} queries")
    print(f"refresh: median {median:.0f} ms, best {best:.0f} ms, {len(queries)} queries")
    print(f"what would change (stale page): median {stale[0]:.0f} ms, best {stale[1]:.0f} ms")
    assert median < 2000 or DEPARTMENTS > 200
