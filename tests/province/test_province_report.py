"""The province's own report (issue 16): compiled from the departments' approved reports of the
demo's Cần Thơ 2026 by the aggregation expressions of fixtures/templates/tinh-2025.xlsx, checked
against an independent computation; the command, staleness, overrides, access, signing."""

import datetime
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db.models import Avg, Max, Min
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from demo.loader import FIXTURES, load_periods, load_templates, load_units
from documents.docx import report_docx
from documents.pdf import report_pdf
from indicators.models import Indicator, ReportKind
from indicators.types import ValueType
from indicators.values import parse_value
from org.models import Role, Unit
from province.compilation import INCLUDED, MISSING, NOT_APPROVED
from province.services import compile_province_report, sign_and_send, value_override
from reports.access import OPERATOR, AccessRefused, ReportNotFound, report_for_user
from reports.excel import write_report_workbook
from reports.models import IndicatorValue, Period, Report, ReportState
from reports.services import ReportError, report_create, report_save_section, report_save_values
from reports.services.workflow import report_approve, report_reopen, report_submit
from tests.factories import PASSWORD, make_user, write_sections

SEED = json.loads((FIXTURES / "demo_reports" / "soctrang-2021-y.json").read_text("utf-8"))


class Demo:
    """Cần Thơ in the demo, 2026: two departments approved, one submitted, one still drafting,
    the others without a report."""

    def __init__(self):
        load_units()
        load_periods(datetime.date(2026, 12, 1))
        load_templates()
        self.period = Period.objects.get(kind="Y", year=2026)
        self.province = Unit.objects.get(code="can-tho")
        self.reviewer = make_user("ct.thamdinh", Role.REVIEWER, self.unit("snv"))
        self.signer = make_user("ct.lanhdaotinh", Role.PROVINCE_LEADER, self.province)
        self.department_staff = make_user("ct.tuphap", Role.STAFF, self.unit("stp"))
        self.reports = {}

    def unit(self, suffix):
        return Unit.objects.get(code=f"can-tho-{suffix}")

    def file(self, suffix, factor, *, submit=True, approve=True, text="", values=None):
        """A department's report with the Sóc Trăng seed's values, counts times `factor`;
        `values` (code -> canonical value, NOT_APPLICABLE for "/") replace some."""
        unit = self.unit(suffix)
        leader = make_user(f"ct.lanhdao.{suffix}", Role.LEADER, unit)
        values_given = values
        report = report_create(unit=unit, period=self.period, by=leader)
        for appendix in report.template_version.appendices.filter(kind="indicators"):
            values = {}
            for row in appendix.indicators.exclude(value_type=ValueType.HEADING):
                typed = SEED["values"].get(row.code)
                if not typed:
                    continue
                value = parse_value(row.value_type, typed, choices=row.choices)
                if row.value_type == ValueType.INTEGER:
                    value = value * factor
                values[row.code] = (value, "")
            for code, value in (values_given or {}).items():
                if appendix.indicators.filter(code=code).exists():
                    values[code] = (value, "")
            report_save_values(
                report=report, by=leader, appendix=appendix, values=values, expected=None
            )
        outline = report.template_version.outline.get(code="tthc")
        html = text or f"<p>{unit.name}: giải quyết đúng hạn mọi hồ sơ.</p>"
        report_save_section(report=report, by=leader, outline=outline, html=html, expected=None)
        write_sections(report, by=leader)
        if submit:
            report = report_submit(report=report, by=leader)
        if approve:
            report = report_approve(report=report, by=self.reviewer, comment="Đạt")
        self.reports[suffix] = report
        return report


@pytest.fixture
def demo(db):
    demo = Demo()
    demo.file("skhcn", 1)
    demo.file(
        "stp",
        2,
        text='<p>Sở Tư pháp rà soát <b>12</b> TTHC.</p><script>alert("x")</script>'
        '<p onclick="steal()">Liên thông.</p>',
    )
    demo.file("stc", 3, approve=False)  # submitted, awaiting review
    demo.file("syt", 5, submit=False, approve=False)  # a draft: never seen, never counted
    return demo


# --- an independent computation of each aggregate ------------------------------------------


def _values(reports, code):
    return IndicatorValue.objects.filter(
        report__in=reports, indicator__code=code, number__isnull=False
    )


