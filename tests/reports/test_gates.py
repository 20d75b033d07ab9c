"""The completeness gates (issue 22, part B): what the template says must be there is there
before a report is submitted or the province's report is signed."""

import dataclasses
import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from indicators.services import spec_from_version, version_import, version_publish
from indicators.types import NOT_APPLICABLE
from indicators.values import parse_value
from indicators.workbook import read_template_workbook, write_template_workbook
from lib.html import html_to_text
from reports.access import OPERATOR
from reports.models import Report, ReportState
from reports.selectors import report_appendices
from reports.services import report_create, report_save_section, report_save_values
from reports.services.workflow import SubmissionRefused, report_submit
from reports.validation import ERROR, validate_report
from tests.indicators.test_template_workbooks import base_spec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "templates"


@pytest.fixture
def report(cast):
    """A draft on the province-wide template every department files (chung-2025.xlsx)."""
    spec = read_template_workbook(FIXTURES / "chung-2025.xlsx")
    spec.applies_from = datetime.date(2025, 1, 1)
    version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))
    return report_create(unit=cast.department, period=cast.period, by=cast.staff)


def required_indicators(report):
    return [
        (appendix, row)
        for appendix in report_appendices(report)
        if not appendix.is_table
        for row in appendix.indicators.all()
        if row.required
    ]


def mark_all_not_applicable(report):
    """Every indicator "/", the way the whole form was ticked through."""
    for appendix in report_appendices(report):
        if appendix.is_table:
            continue
        values = {row.code: (NOT_APPLICABLE, "") for row in appendix.indicators.all() if row.code}
        report_save_values(
            report=report, by=OPERATOR, appendix=appendix, values=values, expected=None
        )


def test_slash_in_every_required_indicator_and_no_section_written_is_refused(client, cast, report):
    """The regression of issue 22: "/" in all 10 required indicators, 0 of 14 sections written
    was signed and sent. Now each missing item is named in Vietnamese, linked to its place."""
    required = required_indicators(report)
    outline = list(report.template_version.outline.all())
    assert (len(required), len(outline)) == (10, 14)
    mark_all_not_applicable(report)

    with pytest.raises(SubmissionRefused) as refused:
        report_submit(report=report, by=cast.leader, blanks_seen=True)
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT
    message = str(refused.value)
    assert message.startswith("Chưa gửi được: còn 10 chỉ tiêu ghi “/” mà mẫu không cho phép")
    assert "11 mục bắt buộc chưa viết" in message
    errors = refused.value.violations
    slashes = [v for v in errors if v.code.startswith("khong_ap_dung:")]
    assert {v.indicator_codes[0] for v in slashes} == {row.code for _a, row in required}
    sections = [v for v in errors if v.section]
    must_write = [s for s in outline if s.required]
    assert [v.section for v in sections] == [s.code for s in must_write]
    assert all(re.match(r"^Mục [IV]+(\.\d)?\. ", v.where) for v in sections), sections

    client.force_login(cast.leader)
    url = reverse("reports:report_submit", args=[report.pk])
    page = client.post(url, {"submit": "1", "blanks_seen": "1"})
    assert page.status_code == 200
    text = html_to_text(page.text)
    assert "Chưa gửi được: còn 10 chỉ tiêu ghi “/” mà mẫu không cho phép" in text
    for appendix, row in required:
        anchor = f"/bao-cao/{report.pk}/phu-luc/{appendix.code}/#id_{appendix.code}-v-{row.code}"
        assert f'href="{anchor}"' in page.text, row.code
    assert text.count("Chỉ tiêu này không được ghi “/” (không áp dụng); hãy nhập số liệu.") == 10
    for section in must_write:
        assert f'href="/bao-cao/{report.pk}/muc/{section.code}/"' in page.text, section.code
    assert text.count("Mục bắt buộc của báo cáo chưa viết.") == 11
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT


def test_an_optional_indicator_may_be_not_applicable_and_optional_sections_stay_empty(cast, report):
    """Values in the required indicators, "/" in the optional ones, the required sections
    written and "Kiến nghị" left empty: submitted."""
    mark_all_not_applicable(report)
    by_appendix: dict = {}
    for appendix, row in required_indicators(report):
        value = sample(row)
        by_appendix.setdefault(appendix, {})[row.code] = (value, "")
    for appendix, values in by_appendix.items():
        report_save_values(
            report=report, by=OPERATOR, appendix=appendix, values=values, expected=None
        )
    assert not [v for v in validate_report(report) if v.severity == ERROR and not v.section]
    for section in report.template_version.outline.filter(required=True):
        report_save_section(
            report=report, by=OPERATOR, outline=section, html="<p>Đã làm.</p>", expected=None
        )
    errors = [v.text for v in validate_report(report) if v.severity == ERROR]
    assert errors == []
    assert report_submit(report=report, by=cast.leader, blanks_seen=True).state == "submitted"


