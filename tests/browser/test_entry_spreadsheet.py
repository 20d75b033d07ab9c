"""Entry as safe and quick as a spreadsheet, on a desktop (1366 px) and a phone (390 px):
arriving in a filled value selects it, so typing replaces it (F2 edits in place); a block copied
from Excel fills the cells in one save, the server refusing what it cannot read and nothing of
the block half-saved; Ctrl+Z puts the block back."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.types import NOT_APPLICABLE
from reports.access import OPERATOR
from reports.models import Report
from reports.selectors import indicator_values, table_rows
from reports.services import report_create, report_save_values
from tests.browser.conftest import log_in
from tests.reports.test_excel_roundtrip import appendix

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SIZES))
def screen(request, page):
    page.set_viewport_size(SIZES[request.param])
    return request.param


@pytest.fixture
def draft(cast, journey_template) -> Report:
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    values = {"so_nv": 24, "so_ht": 22, "ct_3": 11, "ct_4": 7, "ct_5": 5, "ct_6": 3}
    report_save_values(
        by=OPERATOR,
        report=report,
        appendix=appendix(report, "pl1"),
        values={code: (Decimal(v), "") for code, v in values.items()},
        expected=None,
    )
    return report


def stored(report) -> dict:
    report = Report.objects.get(pk=report.pk)
    return {code: value for code, (value, _note) in indicator_values(report).items()}


def stored_table(report) -> list:
    rows = table_rows(Report.objects.get(pk=report.pk))["ke_hoach"]["rows"]
    return [(r.get("ten"), r.get("so_nv"), r.get("so_ht")) for _id, r in rows]


def field(page, code):
    return page.locator(f"[name='pl1-v-{code}']")


def autosaves(page) -> list:
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    return posts


def copy(page, text: str) -> None:
    """Put text on the clipboard as a spreadsheet does (the browser reads it on Ctrl+V)."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", text)


def test_moving_into_a_filled_value_and_typing_replaces_it(page, live_server, cast, draft, screen):
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/pl1/")
    posts = autosaves(page)
    # The report of the issue: click the cell holding 24, type 30, Tab, type 28.
    field(page, "so_nv").click()
    page.keyboard.type("30")
    page.keyboard.press("Tab")
    page.keyboard.type("28")
    expect(field(page, "so_nv")).to_have_value("30")
    expect(field(page, "so_ht")).to_have_value("28")  # not "2822"
    page.keyboard.press("Enter")  # down: replaces 11
    page.keyboard.type("12")
    page.keyboard.press("Shift+Tab")  # back up: replaces 28
    page.keyboard.type("27")
    expect(field(page, "ct_3")).to_have_value("12")
    expect(field(page, "so_ht")).to_have_value("27")
    # F2 edits in place: the caret at the end, nothing replaced.
    page.keyboard.press("F2")
    page.keyboard.type("5")
    expect(field(page, "so_ht")).to_have_value("275")
    page.keyboard.press("Backspace")
    # A second click in the same value places the caret instead of selecting.
    cell = field(page, "ct_4")
    cell.click()
    cell.click(position={"x": 5, "y": 10})
    page.keyboard.type("1")
    assert cell.input_value() in ("17", "71")  # the caret, wherever it landed, kept the 7
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc", timeout=15000)
    assert len(posts) >= 1
    values = stored(draft)
    assert (values["so_nv"], values["so_ht"], values["ct_3"], values["ct_4"]) == (30, 27, 12, 7)


# A range copied from Excel: lines end in CR LF, cells are tab-separated, a cell holding a line
# break is quoted. Four rows of three cells; "mười" is not a number.
EXCEL_BLOCK = (
    "Kế hoạch CCHC\t10\t8\r\n"
    "Kế hoạch ISO\t1.234\t1.000\r\n"
    '"Kế hoạch\r\nchuyển đổi số"\t5\tmười\r\n'
    "Kế hoạch tuyên truyền\t7\t7\r\n"
)


def shown_table(page) -> list[list[str]]:
    rows = page.locator("tbody[data-rows] > tr[data-row]:not(.d-none)")
    return [
        [rows.nth(i).locator(f"[name$='-{c}']").input_value() for c in ("ten", "so_nv", "so_ht")]
        for i in range(rows.count())
    ]