def expected(expression: str, reports):
    """What the province value must be, from the stored department values with the ORM."""
    if expression == "count_units()":
        return Decimal(len(reports))
    if m := re.fullmatch(r"sum\((\w+)\)", expression):
        numbers = [v.number for v in _values(reports, m[1])]
        return sum(numbers, Decimal(0)) if numbers else None
    if m := re.fullmatch(r"(min|max|avg)\((\w+)\)", expression):
        function = {"min": Min, "max": Max, "avg": Avg}[m[1]]
        return _values(reports, m[2]).aggregate(x=function("number"))["x"]
    if m := re.fullmatch(r"count\((\w+) (=|>) (\d+)\)", expression):
        lookup = "number" if m[2] == "=" else "number__gt"
        return Decimal(_values(reports, m[1]).filter(**{lookup: m[3]}).count())
    if m := re.fullmatch(r"ratio\(sum\((\w+)\), sum\((\w+)\)\)", expression):
        top, bottom = expected(f"sum({m[1]})", reports), expected(f"sum({m[2]})", reports)
        return None if not bottom else top * 100 / bottom
    raise AssertionError(f"no independent computation for {expression}")


def as_stored(value_type, number):
    if number is None:
        return None
    places = Decimal(1) if value_type == ValueType.INTEGER else Decimal("0.01")
    return Decimal(number).quantize(places, rounding=ROUND_HALF_UP)


def province_values(report):
    return {
        v.indicator.code: v.number
        for v in IndicatorValue.objects.filter(report=report).select_related("indicator")
    }


def test_every_aggregate_matches_an_independent_computation(demo):
    report = compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    approved = [demo.reports["skhcn"], demo.reports["stp"]]
    stored = province_values(report)
    compiled = Indicator.objects.filter(appendix__version=report.template_version).exclude(
        aggregate=""
    )
    assert compiled.count() == 53
    checked = 0
    for indicator in compiled:
        want = as_stored(indicator.value_type, expected(indicator.aggregate, approved))
        got = stored.get(indicator.code)
        assert (got if got is None else got.normalize()) == (
            want if want is None else want.normalize()
        ), (indicator.code, indicator.aggregate)
        checked += want is not None
    assert checked >= 45  # the seed fills nearly every code: the test compares real numbers
    # spot checks a reader can verify by hand: two departments, counts ×1 and ×2
    seed_new = parse_value("integer", SEED["values"]["hs_tiep_nhan"])
    assert stored["hs_tiep_nhan_tinh"] == 3 * seed_new
    assert stored["so_dv_bao_cao"] == 2


def test_include_submitted_counts_reports_under_review_and_lists_every_unit(demo):
    report = compile_province_report(
        province=demo.province, period=demo.period, by=OPERATOR, include_submitted=True
    )
    sources = {s["unit"]: s for s in report.compilation.sources}
    status = {name.split(" ")[1]: s["status"] for name, s in sources.items() if "Sở" in name}
    assert status["Khoa"] == status["Tư"] == status["Tài"] == INCLUDED
    assert status["Y"] == MISSING  # a draft is not shown to Sở Nội vụ
    assert province_values(report)["so_dv_bao_cao"] == 3
    again = compile_province_report(province=demo.province, period=demo.period, by=OPERATOR)
    assert again.pk == report.pk  # refreshed, not a second report
    statuses = {s["status"] for s in again.compilation.sources}
    assert NOT_APPROVED in statuses and province_values(again)["so_dv_bao_cao"] == 2


