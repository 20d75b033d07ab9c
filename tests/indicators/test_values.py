"""indicators.values: parsing typed / Excel values into canonical values, and formatting back."""

import contextlib
import datetime
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl.cell.rich_text import CellRichText

from indicators.types import (
    NOT_APPLICABLE,
    NUMBER_DECIMAL_PLACES,
    NUMBER_LIMIT,
    DocRef,
    ValueType,
)
from indicators.values import (
    ValueParseError,
    format_choice_list,
    format_value,
    is_percent_format,
    parse_choice_list,
    parse_docref,
    parse_value,
)

T = ValueType
D = Decimal
YES_NO = [(1, "Có"), (0, "Không")]
SURVEY = [(0, "Trực tuyến"), (1, "Phát phiếu"), (2, "Kết hợp")]


def refused(value_type, raw, **kwargs) -> str:
    with pytest.raises(ValueParseError) as info:
        parse_value(value_type, raw, **kwargs)
    return info.value.message


# --- integers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2.986.670", 2986670),
        ("342.652", 342652),
        ("16", 16),
        ("1234", 1234),
        ("1.234", 1234),
        ("0", 0),
        ("05", 5),
        ("  16  ", 16),
        ("2 986 670", 2986670),
        ("2\u00a0986\u00a0670", 2986670),
        ("1.000.000", 1000000),
        (16, 16),
        (16.0, 16),
        (0, 0),
        (D("16"), 16),
        (D("16.00"), 16),
        ("-0", 0),
        (CellRichText("16"), 16),
    ],
)
def test_integer_accepted(raw, expected):
    value = parse_value(T.INTEGER, raw)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("1.5", "“1.5” không rõ nghĩa: dấu chấm dùng để phân cách hàng nghìn"),
        ("12.34", "không rõ nghĩa"),
        ("1.234.56", "không rõ nghĩa"),
        ("1.2345", "không rõ nghĩa"),
        ("0.123", "không rõ nghĩa"),
        ("1..234", "không rõ nghĩa"),
        ("5.", "không rõ nghĩa"),
        ("1 234.567", "không rõ nghĩa"),
        ("12 34", "khoảng trắng chỉ dùng để phân cách hàng nghìn"),
        ("1,234.5", "viết theo kiểu tiếng Anh"),
        ("1,234,567", "viết theo kiểu tiếng Anh"),
        ("2,5", "Phải là số nguyên"),
        ("1,234", "hàng nghìn phân cách bằng dấu chấm"),
        (2.5, "Phải là số nguyên: “2,5”"),
        ("-3", "Số lượng không được âm"),
        (-3, "Số lượng không được âm"),
        ("−3", "Số lượng không được âm"),
        ("+5", "không ghi dấu + trước số"),
        ("16 nhiệm vụ", "không ghi đơn vị tính"),
        ("100%", "không phải tỷ lệ, bỏ dấu %"),
        ("mười", "“mười” không phải là số"),
        ("1e5", "không phải là số"),
        (",5", "không phải là số"),
        ("5,", "không phải là số"),
        ("3, 4", "không phải là số"),
        ("- 5", "không phải là số"),
        ("--5", "không phải là số"),
        ("#DIV/0!", "báo lỗi công thức"),
        (True, "không phải là số"),
        (float("nan"), "Không đọc được"),
        (float("inf"), "Không đọc được"),
        (D("NaN"), "Không đọc được"),
        (datetime.date(2021, 1, 7), "Không đọc được"),
        ([1], "Không đọc được"),
        (10**15, "quá lớn"),
        ("1.000.000.000.000.000", "quá lớn"),
        # 15 digits passed the parser and overflowed the numeric(20, 6) column: a 500.
        ("100000000000000", "quá lớn"),
        ("999.999.999.999.999", "quá lớn"),
        (10**14, "quá lớn"),
    ],
)
def test_integer_refused(raw, message_part):
    assert message_part in refused(T.INTEGER, raw)


