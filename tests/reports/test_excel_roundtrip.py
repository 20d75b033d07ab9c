"""The appendix workbook: written in the printed layout, read back exactly, edited in Excel and
uploaded again; every malformed upload is refused whole with the cell to fix."""

import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from demo.loader import FIXTURES, load_periods, load_seed_report, load_templates
from indicators.services import version_import, version_publish
from indicators.spec import AppendixSpec, ColumnSpec, IndicatorSpec, TemplateSpec
from indicators.types import NOT_APPLICABLE
from indicators.values import parse_docref
from org.models import Role, Unit
from reports.access import OPERATOR
from reports.excel import META_SHEET, read_report_workbook, write_report_workbook
from reports.models import IndicatorValue, Report, ReportState, TableRow
from reports.selectors import indicator_values, table_rows
from reports.services import (
    ExcelImportError,
    ReportError,
    part_version,
    report_create,
    report_import_workbook,
    report_save_table,
    report_save_values,
)
from tests.factories import PASSWORD, make_user, write_sections

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEEDS = ["soctrang-2021-y", "brvt-2019-y", "quangtri-2020-y", "binhdinh-2022-h1"]


# --- building reports --------------------------------------------------------------------------


def spec(code="mau-thu", province_code="") -> TemplateSpec:
    return TemplateSpec(
        code=code,
        title="Mẫu thử",
        period_kinds=["Y"],
        applies_from=datetime.date(2026, 1, 1),
        province_code=province_code,
        appendices=[
            AppendixSpec(
                code="pl1",
                name="Phụ lục 1",
                title="THỐNG KÊ CẢI CÁCH HÀNH CHÍNH",
                kind="indicators",
                indicators=[
                    IndicatorSpec("I", "Chỉ đạo điều hành", "", "", "heading", level=1),
                    IndicatorSpec("1", "Kế hoạch CCHC", "", "ke_hoach", "docref", level=2),
                    IndicatorSpec("2", "Số nhiệm vụ", "Nhiệm vụ", "so_nv", "integer", level=2),
                    IndicatorSpec("3", "Kinh phí", "Triệu đồng", "kinh_phi", "decimal", level=2),
                    IndicatorSpec("II", "Thủ tục", "", "", "heading", level=1),
                    IndicatorSpec(
                        "1", "Có kế hoạch", "Có = 1 Không = 0", "co_kh", "choice", level=2
                    ),
                    IndicatorSpec("2", "Tỷ lệ đúng hạn", "%", "ty_le", "percent", level=2),
                    IndicatorSpec("3", "Tỷ lệ hài lòng", "%", "ty_le_hl", "percent", level=2),
                    IndicatorSpec("4", "Ngày ban hành", "", "ngay", "date", level=2),
                    IndicatorSpec("-", "Ghi rõ", "", "ghi_ro", "text", level=3),
                ],
            ),
            AppendixSpec(
                code="ho_so",
                name="Phụ lục 2",
                title="HỒ SƠ THỦ TỤC HÀNH CHÍNH",
                kind="table",
                landscape=True,
                has_total_row=True,
                columns=[
                    ColumnSpec("stt", "STT", "text", number="(1)"),
                    ColumnSpec("ten", "Tên thủ tục", "text", number="(2)"),
                    ColumnSpec("tong", "Tổng số", "integer", group="Số hồ sơ", number="(3)"),
                    ColumnSpec("dung_han", "Đúng hạn", "integer", group="Số hồ sơ", number="(4)"),
                    ColumnSpec("ty_le", "Tỷ lệ đúng hạn", "percent", number="(5)"),
                    ColumnSpec("ngay", "Ngày tiếp nhận", "date", number="(6)"),
                    ColumnSpec(
                        "muc_do",
                        "Mức độ",
                        "choice",
                        number="(7)",
                        choice_text="Mức độ 3 = 3 Mức độ 4 = 4",
                    ),
                    ColumnSpec("xong", "Đã xong", "mark", number="(8)"),
                ],
                fixed_rows=[{"stt": "1", "ten": "Thủ tục có sẵn trong mẫu"}],
            ),
        ],
    )


VALUES = {
    "ke_hoach": (parse_docref("Kế hoạch số 01/KH-SKHCN ngày 07/01/2026"), ""),
    "so_nv": (16, "=SUM(A1)"),
    "kinh_phi": (Decimal("1234.5"), "tạm tính"),
    "co_kh": (1, ""),
    "ty_le": (Decimal("97"), ""),
    "ty_le_hl": (Decimal("74.72"), ""),
    "ngay": (datetime.date(2026, 1, 7), ""),
    "ghi_ro": ('=HYPERLINK("http://x")', "@x"),
}
ROWS = [
    {
        "stt": "1",
        "ten": "-abc",
        "tong": 10,
        "dung_han": 9,
        "ty_le": Decimal("90"),
        "ngay": datetime.date(2026, 2, 3),
        "muc_do": 4,
        "xong": True,
    },
    {"stt": "2", "ten": "@x", "tong": 5, "dung_han": 5, "ty_le": NOT_APPLICABLE},
]
TOTAL = {"tong": 15, "dung_han": 14}


