"""Composing a report as staff would, and two people editing the same part."""

import re

import pytest
from playwright.sync_api import expect

from reports.models import Report
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_composes_a_report_and_finds_everything_after_reload(
    page, live_server, cast, journey_template
):
    log_in(page, live_server, cast.staff.username)
    page.get_by_role("button", name="Lập báo cáo năm 2026").click()
    expect(page.get_by_test_id("page-title")).to_contain_text("năm 2026")
    report = Report.objects.get(unit=cast.department)

    # Header
    page.get_by_role("link", name="Thông tin chung", exact=True).click()
    page.get_by_label("Số", exact=True).fill("12")
    page.get_by_label("Trích yếu").fill("Kết quả công tác CCHC năm 2026 của Sở KH&CN")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lưu")

    # Two narrative sections
    for code, text in [
        ("chi_dao", "Đã ban hành Kế hoạch số 01/KH-SKHCN."),
        ("kien_nghi", "Đề nghị tập huấn."),
    ]:
        page.goto(f"{live_server.url}/bao-cao/{report.pk}/muc/{code}/")
        page.get_by_test_id("editor").click()
        page.keyboard.type(text)
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_role("alert").first).to_contain_text("Đã lưu")

    # Ten indicators, a live rule message, then the fix
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/phu-luc/pl1/")
    page.locator("[name='pl1-v-so_nv']").fill("5")
    page.locator("[name='pl1-v-so_ht']").fill("8")
    page.locator("[name='pl1-v-ct_3']").focus()
    expect(page.locator(".live-feedback").first).to_contain_text("hoàn thành vượt số đề ra")
    page.locator("[name='pl1-v-ct_3']").fill("mười")
    page.locator("[name='pl1-v-ct_4']").focus()
    expect(page.locator("[name='pl1-v-ct_3'] + .live-feedback")).to_be_visible()
    page.locator("[name='pl1-v-so_ht']").fill("4")
    for i in range(3, 12):
        page.locator(f"[name='pl1-v-ct_{i}']").fill(str(i * 10))
    page.locator("[name='pl1-v-ct_12']").fill("1.234")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lưu")
    expect(page.locator(".live-feedback")).to_have_count(0)

    # A table with three rows
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/phu-luc/ke_hoach/")
    for i, (name, planned, done) in enumerate(
        [
            ("Kế hoạch CCHC", "29", "28"),
            ("Kế hoạch kiểm tra", "4", "4"),
            ("Kế hoạch tuyên truyền", "10", "10"),
        ]
    ):
        page.get_by_role("button", name="Thêm dòng").click()
        page.locator(f"[name='t-ke_hoach-{i}-ten']").fill(name)
        page.locator(f"[name='t-ke_hoach-{i}-so_nv']").fill(planned)
        page.locator(f"[name='t-ke_hoach-{i}-so_ht']").fill(done)
    expect(page.locator("[data-total='so_nv']")).to_have_text("43")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lưu")

    # Everything is still there after a reload
    page.reload()
    expect(page.locator("[name='t-ke_hoach-2-ten']")).to_have_value("Kế hoạch tuyên truyền")
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/phu-luc/pl1/")
    expect(page.locator("[name='pl1-v-so_ht']")).to_have_value("4")
    expect(page.locator("[name='pl1-v-ct_12']")).to_have_value("1.234")
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/muc/kien_nghi/")
    expect(page.get_by_test_id("editor")).to_contain_text("Đề nghị tập huấn.")
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/thong-tin-chung/")
    expect(page.get_by_label("Số", exact=True)).to_have_value("12")


def test_second_of_two_simultaneous_saves_is_refused_and_both_texts_survive(
    browser, live_server, cast, journey_template
):
    from reports.services import report_create

    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    url = f"{live_server.url}/bao-cao/{report.pk}/muc/chi_dao/"
    first, second = browser.new_context(), browser.new_context()
    page_a, page_b = first.new_page(), second.new_page()
    log_in(page_a, live_server, cast.staff.username)
    log_in(page_b, live_server, cast.leader.username)
    page_a.goto(url)
    page_b.goto(url)

    page_a.get_by_test_id("editor").click()
    page_a.keyboard.type("Văn bản của chuyên viên")
    page_a.get_by_role("button", name="Lưu").click()
    expect(page_a.get_by_role("alert").first).to_contain_text("Đã lưu")

    page_b.get_by_test_id("editor").click()
    page_b.keyboard.type("Văn bản của lãnh đạo")
    page_b.get_by_role("button", name="Lưu").click()
    expect(page_b.get_by_test_id("conflict")).to_contain_text("vừa được người khác lưu")
    expect(page_b.get_by_test_id("stored-version")).to_contain_text("Văn bản của chuyên viên")
    expect(page_b.get_by_test_id("editor")).to_contain_text("Văn bản của lãnh đạo")
    assert re.search(
        "Văn bản của chuyên viên", report.sections.get(outline__code="chi_dao").content
    )
    first.close()
    second.close()