# --- decimals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("74,72", D("74.72")),
        ("1.234,5", D("1234.5")),
        ("2.986.670", D("2986670")),
        ("1 234,5", D("1234.5")),
        ("0,5", D("0.5")),
        ("-1,5", D("-1.5")),
        ("74,70", D("74.7")),
        ("3,00", D("3")),
        (74.72, D("74.72")),
        (0.1, D("0.1")),
        (16.0, D("16")),
        (7, D("7")),
        (D("74.720"), D("74.72")),
        (D("1E+2"), D("100")),
    ],
)
def test_decimal_accepted(raw, expected):
    value = parse_value(T.DECIMAL, raw)
    assert value == expected
    assert str(value) == str(expected)  # tidy: no trailing zeros, no exponent


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("1.5", "không rõ nghĩa"),
        ("74.72", "không rõ nghĩa"),
        ("1,234.5", "kiểu tiếng Anh"),
        ("1,2,3", "kiểu tiếng Anh"),
        ("74,72%", "không phải tỷ lệ"),
        ("+1,5", "dấu +"),
        (1e20, "quá lớn"),
        ("-100.000.000.000.000", "quá lớn"),
        ("1,1234567", "tối đa 6 chữ số sau dấu phẩy"),
        (0.1 + 0.2, "tối đa 6 chữ số sau dấu phẩy"),
    ],
)
def test_decimal_refused(raw, message_part):
    assert message_part in refused(T.DECIMAL, raw)


# --- percentages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number_format", "expected"),
    [
        ("100%", None, D("100")),
        ("100 %", None, D("100")),
        ("90,92 %", None, D("90.92")),
        ("74,72%", None, D("74.72")),
        ("74,72", None, D("74.72")),
        ("0", None, D("0")),
        ("0%", None, D("0")),
        (97, None, D("97")),
        (97, "General", D("97")),
        (0.97, "0%", D("97")),
        (1.0, "0.00%", D("100")),
        (1, "0%", D("100")),
        (0.07, "0%", D("7")),  # float 0.07 * 100 would be 7.000000000000001
        (0.7472, "0.00%", D("74.72")),
        (0, "0%", D("0")),
        (97, '0"%"', D("97")),  # a quoted % is printed, not a scaling
        (97, "0\\%", D("97")),
        ("97%", "0%", D("97")),  # a text cell: number_format does not apply
    ],
)
def test_percent_accepted(raw, number_format, expected):
    assert parse_value(T.PERCENT, raw, number_format=number_format) == expected


@pytest.mark.parametrize(
    ("raw", "number_format", "message_part"),
    [
        ("150%", None, "Tỷ lệ phải từ 0 đến 100"),
        ("100,01", None, "Tỷ lệ phải từ 0 đến 100"),
        ("-1%", None, "Tỷ lệ phải từ 0 đến 100"),
        (97, "0%", "Tỷ lệ phải từ 0 đến 100: “97” (ô định dạng %, tức 9.700%)"),
        ("74.72%", None, "không rõ nghĩa"),
        ("%", None, "không phải là tỷ lệ"),
        ("50%%", None, "không phải là tỷ lệ"),
        ("%50", None, "không phải là tỷ lệ"),
        ("khoảng 50%", None, "không phải là số"),
        (True, "0%", "không phải là số"),
    ],
)
def test_percent_refused(raw, number_format, message_part):
    assert message_part in refused(T.PERCENT, raw, number_format=number_format)


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [("0%", True), ("0.00%", True), ("General", False), (None, False), ('0"%"', False)],
)
def test_is_percent_format(number_format, expected):
    assert is_percent_format(number_format) is expected


# --- choices ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "choices", "expected"),
    [
        ("1", YES_NO, 1),
        ("0", YES_NO, 0),
        ("Có", YES_NO, 1),
        ("  không ", YES_NO, 0),
        ("KHÔNG", YES_NO, 0),
        (unicodedata.normalize("NFD", "Không"), YES_NO, 0),
        (1, YES_NO, 1),
        (0.0, YES_NO, 0),
        ("2", SURVEY, 2),
        ("phát  phiếu", SURVEY, 1),
    ],
)
def test_choice_accepted(raw, choices, expected):
    assert parse_value(T.CHOICE, raw, choices=choices) == expected


@pytest.mark.parametrize("raw", ["2", "-1", "Có thể", "yes", 1.5, True, "1,0"])
def test_choice_refused_lists_codes(raw):
    message = refused(T.CHOICE, raw, choices=YES_NO)
    assert "không có trong danh sách (Có = 1 Không = 0)" in message
    assert "mã 1, 0" in message


