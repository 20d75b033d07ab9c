"""The review journey with four people, at desktop and phone width: the reviewer reads every
tab and comments in place, staff see the reason and the comment, the leader resubmits, the
reviewer sees the changes by part and approves after confirming. Keeps docs/screens/."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.models import ReportState
from reports.services import report_create, report_save_table, report_save_values
from reports.services.workflow import report_submit
from tests.browser.conftest import log_in, log_out
from tests.factories import write_sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"
SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


def shot(page, name, width):
    """Retake docs/screens/ only when asked (SAVE_SCREENS=1): a normal run leaves them alone."""
    if os.environ.get("SAVE_SCREENS") == "1":
        SCREENS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENS / f"{name}-{width}.png", animations="disabled")


def sign_out(page):
    """At phone width the button sits in the collapsed menu."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    log_out(page)


def submitted_report(cast):
    """Filled in and submitted through the services; the entry pages have their own journeys."""
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    pl1 = report.template_version.appendices.get(code="pl1")
    values = {"so_nv": (2986670, ""), "so_ht": (8, "Theo kế hoạch"), "ct_3": (0, "")}
    report_save_values(report=report, by=cast.staff, appendix=pl1, values=values, expected=None)
    table = report.template_version.appendices.get(code="ke_hoach")
    rows = [{"ten": "Kế hoạch CCHC năm 2026", "so_nv": 12, "so_ht": 11}]
    total = {"so_nv": 12, "so_ht": 11}
    report_save_table(
        report=report, by=cast.staff, appendix=table, rows=rows, total=total, expected=None
    )
    write_sections(report, by=cast.staff)
    report_submit(report=report, by=cast.leader)
    return report


@pytest.mark.parametrize("width", SIZES)
def test_review_in_place_from_submission_to_approval(
    page, live_server, cast, journey_template, width
):
    page.set_viewport_size(SIZES[width])
    report = submitted_report(cast)
    base = f"{live_server.url}/bao-cao/{report.pk}"

    # The reviewer reads every tab of the submitted report.
    log_in(page, live_server, cast.reviewer.username)
    page.goto(f"{base}/")
    tabs = page.locator(".nav-tabs .nav-link")
    names = tabs.all_inner_texts()
    assert len(names) >= 6
    for i, name in enumerate(names):
        toggle = page.locator(".report-parts-toggle")  # the parts fold into a menu on a phone
        if toggle.is_visible():
            toggle.click()
        page.locator(".nav-tabs .nav-link").nth(i).click()
        expect(page.locator(".nav-tabs .nav-link.active")).to_have_text(name)
        if name.startswith(("Thông tin", "Phụ lục")) or name[:1] in "IVX":
            expect(page.get_by_test_id("read-view")).to_be_visible()
            expect(page.locator("input[name^='pl1-'], [data-autosave]")).to_have_count(0)
    page.goto(f"{base}/phu-luc/pl1/")
    blank = page.locator("#ct-ct_4 [data-value]")
    expect(blank).to_have_text("—")
    expect(page.locator("#ct-so_nv [data-value]")).to_have_text("2.986.670")
    expect(page.locator("#ct-ct_3 [data-value]")).to_have_text("0")

    # ... comments on one indicator from its row, and returns the report.
    row = page.locator("#ct-so_ht")
    row.locator("summary", has_text="Nhận xét").click()
    row.get_by_label("Nhận xét về Chỉ tiêu 2 Số nhiệm vụ hoàn thành").fill(
        "Số hoàn thành chưa khớp với báo cáo quý."
    )
    shot(page, "1-reviewer-comments-in-place", width)
    row.get_by_role("button", name="Gửi nhận xét").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã thêm nhận xét")
    assert page.url.endswith("/phu-luc/pl1/#ct-so_ht")
    expect(page.locator("#ct-so_ht [data-comment]")).to_contain_text("chưa khớp")
    page.goto(f"{base}/")
    expect(page.get_by_test_id("open-comments")).to_contain_text(
        "Chỉ tiêu I.2. Số nhiệm vụ hoàn thành (Phụ lục 1)"
    )
    panel = page.get_by_test_id("review-panel")
    panel.get_by_label("Trả lại", exact=True).check()
    panel.get_by_label("Lý do trả lại / ý kiến").fill("Xem lại số hoàn thành ở Phụ lục 1.")
    panel.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_test_id("state")).to_have_text("Trả lại")
    sign_out(page)

    # Staff see the reason at the top and the comment beside the indicator, and fix it.
    log_in(page, live_server, cast.staff.username)
    expect(page.get_by_test_id("unread-count")).to_have_text(re.compile(r"^1\b"))
    page.goto(f"{base}/")
    expect(page.get_by_test_id("return-reason")).to_contain_text("Xem lại số hoàn thành")
    shot(page, "2-staff-see-the-return-reason", width)
    page.goto(f"{base}/phu-luc/pl1/")
    expect(page.get_by_test_id("return-reason")).to_be_visible()
    expect(page.locator("#ct-so_ht [data-comment]")).to_contain_text("chưa khớp")
    page.locator("#ct-so_ht").scroll_into_view_if_needed()
    shot(page, "3-staff-see-the-comment-beside-the-indicator", width)
    page.locator("[name='pl1-v-so_ht']").fill("9")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lưu")
    sign_out(page)

    # The leader resubmits.
    log_in(page, live_server, cast.leader.username)
    page.goto(f"{base}/gui/")
    page.get_by_label("Tôi đã xem các phần còn trống").check()  # most indicators are blank
    page.get_by_role("button", name="Gửi lại báo cáo").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã gửi lại")
    sign_out(page)

    # The reviewer sees the changes by part, and approves after confirming.
    log_in(page, live_server, cast.reviewer.username)
    page.goto(f"{base}/")
    changes = page.get_by_test_id("top-changes")
    expect(changes.locator("[data-change-part]")).to_have_text(["Phụ lục 1 – THỐNG KÊ SỐ LIỆU"])
    expect(changes).to_contain_text("2 Số nhiệm vụ hoàn thành")
    changes.scroll_into_view_if_needed()
    shot(page, "4-reviewer-sees-the-changes-by-part", width)
    panel = page.get_by_test_id("review-panel")
    panel.get_by_label("Duyệt", exact=True).check()
    panel.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã gửi lại")
    confirm = page.get_by_label("Tôi đã xem 1 nhận xét chưa xử lý và vẫn duyệt báo cáo.")
    expect(confirm).to_be_visible()
    confirm.scroll_into_view_if_needed()
    shot(page, "5-reviewer-confirms-approval", width)
    confirm.check()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã duyệt")
    sign_out(page)

    # Nobody can edit it any more: staff read it.
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{base}/phu-luc/pl1/")
    expect(page.get_by_test_id("read-view")).to_be_visible()
    expect(page.locator("#ct-so_ht [data-value]")).to_have_text("9")
    expect(page.get_by_role("button", name="Lưu")).to_have_count(0)
    response = page.goto(f"{base}/gui/")
    assert response.status == 403
    expect(page.get_by_test_id("refusal-reason")).to_have_text(
        "Báo cáo đã được duyệt, không thể chỉnh sửa."
    )
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert report.values.get(indicator__code="so_ht").number == 9
