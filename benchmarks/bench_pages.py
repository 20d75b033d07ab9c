"""Server time of the report pages staff use most, on the largest seed template.

Run with: DATABASE_URL=postgres://... .venv/bin/pytest benchmarks/bench_pages.py --benchmark-enable
(the figures go to docs/benchmarks.md).
"""

import datetime
import json
from pathlib import Path

import pytest

from demo.loader import load_periods, load_seed_report, load_templates, load_units
from org.models import Role, Unit
from reports.access import OPERATOR
from reports.models import Period
from reports.services import period_create, report_create
from reports.validation import validate_report
from tests.factories import PASSWORD, make_user

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "demo_reports"


@pytest.fixture
def soc_trang(db):
    load_units()
    load_periods(datetime.date(2026, 11, 22))
    load_templates()
    for name in ("soctrang-2021-y", "brvt-2019-y"):
        load_seed_report(json.loads((SEEDS / f"{name}.json").read_text(encoding="utf-8")))
    unit = Unit.objects.get(code="soc-trang-skhcn")
    period = Period.objects.filter(kind="Y", year=2022).first() or period_create(
        by=OPERATOR, kind="Y", year=2022, is_open=True
    )
    report = report_create(unit=unit, period=period, by=OPERATOR)
    staff = make_user("bench.staff", Role.STAFF, unit)
    return report, staff


def test_entry_page_of_the_statistical_appendix(benchmark, client, soc_trang):
    report, staff = soc_trang
    client.login(username=staff.username, password=PASSWORD)
    url = f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/"
    client.get(url)
    response = benchmark(client.get, url)
    assert response.status_code == 200


def test_report_overview_page(benchmark, client, soc_trang):
    report, staff = soc_trang
    client.login(username=staff.username, password=PASSWORD)
    url = f"/bao-cao/{report.pk}/"
    client.get(url)
    assert benchmark(client.get, url).status_code == 200


def test_validate_the_ba_ria_vung_tau_report(benchmark, soc_trang):
    from reports.models import Report

    report = Report.objects.get(unit__code="ba-ria-vung-tau-skhcn")
    validate_report(report)
    violations = benchmark(validate_report, report)
    assert violations