def test_choice_without_code_list_is_a_programming_error():
    with pytest.raises(ValueError, match="needs choices"):
        parse_value(T.CHOICE, "1")


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07/01/2021", datetime.date(2021, 1, 7)),
        ("7/1/2021", datetime.date(2021, 1, 7)),
        ("02/3/2021", datetime.date(2021, 3, 2)),
        ("29/02/2020", datetime.date(2020, 2, 29)),
        (datetime.datetime(2021, 1, 7, 10, 30), datetime.date(2021, 1, 7)),
        (datetime.date(2021, 1, 7), datetime.date(2021, 1, 7)),
    ],
)
def test_date_accepted(raw, expected):
    value = parse_value(T.DATE, raw)
    assert value == expected
    assert type(value) is datetime.date


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("31/02/2021", "không phải ngày có thật"),
        ("29/02/2021", "không phải ngày có thật"),
        ("07/13/2021", "không phải ngày có thật"),
        ("2021-01-07", "Ngày phải theo dạng dd/mm/yyyy"),
        ("07/01/21", "Ngày phải theo dạng dd/mm/yyyy"),
        ("07-01-2021", "Ngày phải theo dạng dd/mm/yyyy"),
        ("ngày 7 tháng 1 năm 2021", "Ngày phải theo dạng dd/mm/yyyy"),
        ("07/01/0021", "năm 0021 không hợp lệ"),
        (44203, "Ô Excel chứa số"),
        (datetime.time(10, 0), "Ngày phải theo dạng dd/mm/yyyy"),
        (True, "Ngày phải theo dạng dd/mm/yyyy"),
    ],
)
def test_date_refused(raw, message_part):
    assert message_part in refused(T.DATE, raw)


# --- text, marks, headings, "/" --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Lãnh đạo phụ trách  ", "Lãnh đạo phụ trách"),
        ("dòng 1\ndòng 2", "dòng 1\ndòng 2"),
        (unicodedata.normalize("NFD", "Sở Nội vụ"), "Sở Nội vụ"),
        ("\u200bSở\ufeff", "Sở"),
        (2993822, "2993822"),
        (74.72, "74,72"),
        (datetime.date(2021, 1, 7), "07/01/2021"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_text(raw, expected):
    assert parse_value(T.TEXT, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("X", True),
        ("x", True),
        (" X ", True),
        ("✓", True),
        ("✔", True),
        ("1", True),
        (1, True),
        (True, True),
        (False, False),
        ("", None),
        (None, None),
    ],
)
def test_mark_accepted(raw, expected):
    assert parse_value(T.MARK, raw) is expected


@pytest.mark.parametrize("raw", ["0", "có", "XX", "v", 2, 0, "✗"])
def test_mark_refused(raw):
    assert "Đánh dấu bằng X" in refused(T.MARK, raw)


@pytest.mark.parametrize("value_type", [t for t in ValueType if t != T.HEADING])
@pytest.mark.parametrize("raw", ["/", " / ", NOT_APPLICABLE])
def test_slash_is_not_applicable(value_type, raw):
    assert parse_value(value_type, raw, choices=YES_NO) is NOT_APPLICABLE


@pytest.mark.parametrize("value_type", list(ValueType))
@pytest.mark.parametrize("raw", [None, "", "  \n "])
def test_blank_is_none(value_type, raw):
    assert parse_value(value_type, raw, choices=YES_NO) is None


@pytest.mark.parametrize("raw", ["/", "16", 16, NOT_APPLICABLE])
def test_heading_takes_no_value(raw):
    assert "Dòng tiêu đề không nhận số liệu" in refused(T.HEADING, raw)


def test_value_type_may_be_given_as_its_code():
    assert parse_value("integer", "2.986.670") == 2986670


