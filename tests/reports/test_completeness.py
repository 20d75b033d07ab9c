"""The completeness gate: blanks are counted per appendix, heading and section; a blank required
indicator blocks submission; the leader confirms the optional blanks. Messages name indicators
by STT and label with Vietnamese numbers, never by machine code or Python repr."""

import contextlib
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.loader import load_demo
from indicators.models import Appendix, Column, Indicator
from indicators.services import version_import, version_publish
from indicators.spec import RuleSpec
from lib.html import html_to_text
from org.models import Role, User
from reports.access import OPERATOR
from reports.models import Report, ReportState
from reports.selectors import report_completeness
from reports.services import (
    part_version,
    report_create,
    report_save_section,
    report_save_table,
    report_save_values,
)
from reports.services.workflow import SubmissionRefused, report_submit
from reports.validation import validate_report
from tests.indicators.test_template_workbooks import base_spec


@pytest.fixture
def report(cast):
    """A draft on a template whose "Số nhiệm vụ" and "Có kế hoạch" are required."""
    spec = base_spec(applies_from=datetime.date(2025, 1, 1))
    for row in spec.appendices[0].indicators:
        row.required = row.code in ("so_nv", "co_kh")
    spec.rules.append(
        RuleSpec("ty_le_cao", "warning", "ty_le <= 90", "Tỷ lệ cao bất thường, hãy kiểm tra")
    )
    version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))
    return report_create(unit=cast.department, period=cast.period, by=cast.staff)


def fill(report, **values):
    appendix = report.template_version.appendices.get(code="pl1")
    report_save_values(
        by=OPERATOR,
        report=report,
        appendix=appendix,
        values={code: (value, "") for code, value in values.items()},
        expected=None,
    )


def fill_everything(report):
    fill(report, so_nv=10, so_ht=8, dung_han=7, ghi_ro="Có", ghi_them="Không", co_kh=1, ty_le=75)
    table = report.template_version.appendices.get(code="bang")
    rows = [{"ten": "Cấp phép", "so": 3}]
    report_save_table(by=OPERATOR, report=report, appendix=table, rows=rows, expected=None)
    for outline in report.template_version.outline.all():
        report_save_section(
            report=report, by=OPERATOR, outline=outline, html="<p>Đã thực hiện.</p>", expected=None
        )


def submit_page(client, report, **data):
    return client.post(reverse("reports:report_submit", args=[report.pk]), data)


# --- the count of blanks ------------------------------------------------------------------


def test_blanks_are_counted_per_appendix_heading_and_section(report):
    fill(report, so_nv=10, so_ht=8)
    completeness = report_completeness(report)
    pl1, table = completeness.appendices
    assert (pl1.filled, pl1.total, pl1.blank) == (2, 7, 5)
    assert [(g.name, g.filled, g.total) for g in pl1.groups] == [
        ("I. Chỉ đạo điều hành", 2, 5),
        ("II. Thủ tục", 0, 2),
    ]
    assert [b.name for b in pl1.groups[0].blanks] == [
        "2.1. Đúng hạn",
        "Ghi rõ (mục I.2)",
        "Ghi thêm (mục I.2)",
    ]
    assert [b.name for b in completeness.required_blanks] == ["II.1. Có kế hoạch"]
    assert completeness.required_blanks[0].url.endswith("/phu-luc/pl1/#id_pl1-v-co_kh")
    assert table.is_empty_table and completeness.empty_tables == [table]
    outline = list(report.template_version.outline.all())
    assert len(completeness.sections) == len(outline) and completeness.sections_filled == 0
    assert completeness.empty_sections and completeness.needs_confirmation
    names = [blank.name for blank in completeness.empty_sections]
    assert "II.1. Cải cách thể chế" in names  # a numbered item under its Roman section
    assert not any(name.startswith("II. ") for name in names)  # II has items: not itself


def test_a_value_marked_not_applicable_is_not_blank_but_a_required_one_must_be_allowed(report):
    """ "/" fills an indicator; on a required one it is an error unless the template allows
    it (Indicator.not_applicable)."""
    from indicators.types import NOT_APPLICABLE

    fill(report, so_nv=NOT_APPLICABLE, co_kh=NOT_APPLICABLE, ghi_ro=NOT_APPLICABLE)
    assert report_completeness(report).required_blanks == []
    errors = [v.text for v in validate_report(report) if v.severity == "error"]
    refused = "Chỉ tiêu này không được ghi “/” (không áp dụng); hãy nhập số liệu."
    assert errors == [f"I.1. Số nhiệm vụ: {refused}", f"II.1. Có kế hoạch: {refused}"]


