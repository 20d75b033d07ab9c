"""Quiet until it matters: a new report shows no red error before someone tries to submit it
(blank required values are counted as "chưa nhập"); a check's message is shown once; beside each
value, the previous period's value, the change and a quiet flag asking for a note; rows reached
by an address land below the sticky bar; leaving asks only when something is not saved; tables
in the rich-text editor work by keyboard."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from demo.loader import load_periods, load_templates
from indicators.models import Indicator
from org.models import Role, Unit
from reports.access import OPERATOR
from reports.models import Period, Report, ReportState
from reports.services import report_create, report_save_values
from reports.services.workflow import SubmissionRefused, report_submit
from tests.browser.conftest import log_in
from tests.factories import make_period, make_user
from tests.reports.test_excel_roundtrip import appendix

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
BIG = "pl2_thong_ke"  # "Phụ lục 1" of the common template: 164 rows, 10 of them required
# What reads as an error: Bootstrap's red alerts, text and invalid inputs. The red "*" beside a
# required label marks it required, it is no error.
RED = ".alert-danger, .is-invalid, [aria-invalid=true], .text-danger:not([title='Bắt buộc'])"


@pytest.fixture(params=list(SIZES))
def screen(request, page):
    page.set_viewport_size(SIZES[request.param])
    return request.param


@pytest.fixture
def new_report(demo_units) -> Report:
    load_periods(datetime.date(2026, 11, 22))
    load_templates()
    unit = Unit.objects.get(code="can-tho-skhcn")
    make_user("ct.chuyenvien", Role.STAFF, unit)
    make_user("ct.lanhdao", Role.LEADER, unit)
    return report_create(unit=unit, period=Period.objects.get(kind="Y", year=2026), by=OPERATOR)


def seen(locator) -> bool:
    """On screen for sighted readers (a visually hidden element, 1 px and clipped, is not)."""
    box = locator.bounding_box()
    return locator.is_visible() and box["width"] > 2 and box["height"] > 2


def visible_red(page) -> list[str]:
    return [
        el.evaluate("e => e.outerHTML.slice(0, 120)")
        for el in page.locator(RED).all()
        if el.is_visible()
    ]


def test_a_new_report_shows_no_red_error_until_submission_is_tried(
    page, live_server, new_report, screen
):
    required = list(
        Indicator.objects.filter(appendix__version=new_report.template_version, required=True)
        .order_by("appendix__position", "position")
        .values_list("code", flat=True)
    )
    assert len(required) == 10
    log_in(page, live_server, "ct.chuyenvien")
    page.goto(f"{live_server.url}/bao-cao/{new_report.pk}/")
    assert visible_red(page) == []
    expect(page.get_by_test_id("required-blanks")).to_have_text("10 chỉ tiêu bắt buộc chưa nhập")

    page.goto(f"{live_server.url}/bao-cao/{new_report.pk}/phu-luc/{BIG}/")
    assert visible_red(page) == []
    expect(page.locator("[data-checks-count]")).to_have_text("0")
    blanks = page.locator("[data-blanks-next]")
    expect(blanks).to_contain_text("Chưa nhập 10")
    # The count's button visits the blank required values in printed order.
    focused = []
    for _ in range(2):
        blanks.click()
        focused.append(page.evaluate("document.activeElement.name"))
    assert focused == [f"{BIG}-v-{code}" for code in required[:2]]
    page.keyboard.type("24")
    page.keyboard.press("Tab")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc", timeout=15000)
    expect(blanks).to_contain_text("Chưa nhập 9")
    assert visible_red(page) == []

    # The leader tries to submit: from now on the blanks are errors, listed and marked.
    with pytest.raises(SubmissionRefused):
        report_submit(report=Report.objects.get(pk=new_report.pk), by=_leader())
    page.reload()
    panel = page.locator("[data-violations-panel]")
    expect(panel.locator(".alert-danger")).to_have_count(9)
    listed = panel.locator("[data-violation]").count()  # and a rule that could not run yet
    expect(page.locator("[data-checks-count]")).to_have_text(str(listed))
    expect(page.locator(f"[name='{BIG}-v-{required[0]}']")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator(f"[name='{BIG}-v-{required[1]}']")).not_to_have_attribute(
        "aria-invalid", "true"
    )


def _leader():
    from org.models import User

    return User.objects.get(username="ct.lanhdao")


def test_a_row_reached_by_its_address_lands_below_the_sticky_bar(
    page, live_server, new_report, screen
):
    # A reviewer's comment links to its row: /bao-cao/N/phu-luc/X/#ct-code.
    log_in(page, live_server, "ct.chuyenvien")
    page.goto(f"{live_server.url}/bao-cao/{new_report.pk}/phu-luc/{BIG}/#ct-hs_tiep_nhan")
    row, bar = page.locator("#ct-hs_tiep_nhan"), page.locator("[data-entry-bar]")
    expect(row).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 1000
    bar_box = bar.bounding_box()
    assert row.bounding_box()["y"] >= bar_box["y"] + bar_box["height"] - 1


@pytest.fixture
def draft(cast, journey_template) -> Report:
    return report_create(unit=cast.department, period=cast.period, by=cast.staff)


def test_a_check_message_is_shown_once_and_its_input_only_marked(page, live_server, cast, draft):
    report_save_values(
        by=OPERATOR,
        report=draft,
        appendix=appendix(draft, "pl1"),
        values={"so_nv": (Decimal(5), ""), "so_ht": (Decimal(8), "")},
        expected=None,
    )
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/pl1/")
    message = page.get_by_text("Số nhiệm vụ hoàn thành vượt số đề ra")
    shown = [m for m in message.all() if seen(m)]
    assert len(shown) == 1
    assert shown[0].evaluate("e => !!e.closest('[data-violations-panel]')")
    done = page.locator("[name='pl1-v-so_ht']")
    expect(done).to_have_attribute("aria-invalid", "true")
    description = page.locator(f"#{done.get_attribute('aria-describedby').split()[0]}")
    expect(description).to_contain_text("vượt số đề ra")  # read with the input
    assert not seen(description)
    # The check's link leads to a cell with its value selected: typing replaces it.
    page.locator("[data-violations-panel]").get_by_role("link", name="Đến ô số liệu").click()
    target = page.evaluate("document.activeElement.name")
    assert target in ("pl1-v-so_nv", "pl1-v-so_ht")
    page.keyboard.type("9")
    expect(page.locator(f"[name='{target}']")).to_have_value("9")
    page.keyboard.press("Escape")  # put back
    # Still once after an autosave redraws the marks.
    page.locator("[name='pl1-v-ct_3']").fill("3")
    page.locator("[name='pl1-v-ct_3']").press("Tab")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc", timeout=15000)
    assert len([m for m in message.all() if seen(m)]) == 1


def test_the_previous_value_its_change_and_a_quiet_flag_asking_for_a_note(
    page, live_server, cast, draft, screen
):
    last_year = report_create(
        unit=cast.department, period=make_period(year=2025), by=OPERATOR, historical=True
    )
    report_save_values(
        by=OPERATOR,
        report=last_year,
        appendix=appendix(last_year, "pl1"),
        values={"so_nv": (Decimal(10), ""), "so_ht": (Decimal(8), "")},
        expected=None,
    )
    Report.objects.filter(pk=last_year.pk).update(
        state=ReportState.APPROVED, approved_at="2026-01-20T09:00+07:00"
    )
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/phu-luc/pl1/")
    expect(page.locator("[data-entry-indicators] thead")).to_contain_text("Kỳ trước")
    cell = page.locator("#ct-so_nv [data-previous]")
    expect(cell).to_have_text("10")
    value, note = page.locator("[name='pl1-v-so_nv']"), page.locator("[name='pl1-note-so_nv']")

    value.fill("40")  # four times last year's
    value.press("Tab")
    expect(cell).to_contain_text("+30 (+300%)", timeout=15000)
    flag = cell.locator("[data-outlier]")
    expect(flag).to_contain_text("gấp 4 lần")
    expect(flag).to_contain_text("ghi chú lý do")
    # Quiet: no error, nothing in the check list; read with the value and the note.
    assert visible_red(page) == []
    expect(page.locator("[data-violations-panel]")).not_to_contain_text("gấp 4 lần")
    assert flag.get_attribute("id") in value.get_attribute("aria-describedby").split()
    assert flag.get_attribute("id") in note.get_attribute("aria-describedby").split()

    note.fill("Thêm nhiệm vụ theo Kế hoạch bổ sung")
    note.press("Tab")
    expect(flag).to_contain_text("đã ghi chú lý do", timeout=15000)
    value.fill("20")
    value.press("Tab")
    expect(cell).to_contain_text("+10 (+100%)", timeout=15000)
    expect(cell.locator("[data-outlier]")).to_have_count(0)
    expect(page.locator("#ct-so_ht [data-previous]")).to_have_text("8")  # no value yet


def test_leaving_asks_only_while_something_is_not_saved(page, live_server, cast, draft):
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/muc/chi_dao/")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_test_id("editor").click()
    page.keyboard.type("Đã ban hành kế hoạch.")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc", timeout=15000)
    page.get_by_role("heading").first.click()  # the editor loses focus: nothing new to save
    page.wait_for_timeout(700)
    page.get_by_role("link", name="Tổng quan").first.click()
    expect(page).to_have_url(f"{live_server.url}/bao-cao/{draft.pk}/")
    assert dialogs == []

    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/muc/chi_dao/")
    page.get_by_test_id("editor").click()
    page.keyboard.type(" Thêm")
    page.close(run_before_unload=True)  # before the autosave: asked
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_a_rich_text_table_is_filled_by_keyboard(page, live_server, cast, draft):
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/muc/chi_dao/")
    editor = page.get_by_test_id("editor")
    editor.click()
    page.keyboard.type("Kết quả:")
    page.get_by_role("button", name="Bảng").click()
    # The caret is in the first cell; Tab goes from cell to cell, Shift+Tab back.
    page.keyboard.type("Nhiệm vụ")
    page.keyboard.press("Tab")
    page.keyboard.type("Kết quả")
    page.keyboard.press("Tab")
    page.keyboard.type("Tuyên truyền")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    page.keyboard.type(" chính")
    for _ in range(3):
        page.keyboard.press("Tab")
    page.keyboard.type("Đạt")
    page.keyboard.press("Tab")  # the last cell holds something: a new row
    page.keyboard.type("Khác")
    cells = editor.locator("td")
    expect(cells).to_have_count(6)
    assert cells.all_inner_texts()[:5] == [
        "Nhiệm vụ chính",
        "Kết quả",
        "Tuyên truyền",
        "Đạt",
        "Khác",
    ]
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # an empty last cell: on below the table, then out of the editor
    page.keyboard.type("Xong.")
    expect(editor.locator("table + p")).to_have_text("Xong.")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã lưu lúc", timeout=15000)
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.closest('[data-testid=editor]')")
    saved = Report.objects.get(pk=draft.pk).sections.get(outline__code="chi_dao").content
    assert "<td>Nhiệm vụ chính</td>" in saved and "<td>Khác</td>" in saved