# --- code lists ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Có = 1 Không = 0", [(1, "Có"), (0, "Không")]),
        ("Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", SURVEY),
        ("Chưa = 0 Đang làm = 1 Hoàn thành = 2", [(0, "Chưa"), (1, "Đang làm"), (2, "Hoàn thành")]),
        ("Tốt = 1 Có vi phạm = 0", [(1, "Tốt"), (0, "Có vi phạm")]),
        ("Đã thực hiện = 1 Chưa thực hiện = 0", [(1, "Đã thực hiện"), (0, "Chưa thực hiện")]),
        ("Có = 1\nKhông = 0", [(1, "Có"), (0, "Không")]),
        ("Có=1, Không=0", [(1, "Có"), (0, "Không")]),
        ("Có = 1; Không = 0", [(1, "Có"), (0, "Không")]),
        ("  Có  =  1   Không\n=\n0  ", [(1, "Có"), (0, "Không")]),
        ("Mức độ 3 = 3 Mức độ 4 = 4", [(3, "Mức độ 3"), (4, "Mức độ 4")]),
        # labels are text: they may begin with a digit; only "= code" is a number
        ("Chưa có = 0 2 cấp = 1 3 cấp = 2", [(0, "Chưa có"), (1, "2 cấp"), (2, "3 cấp")]),
        ("Chưa có = 0\n2 cấp = 1\n3 cấp = 2", [(0, "Chưa có"), (1, "2 cấp"), (2, "3 cấp")]),
        ("Chưa có = 0, 2 cấp = 1, 3 cấp = 2", [(0, "Chưa có"), (1, "2 cấp"), (2, "3 cấp")]),
        ("Chưa có = 0; 2 cấp = 1; 3 cấp = 2.", [(0, "Chưa có"), (1, "2 cấp"), (2, "3 cấp")]),
        ("Không = 0 Có = 1", [(0, "Không"), (1, "Có")]),
        ("Không = 0\r\nCó = 1", [(0, "Không"), (1, "Có")]),
        ("10 ngày = 1 20 ngày = 2", [(1, "10 ngày"), (2, "20 ngày")]),
        ("Có = 1, 5 nơi = 5", [(1, "Có"), (5, "5 nơi")]),
        ('"Điểm = 10" = 1 “Điểm < 10” = 0', [(1, "Điểm = 10"), (0, "Điểm < 10")]),
        (CellRichText("Có = 1 Không = 0"), [(1, "Có"), (0, "Không")]),
    ],
)
def test_choice_list_accepted(text, expected):
    assert parse_choice_list(text) == expected


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("Có = 1", "cần ít nhất 2 mục"),
        ("Có = 1 Không = 1", "mã 1 bị trùng"),
        ("Có = 1 có = 0", "nhãn “Có” bị trùng"),
        ("Nhiệm vụ", "không có dấu ="),
        ("", "Chưa có danh sách mã"),
        ("Có = 1 Không", "mỗi mục phải gồm nhãn"),
        ("= 1 Không = 0", "mỗi mục phải gồm nhãn"),
        ("Có = một Không = 0", "mỗi mục phải gồm nhãn"),
        ("Có = -1 Không = 0", "số nguyên không âm"),
        ("Có = 1,5 Không = 0", "mỗi mục phải gồm nhãn"),
        ("Có = 1.5 Không = 0", "mỗi mục phải gồm nhãn"),
        ("Điểm = 10 = 1 Không = 0", "mỗi mục phải gồm nhãn"),
        ("Có = 1 , = 0", "mỗi mục phải gồm nhãn"),
        ("Có == 1 Không = 0", "mỗi mục phải gồm nhãn"),
        (None, "Chưa có danh sách mã"),
        (5, "Chưa có danh sách mã"),
    ],
)
def test_choice_list_refused(text, message_part):
    with pytest.raises(ValueParseError) as info:
        parse_choice_list(text)
    assert message_part in info.value.message


@pytest.mark.parametrize(
    "text",
    [
        "Có = 1 Không = 0",
        "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2",
        "Chưa = 0 Đang làm = 1 Hoàn thành = 2",
        "Tốt = 1 Có vi phạm = 0",
        "Đã thực hiện = 1 Chưa thực hiện = 0",
        "Chưa có = 0 2 cấp = 1 3 cấp = 2",
        "“Điểm = 10” = 1 Khác = 0",
    ],
)
def test_choice_list_prints_as_on_paper(text):
    assert format_choice_list(parse_choice_list(text)) == text


