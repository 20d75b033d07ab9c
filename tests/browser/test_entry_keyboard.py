"""Keyboard-first entry (as in DHIS2): ten values typed with the keyboard alone are saved; rule
highlights are there on load, tied to their messages, and the check list leads to the cell and
back."""

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


@pytest.fixture
def draft(cast, journey_template) -> Report:
    return report_create(unit=cast.department, period=cast.period, by=cast.staff)


def focused_name(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name || ''")


def test_ten_values_typed_with_the_keyboard_alone_are_saved(page, live_server, cast, draft):
    report_save_values(
        by=OPERATOR,
        report=draft,
        appendix=appendix(draft, "pl1"),
        values={"ct_12": (Decimal(12), "")},
        expected=None,
    )
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/pl1/")
    for _ in range(80):  # from the top of the page, like someone who never touches the mouse
        page.keyboard.press("Tab")
        if focused_name(page) == "pl1-v-so_nv":
            break
    assert focused_name(page) == "pl1-v-so_nv"
    expect(page.locator("[name='pl1-v-so_nv']")).to_be_focused()
    # The focus ring is visible: an outline of at least 2 px.
    outline = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert outline >= 2

    page.keyboard.type("10")
    page.keyboard.press("Tab")  # the heading above is skipped, the ✓ box and the note too
    assert focused_name(page) == "pl1-v-so_ht"
    page.keyboard.type("8")
    page.keyboard.press("Enter")  # the value below, never a submit
    assert focused_name(page) == "pl1-v-ct_3"
    for number in range(3, 11):
        page.keyboard.type(str(number * 100))
        page.keyboard.press("Enter")
    assert focused_name(page) == "pl1-v-ct_11"
    page.keyboard.press("Shift+Tab")
    assert focused_name(page) == "pl1-v-ct_10"
    page.keyboard.press("Tab")
    page.keyboard.press("/")  # not applicable
    expect(page.locator("[name='pl1-na-ct_11']")).to_be_checked()
    expect(page.locator("[name='pl1-v-ct_11']")).to_be_disabled()
    page.keyboard.press("Enter")
    assert focused_name(page) == "pl1-v-ct_12"
    page.keyboard.type("99")
    page.keyboard.press("Escape")  # back to the saved 12
    expect(page.locator("[name='pl1-v-ct_12']")).to_have_value("12")

    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc", timeout=15000)
    page.wait_for_timeout(500)
    stored = {code: value for code, (value, _note) in indicator_values(draft).items()}
    assert stored["so_nv"] == 10
    assert stored["so_ht"] == 8
    assert [stored[f"ct_{n}"] for n in range(3, 11)] == [n * 100 for n in range(3, 11)]
    assert stored["ct_11"] is NOT_APPLICABLE
    assert stored["ct_12"] == 12
    assert page.locator("[aria-live]").count() == 1
    assert page.locator("form [role=alert]").count() == 0


def test_rule_highlights_show_on_load_and_the_check_list_leads_to_the_cell_and_back(
    page, live_server, cast, draft
):
    report_save_values(
        by=OPERATOR,
        report=draft,
        appendix=appendix(draft, "pl1"),
        values={"so_nv": (Decimal(5), ""), "so_ht": (Decimal(8), "")},
        expected=None,
    )
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/pl1/")
    done = page.locator("[name='pl1-v-so_ht']")
    # Marked before anyone types, and tied to its message for screen readers.
    expect(done).to_have_attribute("aria-invalid", "true")
    note_id = done.get_attribute("aria-describedby").split()[0]
    expect(page.locator(f"#{note_id}")).to_contain_text("vượt số đề ra")
    assert page.locator(f"#{note_id}").get_attribute("role") is None

    link = page.locator("[data-violations-panel]").get_by_role("link", name="Đến ô số liệu").first
    link.focus()
    page.keyboard.press("Enter")
    assert focused_name(page) in ("pl1-v-so_nv", "pl1-v-so_ht")
    page.keyboard.press("Escape")  # nothing to put back: return to the message
    expect(link).to_be_focused()

    # Typing a valid value clears the mark after the autosave.
    page.locator("[name='pl1-v-so_nv']").fill("9")
    page.locator("[name='pl1-v-so_nv']").press("Tab")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc", timeout=15000)
    expect(done).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-checks-count]")).to_have_text("0")


def test_in_a_table_enter_goes_down_the_column_and_tab_skips_the_row_buttons(
    page, live_server, cast, draft
):
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/ke_hoach/")
    page.get_by_role("button", name="Thêm dòng").click()
    page.get_by_role("button", name="Thêm dòng").click()
    first = page.locator("[name='t-ke_hoach-0-ten']")
    first.focus()
    page.keyboard.type("Kế hoạch CCHC")
    page.keyboard.press("Tab")
    page.keyboard.type("10")
    page.keyboard.press("Enter")  # the same column, one row down
    assert focused_name(page) == "t-ke_hoach-1-so_nv"
    page.keyboard.type("4")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back over the ↑ ↓ ✕ buttons to the row above
    assert focused_name(page) == "t-ke_hoach-0-so_ht"
    page.keyboard.type("7")
    page.keyboard.press("Tab")
    assert focused_name(page) == "t-ke_hoach-1-ten"
    page.keyboard.type("Kế hoạch ISO")
    expect(page.locator("[data-total='so_nv']")).to_have_text("14")
    page.wait_for_timeout(300)
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 200):
        page.keyboard.press("Tab")  # leaving the value saves at once
    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc")
    rows = [cells for _id, cells in table_rows(draft)["ke_hoach"]["rows"]]
    assert [(r.get("ten"), r.get("so_nv"), r.get("so_ht")) for r in rows] == [
        ("Kế hoạch CCHC", 10, 7),
        ("Kế hoạch ISO", 4, None),
    ]
