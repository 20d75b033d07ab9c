"""Composing a report: creation, saving each part, conflicts, and who may do it."""

import datetime
from decimal import Decimal

import pytest

from indicators.services import version_import, version_publish
from indicators.types import NOT_APPLICABLE
from reports.access import OPERATOR
from reports.models import Report, ReportState
from reports.selectors import indicator_values, table_rows
from reports.services import (
    EditConflict,
    ReportError,
    report_create,
    report_save_section,
    report_save_table,
    report_save_values,
)
from tests.factories import PASSWORD
from tests.indicators.test_template_workbooks import base_spec


@pytest.fixture
def version(cast):
    spec = base_spec(applies_from=datetime.date(2025, 1, 1))
    return version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))


@pytest.fixture
def report(cast, version):
    return report_create(unit=cast.department, period=cast.period, by=cast.staff)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_new_report_is_bound_to_the_version_in_force_with_header_prefilled(report, version):
    assert report.template_version == version
    assert report.parent_body == "UBND TỈNH AN GIANG"
    assert report.issuing_body == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert report.place == "An Giang"
    assert report.title.endswith("năm 2026")
    assert report.sections.count() == version.outline.count() == 14
    assert report.state == ReportState.DRAFT


def test_a_unit_files_one_report_per_period(cast, report):
    with pytest.raises(ReportError, match="đã có báo cáo năm 2026"):
        report_create(unit=cast.department, period=cast.period, by=cast.staff)


def test_closed_period_takes_no_new_report(cast, version):
    cast.period.is_open = False
    cast.period.save()
    with pytest.raises(ReportError, match="đã đóng"):
        report_create(unit=cast.department, period=cast.period, by=cast.staff)


def test_no_published_template_means_a_clear_refusal(cast):
    with pytest.raises(ReportError, match="Chưa có mẫu phụ lục đã công bố"):
        report_create(unit=cast.department, period=cast.period, by=cast.staff)


def test_values_round_trip_through_storage(report):
    appendix = report.template_version.appendices.get(code="pl1")
    report_save_values(
        by=OPERATOR,
        report=report,
        appendix=appendix,
        values={
            "so_nv": (16, "theo kế hoạch"),
            "co_kh": (1, ""),
            "ty_le": (Decimal("74.72"), ""),
            "ghi_ro": (NOT_APPLICABLE, ""),
        },
        expected=None,
    )
    stored = indicator_values(report)
    assert stored["so_nv"] == (16, "theo kế hoạch")
    assert stored["ty_le"] == (Decimal("74.72"), "")
    assert stored["ghi_ro"][0] is NOT_APPLICABLE


def test_table_rows_keep_their_order(report):
    appendix = report.template_version.appendices.get(code="bang")
    rows = [{"ten": "Thủ tục B", "so": 2}, {"ten": "Thủ tục A", "so": 5}]
    report_save_table(by=OPERATOR, report=report, appendix=appendix, rows=rows, expected=None)
    stored = table_rows(report)["bang"]["rows"]
    assert [cells["ten"] for _id, cells in stored] == ["Thủ tục B", "Thủ tục A"]
    report_save_table(by=OPERATOR, report=report, appendix=appendix, rows=rows[1:], expected=None)
    assert len(table_rows(report)["bang"]["rows"]) == 1


def test_second_save_of_the_same_part_from_a_stale_copy_is_refused(report):
    outline = report.template_version.outline.get(code="chi_dao")
    report_save_section(
        by=OPERATOR, report=report, outline=outline, html="<p>Bản A</p>", expected=0
    )
    stale = Report.objects.get(pk=report.pk)
    with pytest.raises(EditConflict):
        report_save_section(
            by=OPERATOR, report=stale, outline=outline, html="<p>Bản B</p>", expected=0
        )
    assert report.sections.get(outline=outline).content == "<p>Bản A</p>"


def test_rich_text_is_sanitised(report):
    outline = report.template_version.outline.get(code="chi_dao")
    html = '<p onclick="x()">Nội dung <script>alert(1)</script><strong>đậm</strong></p>'
    section = report_save_section(
        by=OPERATOR, report=report, outline=outline, html=html, expected=None
    )
    assert section.content == "<p>Nội dung <strong>đậm</strong></p>"


def test_approved_report_refuses_every_save(report):
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.APPROVED, approved_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    )
    outline = report.template_version.outline.get(code="chi_dao")
    with pytest.raises(ReportError, match="Đã duyệt"):
        report_save_section(
            by=OPERATOR, report=report, outline=outline, html="<p>x</p>", expected=None
        )


