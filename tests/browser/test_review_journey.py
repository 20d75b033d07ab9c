"""The whole review journey with four people: staff, leader, reviewer, and staff again."""

import pytest
from playwright.sync_api import expect

from reports.models import Report, ReportState
from tests.browser.conftest import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_indicators(page, live_server, report, values):
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/phu-luc/pl1/")
    for code, value in values.items():
        page.locator(f"[name='pl1-v-{code}']").fill(value)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lưu")


def test_report_goes_from_draft_to_approved_and_is_then_locked(
    page, live_server, cast, journey_template
):
    # Staff prepare the report.
    log_in(page, live_server, cast.staff.username)
    page.get_by_role("button", name="Lập báo cáo năm 2026").click()
    report = Report.objects.get(unit=cast.department)
    fill_indicators(page, live_server, report, {"so_nv": "10", "so_ht": "8", "ct_3": "3"})
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/gui/")
    expect(page.get_by_text("Lãnh đạo đơn vị ký và gửi báo cáo.")).to_be_visible()
    log_out(page)

    # The leader submits.
    log_in(page, live_server, cast.leader.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/gui/")
    page.get_by_role("button", name="Ký và gửi báo cáo").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã gửi")
    log_out(page)

    # The reviewer returns it with two comments.
    log_in(page, live_server, cast.reviewer.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    panel = page.get_by_test_id("review-panel")
    panel.get_by_label("Về").select_option(label="Phụ lục 1 – 2 Số nhiệm vụ hoàn thành")
    panel.get_by_label("Nhận xét").fill("Số hoàn thành chưa khớp với báo cáo quý.")
    panel.get_by_role("button", name="Thêm nhận xét").click()
    panel = page.get_by_test_id("review-panel")
    panel.get_by_label("Về").select_option(label="Cả báo cáo")
    panel.get_by_label("Nhận xét").fill("Bổ sung phần kiến nghị.")
    panel.get_by_role("button", name="Thêm nhận xét").click()
    page.get_by_test_id("review-panel").get_by_label("Trả lại", exact=True).check()
    page.get_by_label("Lý do trả lại / ý kiến").fill("Xem hai nhận xét.")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_test_id("state")).to_have_text("Trả lại")
    log_out(page)

    # Staff see the comments, fix and mark them addressed; the leader resubmits.
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    comments = page.get_by_test_id("comments")
    expect(comments).to_contain_text("Số hoàn thành chưa khớp")
    fill_indicators(page, live_server, report, {"so_ht": "9"})
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/muc/kien_nghi/")
    page.get_by_test_id("editor").click()
    page.keyboard.type("Đề nghị Sở Nội vụ tổ chức tập huấn.")
    page.get_by_role("button", name="Lưu").click()
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    for _ in range(2):
        page.get_by_role("button", name="Đánh dấu đã xử lý").first.click()
    expect(page.get_by_test_id("comments")).to_contain_text("đã xử lý")
    log_out(page)
    log_in(page, live_server, cast.leader.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/gui/")
    page.get_by_role("button", name="Gửi lại báo cáo").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã gửi lại")
    log_out(page)

    # The reviewer sees what changed, and approves.
    log_in(page, live_server, cast.reviewer.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/lich-su/")
    changes = page.get_by_test_id("changes")
    expect(changes).to_contain_text("Số nhiệm vụ hoàn thành")
    expect(changes).to_contain_text("Đề nghị Sở Nội vụ tổ chức tập huấn.")
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    page.get_by_test_id("review-panel").get_by_label("Duyệt", exact=True).check()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã duyệt")
    log_out(page)

    # Nobody can edit it any more, through any page.
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/phu-luc/pl1/")
    expect(page.locator("[name='pl1-v-so_ht']")).to_be_disabled()
    expect(page.get_by_role("button", name="Lưu")).to_have_count(0)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/thong-tin-chung/")
    expect(page.get_by_label("Trích yếu")).to_be_disabled()
    expect(page.get_by_role("button", name="Lưu")).to_have_count(0)
    # They may read the report, so the refusal is a 403 that says why (reports.access).
    response = page.goto(f"{live_server.url}/bao-cao/{report.pk}/gui/")
    assert response.status == 403
    expect(page.get_by_test_id("refusal-reason")).to_have_text(
        "Báo cáo đã được duyệt, không thể chỉnh sửa."
    )
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert report.values.get(indicator__code="so_ht").number == 9