def test_a_complete_report_needs_no_confirmation(report):
    fill_everything(report)
    completeness = report_completeness(report)
    assert completeness.required_blanks == [] and completeness.empty_sections == []
    assert not completeness.needs_confirmation


# --- the gate -----------------------------------------------------------------------------


def test_a_blank_required_indicator_blocks_submission_and_is_named(cast, report):
    fill(report, so_ht=8)
    errors = [v for v in validate_report(report) if v.severity == "error"]
    assert {v.text for v in errors} == {
        "I.1. Số nhiệm vụ: Chỉ tiêu bắt buộc chưa nhập số liệu.",
        "II.1. Có kế hoạch: Chỉ tiêu bắt buộc chưa nhập số liệu.",
    }
    with pytest.raises(SubmissionRefused) as refused:
        report_submit(report=report, by=cast.leader, blanks_seen=True)
    assert str(refused.value) == (
        "Chưa gửi được: còn 2 chỉ tiêu bắt buộc chưa nhập (I.1. Số nhiệm vụ; II.1. Có kế hoạch)."
    )
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT
    fill(report, so_nv=10, co_kh=1)
    assert report_submit(report=report, by=cast.leader, blanks_seen=True).state == "submitted"


def test_the_submission_page_counts_blanks_and_refuses_a_blank_required_indicator(
    client, cast, report
):
    fill(report, so_nv=10, so_ht=8)
    client.force_login(cast.leader)
    page = client.get(reverse("reports:report_submit", args=[report.pk])).text
    counts = html_to_text(page)
    assert "2/7 chỉ tiêu" in counts and "5 chỉ tiêu, 1 bắt buộc" in counts
    assert "I. Chỉ đạo điều hành — đã nhập 2/5" in counts
    assert "II. Thủ tục — đã nhập 0/2" in counts
    assert "chưa có dòng nào" in counts  # the table
    assert f'href="/bao-cao/{report.pk}/phu-luc/pl1/#id_pl1-v-co_kh">II.1. Có kế hoạch' in page
    assert 'data-testid="empty-sections"' in page
    assert 'name="blanks_seen"' in page and "Tôi đã xem các phần còn trống" in page

    response = submit_page(client, report, submit="1", blanks_seen="1")
    assert response.status_code == 200
    assert "1 chỉ tiêu bắt buộc chưa nhập (II.1. Có kế hoạch)" in response.text
    assert 'value="1" required checked' in response.text  # the answer is kept
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT


def test_the_leader_confirms_having_seen_the_blank_parts(client, cast, report):
    fill(report, so_nv=10, co_kh=1)
    client.force_login(cast.leader)
    refused = submit_page(client, report, submit="1")
    assert "hãy xem các phần còn trống" in refused.text
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT
    sent = submit_page(client, report, submit="1", blanks_seen="1")
    assert sent.status_code == 302
    assert Report.objects.get(pk=report.pk).state == ReportState.SUBMITTED


def test_a_complete_report_is_sent_without_the_confirmation(client, cast, report):
    fill_everything(report)
    client.force_login(cast.leader)
    page = client.get(reverse("reports:report_submit", args=[report.pk])).text
    assert 'name="blanks_seen"' not in page
    assert validate_report(report) == []
    assert submit_page(client, report, submit="1").status_code == 302
    assert Report.objects.get(pk=report.pk).state == ReportState.SUBMITTED


def test_the_overview_counts_blank_required_indicators(client, cast, report):
    fill(report, so_ht=8)
    client.force_login(cast.staff)
    page = html_to_text(client.get(reverse("reports:report_detail", args=[report.pk])).text)
    assert "1/7 chỉ tiêu · 2 chỉ tiêu bắt buộc chưa nhập" in page


# --- messages in the user's language ------------------------------------------------------