def test_staff_creates_the_report_with_one_click(client, cast, version):
    login(client, cast.staff)
    page = client.get(f"/don-vi/{cast.department.code}/")
    assert "Lập báo cáo năm 2026" in page.text
    response = client.post(f"/don-vi/{cast.department.code}/lap-bao-cao/{cast.period.pk}/cchc/")
    report = Report.objects.get(unit=cast.department, period=cast.period)
    assert response.url == f"/bao-cao/{report.pk}/"
    assert report.created_by == cast.staff


def test_another_department_cannot_create_or_open_the_report(client, cast, report):
    login(client, cast.colleague)
    response = client.post(f"/don-vi/{cast.department.code}/lap-bao-cao/{cast.period.pk}/cchc/")
    assert response.status_code == 404
    for path in [f"/bao-cao/{report.pk}/", f"/bao-cao/{report.pk}/thong-tin-chung/"]:
        assert client.get(path).status_code == 404


def test_reviewer_does_not_see_drafts(client, cast, report):
    login(client, cast.reviewer)
    assert client.get(f"/bao-cao/{report.pk}/").status_code == 404


def test_header_form_saves_and_keeps_input_on_error(client, cast, report):
    login(client, cast.staff)
    url = f"/bao-cao/{report.pk}/thong-tin-chung/"
    data = {
        "parent_body": "UBND TỈNH AN GIANG",
        "issuing_body": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "number": "136",
        "symbol": "BC-SKHCN",
        "place": "An Giang",
        "issued_on": "19/11/2026",
        "title": "Tình hình thực hiện công tác CCHC năm 2026",
        "part_version": "0",
    }
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.number_and_symbol == "136/BC-SKHCN"
    assert report.issued_on == datetime.date(2026, 11, 19)
    bad = client.post(url, {**data, "issued_on": "31/02/2026", "part_version": "1"})
    assert bad.status_code == 400
    assert 'value="31/02/2026"' in bad.text
    assert "Tình hình thực hiện công tác CCHC năm 2026" in bad.text


def test_stale_header_save_is_refused_and_both_versions_shown(client, cast, report):
    login(client, cast.staff)
    url = f"/bao-cao/{report.pk}/thong-tin-chung/"
    base = {
        "parent_body": "UBND TỈNH AN GIANG",
        "issuing_body": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "place": "An Giang",
        "title": "Bản của người thứ nhất",
        "part_version": "0",
    }
    client.post(url, base)
    second = client.post(url, {**base, "title": "Bản của người thứ hai"})
    assert second.status_code == 409
    assert "vừa được người khác lưu" in second.text
    assert "Bản của người thứ hai" in second.text  # what this user typed
    assert "Bản của người thứ nhất" in second.text  # what is stored
    assert "<fieldset disabled" not in second.text  # and the form stays open to save again
    report.refresh_from_db()
    assert report.title == "Bản của người thứ nhất"


def test_autosave_of_a_section_answers_json(client, cast, report):
    login(client, cast.staff)
    url = f"/bao-cao/{report.pk}/muc/chi_dao/"
    response = client.post(
        url, {"content": "<p>Đã ban hành kế hoạch</p>", "part_version": "0"}, HTTP_X_AUTOSAVE="1"
    )
    assert response.json() == {"saved": True, "version": 1}
    conflict = client.post(url, {"content": "<p>cũ</p>", "part_version": "0"}, HTTP_X_AUTOSAVE="1")
    assert conflict.status_code == 409
    assert report.sections.get(outline__code="chi_dao").content == "<p>Đã ban hành kế hoạch</p>"


@pytest.fixture
def previous(cast, version):
    from tests.factories import make_period

    period = make_period(year=2025, is_open=True)
    old = report_create(unit=cast.department, period=period, by=cast.staff)
    outline = old.template_version.outline
    report_save_section(
        by=OPERATOR,
        report=old,
        outline=outline.get(code="chi_dao"),
        html="<p>Kế hoạch cũ</p>",
        expected=None,
    )
    report_save_section(
        by=OPERATOR,
        report=old,
        outline=outline.get(code="kien_nghi"),
        html="<p>Kiến nghị cũ</p>",
        expected=None,
    )
    table = old.template_version.appendices.get(code="bang")
    report_save_table(
        by=OPERATOR, report=old, appendix=table, rows=[{"ten": "Thủ tục A", "so": 3}], expected=None
    )
    return old


