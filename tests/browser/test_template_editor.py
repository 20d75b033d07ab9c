"""A new administrator builds a template in the browser: creates it, types a few rows, pastes
the rest from Excel, adds two tables, publishes and previews what staff will fill in."""

import re

import pytest
from playwright.sync_api import expect

from indicators.models import TemplateVersion
from tests.browser.test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 27 lines as copied from an Excel sheet: STT, Chỉ tiêu, Đơn vị tính, Mã chỉ tiêu, Kiểu, Cấp.
PASTED = "II\tCải cách thủ tục hành chính\t\t\ttiêu đề\t1\n" + "".join(
    f"{i}\tSố hồ sơ loại {i}\tHồ sơ\tho_so_{i}\tsố nguyên\t2\n" for i in range(1, 27)
)
TABLES = [
    (
        "Phụ lục 2",
        "ket_qua",
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
        [
            ("linh_vuc", "Lĩnh vực", "", "(1)", "văn bản"),
            ("tiep_nhan", "Tiếp nhận", "Số hồ sơ", "(2)", "số nguyên"),
            ("da_giai_quyet", "Đã giải quyết", "Số hồ sơ", "(3)", "số nguyên"),
        ],
    ),
    (
        "Phụ lục 3",
        "lien_he",
        "THÔNG TIN LIÊN HỆ",
        [("ho_ten", "Họ tên", "", "", "văn bản"), ("dien_thoai", "Điện thoại", "", "", "văn bản")],
    ),
]


def add_line(page, fields: dict[str, str]):
    """Click "Thêm dòng" and type into the new line's fields, found by their labels."""
    editor = page.locator("[data-editor]")
    editor.get_by_role("button", name="+ Thêm dòng").click()
    line = editor.locator("tbody > tr").last
    for label, value in fields.items():
        field = line.get_by_label(label, exact=True)
        if label == "Kiểu":
            field.select_option(label=value)
        else:
            field.fill(value)
    return line


def add_appendix(page, name, code, title, *, table):
    page.get_by_role("link", name="Thêm phụ lục").first.click()
    page.get_by_label("Tên phụ lục").fill(name)
    page.get_by_label("Mã bảng").fill(code)
    page.get_by_label("Tiêu đề in").fill(title)
    if table:
        page.get_by_role("radio", name="Bảng nhiều dòng").check()
        page.get_by_label("Có dòng “Tổng cộng”").check()
    page.get_by_role("button", name="Thêm phụ lục").click()
    expect(page.get_by_test_id("page-title")).to_contain_text(f"Sửa {name}")


