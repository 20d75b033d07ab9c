"""The province's roll-up workbook: values equal to the database, totals only where a sum makes
sense, tables stacked by department, no text ever becoming a formula."""

from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from openpyxl import load_workbook

from org.models import Unit
from reports.models import SUBMITTED_STATES, IndicatorValue, Period, TableRow
from reports.services.workflow import report_submit
from review.rollup import _SheetNames, rollup_workbook
from tests.factories import make_department
from tests.review import test_dashboard
from tests.review.test_dashboard import file_demo_report, filed, fill_table, leader_of, login

# The same fixtures as the dashboard's tests: the test template, and the demo with its seeds.
version = test_dashboard.version
demo = test_dashboard.demo

HEADER_ROW = 4


def workbook_of(content: bytes):
    return load_workbook(BytesIO(content))


def indicator_table(sheet) -> tuple[list[str], dict[str, dict[str, object]]]:
    """(department names, {code: {column header: value}}) of the indicator sheet."""
    header = [cell.value for cell in sheet[HEADER_ROW]]
    table = {}
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if row[2]:
            table[row[2]] = dict(zip(header, row, strict=True))
    return header[4:-1], table


def database_values(report) -> dict[str, Decimal]:
    return dict(
        IndicatorValue.objects.filter(report=report, number__isnull=False).values_list(
            "indicator__code", "number"
        )
    )


@pytest.fixture
def two_departments(cast, version):
    first = filed(
        cast.department, cast.period, cast.leader, so_nv=2986670, so_ht=8, ty_le=Decimal("80")
    )
    second = filed(
        cast.colleague_department,
        cast.period,
        so_nv=4,
        so_ht=4,
        ty_le=Decimal("91.5"),
        co_kh=1,
        ghi_ro="Đã làm",
    )
    return first, second


def test_indicator_sheet_equals_the_database(cast, two_departments):
    first, second = two_departments
    draft = filed(make_department(cast.province, "syt", "Sở Y tế"), cast.period, submit=False)
    content = rollup_workbook(province=cast.province, period=cast.period)
    sheet = workbook_of(content)["Chỉ tiêu"]
    assert sheet["A1"].value == "Tổng hợp số liệu CCHC năm 2026 – Ủy ban nhân dân tỉnh An Giang"
    departments, table = indicator_table(sheet)
    assert departments == [cast.department.name, cast.colleague_department.name]
    assert draft.unit.name not in departments
    for report in (first, second):
        for code, number in database_values(report).items():
            assert table[code][report.unit.name] == number
    sums = dict(
        IndicatorValue.objects.filter(
            report__unit__province=cast.province,
            report__period=cast.period,
            report__state__in=SUBMITTED_STATES,
            indicator__value_type="integer",
        )
        .values("indicator__code")
        .annotate(total=Sum("number"))
        .values_list("indicator__code", "total")
    )
    assert {code: table[code]["Tổng cộng"] for code in sums} == sums
    assert table["so_nv"]["Tổng cộng"] == 2986674
    assert table["ty_le"]["Tổng cộng"] is None  # percentages are not summed
    assert table["co_kh"]["Tổng cộng"] is None  # nor code lists
    assert table["ghi_ro"][cast.colleague_department.name] == "Đã làm"
    assert table["dung_han"][cast.department.name] is None


def with_table(unit, period, rows, leader=None, **values):
    report = filed(unit, period, submit=False, **values)
    fill_table(report, rows)
    return report_submit(report=report, by=leader or leader_of(unit))


def test_tables_are_stacked_with_a_department_column(cast, version):
    rows = [{"ten": "Hồ sơ A", "so": 3}, {"ten": "Hồ sơ B", "so": 1200}]
    with_table(cast.department, cast.period, rows, cast.leader, so_nv=1, so_ht=1)
    with_table(cast.colleague_department, cast.period, [{"ten": "Hồ sơ C", "so": 7}], so_nv=1)
    workbook = workbook_of(rollup_workbook(province=cast.province, period=cast.period))
    assert workbook.sheetnames == ["Chỉ tiêu", "Phụ lục 2 BẢNG", "Tình trạng gửi"]
    rows = list(workbook["Phụ lục 2 BẢNG"].iter_rows(min_row=HEADER_ROW, values_only=True))
    assert rows[0] == ("Đơn vị", "Tên", "Số – (2)")
    assert rows[1:] == [
        (cast.department.name, "Hồ sơ A", 3),
        (cast.department.name, "Hồ sơ B", 1200),
        (cast.colleague_department.name, "Hồ sơ C", 7),
    ]


