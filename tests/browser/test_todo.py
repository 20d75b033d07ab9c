""" "Việc cần làm" in Chromium on the demo, at desktop and phone width: the reviewer finds the
submitted quarter report (which the dashboard's default year period hides) on the home page,
with the count in the navigation, opens it, and reminds every late unit in one click; the
leader finds the reports to sign across periods; staff the returned report with its reason."""

import datetime

import pytest
from playwright.sync_api import expect

from demo.loader import DEMO_PASSWORD, load_demo
from org.permissions import OPERATOR
from reports.models import Period, Report, ReportState
from reports.services.periods import period_create
from tests.browser.conftest import log_in
from tests.browser.test_review_journey import SIZES, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    """The demo as scripts/demo loads it today, and last year's year report still open past
    its deadline: every Cần Thơ unit is late with it."""
    today = datetime.date.today()
    load_demo(today)
    period = Period.objects.filter(kind="Y", year=today.year - 1).first() or period_create(
        by=OPERATOR, kind="Y", year=today.year - 1
    )
    Period.objects.filter(pk=period.pk).update(is_open=True)
    return today


def open_menu(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()


@pytest.mark.parametrize("width", SIZES)
def test_the_reviewer_finds_a_quarter_report_and_reminds_the_late_units(
    page, live_server, demo, width
):
    page.set_viewport_size(SIZES[width])
    quarter = Report.objects.get(
        unit__code="can-tho-skhcn", period__kind="Q3", state=ReportState.SUBMITTED
    )
    log_in(page, live_server, "cantho.thamdinh", DEMO_PASSWORD)
    expect(page.get_by_test_id("page-title")).to_have_text("Việc cần làm")
    items = page.get_by_test_id("todo-item")
    open_menu(page)
    expect(page.get_by_test_id("todo-count")).to_contain_text(str(items.count()))
    review = page.get_by_test_id("todo-review")
    expect(review).to_contain_text(quarter.title)
    late = page.get_by_test_id("todo-late")
    expect(late).to_contain_text(f"năm {demo.year - 1}")
    expect(late).to_contain_text("Sở Tài chính")
    page.screenshot(path=f"/tmp/ux-todo-reviewer-{width}.png", full_page=True)
    late.get_by_role("button", name="Nhắc tất cả đơn vị quá hạn").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã nhắc")
    review.get_by_role("link", name=quarter.title, exact=False).first.click()
    page.wait_for_url(f"**/bao-cao/{quarter.pk}/")
    expect(page.get_by_label("Duyệt", exact=True)).to_be_visible()  # the decision form
    sign_out(page)


@pytest.mark.parametrize("width", SIZES)
def test_the_leader_signs_across_periods_and_staff_fix_the_returned_report(
    page, live_server, demo, width
):
    page.set_viewport_size(SIZES[width])
    waiting = Report.objects.filter(
        unit__code="can-tho-skhcn", state__in=[ReportState.DRAFT, ReportState.RETURNED]
    )
    log_in(page, live_server, "cantho.lanhdao", DEMO_PASSWORD)
    sign = page.get_by_test_id("todo-sign")
    expect(sign.get_by_test_id("todo-item")).to_have_count(waiting.count())
    for report in waiting:
        expect(sign).to_contain_text(report.period.label)
    page.screenshot(path=f"/tmp/ux-todo-leader-{width}.png", full_page=True)
    sign_out(page)

    returned = waiting.get(state=ReportState.RETURNED)
    log_in(page, live_server, "cantho.chuyenvien", DEMO_PASSWORD)
    write = page.get_by_test_id("todo-write")
    item = write.get_by_test_id("todo-item").filter(has_text=returned.period.label)
    item.get_by_role("link", name="Sửa theo nhận xét").click()
    page.wait_for_url(f"**/bao-cao/{returned.pk}/")
    expect(page.get_by_text("Số liệu Phụ lục II chưa khớp", exact=False).first).to_be_visible()
