"""Template workbooks: seed fixtures import, round-trip, and malformed files are refused whole."""

import dataclasses
import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from indicators.models import IndicatorTemplate, TemplateVersion
from indicators.services import TemplateError, spec_from_version, version_import, version_publish
from indicators.spec import AppendixSpec, ColumnSpec, IndicatorSpec, RuleSpec, TemplateSpec
from indicators.standard import STANDARD_OUTLINE
from indicators.workbook import TemplateFileError, read_template_workbook, write_template_workbook
from org.permissions import OPERATOR

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "templates"
SEED_FILES = sorted(FIXTURES.glob("*.xlsx"))


def import_file(path_or_bytes) -> TemplateVersion:
    return version_import(by=OPERATOR, spec=read_template_workbook(path_or_bytes))


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_seed_workbook_imports_and_round_trips(demo_units, path, tmp_path):
    if path.stem == "tinh-2025":  # its aggregates are checked against the departments' codes
        version_publish(by=OPERATOR, version=import_file(FIXTURES / "chung-2025.xlsx"))
    version = import_file(path)
    original = spec_from_version(version)
    exported = tmp_path / "export.xlsx"
    call_command("export_template", version.template.code, str(exported))
    again = import_file(exported)
    assert again.number == version.number + 1
    assert spec_from_version(again) == original


def test_sóc_trăng_statistical_appendix_keeps_printed_labels_units_and_codes(demo_units):
    version = import_file(FIXTURES / "soctrang-2021.xlsx")
    rows = {r.code: r for a in version.appendices.all() for r in a.indicators.all() if r.code}
    survey = next(r for r in rows.values() if r.unit.startswith("Trực tuyến = 0"))
    assert survey.unit == "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2"
    assert survey.choices == [[0, "Trực tuyến"], [1, "Phát phiếu"], [2, "Kết hợp"]]
    labels = [r.label for r in rows.values()]
    assert "Số nhiệm vụ đề ra trong kế hoạch" in labels
    assert "Tổng số TTHC cung cấp trực tuyến mức độ 4" in labels
    stts = [r.stt for r in version.appendices.get(code="pl2_thong_ke").indicators.all()]
    assert stts[0] == "I" and "VII" in stts


def test_bà_rịa_per_procedure_table_has_twelve_numbered_columns_under_two_level_headers(
    demo_units,
):
    version = import_file(FIXTURES / "brvt-2019.xlsx")
    table = version.appendices.get(code="xu_ly_ho_so")
    numbers = [c.number for c in table.columns.all()]
    assert numbers == [f"({i})" for i in range(1, 13)]
    groups = {c.group for c in table.columns.all()}
    assert "Số hồ sơ nhận giải quyết" in groups
    assert table.has_total_row and table.landscape


def base_spec(**changes) -> TemplateSpec:
    spec = TemplateSpec(
        code="mau-thu",
        title="Mẫu thử",
        period_kinds=["Y"],
        applies_from=datetime.date(2026, 1, 1),
        appendices=[
            AppendixSpec(
                code="pl1",
                name="Phụ lục 1",
                title="THỐNG KÊ",
                kind="indicators",
                indicators=[
                    IndicatorSpec("I", "Chỉ đạo điều hành", "", "", "heading", level=1),
                    IndicatorSpec("1", "Số nhiệm vụ", "Nhiệm vụ", "so_nv", "integer", level=2),
                    IndicatorSpec("2", "Số hoàn thành", "Nhiệm vụ", "so_ht", "integer", level=2),
                    IndicatorSpec("2.1", "Đúng hạn", "Nhiệm vụ", "dung_han", "integer", level=3),
                    IndicatorSpec("-", "Ghi rõ", "", "ghi_ro", "text", level=3),
                    IndicatorSpec("-", "Ghi thêm", "", "ghi_them", "text", level=3),
                    IndicatorSpec("II", "Thủ tục", "", "", "heading", level=1),
                    IndicatorSpec(
                        "1", "Có kế hoạch", "Có = 1 Không = 0", "co_kh", "choice", level=2
                    ),
                    IndicatorSpec("2", "Tỷ lệ", "%", "ty_le", "percent", level=2),
                ],
            ),
            AppendixSpec(
                code="bang",
                name="Phụ lục 2",
                title="BẢNG",
                kind="table",
                columns=[
                    ColumnSpec("ten", "Tên", "text"),
                    ColumnSpec("so", "Số", "integer", number="(2)"),
                ],
            ),
        ],
        rules=[RuleSpec("ht_le_nv", "error", "so_ht <= so_nv", "Hoàn thành vượt kế hoạch")],
        # The standard outline with no section a report must write: tests that are not about
        # the sections submit without writing them (tests/reports/test_gates.py is about them).
        outline=[dataclasses.replace(s, required=False) for s in STANDARD_OUTLINE],
    )
    for name, value in changes.items():
        setattr(spec, name, value)
    return spec