def test_command_creates_then_refreshes_and_prints_the_id(demo):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "compile_province_report",
        "--province",
        "can-tho",
        "--period",
        "2026-Y",
        stdout=out,
        stderr=err,
    )
    first = int(out.getvalue().strip())
    report = Report.objects.get(pk=first)
    assert report.kind.code == ReportKind.PROVINCE_CODE and report.unit == demo.province
    assert "2/" in err.getvalue()
    out = io.StringIO()
    call_command(
        "compile_province_report",
        "--province",
        "can-tho",
        "--period",
        "2026-Y",
        "--include-submitted",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert int(out.getvalue().strip()) == first
    assert province_values(report)["so_dv_bao_cao"] == 3
    with pytest.raises(Exception, match="Không có tỉnh"):
        call_command("compile_province_report", "--province", "x", "--period", "2026-Y")


def test_stale_after_an_approval_or_a_reopening_shows_what_would_change(demo, client):
    from province.compilation import is_stale, pending_changes

    report = compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    assert not is_stale(report)
    report_approve(report=demo.reports["stc"], by=demo.reviewer)
    report.refresh_from_db()
    assert is_stale(report)
    changes, moved = pending_changes(report)
    units = {c.code: (c.before, c.after) for c in changes}
    assert units["so_dv_bao_cao"] == ("2", "3")
    assert [s.unit for s in moved] == [demo.unit("stc").display_name]
    assert client.login(username=demo.reviewer.username, password=PASSWORD)
    page = client.get(f"/bao-cao/{report.pk}/tinh/").content.decode()
    assert 'data-testid="stale"' in page and "Sau khi tổng hợp lại" in page
    client.post(f"/bao-cao/{report.pk}/tinh/", {"action": "compile"})
    assert 'data-testid="stale"' not in client.get(f"/bao-cao/{report.pk}/tinh/").content.decode()
    assert province_values(report)["so_dv_bao_cao"] == 3
    compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    report.refresh_from_db()
    assert not is_stale(report)
    admin = make_user("ct.quantri", Role.ADMIN)
    report_reopen(report=demo.reports["stp"], by=admin, reason="Sửa số liệu hồ sơ")
    report.refresh_from_db()
    assert is_stale(report)


def test_override_is_kept_with_its_note_across_recompilation_and_printed(demo, client):
    report = compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    value_override(
        report=report, by=demo.reviewer, code="tthc_moi", text="7", note="Theo Quyết định 12/QĐ"
    )
    with pytest.raises(ReportError, match="lý do"):
        value_override(report=report, by=demo.reviewer, code="tthc_moi", text="8", note=" ")
    with pytest.raises(ReportError):
        value_override(report=report, by=demo.reviewer, code="tthc_moi", text="abc", note="x")
    # A 60 KB note (it once never finished printing): refused, the override kept as it was.
    with pytest.raises(ReportError, match="Lý do điều chỉnh: Dài 60.000 ký tự, quá giới hạn"):
        value_override(
            report=report, by=demo.reviewer, code="tthc_moi", text="9", note="n" * 60_000
        )
    compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    value = IndicatorValue.objects.get(report=report, indicator__code="tthc_moi")
    assert value.number == 7 and "Quyết định 12/QĐ" in value.note
    assert client.login(username=demo.reviewer.username, password=PASSWORD)
    page = client.get(f"/bao-cao/{report.pk}/tinh/").content.decode()
    assert "Đã điều chỉnh" in page and "Theo Quyết định 12/QĐ" in page
    breakdown = client.get(f"/bao-cao/{report.pk}/tinh/chi-tieu/hs_tiep_nhan_tinh/")
    text = breakdown.content.decode()
    assert demo.unit("skhcn").name in text and demo.unit("stp").name in text
    assert demo.unit("stc").name not in text  # not approved: not in the breakdown


def test_the_tab_says_in_words_how_each_value_is_compiled_never_in_code(demo, client):
    report = compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    assert client.login(username=demo.reviewer.username, password=PASSWORD)
    page = client.get(f"/bao-cao/{report.pk}/tinh/").content.decode()
    how = re.findall(r'data-testid="how">([^<]*)<', page)
    assert len(how) == len(re.findall(r"<tr data-code=", page)) > 30
    assert "Tổng Số nhiệm vụ đề ra trong kế hoạch của các đơn vị" in how
    assert "Số đơn vị được tổng hợp" in how
    for indicator in Indicator.objects.filter(appendix__version=report.template_version):
        if indicator.aggregate:
            assert indicator.aggregate not in page
    breakdown = client.get(f"/bao-cao/{report.pk}/tinh/chi-tieu/nv_ke_hoach/").content.decode()
    assert "Số nhiệm vụ đề ra trong kế hoạch</th>" in breakdown
    assert "so_nv_ke_hoach" not in breakdown


def test_department_cannot_see_the_province_draft_and_reviewer_may_edit_it(demo, client):
    report = compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    with pytest.raises(ReportNotFound):
        report_for_user(demo.department_staff, report.pk)
    assert client.login(username=demo.department_staff.username, password=PASSWORD)
    assert client.get(f"/bao-cao/{report.pk}/tinh/").status_code == 404
    assert client.get(f"/bao-cao/{report.pk}/tai-ve.pdf").status_code == 404
    with pytest.raises(AccessRefused):
        compile_province_report(
            province=demo.province, period=demo.period, by=demo.department_staff
        )
    outsider = make_user("hcm.thamdinh", Role.REVIEWER, Unit.objects.get(code="ho-chi-minh-snv"))
    with pytest.raises(ReportNotFound):
        report_for_user(outsider, report.pk)
    from reports.access import EDIT, SIGN

    assert report_for_user(demo.reviewer, report.pk, EDIT) == report
    with pytest.raises(AccessRefused):
        report_for_user(demo.reviewer, report.pk, SIGN)
    with pytest.raises(AccessRefused):
        report_for_user(demo.signer, report.pk, EDIT)
    # department reports stay with their units: the reviewer still cannot edit them
    with pytest.raises(AccessRefused):
        report_for_user(demo.reviewer, demo.reports["stc"].pk, EDIT)


def test_sections_gather_the_departments_texts_sanitised(demo, client):
    report = compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    assert client.login(username=demo.reviewer.username, password=PASSWORD)
    page = client.get(f"/bao-cao/{report.pk}/muc/tthc/").content.decode()
    assert 'data-testid="section-sources"' in page
    assert "Sở Tư pháp rà soát <b>12</b> TTHC." in page
    assert "<script>alert" not in page and "steal()" not in page
    assert demo.unit("stc").name + ": giải quyết" not in page  # not approved


def test_leader_signs_records_number_and_date_and_the_pdf_names_the_province(demo):
    report = compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    write_sections(report, by=demo.reviewer)  # the template's required sections
    with pytest.raises(AccessRefused):
        sign_and_send(
            report=report, by=demo.reviewer, number="15", issued_on=datetime.date(2026, 12, 1)
        )
    with pytest.raises(ReportError):
        sign_and_send(report=report, by=demo.signer, number=" ", issued_on=datetime.date.today())
    signed = sign_and_send(
        report=report, by=demo.signer, number="15", issued_on=datetime.date(2026, 12, 1)
    )
    assert signed.state == ReportState.SIGNED
    assert signed.number_and_symbol == "15/BC-UBND"
    assert signed.state_changes.last().comment == "Số 15/BC-UBND ngày 01/12/2026"
    with pytest.raises(ReportError):  # frozen now
        compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(signed))).pages)
    flat = " ".join(text.split())
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ" in flat
    assert "Số: 15/BC-UBND" in flat and "TM. ỦY BAN NHÂN DÂN" in flat
    assert "DỰ THẢO" not in flat
    word = Document(io.BytesIO(report_docx(signed)))
    cells = " ".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ" in " ".join(cells.split())
    sheet = load_workbook(io.BytesIO(write_report_workbook(signed))).worksheets[0]
    numbers = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert 2 in numbers  # so_dv_bao_cao: the two approved departments


