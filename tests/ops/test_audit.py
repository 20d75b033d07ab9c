"""The administrators' audit page: logins, failures, lockouts, transitions, exports."""

import datetime

import pytest
from django.urls import reverse

from indicators.services import version_import
from ops.models import AuditEvent
from org.permissions import OPERATOR
from reports.services.workflow import report_approve, report_reopen, report_submit
from tests.factories import PASSWORD
from tests.indicators.test_template_workbooks import base_spec
from tests.reports.test_workflow import fill

AUDIT = "/nhat-ky-he-thong/"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2


def rows(client, **params):
    response = client.get(AUDIT, params)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('data-testid="audit-table"') :]


def test_the_audit_page_lists_what_happened_and_filters_by_user(client, cast, report):
    client.post("/dang-nhap/", {"username": cast.staff.username, "password": "sai"})
    client.post("/dang-nhap/", {"username": cast.staff.username, "password": "sai"})
    client.post("/dang-nhap/", {"username": cast.leader.username, "password": PASSWORD})
    fill(report, so_nv=10, so_ht=8)
    report_submit(report=report, by=cast.leader)
    report_approve(report=report, by=cast.reviewer)
    report_reopen(report=report, by=cast.admin, reason="Sửa số liệu")
    # A reviewer downloads the department's report: an export of another unit's report.
    reviewer = client.__class__()
    reviewer.force_login(cast.reviewer)
    assert reviewer.get(reverse("documents:report_docx", args=[report.pk])).status_code == 200
    # The department's own download is not an audit event.
    own = client.__class__()
    own.force_login(cast.leader)
    assert own.get(reverse("documents:report_docx", args=[report.pk])).status_code == 200
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1
    # The province roll-up holds every unit's numbers: recorded too.
    rollup = reviewer.get(reverse("review:rollup"), {"period": cast.period.code})
    assert rollup.status_code == 200
    assert AuditEvent.objects.filter(detail__startswith="dashboard_rollup: tong-hop-cchc-").exists()

    admin = client.__class__()
    admin.force_login(cast.admin)
    # An administrator publishes a new version of the template through the portal.
    draft = version_import(
        by=OPERATOR, spec=base_spec(code="mau-moi", applies_from=datetime.date(2026, 1, 1))
    )
    assert admin.post(reverse("indicators:version_publish", args=[draft.pk])).status_code == 302
    table = rows(admin)
    for kind in [
        "Đăng nhập sai",
        "Bị khóa đăng nhập",
        "Đăng nhập",
        "Chuyển trạng thái",
        "Mở lại báo cáo",
        "Tải báo cáo của đơn vị khác",
        "Công bố mẫu",
    ]:
        assert kind in table, kind
    assert f"{cast.admin.username}</td><td>mau-moi v1" in table
    only_reviewer = rows(admin, username=cast.reviewer.username)
    assert "Tải báo cáo của đơn vị khác" in only_reviewer
    assert cast.staff.username not in only_reviewer
    future = rows(admin, since="01/01/2099")
    assert "Không có sự kiện nào." in future


def test_only_administrators_see_the_audit_page(client, cast):
    client.force_login(cast.reviewer)
    assert client.get(AUDIT).status_code == 403
    client.logout()
    assert client.get(AUDIT).status_code == 302


def test_a_reversed_date_range_is_refused_with_a_message(client, cast):
    client.force_login(cast.admin)
    page = client.get(AUDIT, {"since": "10/10/2026", "until": "01/10/2026"}).content.decode()
    assert "Ngày bắt đầu phải trước ngày kết thúc." in page
