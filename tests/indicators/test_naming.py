"""Indicators are named for people by their printed number path and label."""

from types import SimpleNamespace

from indicators.naming import column_name, indicator_names, row_names


def row(stt, label, level, code=""):
    return SimpleNamespace(stt=stt, label=label, level=level, code=code)


def test_rows_are_named_by_their_number_path_or_under_their_parent():
    rows = [
        row("III", "Cải cách thủ tục hành chính", 1),
        row("2", "Thống kê TTHC", 2),
        row("", "Số TTHC được công bố mới", 3, "tthc_moi"),
        row("", "Tổng số TTHC đang có hiệu lực:", 3, "tthc_hieu_luc"),
        row("", "- Số TTHC áp dụng tại cơ quan, đơn vị:", 4, "tthc_tai_co_quan"),
        row("2.1", "Đúng hạn", 3, "dung_han"),
        row("a)", "Trực tuyến", 4, "truc_tuyen"),
        row("IV", "Tổ chức bộ máy", 1),
        row("Trong đó", "Cấp xã", 2, "cap_xa"),
    ]
    assert row_names(rows) == [
        "III. Cải cách thủ tục hành chính",
        "III.2. Thống kê TTHC",
        "Số TTHC được công bố mới (mục III.2)",
        "Tổng số TTHC đang có hiệu lực (mục III.2)",
        "Số TTHC áp dụng tại cơ quan, đơn vị (mục III.2)",
        "2.1. Đúng hạn",
        "2.1.a. Trực tuyến",
        "IV. Tổ chức bộ máy",
        "Cấp xã (mục IV)",
    ]
    assert indicator_names(rows)["dung_han"] == "2.1. Đúng hạn"
    assert "" not in indicator_names(rows)


def test_a_column_is_named_by_its_number_and_headers():
    column = SimpleNamespace(number="(4)", group="Số hồ sơ nhận giải quyết", header="Tổng số")
    assert column_name(column) == "cột (4) “Số hồ sơ nhận giải quyết – Tổng số”"
    assert column_name(SimpleNamespace(number="", group="", header="Tên TTHC")) == "cột “Tên TTHC”"