def workbook_bytes(spec: TemplateSpec, edit=None) -> bytes:
    workbook = load_workbook(BytesIO(write_template_workbook(spec)))
    if edit:
        edit(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def indicator_cell(workbook, label: str, column: int):
    sheet = workbook["Phụ lục 1"]
    for row in sheet.iter_rows():
        if row[1].value == label:
            return row[column - 1]
    raise AssertionError(label)


def set_indicator(label, column, value):
    def edit(workbook):
        indicator_cell(workbook, label, column).value = value

    return edit


def problems_of(data: bytes) -> list[str]:
    with pytest.raises((TemplateFileError, TemplateError)) as caught:
        import_file(data)
    return [str(p) for p in caught.value.problems]


@pytest.mark.django_db
def test_appendices_of_a_version_use_one_numbering():
    spec = base_spec()
    spec.appendices[1].name = "Phụ lục II"
    assert problems_of(workbook_bytes(spec)) == [
        "Trang “Phụ lục II”: “Phụ lục II” đánh số khác các phụ lục trước; một báo cáo chỉ "
        "dùng một cách đánh số phụ lục (“Phụ lục 1, 2, 3” hoặc “Phụ lục I, II, III”)."
    ]
    spec.appendices[0].name = "Phụ lục I"
    assert import_file(workbook_bytes(spec)).appendices.count() == 2


@pytest.mark.django_db
def test_valid_base_file_imports():
    version = import_file(workbook_bytes(base_spec()))
    assert version.appendices.count() == 2


MALFORMED = {
    "repeated numbered stt": (
        set_indicator("Số hoàn thành", 1, "1"),
        ["Trang “Phụ lục 1”, dòng 10: STT “1” bị trùng"],
    ),
    "dotted stt not extending parent": (
        set_indicator("Đúng hạn", 1, "1.1"),
        ["Trang “Phụ lục 1”, dòng 11: STT “1.1” không nối tiếp STT “2”"],
    ),
    "machine code used twice": (
        set_indicator("Số hoàn thành", 4, "so_nv"),
        ["Trang “Phụ lục 1”, dòng 10: Mã chỉ tiêu “so_nv” đã dùng ở Trang “Phụ lục 1”, dòng 9"],
    ),
    "unknown value type": (
        set_indicator("Số nhiệm vụ", 5, "số nguyên âm"),
        ["Trang “Phụ lục 1”, dòng 9: Kiểu dữ liệu “số nguyên âm” không có"],
    ),
    "choice list that does not parse": (
        set_indicator("Có kế hoạch", 3, "Có hoặc Không"),
        ["Trang “Phụ lục 1”, dòng 15: Danh sách mã “Có hoặc Không” không đọc được"],
    ),
    "unit contradicting type": (
        set_indicator("Số nhiệm vụ", 3, "%"),
        ["Trang “Phụ lục 1”, dòng 9: Đơn vị tính “%” mâu thuẫn với kiểu “số nguyên”"],
    ),
    "row out of hierarchy": (
        set_indicator("Số nhiệm vụ", 7, 3),
        ["Trang “Phụ lục 1”, dòng 9: Dòng nằm sai cấp: cấp 3 sau một dòng cấp 1"],
    ),
    "value row without code": (
        set_indicator("Tỷ lệ", 4, None),
        ["Trang “Phụ lục 1”, dòng 16: Dòng có số liệu phải có mã chỉ tiêu."],
    ),
    "invalid machine code": (
        set_indicator("Tỷ lệ", 4, "Tỷ lệ"),
        ["Trang “Phụ lục 1”, dòng 16: Mã chỉ tiêu “Tỷ lệ” không hợp lệ"],
    ),
    "unknown period kind": (
        lambda wb: wb["Mẫu"].cell(row=3, column=2, value="Y, Q5"),
        ["Trang “Mẫu”: Loại kỳ “Q5” không có"],
    ),
    "bad date": (
        lambda wb: wb["Mẫu"].cell(row=4, column=2, value="31/02/2026"),
        ["Trang “Mẫu”, dòng 4: Ngày “31/02/2026” phải theo dạng dd/mm/yyyy."],
    ),
    "rule with unknown code": (
        lambda wb: wb["Quy tắc"].cell(row=2, column=3, value="so_ht <= so_nhiem_vu"),
        ["Trang “Quy tắc”, dòng 2: Quy tắc “ht_le_nv”:"],
    ),
    "rule with syntax error": (
        lambda wb: wb["Quy tắc"].cell(row=2, column=3, value="so_ht <= (so_nv"),
        ["Trang “Quy tắc”, dòng 2: Quy tắc “ht_le_nv”:"],
    ),
    "unknown appendix kind": (
        lambda wb: wb["Phụ lục 2"].cell(row=4, column=2, value="biểu đồ"),
        ["Trang “Phụ lục 2”: Loại phụ lục “biểu đồ” không có"],
    ),
    "table column code repeated": (
        lambda wb: wb["Phụ lục 2"].cell(row=10, column=1, value="ten"),
        ["Trang “Phụ lục 2”, dòng 10: Mã cột “ten” bị trùng."],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_file_is_refused_whole_with_row_numbers(case):
    edit, expected = MALFORMED[case]
    problems = problems_of(workbook_bytes(base_spec(), edit))
    for text in expected:
        assert any(p.startswith(text) for p in problems), problems
    assert not IndicatorTemplate.objects.exists()
    assert not TemplateVersion.objects.exists()


@pytest.mark.django_db
def test_every_problem_of_a_file_is_listed_at_once():
    def many(workbook):
        set_indicator("Số hoàn thành", 1, "1")(workbook)
        set_indicator("Số nhiệm vụ", 3, "%")(workbook)
        set_indicator("Có kế hoạch", 3, "Có hoặc Không")(workbook)

    problems = problems_of(workbook_bytes(base_spec(), many))
    assert len(problems) >= 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"STT,Chi tieu\n1,abc\n", "không phải bảng tính Excel .xlsx"),
        (b"", "không phải bảng tính Excel .xlsx"),
        (b"PK\x03\x04garbage", "không phải bảng tính Excel .xlsx"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(content, message):
    problems = problems_of(content)
    assert any(message in p for p in problems)


@pytest.mark.django_db
def test_repeating_dash_and_blank_stt_and_restarting_numbers_are_fine():
    version = import_file(workbook_bytes(base_spec()))
    stts = [r.stt for r in version.appendices.get(code="pl1").indicators.all()]
    assert stts.count("-") == 2 and stts.count("1") == 2


@pytest.mark.django_db
def test_commands_import_list_and_export(tmp_path, capsys):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(workbook_bytes(base_spec()))
    call_command("import_template", str(path))
    version_id = int(capsys.readouterr().out.strip())
    assert TemplateVersion.objects.get(pk=version_id).template.code == "mau-thu"
    call_command("list_templates")
    listing = capsys.readouterr().out
    assert "mau-thu\tv1\tdraft\t9 dòng\t2 cột\t1 quy tắc\ttừ 01/01/2026" in listing
    with pytest.raises(CommandError, match="Không có mẫu “khong-co”"):
        call_command("export_template", "khong-co", str(tmp_path / "x.xlsx"))


@pytest.mark.django_db
def test_import_command_prints_every_problem_and_fails(tmp_path, capsys):
    path = tmp_path / "sai.xlsx"
    path.write_bytes(workbook_bytes(base_spec(), set_indicator("Số hoàn thành", 1, "1")))
    with pytest.raises(CommandError, match="chưa tạo gì"):
        call_command("import_template", str(path))
    assert "dòng 10: STT “1” bị trùng" in capsys.readouterr().err


def test_province_template_aggregates_are_checked_against_the_departments_codes(demo_units):
    """An aggregation expression naming a code no department template has, or summing a
    percentage, refuses the whole workbook with the row; "nhập tay" leaves it blank."""
    version_publish(by=OPERATOR, version=import_file(FIXTURES / "chung-2025.xlsx"))
    spec = read_template_workbook(FIXTURES / "tinh-2025.xlsx")
    rows = spec.appendices[0].indicators
    manual = next(r for r in rows if r.code == "so_so_nganh")
    assert manual.aggregate == ""
    rows[1].aggregate = "sum(khong_co_ma)"
    rows[2].aggregate = "sum(ty_le_hs_dung_han)"
    with pytest.raises(TemplateError) as caught:
        version_import(by=OPERATOR, spec=spec)
    message = str(caught.value)
    assert "Không có chỉ tiêu mã “khong_co_ma”" in message
    assert "“ty_le_hs_dung_han” là tỷ lệ hoặc mã lựa chọn, không cộng được" in message


def test_the_timing_column_says_stock_or_flow_and_refuses_anything_else(demo_units, tmp_path):
    from indicators.models import Indicator

    version_publish(by=OPERATOR, version=import_file(FIXTURES / "chung-2025.xlsx"))
    spec = read_template_workbook(FIXTURES / "tinh-2025.xlsx")
    timing = {r.code: r.timing for r in spec.appendices[0].indicators}
    assert timing["bien_che_giao_tinh"] == "point"  # staff on the period's last day
    assert timing["td_cong_chuc_tinh"] == "period"  # recruited during the period
    assert timing["so_so_nganh"] == ""  # typed by hand: by its unit of measure
    version = version_import(by=OPERATOR, spec=spec)
    manual = Indicator.objects.get(appendix__version=version, code="so_so_nganh")
    assert manual.is_stock  # "Cơ quan, đơn vị" is a stock by default
    workbook = load_workbook(FIXTURES / "tinh-2025.xlsx")
    sheet = workbook["Phụ lục"]
    bad_row = next(r for r in sheet.iter_rows() if r[3].value == "tthc_moi")
    bad_row[9].value = "cuối kỳ"
    broken = tmp_path / "broken.xlsx"
    workbook.save(broken)
    with pytest.raises(TemplateFileError) as caught:
        read_template_workbook(broken)
    assert "“cuối kỳ” không dùng được; ghi “thời điểm”, “thời kỳ” hoặc để trống." in str(
        caught.value
    )