def test_new_administrator_builds_publishes_and_previews_a_template(page, live_server, cast):
    page.set_default_timeout(10_000)
    log_in(page, live_server, cast.admin.username)
    page.get_by_role("link", name="Mẫu phụ lục").click()

    # A new template: a draft v1 with the standard outline.
    page.get_by_label("Mã mẫu").fill("tinh-a-cchc")
    page.get_by_label("Tiêu đề").fill("Báo cáo kết quả CCHC")
    page.get_by_label("Y – năm").check()
    page.get_by_label("H1 – 6 tháng đầu năm").check()
    page.get_by_label("Áp dụng từ ngày").fill("01/01/2026")
    page.get_by_role("button", name="Tạo mẫu").click()
    expect(page.get_by_test_id("state")).to_have_text("Bản nháp")
    expect(page.get_by_test_id("outline")).to_contain_text("Cải cách thể chế")

    # Phụ lục 1: three rows typed by hand (one moved up, two indented), 27 pasted.
    add_appendix(page, "Phụ lục 1", "pl1", "THỐNG KÊ SỐ LIỆU CCHC NĂM 2026", table=False)
    add_line(page, {"STT": "I", "Chỉ tiêu": "Công tác chỉ đạo điều hành", "Kiểu": "tiêu đề"})
    add_line(page, {"STT": "2", "Chỉ tiêu": "Số cuộc kiểm tra", "Đơn vị tính": "Cuộc"})
    third = add_line(page, {"STT": "1", "Chỉ tiêu": "Số văn bản chỉ đạo", "Mã chỉ tiêu": "so_vb"})
    third.get_by_role("button", name="Chuyển dòng lên").click()  # "1" belongs before "2"
    lines = page.locator("[data-editor] tbody > tr")
    lines.nth(2).get_by_label("Mã chỉ tiêu", exact=True).fill("so_kt")
    for index in (1, 2):
        lines.nth(index).get_by_label("Kiểu", exact=True).select_option(label="số nguyên")
        lines.nth(index).get_by_role("button", name="Thụt vào một cấp").click()
    expect(lines.nth(1).get_by_label("Chỉ tiêu", exact=True)).to_have_value("Số văn bản chỉ đạo")
    expect(lines.nth(1).get_by_label("Cấp", exact=True)).to_have_value("2")
    page.get_by_label("Dán nhiều dòng").fill(PASTED)
    page.get_by_role("button", name="Thêm các dòng đã dán").click()
    expect(page.get_by_test_id("pasted")).to_contain_text("Đã thêm 27 dòng")
    expect(lines).to_have_count(30)
    page.get_by_role("button", name="Lưu").first.click()
    printed = page.get_by_test_id("appendix-pl1")
    expect(printed.locator("tbody > tr")).to_have_count(30)
    expect(printed).to_contain_text("Số hồ sơ loại 26")

    # Two repeating-row tables, their columns typed by hand.
    for name, code, title, columns in TABLES:
        add_appendix(page, name, code, title, table=True)
        for column_code, header, group, number, kind in columns:
            add_line(
                page,
                {
                    "Mã cột": column_code,
                    "Tiêu đề cột": header,
                    "Nhóm tiêu đề": group,
                    "Số cột": number,
                    "Kiểu": kind,
                },
            )
        page.get_by_role("button", name="Lưu").first.click()
        expect(page.get_by_test_id(f"appendix-{code}")).to_contain_text(columns[-1][1])
    expect(page.get_by_test_id("appendix-ket_qua").locator("th[colspan='2']")).to_have_text(
        "Số hồ sơ"
    )

    page.get_by_role("button", name="Công bố").click()
    expect(page.get_by_test_id("state")).to_contain_text("Đã công bố")
    version = TemplateVersion.objects.get(template__code="tinh-a-cchc")
    assert not version.is_draft
    assert [a.code for a in version.appendices.all()] == ["pl1", "ket_qua", "lien_he"]

    # The preview is the entry form staff will get.
    page.get_by_role("link", name="Xem trước").click()
    expect(page.get_by_label("Số hồ sơ loại 26", exact=True)).to_be_editable()
    value = page.get_by_label("Số văn bản chỉ đạo", exact=True)
    page.get_by_label("Không áp dụng: Số văn bản chỉ đạo").check()
    expect(value).to_be_disabled()
    heading = page.get_by_test_id("preview-pl1").locator("tr[data-heading]").first
    expect(heading).to_contain_text("Công tác chỉ đạo điều hành")
    table = page.get_by_test_id("preview-ket_qua")
    expect(table.locator("[data-testid=column-numbers]")).to_have_text(re.compile(r"\(1\)\s*\(2\)"))
    for received in ("2.986.670", "1.330"):
        table.get_by_role("button", name="+ Thêm dòng").click()
        table.locator("tbody tr").last.get_by_label("Tiếp nhận").fill(received)
    expect(table.locator("[data-total=tiep_nhan]")).to_have_text("2.988.000")
    table.locator("tbody tr").first.get_by_role("button", name="Xoá dòng").click()
    expect(table.locator("[data-total=tiep_nhan]")).to_have_text("1.330")
    expect(page.get_by_test_id("preview-lien_he")).to_contain_text("Điện thoại")