# --- document references ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kế hoạch số 01/KH-SKHCN ngày 07/01/2021",
            DocRef("Kế hoạch", "01/KH-SKHCN", datetime.date(2021, 1, 7)),
        ),
        (
            "Kế hoạch số 01/KH-SKHCN, ngày 07/01/2021",
            DocRef("Kế hoạch", "01/KH-SKHCN", datetime.date(2021, 1, 7)),
        ),
        (
            "Quyết định số 275/QĐ-SKHCN ngày 14/12/2018",
            DocRef("Quyết định", "275/QĐ-SKHCN", datetime.date(2018, 12, 14)),
        ),
        (
            "Công văn số 380/SNV-CCHC ngày 02/3/2021",
            DocRef("Công văn", "380/SNV-CCHC", datetime.date(2021, 3, 2)),
        ),
        (
            "Kế hoạch số 10/KH- SKHCN ngày 18/02/2021",
            DocRef("Kế hoạch", "10/KH-SKHCN", datetime.date(2021, 2, 18)),
        ),
        (
            "Kế hoạch số 32/ KH-SKHHCN ngày 09/6/2021",
            DocRef("Kế hoạch", "32/KH-SKHHCN", datetime.date(2021, 6, 9)),
        ),
        (
            "kế hoạch số 01/KH-SKHCN ngày 07/01/2021.",
            DocRef("Kế hoạch", "01/KH-SKHCN", datetime.date(2021, 1, 7)),
        ),
        (
            "Nghị định số 151/2017/NĐ-CP ngày 26 tháng 12 năm 2017",
            DocRef("Nghị định", "151/2017/NĐ-CP", datetime.date(2017, 12, 26)),
        ),
        (
            "Hướng dẫn số 24-HD/BTGTU ngày 28/02/2017",
            DocRef("Hướng dẫn", "24-HD/BTGTU", datetime.date(2017, 2, 28)),
        ),
        (
            "Kế hoạch số 965/KH-SKH&CN ngày 21/12/2021",
            DocRef("Kế hoạch", "965/KH-SKH&CN", datetime.date(2021, 12, 21)),
        ),
        (
            "Thông tư liên tịch số 01/2015/TTLT-BNV ngày 02/3/2015",
            DocRef("Thông tư liên tịch", "01/2015/TTLT-BNV", datetime.date(2015, 3, 2)),
        ),
        ("Thông tư số 01/2018/TT-VPCP", DocRef("Thông tư", "01/2018/TT-VPCP", None)),
        ("Quyết định số 101/QĐ-BKHCN", DocRef("Quyết định", "101/QĐ-BKHCN", None)),
        ("Nghị định 62/2020/NĐ-CP", DocRef("Nghị định", "62/2020/NĐ-CP", None)),
        ("văn bản số 21/SNV-CCHC", DocRef("Văn bản", "21/SNV-CCHC", None)),
        ("Kế hoạch ngày 07/01/2021", DocRef("Kế hoạch", "", datetime.date(2021, 1, 7))),
        (
            unicodedata.normalize("NFD", "Tờ trình số 53/TTr-SKHCN ngày 03/8/2020"),
            DocRef("Tờ trình", "53/TTr-SKHCN", datetime.date(2020, 8, 3)),
        ),
    ],
)
def test_docref_accepted(text, expected):
    assert parse_docref(text) == expected
    assert parse_value(T.DOCREF, text) == expected


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("Giấy phép số 1/GP ngày 07/01/2021", "phải bắt đầu bằng loại văn bản"),
        ("01/KH-SKHCN ngày 07/01/2021", "phải bắt đầu bằng loại văn bản"),
        ("Kế hoạchsố 01/KH", "phải bắt đầu bằng loại văn bản"),
        ("Kế hoạch", "thiếu số hiệu và ngày ban hành"),
        ("Kế hoạch số ngày 07/01/2021", "thiếu số hiệu sau chữ “số”"),
        ("Báo cáo số /BC-SKHCN, ngày /12/2021", "phải bắt đầu bằng chữ số"),
        ("Kế hoạch số 01/KH-SKHCN ngày /12/2021", "ngày ban hành phải theo dạng dd/mm/yyyy"),
        ("Kế hoạch số 01/KH-SKHCN ngày 31/02/2021", "ngày ban hành “31/02/2021” không có thật"),
        ("Kế hoạch số 01/KH-SKHCN về CCHC năm 2021", "bỏ phần trích yếu"),
        ("Kế hoạch số 01/KH-SKHCN ngày 07/01/2021 của Sở", "bỏ phần trích yếu"),
        ("Kế hoạch 07/01/2021", "ghi chữ “ngày” trước ngày ban hành"),
        ("", "Chưa ghi văn bản"),
        (None, "Chưa ghi văn bản"),
    ],
)
def test_docref_refused(text, message_part):
    with pytest.raises(ValueParseError) as info:
        parse_docref(text)
    assert message_part in info.value.message
    assert "Ví dụ cách viết: Kế hoạch số 01/KH-SKHCN ngày 07/01/2021" in info.value.message