def test_a_warning_names_values_and_shows_its_explanation_to_the_reviewer(client, cast, report):
    fill_everything(report)
    fill(report, ty_le="97.5")
    warning = next(v for v in validate_report(report) if v.code == "ty_le_cao")
    assert warning.text == "Tỷ lệ cao bất thường, hãy kiểm tra — II.2. Tỷ lệ: 97,5%"
    client.force_login(cast.leader)
    form = client.get(reverse("reports:report_submit", args=[report.pk])).text
    assert "II.2. Tỷ lệ: 97,5%" in form and "ty_le =" not in form
    submit_page(client, report, submit="1", **{"explain-ty_le_cao": "Đơn vị mới thành lập"})
    assert Report.objects.get(pk=report.pk).state == ReportState.SUBMITTED
    client.force_login(cast.reviewer)
    overview = client.get(reverse("reports:report_detail", args=[report.pk])).text
    assert 'data-rule="ty_le_cao"' in overview
    shown = html_to_text(overview)
    assert re.search(r"II\.2\. Tỷ lệ: 97,5%\s*Giải trình của đơn vị: Đơn vị mới thành lập", shown)
    summary = client.get(reverse("reports:report_validation", args=[report.pk])).text
    assert re.search(
        r"hãy kiểm tra\s*Giải trình của đơn vị: Đơn vị mới thành lập\s*II\.2\. Tỷ lệ: 97,5%",
        html_to_text(summary),
    )


def test_the_autosave_answer_names_indicators_by_stt_and_label(client, cast, report):
    client.force_login(cast.staff)
    url = reverse("reports:report_appendix", args=[report.pk, "pl1"])
    data = {
        "pl1-v-so_nv": "2.986.670",
        "pl1-v-so_ht": "3.000.000",
        "part_version": part_version(report, "appendix:pl1"),
    }
    answer = client.post(url, data, headers={"X-Autosave": "1"}).json()
    violation = next(v for v in answer["violations"] if "Hoàn thành vượt" in v["message"])
    assert violation["message"] == (
        "Hoàn thành vượt kế hoạch — I.2. Số hoàn thành: 3.000.000; I.1. Số nhiệm vụ: 2.986.670"
    )
    assert violation["fields"] == ["pl1-v-so_ht", "pl1-v-so_nv"]
    assert violation["evidence"][0] == {"name": "I.2. Số hoàn thành", "value": "3.000.000"}
    shown = html_to_text(answer["violations_html"])
    assert "I.2. Số hoàn thành: 3.000.000" in shown
    for text in [shown] + [
        str([v["message"], v["where"], v["evidence"]]) for v in answer["violations"]
    ]:
        assert not re.search(r"so_ht|so_nv|3000000", text), text


# Machine codes (snake_case), engine names (t[3].c4, prev(x)) and Python reprs.
MACHINE_TEXT = re.compile(
    r"\b[a-z][a-z0-9]*(_[a-z0-9]+)+\b|\w\[\w+\]\.\w|Decimal\(|\bNone\b|UNKNOWN|\{'|<[a-z]+ object"
)


@pytest.mark.django_db
def test_the_messages_of_the_demo_seed_reports_name_no_machine_code(client):
    load_demo(datetime.date(2026, 11, 22))
    admin = User.objects.filter(role=Role.ADMIN).first()
    reports = list(Report.objects.all())
    assert len(reports) >= 4  # the seed reports, and the 2026 ones in every state
    found = 0
    for report in reports:
        codes = set(
            Indicator.objects.filter(appendix__version=report.template_version)
            .exclude(code="")
            .values_list("code", flat=True)
        )
        codes |= set(
            Column.objects.filter(appendix__version=report.template_version).values_list(
                "code", flat=True
            )
        )
        codes |= set(
            Appendix.objects.filter(version=report.template_version).values_list("code", flat=True)
        )
        own_codes = re.compile(r"\b(" + "|".join(sorted(map(re.escape, codes))) + r")\b")
        for violation in validate_report(report):
            found += 1
            for text in (violation.text, violation.where, violation.evidence_text):
                assert not MACHINE_TEXT.search(text), text
                assert not own_codes.search(text), text
        out = io.StringIO()
        with contextlib.suppress(SystemExit):  # exit code 1 while errors remain
            call_command("validate_report", str(report.pk), stdout=out)
        for line in out.getvalue().splitlines():
            assert not MACHINE_TEXT.search(line), line
            assert not own_codes.search(line), line
        client.force_login(admin)
        for name, block in [
            ("report_validation", 'data-testid="validation-summary"'),
            ("report_detail", 'data-testid="violations"'),  # then the explanations
        ]:
            page = client.get(reverse(f"reports:{name}", args=[report.pk]))
            assert page.status_code == 200
            shown = page.text[page.text.index(block) :]
            shown = html_to_text(shown[: shown.index("</main>")])
            assert not MACHINE_TEXT.search(shown), (name, MACHINE_TEXT.search(shown))
    assert found >= 10  # the Bà Rịa - Vũng Tàu and Quảng Trị reports' real contradictions