def test_progress_sheet_lists_every_unit(cast, two_departments):
    workbook = workbook_of(rollup_workbook(province=cast.province, period=cast.period))
    rows = list(workbook["Tình trạng gửi"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    states = {row[0]: row[2] for row in rows}
    assert states == {
        cast.department.name: "Đã gửi",
        cast.colleague_department.name: "Đã gửi",
        cast.home_affairs.name: "Chưa lập",
    }


def test_text_starting_with_equals_stays_text(cast, version):
    odd = Unit.objects.create(
        code="tinh-a-odd",
        name='=HYPERLINK("http://evil.invalid","Sở")',
        kind="department",
        parent=cast.province,
        province=cast.province,
    )
    rows = [{"ten": "=SUM(A1:A9)", "so": 2}, {"ten": "+cmd|' /C calc'!A0", "so": 1}]
    with_table(odd, cast.period, rows, so_nv=1, so_ht=1, ghi_ro="=1+1")
    workbook = workbook_of(rollup_workbook(province=cast.province, period=cast.period))
    texts = {
        odd.name,
        "=1+1",
        "=SUM(A1:A9)",
        "+cmd|' /C calc'!A0",
    }
    found = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if cell.value in texts:
                    assert cell.data_type == "s" and cell.quotePrefix
                    found.add(cell.value)
    assert found == texts


def test_sheet_names_are_valid_and_unique():
    names = _SheetNames()
    assert names("Phụ lục 2: TTHC/DVC [trực tuyến]") == "Phụ lục 2 TTHC DVC trực tuyến"
    long = "Phụ lục 3 Kết quả thực hiện kế hoạch cải cách hành chính"
    first, second, third = names(long), names(long), names(long.upper())
    assert first == "Phụ lục 3 Kết quả thực hiện kế"
    assert (second, third) == ("Phụ lục 3 Kết quả thực hiện (2)", "PHỤ LỤC 3 KẾT QUẢ THỰC HIỆN (3)")
    assert all(len(name) <= 31 for name in (first, second, third))


# --- the demo ---------------------------------------------------------------------------------


def test_demo_rollup_equals_the_database(demo):
    year = Period.objects.get(kind="Y", year=2026)
    reports = [
        file_demo_report("can-tho-skhcn", year, {"so_nv_ke_hoach": 12, "so_nv_hoan_thanh": 10}),
        file_demo_report("can-tho-stp", year, {"so_nv_ke_hoach": 30, "ty_le_tuyen_truyen": 95}),
    ]
    can_tho = Unit.objects.get(code="can-tho")
    departments, table = indicator_table(
        workbook_of(rollup_workbook(province=can_tho, period=year))["Chỉ tiêu"]
    )
    assert departments == [r.unit.name for r in reports]
    for report in reports:
        for code, number in database_values(report).items():
            assert table[code][report.unit.name] == number
    assert table["so_nv_ke_hoach"]["Tổng cộng"] == 42
    assert table["ty_le_tuyen_truyen"]["Tổng cộng"] is None


def test_demo_seed_tables_equal_the_database(demo):
    """Bà Rịa - Vũng Tàu's 2019 report, rolled up by its successor, Hồ Chí Minh City."""
    period = Period.objects.get(kind="Y", year=2019)
    workbook = workbook_of(
        rollup_workbook(province=Unit.objects.get(code="ho-chi-minh"), period=period)
    )
    report = period.reports.get(unit__code="ba-ria-vung-tau-skhcn")
    for appendix in report.template_version.appendices.filter(kind="table"):
        sheet = next(s for s in workbook.worksheets if s.title.startswith(appendix.name[:20]))
        columns = list(appendix.columns.all())
        stored = TableRow.objects.filter(report=report, appendix=appendix, is_total=False)
        rows = [
            row
            for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
            if row[0] == report.unit.name
        ]
        assert len(rows) == stored.count()
        for column_index, column in enumerate(columns, start=1):
            if column.value_type != "integer":
                continue
            expected = [row.cells.get(column.code) for row in stored.order_by("position")]
            assert [row[column_index] for row in rows] == expected


# --- download and command ---------------------------------------------------------------------


def test_reviewer_downloads_the_rollup(client, cast, two_departments):
    login(client, cast.reviewer)
    response = client.get("/bang-theo-doi/tong-hop.xlsx", {"period": "2026-Y"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "tong-hop-cchc-tinh-a-2026-Y.xlsx" in response["Content-Disposition"]
    _departments, table = indicator_table(workbook_of(response.content)["Chỉ tiêu"])
    assert table["so_nv"]["Tổng cộng"] == 2986674
    page = client.get("/bang-theo-doi/", {"period": "2026-Y"})
    assert "/bang-theo-doi/tong-hop.xlsx?province=tinh-a&amp;period=2026-Y" in page.text


def test_export_rollup_command_writes_the_workbook(cast, two_departments, tmp_path):
    output = tmp_path / "tong-hop.xlsx"
    out = StringIO()
    call_command(
        "export_rollup",
        "--province",
        "tinh-a",
        "--period",
        "2026-Y",
        "--output",
        str(output),
        stdout=out,
    )
    assert "2 báo cáo" in out.getvalue()
    _departments, table = indicator_table(workbook_of(output.read_bytes())["Chỉ tiêu"])
    assert table["so_nv"]["Tổng cộng"] == 2986674


@pytest.mark.parametrize(
    ("province", "period", "message"),
    [
        ("khong-co", "2026-Y", "Không có tỉnh"),
        ("tinh-a-skhcn", "2026-Y", "Không có tỉnh"),
        ("tinh-a", "2030-Y", "Không có kỳ"),
        ("tinh-a", "sai", "Không có kỳ"),
    ],
)
def test_export_rollup_command_refuses_unknown_names(cast, tmp_path, province, period, message):
    output = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match=message):
        call_command(
            "export_rollup", "--province", province, "--period", period, "--output", str(output)
        )
    assert not output.exists()