def test_docref_value_passes_through_and_refuses_numbers():
    ref = DocRef("Kế hoạch", "01/KH-SKHCN", datetime.date(2021, 1, 7))
    assert parse_value(T.DOCREF, ref) is ref
    assert "Không đọc được" in refused(T.DOCREF, 5)


# --- formatting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value_type", "value", "expected"),
    [
        (T.INTEGER, 2986670, "2.986.670"),
        (T.INTEGER, 16, "16"),
        (T.INTEGER, 0, "0"),
        (T.INTEGER, 1000, "1.000"),
        (T.DECIMAL, D("74.72"), "74,72"),
        (T.DECIMAL, D("1234.5"), "1.234,5"),
        (T.DECIMAL, D("-1234.5"), "-1.234,5"),
        (T.DECIMAL, D("74.70"), "74,7"),
        (T.DECIMAL, D("1E+3"), "1.000"),
        (T.DECIMAL, D("0.000001"), "0,000001"),
        (T.PERCENT, D("100"), "100%"),
        (T.PERCENT, D("100.00"), "100%"),
        (T.PERCENT, D("74.72"), "74,72%"),
        (T.CHOICE, 1, "1"),
        (T.TEXT, "Sở Nội vụ", "Sở Nội vụ"),
        (T.DATE, datetime.date(2021, 1, 7), "07/01/2021"),
        (
            T.DOCREF,
            DocRef("Kế hoạch", "01/KH-SKHCN", datetime.date(2021, 1, 7)),
            "Kế hoạch số 01/KH-SKHCN ngày 07/01/2021",
        ),
        (T.MARK, True, "X"),
        (T.MARK, False, ""),
        (T.INTEGER, None, ""),
        (T.INTEGER, NOT_APPLICABLE, "/"),
        (T.DOCREF, NOT_APPLICABLE, "/"),
        (T.HEADING, None, ""),
    ],
)
def test_format_value(value_type, value, expected):
    assert format_value(value_type, value, choices=YES_NO) == expected


def test_format_value_refuses_a_non_number():
    with pytest.raises(TypeError):
        format_value(T.INTEGER, "16")


# --- properties ------------------------------------------------------------------------------

cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.text(),
    st.text(alphabet="0123456789.,%- +/−\u00a0"),
    st.sampled_from(["/", "X", "Có", "#REF!", "100 %", "Kế hoạch số 01/KH ngày 1/1/2021"]),
    st.lists(st.integers(), max_size=2),
)


@pytest.mark.parametrize("value_type", list(ValueType))
@given(raw=cell_values, number_format=st.sampled_from([None, "General", "0%", "0.00%"]))
def test_parse_value_raises_only_value_parse_error(value_type, raw, number_format):
    try:
        value = parse_value(value_type, raw, choices=YES_NO, number_format=number_format)
    except ValueParseError as error:
        assert error.message
        return
    # what was accepted displays, and reads back as itself (canonical values pass through)
    shown = format_value(value_type, value, choices=YES_NO)
    assert isinstance(shown, str)
    assert parse_value(value_type, value, choices=YES_NO) == value


number_text = st.text(alphabet="0123456789.,- ", max_size=20)


@pytest.mark.parametrize("value_type", [T.INTEGER, T.DECIMAL, T.PERCENT])
@given(raw=st.one_of(number_text, st.integers(), st.floats(), st.decimals()))
@example(raw="2.986.670")
@example(raw="74,72")
@example(raw="1.234,5")
def test_numbers_round_trip_through_display(value_type, raw):
    try:
        value = parse_value(value_type, raw)
    except ValueParseError:
        return
    assert parse_value(value_type, format_value(value_type, value)) == value


@given(st.integers(min_value=0, max_value=NUMBER_LIMIT - 1))
def test_every_integer_round_trips(number):
    assert parse_value(T.INTEGER, format_value(T.INTEGER, number)) == number


