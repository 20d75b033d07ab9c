"""The entry page of the common template's 164-row statistics appendix (and its contact table)
at 1366 px, on a 390 px phone and at 200 % zoom: Lưu and the save state stay in view, the jump
list reaches every heading, nothing scrolls sideways, inputs are finger-sized and nothing covers
them."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from demo.loader import load_periods, load_templates
from org.models import Role, Unit
from reports.access import OPERATOR
from reports.models import Period, Report
from reports.services import report_create
from tests.browser.conftest import log_in
from tests.browser.csp import assert_no_csp_violations, watch_csp
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Two of the screenshots are kept for the README (docs/screens/); the others go to tmp_path.
SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"
BIG = "pl2_thong_ke"  # "Phụ lục 1" of cchc-chung: 164 printed rows
TABLE = "lien_he"


@pytest.fixture
def draft(demo_units) -> Report:
    load_periods(datetime.date(2026, 11, 22))
    load_templates()
    unit = Unit.objects.get(code="can-tho-skhcn")
    make_user("ct.chuyenvien", Role.STAFF, unit)
    return report_create(unit=unit, period=Period.objects.get(kind="Y", year=2026), by=OPERATOR)


def sideways(page) -> dict:
    """How far the page and the main table stick out to the right of the window."""
    return page.evaluate(
        """() => {
        const table = document.querySelector('.entry-indicators, .entry-table table');
        const box = table.getBoundingClientRect();
        return {page: document.documentElement.scrollWidth - window.innerWidth,
                table: Math.round(box.right - window.innerWidth),
                scroller: table.parentElement.scrollWidth - table.parentElement.clientWidth};
    }"""
    )


COVERED = """() => {
    // Every visible input, scrolled to the middle of the window: is it what is drawn there?
    const fields = Array.from(document.querySelectorAll('form.entry-form input:not([type=hidden]),'
        + ' form.entry-form select, form.entry-form textarea'))
        .filter(el => el.getClientRects().length && !el.closest('template'));
    const problems = [];
    for (const el of fields) {
        el.scrollIntoView({block: 'center', behavior: 'instant'});
        const r = el.getBoundingClientRect();
        const points = [[r.left + 2, r.top + 2], [r.right - 2, r.bottom - 2],
                        [r.left + r.width / 2, r.top + r.height / 2]];
        for (const [x, y] of points) {
            const hit = document.elementFromPoint(x, y);
            if (hit !== el && !el.contains(hit)) {
                problems.push(el.name + ' under ' + (hit ? hit.outerHTML.slice(0, 80) : 'nothing'));
                break;
            }
        }
    }
    return {count: fields.length, problems};
}"""


def small_inputs(page) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('form.entry-form input:not([type=hidden]),'
            + ' form.entry-form select, form.entry-form textarea'))
            .filter(el => el.getClientRects().length)
            .filter(el => el.getBoundingClientRect().height < 44)
            .map(el => el.name + ' ' + el.getBoundingClientRect().height)"""
    )