def test_copy_from_previous_fills_empty_parts_and_asks_before_overwriting(
    client, cast, report, previous
):
    report_save_section(
        by=OPERATOR,
        report=report,
        outline=report.template_version.outline.get(code="kien_nghi"),
        html="<p>Đã gõ kỳ này</p>",
        expected=None,
    )
    login(client, cast.staff)
    page = client.get(f"/bao-cao/{report.pk}/chep-ky-truoc/")
    assert "Chép từ báo cáo năm 2025" in page.text
    client.post(
        f"/bao-cao/{report.pk}/chep-ky-truoc/",
        {"copy": ["section:chi_dao", "section:kien_nghi", "table:bang"]},
    )
    sections = {s.outline.code: s.content for s in report.sections.select_related("outline")}
    assert sections["chi_dao"] == "<p>Kế hoạch cũ</p>"
    assert sections["kien_nghi"] == "<p>Đã gõ kỳ này</p>"  # not overwritten unconfirmed
    assert [c["ten"] for _i, c in table_rows(report)["bang"]["rows"]] == ["Thủ tục A"]
    client.post(
        f"/bao-cao/{report.pk}/chep-ky-truoc/",
        {"copy": ["section:kien_nghi"], "overwrite": ["section:kien_nghi"]},
    )
    assert report.sections.get(outline__code="kien_nghi").content == "<p>Kiến nghị cũ</p>"


def test_a_unit_files_one_report_per_period_and_kind(client, cast, version, capsys):
    from django.core.management import call_command

    from indicators.models import ReportKind

    other = ReportKind.objects.create(
        code="kstthc", name="Báo cáo kiểm soát TTHC", title="Công tác kiểm soát TTHC {period}"
    )
    spec = base_spec(code="mau-tthc", applies_from=datetime.date(2025, 1, 1))
    spec.report_kinds = ["kstthc"]
    version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))
    login(client, cast.staff)
    page = client.get(f"/don-vi/{cast.department.code}/").text
    assert "Lập báo cáo năm 2026 – Báo cáo kiểm soát TTHC" in page
    client.post(f"/don-vi/{cast.department.code}/lap-bao-cao/{cast.period.pk}/cchc/")
    client.post(f"/don-vi/{cast.department.code}/lap-bao-cao/{cast.period.pk}/kstthc/")
    reports = Report.objects.filter(unit=cast.department, period=cast.period)
    assert {r.kind.code: r.template_version.template.code for r in reports} == {
        "cchc": "mau-thu",
        "kstthc": "mau-tthc",
    }
    assert reports.get(kind=other).title == "Công tác kiểm soát TTHC năm 2026"
    call_command("list_reports", "--period", "2026-Y")
    lines = capsys.readouterr().out.splitlines()
    assert sorted(line.split("\t")[3] for line in lines) == ["cchc", "kstthc"]


def test_a_template_for_an_unknown_report_kind_is_refused(cast):
    from indicators.services import TemplateError

    spec = base_spec(code="mau-la")
    spec.report_kinds = ["khong-co"]
    with pytest.raises(TemplateError, match="Loại báo cáo “khong-co” không có"):
        version_import(by=OPERATOR, spec=spec)


def test_live_messages_follow_table_rows_the_user_reordered(client, cast, report):
    from indicators.spec import RuleSpec
    from reports.models import Report as ReportModel

    spec = base_spec(code="mau-bang", applies_from=datetime.date(2025, 6, 1))
    spec.rules = [RuleSpec("so_duong", "error", "bang.so <= 100", "Số quá lớn")]
    version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))
    ReportModel.objects.filter(pk=report.pk).delete()
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    login(client, cast.staff)
    data = {
        "t-bang-TOTAL_FORMS": "2",
        "t-bang-INITIAL_FORMS": "0",
        "t-bang-0-ten": "Dòng A",
        "t-bang-0-so": "500",
        "t-bang-0-ORDER": "2",
        "t-bang-1-ten": "Dòng B",
        "t-bang-1-so": "5",
        "t-bang-1-ORDER": "1",
        "part_version": "0",
    }
    response = client.post(f"/bao-cao/{report.pk}/phu-luc/bang/", data, HTTP_X_AUTOSAVE="1")
    violation = next(v for v in response.json()["violations"] if "Số quá lớn" in v["message"])
    # "Dòng A" is saved as row 2 but is still the form with prefix t-bang-0 on screen.
    assert violation["fields"] == ["t-bang-0-so"]
    assert [c["ten"] for _i, c in table_rows(report)["bang"]["rows"]] == ["Dòng B", "Dòng A"]