def publish(template_spec: TemplateSpec):
    return version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=template_spec))


def appendix(report, code):
    return report.template_version.appendices.get(code=code)


def filled_draft(cast, *, rows=ROWS, total=TOTAL) -> Report:
    """A draft of the cast's department on the hand-made template, every value type filled."""
    publish(spec())
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    report_save_values(
        by=OPERATOR, report=report, appendix=appendix(report, "pl1"), values=VALUES, expected=None
    )
    report_save_table(
        by=OPERATOR,
        report=report,
        appendix=appendix(report, "ho_so"),
        rows=rows,
        total=total,
        expected=None,
    )
    write_sections(report)
    return Report.objects.get(pk=report.pk)


@pytest.fixture
def report(cast) -> Report:
    return filled_draft(cast)


@pytest.fixture
def other_report(cast) -> Report:
    """A report of another province filed on another template."""
    publish(spec(code="mau-khac", province_code=cast.other_province.code))
    return report_create(unit=cast.other_department, period=cast.period, by=cast.outsider_staff)


@pytest.fixture
def demo(demo_units):
    load_periods(datetime.date(2026, 11, 22))
    load_templates()


def seed(name: str, *, state=ReportState.DRAFT) -> Report:
    data = json.loads((FIXTURES / "demo_reports" / f"{name}.json").read_text(encoding="utf-8"))
    report = load_seed_report(data)
    if state == ReportState.DRAFT:
        Report.objects.filter(pk=report.pk).update(state=state, approved_at=None)
    return Report.objects.get(pk=report.pk)


# --- reading helpers ---------------------------------------------------------------------------


def workbook_of(data: bytes):
    return load_workbook(io.BytesIO(data))


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def key_column(sheet) -> int:
    return next(c.column for c in sheet[1] if str(c.value or "").startswith("#cchc:"))


def row_of(sheet, key: str) -> int:
    column = key_column(sheet)
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, column).value == key)


def value_cell(workbook, sheet_title: str, code: str):
    sheet = workbook[sheet_title]
    return sheet.cell(row_of(sheet, code), 4)


def body_rows(sheet) -> list[int]:
    """Rows of a table sheet below its header, "Tổng cộng" excluded."""
    column = key_column(sheet)
    last_header = max(
        r
        for r in range(1, sheet.max_row + 1)
        if sheet.cell(r, column).value in ("#tieu_de", "#so_cot")
    )
    return [r for r in range(last_header + 1, sheet.max_row + 1) if not sheet.cell(r, column).value]


def edited(report, edit, *, blank=False) -> bytes:
    workbook = workbook_of(write_report_workbook(report, blank=blank))
    edit(workbook)
    return to_bytes(workbook)


def stored_state(report) -> tuple:
    """Everything an import could change, to assert that a refused upload changed nothing."""
    report = Report.objects.get(pk=report.pk)
    rows = sorted(TableRow.objects.filter(report=report).values_list("id", "is_total", "cells"))
    return (
        indicator_values(report),
        rows,
        report.part_versions,
        IndicatorValue.history.filter(report_id=report.pk).count(),
        TableRow.history.filter(report_id=report.pk).count(),
    )


