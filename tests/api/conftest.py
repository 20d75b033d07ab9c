import datetime
import json

import pytest
from django.utils import timezone

from api.services import client_create, token_issue
from indicators.services import version_import, version_publish
from org.permissions import OPERATOR
from reports.models import Report, ReportState
from reports.services import report_create
from tests.indicators.test_template_workbooks import base_spec
from tests.reports.test_workflow import fill

# One report per state, each for its own period (a unit files one report per period).
STATE_PERIODS = {
    ReportState.DRAFT: "Y",
    ReportState.SUBMITTED: "H1",
    ReportState.RETURNED: "Q1",
    ReportState.RESUBMITTED: "Q2",
    ReportState.APPROVED: "Q3",
}


@pytest.fixture
def version(cast):
    spec = base_spec(
        applies_from=datetime.date(2025, 1, 1), period_kinds=list(STATE_PERIODS.values())
    )
    return version_publish(version=version_import(spec=spec, by=OPERATOR), by=OPERATOR)


def put_in_state(report: Report, state: str) -> Report:
    """The state as it would be after the workflow (its steps are tested in tests/reports)."""
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        state=state,
        submitted_at=None if state == ReportState.DRAFT else now,
        approved_at=now if state == ReportState.APPROVED else None,
    )
    report.refresh_from_db()
    return report


@pytest.fixture
def estate(cast, version):
    """Every state for three units: two departments of province A, one of province B.
    {(unit code, state): report}."""
    from tests.factories import make_period

    periods = {"Y": cast.period}
    for kind in set(STATE_PERIODS.values()) - {"Y"}:
        periods[kind] = make_period(kind=kind, year=2026)
    reports = {}
    for unit in (cast.department, cast.colleague_department, cast.other_department):
        for state, kind in STATE_PERIODS.items():
            report = report_create(unit=unit, period=periods[kind], by=OPERATOR, historical=True)
            fill(report, so_nv=10, so_ht=8)
            reports[(unit.code, state)] = put_in_state(report, state)
    return reports


@pytest.fixture
def make_client(cast):
    """A registered client and its token: make_client(provinces=[...], writes=True, ...)."""

    def make(name="Hệ thống thử", **fields):
        fields.setdefault("expires_at", timezone.now() + datetime.timedelta(days=30))
        fields.setdefault("purpose", "Thử nghiệm")
        client = client_create(name=name, by=OPERATOR, **fields)
        _token, raw = token_issue(client=client, by=OPERATOR)
        return client, raw

    return make


class Api:
    """The Django test client speaking to /api/v1/ with a token."""

    def __init__(self, client, token=None):
        self.client, self.token = client, token

    def __call__(self, method, path, body=None, **headers):
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        kwargs = {"headers": headers}
        if body is not None:
            from api.rendering import ExactJSONEncoder

            kwargs["data"] = json.dumps(body, cls=ExactJSONEncoder)  # Decimals sent exactly
            kwargs["content_type"] = "application/json"
        url = path if path.startswith("/") else f"/api/v1/{path}"
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, path, **headers):
        return self("GET", path, **headers)


@pytest.fixture
def api(client):
    return lambda token=None: Api(client, token)