def test_errors_in_the_province_report_block_signing(demo):
    report = compile_province_report(province=demo.province, period=demo.period, by=demo.reviewer)
    # a share above 100 % typed over a compiled value: an error the reviewer must resolve
    appendix = report.template_version.appendices.get()
    values = {"ty_le_nv_hoan_thanh": (Decimal("120"), "")}
    report_save_values(
        report=report, by=demo.reviewer, appendix=appendix, values=values, expected=None
    )
    with pytest.raises(ReportError, match="lỗi số liệu"):
        sign_and_send(
            report=report, by=demo.signer, number="16", issued_on=datetime.date(2026, 12, 1)
        )
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT


def test_aggregate_expressions_are_checked_at_import(db):
    from indicators.rules import RuleCompileError, Schema
    from indicators.rules.aggregate import compile_aggregate

    schema = Schema(indicators={"a": "integer", "p": "percent", "t": "text"})
    for bad, message in [
        ("sum(x)", "Không có chỉ tiêu mã “x”"),
        ("sum(p)", "không cộng được"),
        ("sum(t)", "không phải số"),
        ("a + 1", "phải nằm trong một hàm tổng hợp"),
        ("median(a)", "không dùng được khi tổng hợp"),
        ("count(x = 1)", "x"),
    ]:
        with pytest.raises(RuleCompileError) as caught:
            compile_aggregate(bad, schema)
        assert message in str(caught.value), bad