SAMPLE = {
    "integer": "3",
    "decimal": "1,5",
    "percent": "50",
    "text": "Có",
    "date": "05/01/2026",
    "docref": "Kế hoạch số 01/KH-UBND ngày 07/01/2026",
}


def sample(row):
    return parse_value(row.value_type, SAMPLE.get(row.value_type, "1"), choices=row.choices)


def test_a_heading_section_is_written_through_its_items(cast, report):
    """A required section with subsections is written when one of them is."""
    from indicators.models import OutlineSection

    heading = OutlineSection.objects.get(version=report.template_version, code="ket_qua")
    OutlineSection.objects.filter(pk=heading.pk).update(required=True)
    report.template_version.refresh_from_db()
    codes = {v.section for v in validate_report(report) if v.section}
    assert "ket_qua" in codes
    item = OutlineSection.objects.get(version=report.template_version, code="bo_may")
    report_save_section(report=report, by=OPERATOR, outline=item, html="<p>x</p>", expected=None)
    codes = {v.section for v in validate_report(report) if v.section}
    assert "ket_qua" not in codes and "bo_may" not in codes and "the_che" in codes


def test_the_workbook_says_which_indicator_may_be_slash_and_which_section_must_be_written(
    cast,
):
    """ "Cho phép “/”" and "Phải viết" go through the workbook both ways; a required
    indicator the template lets be "/" is submitted with "/"."""
    spec = base_spec(applies_from=datetime.date(2025, 1, 1))
    for row in spec.appendices[0].indicators:
        row.required = row.code in ("so_nv", "co_kh")
        row.not_applicable = {"co_kh": True, "ghi_ro": False}.get(row.code)
    spec.outline = [dataclasses.replace(s, required=s.code == "chi_dao") for s in spec.outline]
    read = read_template_workbook(io.BytesIO(write_template_workbook(spec)))
    assert {r.code: r.not_applicable for r in read.appendices[0].indicators if r.code} == {
        "so_nv": None,
        "so_ht": None,
        "dung_han": None,
        "ghi_ro": False,
        "ghi_them": None,
        "co_kh": True,
        "ty_le": None,
    }
    assert [s.code for s in read.outline if s.required] == ["chi_dao"]
    version = version_import(by=OPERATOR, spec=read)
    assert spec_from_version(version).appendices[0].indicators == read.appendices[0].indicators
    version_publish(by=OPERATOR, version=version)
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    pl1 = report.template_version.appendices.get(code="pl1")
    values = {"so_nv": 4, "so_ht": 2, "co_kh": NOT_APPLICABLE, "ghi_ro": NOT_APPLICABLE}
    report_save_values(
        report=report,
        by=OPERATOR,
        appendix=pl1,
        values={code: (value, "") for code, value in values.items()},
        expected=None,
    )
    errors = [v.text for v in validate_report(report) if v.severity == ERROR]
    assert errors == [
        "Ghi rõ (mục I.2): Chỉ tiêu này không được ghi “/” (không áp dụng); hãy nhập số liệu.",
        "Mục I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH: Mục bắt buộc của báo cáo "
        "chưa viết.",
    ]
    report_save_values(
        report=report, by=OPERATOR, appendix=pl1, values={"ghi_ro": ("Có", "")}, expected=None
    )
    chi_dao = report.template_version.outline.get(code="chi_dao")
    report_save_section(report=report, by=OPERATOR, outline=chi_dao, html="<p>x</p>", expected=None)
    assert report_submit(report=report, by=cast.leader, blanks_seen=True).state == "submitted"


@pytest.mark.django_db
def test_the_demos_submitted_reports_pass_the_gates():
    """The demo's reports awaiting review (typed through the services, and the Bình Định seed
    recorded as submitted) hold every required section and no "/" where it is not allowed.
    The approved paper reports (filed before the portal) are shown as they were."""
    from demo.loader import load_demo

    load_demo(datetime.date(2026, 11, 22))
    waiting = Report.objects.filter(state__in=[ReportState.SUBMITTED, ReportState.RESUBMITTED])
    assert waiting.count() >= 3
    for report in waiting:
        gate = [
            v.text
            for v in validate_report(report)
            if v.section or v.code.startswith("khong_ap_dung:")
        ]
        assert gate == [], (str(report), gate)
