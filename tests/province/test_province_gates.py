"""Signing the province's report follows the department rules (issue 22, part B): nothing
missing, no date ahead, every warning explained by Sở Nội vụ first."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lib.html import html_to_text
from org.models import Role
from province.services import compile_province_report, sign_and_send
from reports.access import OPERATOR
from reports.models import Report, ReportState
from reports.services import ReportError, report_save_values
from reports.services.workflow import SubmissionRefused, report_reopen
from reports.validation import WARNING, explanation_key, validate_report
from tests.factories import PASSWORD, make_user, write_sections
from tests.province.test_province_report import Demo


@pytest.fixture
def compiled(db):
    demo = Demo()
    demo.file("skhcn", 1)
    demo.file("stp", 2)
    demo.report = compile_province_report(
        province=demo.province, period=demo.period, by=demo.reviewer
    )
    return demo


def two_warnings(demo):
    """More tasks done than planned, more petitions settled than received."""
    report = demo.report
    values = {
        "nv_ke_hoach": (5, ""),
        "nv_hoan_thanh": (9, ""),
        "pakn_tiep_nhan_tinh": (1, ""),
        "pakn_giai_quyet_tinh": (3, ""),
    }
    report_save_values(
        report=report,
        by=demo.reviewer,
        appendix=report.template_version.appendices.get(),
        values=values,
        expected=None,
    )
    warnings = [v for v in validate_report(report) if v.severity == WARNING]
    assert {v.code for v in warnings} == {"nv_hoan_thanh", "pakn"}
    return warnings


def test_unwritten_required_sections_block_signing(compiled):
    today = timezone.localdate()
    with pytest.raises(SubmissionRefused) as refused:
        sign_and_send(report=compiled.report, by=compiled.signer, number="7", issued_on=today)
    assert str(refused.value).startswith("Chưa ký được: còn 11 mục bắt buộc chưa viết (Mục I.")
    assert Report.objects.get(pk=compiled.report.pk).state == ReportState.DRAFT


def test_a_signing_date_ahead_of_today_is_refused(compiled):
    write_sections(compiled.report, by=compiled.reviewer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ReportError, match="ngày ký không được sau hôm nay"):
        sign_and_send(report=compiled.report, by=compiled.signer, number="7", issued_on=tomorrow)
    assert Report.objects.get(pk=compiled.report.pk).state == ReportState.DRAFT


def test_warnings_are_explained_by_home_affairs_before_the_leader_signs(compiled, client):
    demo = compiled
    write_sections(demo.report, by=demo.reviewer)
    warnings = two_warnings(demo)
    sign_url = reverse("province:sign", args=[demo.report.pk])
    today = timezone.localdate()
    assert client.login(username=demo.signer.username, password=PASSWORD)
    page = client.get(sign_url)
    assert "2 cảnh báo chưa có giải trình của Sở Nội vụ" in html_to_text(page.text)
    assert 'data-testid="sign-form"' not in page.text  # no number or date asked in vain
    page = client.post(sign_url, {"number": "7", "issued_on": f"{today:%d/%m/%Y}"})  # anyway
    assert "Chưa ký được: 2 cảnh báo chưa có giải trình" in html_to_text(page.text)
    assert Report.objects.get(pk=demo.report.pk).state == ReportState.DRAFT

    # Sở Nội vụ's reviewer explains them on the report's "Giải trình cảnh báo" page.
    assert client.login(username=demo.reviewer.username, password=PASSWORD)
    overview = client.get(reverse("reports:report_detail", args=[demo.report.pk])).text
    explain_url = reverse("reports:report_submit", args=[demo.report.pk])
    assert f'href="{explain_url}"' in overview and "Giải trình cảnh báo…" in overview
    form = client.get(explain_url).text
    assert "Giải trình cảnh báo trước khi ký" in form and "Gửi báo cáo tới Sở Nội vụ" not in form
    data = {f"explain-{explanation_key(v)}": "Số liệu các sở gộp cả năm trước." for v in warnings}
    assert client.post(explain_url, {"save": "1", **data}).status_code == 200

    assert client.login(username=demo.signer.username, password=PASSWORD)
    ahead = today + datetime.timedelta(days=3)
    page = client.post(sign_url, {"number": "7", "issued_on": f"{ahead:%d/%m/%Y}"})
    assert "ngày ký không được sau hôm nay" in html_to_text(page.text)
    assert 'value="7"' in page.text  # what was typed stays
    signed = client.post(sign_url, {"number": "7", "issued_on": f"{today:%d/%m/%Y}"})
    assert signed.status_code == 302
    assert Report.objects.get(pk=demo.report.pk).state == ReportState.SIGNED


def test_list_reports_lists_every_kind_with_its_revision(compiled, capsys):
    """The province's own report is listed with the departments'; a reopened report's two
    revisions read as two revisions, not as duplicate lines."""
    admin = make_user("ct.quantri", Role.ADMIN)
    report_reopen(report=compiled.reports["skhcn"], by=admin, reason="Sửa số hồ sơ.")
    call_command("list_reports", "--province", "can-tho", "--period", "2026-Y")
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    listed = {(unit, kind, revision, state) for _pk, unit, _period, kind, revision, state in rows}
    science = compiled.unit("skhcn").name
    assert (compiled.province.name, "cchc-tinh", "1", "draft") in listed
    assert (science, "cchc", "1", "approved") in listed
    assert (science, "cchc", "2", "draft") in listed
    assert len(rows) == 4  # the province's, the science department's two, the justice one


def test_department_staff_cannot_create_the_provinces_own_report(compiled, client):
    unit = compiled.unit("stp")
    assert client.login(username=compiled.department_staff.username, password=PASSWORD)
    page = client.get(reverse("reports:unit_detail", args=[unit.code])).text
    assert "/cchc-tinh/" not in page  # no button
    url = reverse("reports:report_new", args=[unit.code, compiled.period.pk, "cchc-tinh"])
    response = client.post(url, follow=True)
    assert "Báo cáo của tỉnh do chuyên viên thẩm định của Sở Nội vụ tổng hợp." in response.text
    assert not Report.objects.filter(unit=unit, kind__code="cchc-tinh").exists()


def test_the_administrator_deletes_a_province_kind_report_filed_under_a_department(
    compiled, client
):
    """Reports of the province's kind filed under a department before the button and the URL
    were kept to Sở Nội vụ: the administrator deletes them in /quan-tri/; no other report."""
    from indicators.models import ReportKind
    from reports.services import report_create

    unit = compiled.unit("syt")
    wrong = report_create(
        unit=unit, period=compiled.period, by=OPERATOR, kind=ReportKind.province()
    )
    admin = make_user("ct.quantri", Role.ADMIN)
    assert client.login(username=admin.username, password=PASSWORD)
    approved = compiled.reports["skhcn"]
    kept = client.get(f"/quan-tri/reports/report/{approved.pk}/delete/")
    assert kept.status_code == 403
    page = client.get(f"/quan-tri/reports/report/{wrong.pk}/delete/")
    assert page.status_code == 200
    client.post(f"/quan-tri/reports/report/{wrong.pk}/delete/", {"post": "yes"})
    assert not Report.objects.filter(pk=wrong.pk).exists()
    assert Report.objects.filter(pk=approved.pk).exists()