@given(
    st.decimals(
        min_value=-NUMBER_LIMIT + 1, max_value=NUMBER_LIMIT - 1, places=NUMBER_DECIMAL_PLACES
    )
)
def test_every_decimal_round_trips(number):
    assert parse_value(T.DECIMAL, format_value(T.DECIMAL, number)) == number


@given(st.decimals(min_value=0, max_value=100, places=4))
def test_every_percent_round_trips(number):
    assert parse_value(T.PERCENT, format_value(T.PERCENT, number)) == number


@given(st.decimals(min_value=0, max_value=1, places=NUMBER_DECIMAL_PLACES + 2).map(float))
def test_percent_cells_scale_exactly(fraction):
    assert parse_value(T.PERCENT, fraction, number_format="0%") == Decimal(repr(fraction)) * 100


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_dates_round_trip(day):
    assert parse_value(T.DATE, format_value(T.DATE, day)) == day


labels = st.text(
    alphabet=st.characters(categories=["L", "N"], exclude_characters="="), min_size=1, max_size=8
)


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=99), labels),
        min_size=2,
        max_size=5,
        unique_by=(lambda pair: pair[0], lambda pair: pair[1].casefold()),
    )
)
def test_choice_lists_round_trip(pairs):
    pairs = [(code, unicodedata.normalize("NFC", label)) for code, label in pairs]
    try:
        assert parse_choice_list(format_choice_list(pairs)) == pairs
    except ValueParseError as error:
        # labels that differ only by normalisation count as duplicates
        assert "bị trùng" in error.message


@given(st.text())
def test_choice_list_and_docref_raise_only_value_parse_error(text):
    for parse in (parse_choice_list, parse_docref):
        with contextlib.suppress(ValueParseError):
            parse(text)


@given(
    kind=st.sampled_from(["Kế hoạch", "Quyết định", "Công văn", "Thông tư liên tịch"]),
    number=st.from_regex(r"[0-9]{1,4}/[A-ZĐ]{1,4}-[A-ZĐ&]{2,8}", fullmatch=True),
    day=st.one_of(st.none(), st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))),
)
def test_docrefs_round_trip(kind, number, day):
    ref = DocRef(kind, number, day)
    assert parse_docref(str(ref)) == ref


# --- the one number range (indicators.types.NUMBER_*) ----------------------------------------


def test_the_largest_number_in_range_is_accepted_and_fits_the_column():
    from reports.models import IndicatorValue

    largest = "99.999.999.999.999,999999"
    assert parse_value(T.DECIMAL, largest) == NUMBER_LIMIT - D("0.000001")
    assert parse_value(T.INTEGER, "99.999.999.999.999") == NUMBER_LIMIT - 1
    field = IndicatorValue._meta.get_field("number")
    assert field.max_digits - field.decimal_places == len(str(NUMBER_LIMIT)) - 1
    assert field.decimal_places == NUMBER_DECIMAL_PLACES


@pytest.mark.parametrize("raw", ["12,3456789", "0,0000001", "12,3456789%"])
def test_percent_with_more_decimals_than_stored_is_refused_not_rounded(raw):
    message = refused(T.PERCENT, raw)
    assert "tối đa 6 chữ số sau dấu phẩy" in message
    assert raw in message


def test_percent_cell_with_too_many_decimals_says_what_excel_showed():
    message = refused(T.PERCENT, 0.123456789, number_format="0%")
    assert "12,3456789%" in message
    assert "tối đa 6 chữ số sau dấu phẩy" in message


def test_six_decimals_are_kept_exactly():
    assert parse_value(T.PERCENT, "12,345678") == D("12.345678")
    assert parse_value(T.DECIMAL, "0,000001") == D("0.000001")
    assert parse_value(T.DECIMAL, "0,10000000") == D("0.1")  # zeros carry no precision


# --- control characters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Dòng 1\x0bDòng 2", "Dòng 1\nDòng 2"),  # Word's manual line break
        ("Trang 1\x0cTrang 2", "Trang 1\nTrang 2"),
        ("a\x00b\x01c\x1bd\x7f", "abcd\x7f"),
        ("tab\tkept\r\nCRLF", "tab\tkept\nCRLF"),  # a browser's line break is a workbook's
        ("lone \ud800 surrogate \uffff", "lone  surrogate"),
    ],
)
def test_text_keeps_only_what_xml_can_carry(raw, expected):
    assert parse_value(T.TEXT, raw) == expected