def nonblank(values: dict) -> dict:
    return {code: pair for code, pair in values.items() if pair != (None, "")}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def upload(client, report, data: bytes, name="bao-cao.xlsx"):
    url = reverse("reports:report_excel", args=[report.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


# --- round trip --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SEEDS)
def test_filled_workbook_reads_back_every_stored_value_of_the_seed_reports(demo, name):
    report = seed(name, state=ReportState.APPROVED)
    values, tables = read_report_workbook(report, write_report_workbook(report))
    read = {code: pair for per_appendix in values.values() for code, pair in per_appendix.items()}
    assert nonblank(read) == indicator_values(report)
    stored = table_rows(report)
    assert set(tables) == set(stored)
    for code, table in tables.items():
        assert table["rows"] == [cells for _row, cells in stored[code]["rows"]], code
        assert table["total"] == stored[code]["total"], code


def test_the_bà_rịa_twelve_column_table_and_its_printed_total_read_back(demo):
    report = seed("brvt-2019-y", state=ReportState.APPROVED)
    _values, tables = read_report_workbook(report, write_report_workbook(report))
    table = tables["xu_ly_ho_so"]
    assert len(table["rows"]) == 15
    assert table["rows"][0]["c2"] == "Khai báo thiết bị X-quang chẩn đoán trong y tế"
    assert table["total"] == {
        "c4": 466, "c5": 0, "c6": 466, "c7": 466, "c8": 466, "c9": 0, "c10": 0, "c11": 0, "c12": 0
    }  # fmt: skip


def test_every_value_type_of_a_hand_made_report_reads_back(report):
    values, tables = read_report_workbook(report, write_report_workbook(report))
    assert nonblank(values["pl1"]) == VALUES
    assert tables["ho_so"] == {"rows": ROWS, "total": TOTAL}


def test_a_blank_workbook_has_no_values_but_keeps_the_template_rows(report):
    workbook = workbook_of(write_report_workbook(report, blank=True))
    sheet = workbook["Phụ lục 1"]
    assert sheet.cell(row_of(sheet, "so_nv"), 2).value == "Số nhiệm vụ"
    assert all(value_cell(workbook, "Phụ lục 1", code).value is None for code in VALUES)
    table = workbook["Phụ lục 2"]
    first = body_rows(table)[0]
    assert [table.cell(first, c).value for c in (1, 2, 3)] == [
        "1",
        "Thủ tục có sẵn trong mẫu",
        None,
    ]
    total = table.cell(row_of(table, "#tong"), 1)
    assert total.value == "Tổng cộng"
    assert table.cell(total.row, 3).value is None


def test_a_blank_workbook_filled_offline_imports(report):
    def fill(workbook):
        value_cell(workbook, "Phụ lục 1", "so_nv").value = 12
        table = workbook["Phụ lục 2"]
        row = body_rows(table)[1]
        table.cell(row, 2).value = "Thủ tục mới"
        table.cell(row, 3).value = 3

    result = report_import_workbook(
        by=OPERATOR, report=report, file=edited(report, fill, blank=True)
    )
    assert nonblank(indicator_values(report)) == {"so_nv": (12, "")}
    rows = table_rows(report)["ho_so"]
    assert [cells for _r, cells in rows["rows"]] == [
        {"stt": "1", "ten": "Thủ tục có sẵn trong mẫu"},
        {"stt": "2", "ten": "Thủ tục mới", "tong": 3},  # a numbered STT column is filled in
    ]
    assert rows["total"] is None
    assert result.values_changed == len(VALUES)


# --- layout ------------------------------------------------------------------------------------


def test_the_grouped_table_prints_with_merged_headers_numbers_and_total(demo):
    report = seed("brvt-2019-y", state=ReportState.APPROVED)
    workbook = workbook_of(write_report_workbook(report))
    sheet = workbook["Hồ sơ theo lĩnh vực"]
    header = row_of(sheet, "#tieu_de")
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {f"D{header}:F{header}", f"G{header}:I{header}", f"J{header}:L{header}"} <= merged
    assert {f"A{header}:A{header + 1}", f"C{header}:C{header + 1}"} <= merged
    assert sheet.cell(header, 4).value == "Số hồ sơ nhận giải quyết"
    assert sheet.cell(header + 1, 5).value == "Số kỳ trước chuyên qua"
    assert [c.value for c in sheet[header + 2]][:12] == [f"({i})" for i in range(1, 13)]
    assert sheet.freeze_panes == f"A{header + 3}"
    assert sheet.print_title_rows == f"${header}:${header + 2}"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    total = row_of(sheet, "#tong")
    assert sheet.cell(total, 1).value == "Tổng cộng" and sheet.cell(total, 4).value == 466
    assert sheet.cell(total, 1).font.b
    assert sheet.cell(header + 3, 4).border.left.style == "thin"
    assert sheet.cell(2, 1).value == "Hồ sơ theo lĩnh vực" and sheet.cell(2, 1).font.b
    assert sheet.cell(4, 1).value == (
        "(Kèm theo Báo cáo số ....../BC-SKHCN ngày 15/11/2019 "
        "của Sở Khoa học và Công nghệ tỉnh Bà Rịa - Vũng Tàu)"
    )


def test_the_indicator_table_shows_numbers_percentages_codes_and_headings_as_printed(report):
    workbook = workbook_of(write_report_workbook(report))
    sheet = workbook["Phụ lục 1"]
    header = row_of(sheet, "#tieu_de")
    assert [c.value for c in sheet[header]][:5] == [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Số liệu",
        "Ghi chú",
    ]
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.page_setup.orientation == "portrait"
    rate = value_cell(workbook, "Phụ lục 1", "ty_le")
    assert (rate.value, rate.number_format) == (pytest.approx(0.97), "0%")
    exact = value_cell(workbook, "Phụ lục 1", "ty_le_hl")
    assert exact.value == pytest.approx(0.7472) and exact.number_format == "0.00%"
    count = value_cell(workbook, "Phụ lục 1", "so_nv")
    assert (count.value, count.number_format, count.data_type) == (16, "#,##0", "n")
    money = value_cell(workbook, "Phụ lục 1", "kinh_phi")
    assert (money.value, money.number_format) == (1234.5, "#,##0.0")
    assert value_cell(workbook, "Phụ lục 1", "co_kh").value == 1
    day = value_cell(workbook, "Phụ lục 1", "ngay")
    assert day.value == datetime.datetime(2026, 1, 7) and day.number_format == "dd/mm/yyyy"
    heading = sheet.cell(header + 1, 2)
    assert heading.value == "Chỉ đạo điều hành" and heading.font.b
    assert sheet.cell(row_of(sheet, "ghi_ro"), 2).alignment.indent == 2
    key = key_column(sheet)
    assert sheet.column_dimensions[sheet.cell(1, key).column_letter].hidden
    assert sheet.row_dimensions[1].hidden
    assert workbook[META_SHEET].sheet_state == "veryHidden"
    assert workbook["Phụ lục 2"].page_setup.orientation == "landscape"
    rates = workbook["Phụ lục 2"]
    first = body_rows(rates)[0]
    assert "%" in rates.cell(first, 5).number_format and rates.cell(first, 5).value == 0.9
    assert rates.cell(first + 1, 5).value == "/"


def test_text_that_looks_like_a_formula_is_written_as_text(report):
    workbook = workbook_of(write_report_workbook(report))
    sheet = workbook["Phụ lục 1"]
    note = sheet.cell(row_of(sheet, "so_nv"), 5)
    text = value_cell(workbook, "Phụ lục 1", "ghi_ro")
    table = workbook["Phụ lục 2"]
    first = body_rows(table)[0]
    cells = [note, text, sheet.cell(text.row, 5), table.cell(first, 2), table.cell(first + 1, 2)]
    assert [(c.value, c.data_type) for c in cells] == [
        ("=SUM(A1)", "s"),
        ('=HYPERLINK("http://x")', "s"),
        ("@x", "s"),
        ("-abc", "s"),
        ("@x", "s"),
    ]


# --- download, edit in Excel, upload -----------------------------------------------------------


def test_staff_download_edit_and_upload_updates_the_values(client, cast, report):
    login(client, cast.staff)
    response = client.get(reverse("reports:report_excel_download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-tinh-a-skhcn-2026-Y.xlsx"'
    )
    workbook = workbook_of(response.content)
    value_cell(workbook, "Phụ lục 1", "so_nv").value = 20
    value_cell(workbook, "Phụ lục 1", "ty_le").value = "74,72%"
    half = value_cell(workbook, "Phụ lục 1", "ty_le_hl")
    half.value, half.number_format = 0.5, "0%"
    value_cell(workbook, "Phụ lục 1", "kinh_phi").value = "/"
    table = workbook["Phụ lục 2"]
    table.cell(body_rows(table)[1], 3).value = 6

    response = upload(client, report, to_bytes(workbook))

    assert response.status_code == 302
    assert response.url == reverse("reports:report_detail", args=[report.pk])
    page = client.get(response.url)
    assert "Đã nhập tệp Excel: 4 chỉ tiêu và 1 dòng bảng thay đổi." in page.content.decode()
    values = indicator_values(report)
    assert values["so_nv"] == (20, "=SUM(A1)")
    assert values["ty_le"][0] == Decimal("74.72")
    assert values["ty_le_hl"][0] == Decimal("50")
    assert values["kinh_phi"] == (NOT_APPLICABLE, "tạm tính")
    assert table_rows(report)["ho_so"]["rows"][1][1]["tong"] == 6


def test_staff_of_a_seed_department_corrects_a_percentage_in_excel(client, demo):
    report = seed("soctrang-2021-y")
    staff = make_user("soctrang.chuyenvien", Role.STAFF, Unit.objects.get(code="soc-trang-skhcn"))
    login(client, staff)
    content = client.get(reverse("reports:report_excel_download", args=[report.pk])).content
    workbook = workbook_of(content)
    value_cell(workbook, "Phụ lục 2", "ty_le_hai_long").value = "74,72%"

    response = upload(client, report, to_bytes(workbook))

    assert response.status_code == 302
    values = indicator_values(report)
    assert values["ty_le_hai_long"][0] == Decimal("74.72")
    assert values["so_nv_ke_hoach"][0] == 16


def test_the_excel_page_offers_both_downloads_and_the_upload_form(client, cast, report):
    login(client, cast.staff)
    response = client.get(reverse("reports:report_excel", args=[report.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page
    assert "?blank=1" in page
    blank = client.get(reverse("reports:report_excel_download", args=[report.pk]) + "?blank=1")
    assert 'filename="bao-cao-tinh-a-skhcn-2026-Y-trong.xlsx"' in blank["Content-Disposition"]


def test_an_outsider_gets_404_on_download_and_on_the_excel_page(client, cast, report):
    login(client, cast.outsider_staff)
    download = client.get(reverse("reports:report_excel_download", args=[report.pk]))
    page = client.get(reverse("reports:report_excel", args=[report.pk]))
    before = stored_state(report)
    post = upload(client, report, write_report_workbook(report))
    assert (download.status_code, page.status_code, post.status_code) == (404, 404, 404)
    assert stored_state(report) == before


def test_a_reviewer_downloads_a_submitted_report_but_cannot_upload(client, cast, report):
    Report.objects.filter(pk=report.pk).update(state=ReportState.SUBMITTED)
    login(client, cast.reviewer)
    download = client.get(reverse("reports:report_excel_download", args=[report.pk]))
    page = client.get(reverse("reports:report_excel", args=[report.pk]))
    before = stored_state(report)
    post = upload(client, report, write_report_workbook(report))
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert page.status_code == 200 and "không nhập số liệu từ Excel được" in page.content.decode()
    assert post.status_code == 403
    assert stored_state(report) == before


def test_an_approved_report_refuses_the_upload(client, demo):
    report = seed("soctrang-2021-y", state=ReportState.APPROVED)
    staff = make_user("soctrang.chuyenvien", Role.STAFF, Unit.objects.get(code="soc-trang-skhcn"))

    def edit(workbook):
        value_cell(workbook, "Phụ lục 2", "so_nv_ke_hoach").value = 99

    content = edited(report, edit)
    before = stored_state(report)
    with pytest.raises(ReportError, match="Đã duyệt"):
        report_import_workbook(by=OPERATOR, report=report, file=content)
    login(client, staff)
    assert upload(client, report, content).status_code == 403
    assert stored_state(report) == before
    assert indicator_values(report)["so_nv_ke_hoach"][0] == 16


# --- malformed uploads -------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def csv_renamed(report, other):
    return "STT,Chỉ tiêu,Số liệu\n1,Số nhiệm vụ,16\n".encode()


def zip_not_a_workbook(report, other):
    return _zip({"bao-cao.txt": b"khong phai bang tinh"})


def workbook_with_macros(report, other):
    members = _members(write_report_workbook(report))
    members["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"macro" * 100
    return _zip(members)


def external_link_formula(report, other):
    """What Excel saves for `='[So lieu.xlsx]Sheet1'!A1` in a value cell: the formula with its
    cached value, and the linked workbook's part."""
    workbook = workbook_of(write_report_workbook(report))
    value_cell(workbook, "Phụ lục 1", "so_nv").value = "=[1]Sheet1!A1"
    members = _members(to_bytes(workbook))
    members["xl/externalLinks/externalLink1.xml"] = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
        b"</externalBook></externalLink>"
    )
    members["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/externalLinkPath" Target="file:///C:/So%20lieu.xlsx" '
        b'TargetMode="External"/></Relationships>'
    )
    return _zip(members)


def zip_bomb(report, other):
    members = _members(write_report_workbook(report))
    sheet = members["xl/worksheets/sheet1.xml"]
    head, _sep, rest = sheet.partition(b"?>")
    members["xl/worksheets/sheet1.xml"] = head + b"?><!--" + b" " * 20_000_000 + b"-->" + rest
    return _zip(members)


def too_many_rows(report, other):
    return edited(report, lambda wb: setattr(wb["Phụ lục 2"].cell(6000, 2), "value", "x"))


def another_templates_workbook(report, other):
    return write_report_workbook(other)


def not_from_the_portal(report, other):
    workbook = workbook_of(write_report_workbook(report))
    del workbook[META_SHEET]
    return to_bytes(workbook)


def set_value(code, value):
    def make(report, other):
        return edited(report, lambda wb: setattr(value_cell(wb, "Phụ lục 1", code), "value", value))

    return make


def unknown_row_code(report, other):
    def edit(workbook):
        sheet = workbook["Phụ lục 1"]
        sheet.cell(row_of(sheet, "so_nv"), key_column(sheet)).value = "khong_co"

    return edited(report, edit)


def inserted_row(report, other):
    def edit(workbook):
        sheet = workbook["Phụ lục 1"]
        sheet.insert_rows(row_of(sheet, "co_kh"))
        sheet.cell(row_of(sheet, "co_kh") - 1, 4).value = 7

    return edited(report, edit)


def deleted_sheet(report, other):
    def edit(workbook):
        del workbook["Phụ lục 1"]

    return edited(report, edit)


def table_value_outside_the_columns(report, other):
    def edit(workbook):
        table = workbook["Phụ lục 2"]
        table.cell(body_rows(table)[0], 10).value = 5

    return edited(report, edit)


def text_in_a_table_count(report, other):
    def edit(workbook):
        table = workbook["Phụ lục 2"]
        table.cell(body_rows(table)[0], 3).value = "mười"

    return edited(report, edit)


def two_problems(report, other):
    def edit(workbook):
        value_cell(workbook, "Phụ lục 1", "so_nv").value = -3
        value_cell(workbook, "Phụ lục 1", "co_kh").value = 5

    return edited(report, edit)


MALFORMED = {
    "csv renamed .xlsx": (csv_renamed, ["có thể là CSV"]),
    "zip, not a workbook": (zip_not_a_workbook, ["Tệp không phải bảng tính Excel .xlsx."]),
    "xlsm with macros": (workbook_with_macros, ["Tệp có chứa macro"]),
    "zip bomb": (zip_bomb, ["Tệp Excel có nội dung nén bất thường"]),
    "formula linking another workbook": (
        external_link_formula,
        ["Tệp có công thức lấy số liệu từ tệp Excel khác (liên kết ngoài)"],
    ),
    "too many rows": (too_many_rows, ["Tệp có quá nhiều dòng"]),
    "another template": (
        another_templates_workbook,
        ["Tệp này lập theo mẫu “mau-khac” phiên bản 1, không phải mẫu của báo cáo này"],
    ),
    "not from the portal": (not_from_the_portal, ["không phải tệp Excel tải từ cổng"]),
    "text in a number cell": (
        set_value("so_nv", "mười sáu"),
        ["Trang “Phụ lục 1”, dòng 9, cột D (Số liệu): “mười sáu” không phải là số."],
    ),
    "negative count": (
        set_value("so_nv", -3),
        ["Trang “Phụ lục 1”, dòng 9, cột D (Số liệu): Số lượng không được âm: “-3”."],
    ),
    "percent over 100": (
        set_value("ty_le", "120%"),
        ["Trang “Phụ lục 1”, dòng 13, cột D (Số liệu): Tỷ lệ phải từ 0 đến 100: “120%”"],
    ),
    "percent cell over 100%": (
        set_value("ty_le", 1.5),
        ["dòng 13, cột D (Số liệu): Tỷ lệ phải từ 0 đến 100: “1,5” (ô định dạng %, tức 150%)"],
    ),
    "unknown choice code": (
        set_value("co_kh", 5),
        ["Trang “Phụ lục 1”, dòng 12, cột D (Số liệu): “5” không có trong danh sách"],
    ),
    "unknown row code": (
        unknown_row_code,
        ["Trang “Phụ lục 1”, dòng 9: mã chỉ tiêu “khong_co” không có trong mẫu.", "thiếu dòng"],
    ),
    "row inserted with a value": (
        inserted_row,
        ["Trang “Phụ lục 1”, dòng 12: dòng này không phải dòng chỉ tiêu của mẫu"],
    ),
    "deleted sheet": (deleted_sheet, ["Thiếu trang “Phụ lục 1” (THỐNG KÊ CẢI CÁCH HÀNH CHÍNH)"]),
    "value outside the table": (
        table_value_outside_the_columns,
        ["Trang “Phụ lục 2”, dòng 9, cột J: ô nằm ngoài các cột của bảng"],
    ),
    "text in a table count": (
        text_in_a_table_count,
        ["Trang “Phụ lục 2”, dòng 9, cột C (Tổng số (3)): “mười” không phải là số."],
    ),
    "every problem at once": (
        two_problems,
        ["dòng 9, cột D (Số liệu): Số lượng không được âm", "dòng 12, cột D (Số liệu): “5”"],
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_upload_is_refused_with_its_location_and_changes_nothing(
    client, cast, report, other_report, case
):
    make, expected = MALFORMED[case]
    content = make(report, other_report)
    before = stored_state(report)
    login(client, cast.staff)

    response = upload(client, report, content)

    assert response.status_code == 400
    problems = response.context["problems"]
    for text in expected:
        assert any(text in problem for problem in problems), (text, problems)
    page = response.content.decode()
    assert f"Không nhập được: {len(problems)} lỗi; báo cáo không thay đổi." in page
    assert stored_state(report) == before


@override_settings(XLSX_MAX_BYTES=4000)
def test_a_file_over_the_size_limit_is_refused_before_reading(client, cast, report):
    before = stored_state(report)
    login(client, cast.staff)
    response = upload(client, report, write_report_workbook(report))
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert stored_state(report) == before
    with pytest.raises(ExcelImportError) as caught:
        report_import_workbook(by=OPERATOR, report=report, file=write_report_workbook(report))
    assert caught.value.problems == ["Tệp quá lớn: chỉ nhận tệp Excel đến 0 MB."]


def test_the_service_refuses_the_whole_file_when_one_cell_is_wrong(report):
    content = set_value("co_kh", 5)(report, None)
    before = stored_state(report)
    with pytest.raises(ExcelImportError) as caught:
        report_import_workbook(by=OPERATOR, report=report, file=content)
    assert str(caught.value) == "Không nhập được: 1 lỗi; báo cáo không thay đổi."
    assert stored_state(report) == before


def test_renamed_sheets_and_a_comment_under_the_table_do_not_matter(report):
    def edit(workbook):
        workbook["Phụ lục 1"].title = "Số liệu năm nay"
        sheet = workbook["Số liệu năm nay"]
        sheet.cell(sheet.max_row + 2, 2).value = "Người lập biểu: Nguyễn Văn An"
        value_cell(workbook, "Số liệu năm nay", "so_nv").value = "2.986.670"

    result = report_import_workbook(by=OPERATOR, report=report, file=edited(report, edit))
    assert result.values_changed == 1
    assert indicator_values(report)["so_nv"][0] == 2986670


def test_uploading_the_unchanged_download_changes_nothing(report):
    before = stored_state(report)
    result = report_import_workbook(by=OPERATOR, report=report, file=write_report_workbook(report))
    assert (result.values_changed, result.rows_changed) == (0, 0)
    assert stored_state(report)[:2] == before[:2]


# --- stale copies: a colleague saved after the download ------------------------------------------


def test_a_workbook_downloaded_before_a_colleagues_save_does_not_overwrite_it(client, cast, report):
    login(client, cast.staff)
    downloaded = client.get(reverse("reports:report_excel_download", args=[report.pk])).content
    # Meanwhile the leader corrects a value on the entry page (autosave checks the version).
    report_save_values(
        by=OPERATOR,
        report=report,
        appendix=appendix(report, "pl1"),
        values={"so_nv": (99, "")},
        expected=part_version(report, "appendix:pl1"),
    )
    before = stored_state(report)

    def own_edit(workbook):
        value_cell(workbook, "Phụ lục 1", "kinh_phi").value = 5

    workbook = workbook_of(downloaded)
    own_edit(workbook)

    response = upload(client, report, to_bytes(workbook))

    assert response.status_code == 400
    assert response.context["problems"] == [
        "Phụ lục 1 (THỐNG KÊ CẢI CÁCH HÀNH CHÍNH) đã được lưu lại trên cổng sau khi tệp này "
        "được tải về (tệp mang lần lưu thứ 1, hiện đã là lần thứ 2) và số liệu trong tệp khác "
        "với bản đã lưu, nên nhập tệp sẽ xoá mất phần người khác vừa sửa. Hãy tải lại tệp Excel "
        "của báo cáo, chép phần bạn sửa vào tệp mới rồi tải lên."
    ]
    assert stored_state(report) == before
    assert indicator_values(report)["so_nv"] == (99, "")
    # Downloaded again, the same edit goes in and the colleague's value stays.
    result = report_import_workbook(by=OPERATOR, report=report, file=edited(report, own_edit))
    assert result.values_changed == 1
    assert indicator_values(report)["so_nv"] == (99, "")
    assert indicator_values(report)["kinh_phi"][0] == 5


def test_a_stale_workbook_that_leaves_the_newer_appendix_as_stored_imports(report):
    downloaded = write_report_workbook(report)
    # A colleague pressed "Lưu" on the table without changing it: its version moved on.
    table = table_rows(report)["ho_so"]
    report_save_table(
        by=OPERATOR,
        report=report,
        appendix=appendix(report, "ho_so"),
        rows=[cells for _id, cells in table["rows"]],
        total=table["total"],
        expected=part_version(report, "appendix:ho_so"),
    )
    workbook = workbook_of(downloaded)
    value_cell(workbook, "Phụ lục 1", "so_nv").value = 20

    result = report_import_workbook(by=OPERATOR, report=report, file=to_bytes(workbook))

    assert (result.values_changed, result.rows_changed) == (1, 0)
    assert indicator_values(report)["so_nv"][0] == 20


def test_a_stale_table_edited_in_the_workbook_is_refused_by_the_command(report, tmp_path, capsys):
    downloaded = workbook_of(write_report_workbook(report))
    report_save_table(
        by=OPERATOR,
        report=report,
        appendix=appendix(report, "ho_so"),
        rows=[{"stt": "1", "ten": "Thủ tục do đồng nghiệp thêm"}],
        total=None,
        expected=part_version(report, "appendix:ho_so"),
    )
    before = stored_state(report)
    path = tmp_path / "cu.xlsx"
    path.write_bytes(to_bytes(downloaded))
    with pytest.raises(CommandError, match="Không nhập được: 1 lỗi; báo cáo không thay đổi."):
        call_command("import_report_values", str(report.pk), str(path))
    assert "Phụ lục 2 (HỒ SƠ THỦ TỤC HÀNH CHÍNH) đã được lưu lại" in capsys.readouterr().err
    assert stored_state(report) == before


# --- management command ------------------------------------------------------------------------


def test_the_command_imports_and_prints_the_counts(report, tmp_path, capsys):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(set_value("so_nv", 30)(report, None))
    call_command("import_report_values", str(report.pk), str(path))
    out = capsys.readouterr().out
    assert "Đã nhập: 1 chỉ tiêu, 0 dòng bảng thay đổi (người nhập: quantri)." in out
    assert indicator_values(report)["so_nv"][0] == 30
    change = IndicatorValue.history.filter(report_id=report.pk).latest("history_date")
    assert change.number == 30 and change.history_user.username == "quantri"


def test_the_command_records_the_user_named_with_by(report, cast, tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(set_value("so_nv", 31)(report, None))
    call_command("import_report_values", str(report.pk), str(path), "--by", "chuyenvien")
    change = IndicatorValue.history.filter(report_id=report.pk).latest("history_date")
    assert change.number == 31 and change.history_user == cast.staff


def test_the_command_refuses_an_unknown_user_and_imports_nothing(report, tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(set_value("so_nv", 32)(report, None))
    with pytest.raises(CommandError, match="Không có người dùng “ai-do”"):
        call_command("import_report_values", str(report.pk), str(path), "--by", "ai-do")
    assert indicator_values(report)["so_nv"][0] == 16


def test_the_command_prints_every_problem_and_fails(report, tmp_path, capsys):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(two_problems(report, None))
    before = stored_state(report)
    with pytest.raises(CommandError, match="Không nhập được: 2 lỗi; báo cáo không thay đổi.") as e:
        call_command("import_report_values", str(report.pk), str(path))
    assert e.value.returncode == 1
    err = capsys.readouterr().err
    assert "Trang “Phụ lục 1”, dòng 9, cột D (Số liệu): Số lượng không được âm" in err
    assert "Trang “Phụ lục 1”, dòng 12, cột D (Số liệu): “5” không có trong danh sách" in err
    assert stored_state(report) == before


def test_the_command_refuses_an_unknown_report(db, tmp_path):
    with pytest.raises(CommandError, match="Không có báo cáo số 999999"):
        call_command("import_report_values", "999999", str(tmp_path / "x.xlsx"))


def test_writing_and_reading_take_the_same_few_queries_however_many_rows(
    demo, django_assert_max_num_queries
):
    pk = seed("soctrang-2021-y", state=ReportState.APPROVED).pk
    report = Report.objects.select_related("unit", "period", "template_version__template").get(
        pk=pk
    )
    with django_assert_max_num_queries(6):
        content = write_report_workbook(report)
    with django_assert_max_num_queries(3):
        read_report_workbook(report, content)


# --- limits: numbers, decimals, bombs ----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("so_nv", 100000000000000, "quá lớn: số liệu tối đa 14 chữ số phần nguyên"),
        ("kinh_phi", "1,1234567", "tối đa 6 chữ số sau dấu phẩy"),
        ("ty_le_hl", 0.123456789, "(ô định dạng %, tức 12,3456789%)"),
    ],
)
def test_numbers_outside_the_stored_range_are_refused_at_their_cell(
    client, cast, report, code, value, message
):
    # A 15-digit count used to pass the parser and overflow numeric(20, 6): a 500.
    content = edited(report, lambda wb: setattr(value_cell(wb, "Phụ lục 1", code), "value", value))
    before = stored_state(report)
    login(client, cast.staff)
    response = upload(client, report, content)
    assert response.status_code == 400
    assert any(message in p and "cột D (Số liệu)" in p for p in response.context["problems"])
    assert stored_state(report) == before


def filled_with_bad_cells(report, rows: int, columns: int) -> bytes:
    """The report's workbook with `rows` x `columns` cells of text under its table: each cell in
    a table column is a problem, each beyond the columns too."""

    def edit(workbook):
        sheet = workbook["Phụ lục 2"]
        first = body_rows(sheet)[-1] + 1
        for r in range(first, first + rows):
            for c in range(3, 3 + columns):
                sheet.cell(r, c).value = f"ô {r}-{c}"  # varied, so it compresses like real data

    return edited(report, edit)


@override_settings(XLSX_MAX_CELLS=1000)
def test_a_workbook_with_more_cells_than_allowed_is_refused_before_reading(client, cast, report):
    content = filled_with_bad_cells(report, rows=100, columns=12)  # 1.200 filled cells
    before = stored_state(report)
    login(client, cast.staff)
    response = upload(client, report, content)
    assert response.status_code == 400
    assert response.context["problems"] == [
        "Tệp có quá nhiều ô có nội dung (hơn 1.000); hãy dùng tệp Excel tải từ cổng và xóa "
        "phần chép thêm."
    ]
    assert stored_state(report) == before


@override_settings(XLSX_MAX_ROWS=100)
def test_a_workbook_with_more_rows_than_allowed_is_refused(client, cast, report):
    content = filled_with_bad_cells(report, rows=120, columns=1)
    login(client, cast.staff)
    response = upload(client, report, content)
    assert response.context["problems"] == [
        "Tệp có quá nhiều dòng (hơn 100); tối đa 100 dòng trên mọi trang."
    ]


def test_a_workbook_full_of_bad_cells_lists_a_bounded_number_of_problems(client, cast, report):
    from reports.excel import MAX_LISTED_PROBLEMS

    content = filled_with_bad_cells(report, rows=150, columns=6)  # 900 bad cells
    before = stored_state(report)
    login(client, cast.staff)
    response = upload(client, report, content)
    assert response.status_code == 400
    problems = response.context["problems"]
    assert len(problems) == MAX_LISTED_PROBLEMS + 1
    assert problems[-1] == f"… và {900 - MAX_LISTED_PROBLEMS} lỗi khác."
    assert "Không nhập được: 900 lỗi; báo cáo không thay đổi." in response.content.decode()
    assert stored_state(report) == before


def test_cells_right_of_the_read_columns_are_never_parsed(report):
    from django.conf import settings

    far = settings.XLSX_MAX_COLUMNS + 1

    def edit(workbook):
        sheet = workbook["Phụ lục 2"]
        sheet.cell(body_rows(sheet)[0], far).value = "không đọc"

    values, _tables = read_report_workbook(report, edited(report, edit))
    assert values["pl1"]["so_nv"] == (16, "=SUM(A1)")