def test_a_block_pasted_from_excel_fills_a_table_in_one_save_or_not_at_all(
    page, live_server, cast, draft, screen
):
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/ke_hoach/")
    page.get_by_role("button", name="Thêm dòng").click()  # one row; the paste adds three
    posts = autosaves(page)
    copy(page, EXCEL_BLOCK)
    page.locator("[name='t-ke_hoach-0-ten']").click()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Control+V")
    status = page.locator("[data-autosave-status]")
    expect(status).to_contain_text("Chưa lưu bảng: 1 ô cần sửa")
    assert shown_table(page) == [
        ["Kế hoạch CCHC", "10", "8"],
        ["Kế hoạch ISO", "1.234", "1.000"],
        ["Kế hoạch\nchuyển đổi số", "5", "mười"],
        ["Kế hoạch tuyên truyền", "7", "7"],
    ]
    bad = page.locator("[name='t-ke_hoach-2-so_ht']")
    expect(bad).to_have_attribute("aria-invalid", "true")
    reason = page.locator(f"#{bad.get_attribute('aria-describedby').split()[-1]}")
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("“mười” không phải là số")
    assert page.locator(".is-invalid").count() == 1
    page.wait_for_timeout(500)
    assert len(posts) == 1  # one save for the twelve cells
    assert stored_table(draft) == []  # nothing of the block half-saved
    # Ctrl+Z puts the table back as it was: one blank row, saved as such.
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Control+Z")
    assert shown_table(page) == [["", "", ""]]
    expect(status).to_contain_text("Đã lưu lúc")
    assert len(posts) == 2
    # Pasted again and the bad cell mended: the whole block is saved.
    page.locator("[name='t-ke_hoach-0-ten']").click()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Control+V")
    bad.fill("6")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 200):
        bad.press("Tab")
    expect(status).to_contain_text("Đã lưu lúc")
    expect(page.locator(".is-invalid")).to_have_count(0)
    expect(page.locator("[data-total='so_nv']")).to_have_text("1.256")
    assert stored_table(draft) == [
        ("Kế hoạch CCHC", 10, 8),
        ("Kế hoạch ISO", 1234, 1000),
        ("Kế hoạch\nchuyển đổi số", 5, 6),
        ("Kế hoạch tuyên truyền", 7, 7),
    ]


def test_a_column_pasted_into_values_is_saved_whole_and_undone_with_ctrl_z(
    page, live_server, cast, draft, screen
):
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/pl1/")
    posts = autosaves(page)
    before = stored(draft)
    # Values and notes of four rows, "/" for one not applicable, "12,5" not a whole number.
    copy(page, "40\tđủ\n/\t\n12,5\tước tính\n9\t\n")
    field(page, "ct_3").click()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Control+V")
    expect(field(page, "ct_3")).to_have_value("40")
    expect(page.locator("[name='pl1-note-ct_3']")).to_have_value("đủ")
    expect(page.locator("[name='pl1-na-ct_4']")).to_be_checked()
    expect(field(page, "ct_4")).to_be_disabled()
    expect(field(page, "ct_5")).to_have_value("12,5")
    expect(field(page, "ct_6")).to_have_value("9")
    expect(field(page, "ct_5")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Chưa lưu khối đã dán: 1 ô")
    assert len(posts) == 1
    assert stored(draft) == before  # the block is saved whole or not

    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Control+Z")
    for code in ("ct_3", "ct_4", "ct_5", "ct_6"):
        expect(field(page, code)).to_have_value(str(before[code]))
    expect(page.locator("[name='pl1-na-ct_4']")).not_to_be_checked()
    expect(page.locator("[name='pl1-note-ct_3']")).to_have_value("")
    expect(page.locator(".is-invalid")).to_have_count(0)
    assert stored(draft) == before

    # A good block: saved in one request; Ctrl+Z restores and saves the old values.
    copy(page, "40\n/\n13\n9")
    field(page, "ct_3").click()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Control+V")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc")
    values = stored(draft)
    assert [values[c] for c in ("ct_3", "ct_5", "ct_6")] == [40, 13, 9]
    assert values["ct_4"] is NOT_APPLICABLE
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Control+Z")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc")
    assert stored(draft) == before
    assert len(posts) == 4