def test_long_appendix_at_1366_keeps_save_and_checks_in_view(page, live_server, draft, tmp_path):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, "ct.chuyenvien")
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/{BIG}/")
    assert page.locator("tr[data-indicator]").count() > 100
    bar = page.locator("[data-entry-bar]")
    save = bar.get_by_role("button", name="Lưu")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "entry-desktop.png"))

    # The jump list names every printed level, in printed order: the headings and the numbered
    # rows that carry a value ("I", "1", "2", …, "II", "1", …), and takes the reader there.
    printed = page.evaluate(
        """() => Array.from(document.querySelectorAll('tr[data-heading], tr[data-indicator]'))
            .filter(tr => tr.cells[0].textContent.trim()).map(tr => '#' + tr.id)"""
    )
    jumps = page.locator("[data-jump-list] a")
    assert [a.get_attribute("href") for a in jumps.all()] == printed
    assert page.locator("tr[data-heading]").count() > 5
    numbered_value_rows = [p for p in printed if p.startswith("#ct-")]
    assert len(numbered_value_rows) > 5
    page.locator("[data-jump-toggle]").click()
    # A numbered row with a value lands below the bar too.
    jumps.filter(has_text="Kế hoạch CCHC").first.click()
    first_value = page.locator(numbered_value_rows[0])
    expect(first_value).to_be_in_viewport()
    bar_box = bar.bounding_box()
    assert first_value.bounding_box()["y"] >= bar_box["y"] + bar_box["height"] - 1
    page.locator("[data-jump-toggle]").click()
    last = jumps.nth(jumps.count() - 1)
    target = last.get_attribute("href")
    last.click()
    expect(page.locator(target)).to_be_in_viewport()
    # Far down the page the bar and the check list are still on screen.
    assert page.evaluate("window.scrollY") > 3000
    expect(save).to_be_in_viewport()
    expect(bar.locator("[data-autosave-status]")).to_be_in_viewport()
    expect(page.locator(".entry-checks h3")).to_be_in_viewport()
    # The bar does not hide the heading the reader jumped to.
    heading_top = page.locator(target).bounding_box()["y"]
    bar_box = bar.bounding_box()
    assert heading_top >= bar_box["y"] + bar_box["height"] - 1

    # Typing far down is autosaved and the state is shown in the bar.
    field = page.locator("tr[data-indicator] input[data-type]:not([type=checkbox])").last
    field.fill("7")
    field.press("Tab")
    expect(bar.locator("[data-autosave-status]")).to_contain_text("Đã lưu", timeout=15000)
    page.screenshot(path=str(tmp_path / "entry-desktop-scrolled.png"))


@pytest.mark.parametrize("code", [BIG, TABLE])
def test_phone_390_has_no_sideways_scrolling_finger_sized_inputs_and_a_parts_menu(
    page, live_server, draft, code, tmp_path
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "ct.chuyenvien")
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/{code}/")
    if code == TABLE and page.locator("tbody[data-rows] > tr[data-row]").count() == 0:
        page.get_by_role("button", name="Thêm dòng").click()
    assert max(sideways(page).values()) <= 0, sideways(page)
    assert small_inputs(page) == []
    # The parts of the report are one menu button, opened on demand.
    tabs = page.locator("#report-parts")
    expect(tabs).to_be_hidden()
    page.get_by_role("button", name="Các phần của báo cáo").click()
    expect(tabs.get_by_role("link", name="Lịch sử")).to_be_visible()
    expect(tabs).to_have_class(re.compile(r"\bshow\b"))  # Bootstrap ignores clicks mid-way
    assert tabs.bounding_box()["width"] <= 390
    page.get_by_role("button", name="Các phần của báo cáo").click()
    expect(tabs).to_be_hidden()
    if code == BIG:
        # A printed row is a card: its label wraps inside the window.
        label = page.locator("tr[data-indicator] label").nth(3).bounding_box()
        assert label["x"] >= 0 and label["x"] + label["width"] <= 390
        page.screenshot(path=str(SCREENS / "entry-phone.png"))
        # The jump list fits the phone too.
        page.locator("[data-jump-toggle]").click()
        menu = page.locator("[data-jump-list]")
        expect(menu).to_be_visible()
        box = menu.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        page.keyboard.press("Escape")
        typed = page.locator("tr[data-indicator] input[data-type]").nth(5)
        typed.scroll_into_view_if_needed()
        typed.focus()
        page.keyboard.type("12")
        page.screenshot(path=str(tmp_path / "entry-phone-typing.png"))
    else:
        page.screenshot(path=str(tmp_path / "entry-phone-table.png"))


def test_200_percent_zoom_leaves_every_input_uncovered(browser, live_server, draft):
    # Browser zoom 200 % on a 1366 x 768 screen: CSS sees a 683 x 384 window at scale 2.
    context = browser.new_context(
        viewport={"width": 683, "height": 384},
        device_scale_factor=2,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    violations = watch_csp(context)
    page = context.new_page()
    log_in(page, live_server, "ct.chuyenvien")
    for code in (BIG, TABLE):
        page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/{code}/")
        if code == TABLE:
            page.get_by_role("button", name="Thêm dòng").click()
        assert max(sideways(page).values()) <= 0, sideways(page)
        result = page.evaluate(COVERED)
        assert result["count"] > (300 if code == BIG else 3)
        assert result["problems"] == []
    context.close()
    assert_no_csp_violations(violations)
