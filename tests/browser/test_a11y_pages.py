"""axe-core (WCAG 2.0/2.1 A and AA) on the pages a user of each role reaches by following links
in the demo: home, a report's overview, header, sections, every appendix (the large ones
included), validation, history, submit, notifications, the dashboard and its drill-down, unit
pages, templates and periods. Pages alike (another report's same appendix, another unit) are
checked once per user. The browser journeys check their own pages through the `context`
fixture (tests/browser/conftest.py); docs/accessibility.md says how to rerun either.
"""

import datetime
import re
import time
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from org.models import Unit, User
from reports.access import OPERATOR, reports_visible_to
from reports.demo import DEMO_PASSWORD, load_demo
from reports.models import Period, Report
from reports.services.compose import report_create
from tests.browser.a11y import Results, assert_accessible, audit, watch_a11y
from tests.browser.conftest import log_in
from tests.browser.csp import assert_no_csp_violations, watch_csp

pytestmark = pytest.mark.browser

DEMO_DAY = datetime.date(2026, 11, 22)
# One user of each role; the Gia Lai reviewer has Bình Định's submitted report to review.
USERS = ["quantri", "cantho.chuyenvien", "cantho.lanhdao", "gialai.thamdinh"]
MAX_PAGES = 60  # per user; a bound, not a target
# Not pages: downloads, leaving the session, static files. Django's own admin is left out.
SKIP = re.compile(
    r"\.(pdf|docx|xlsx)$|/tai-ve/$|/tai-excel/$|^/dang-xuat/|^/static/|^/media/|^/quan-tri/"
)
# One page stands for its family: the same view of another object.
FAMILIES = [
    (re.compile(r"\d+"), "N"),
    (re.compile(r"/lich-su/chi-tieu/[^/]+/"), "/lich-su/chi-tieu/X/"),
    (re.compile(r"/bang-theo-doi/chi-tieu/[^/]+/"), "/bang-theo-doi/chi-tieu/X/"),
    (re.compile(r"^/don-vi/[^/]+/"), "/don-vi/X/"),
    (re.compile(r"/muc/[^/]+/"), "/muc/X/"),
]
# How many of a family are checked (one unless said): every report the user may read, since
# each report's template brings its own appendices.
# Narrative sections all share one page layout; appendices are each checked (their tables differ).
FAMILY_LIMITS = {"/bao-cao/N/": 8, "/bao-cao/N/muc/X/": 3, "/don-vi/X/": 3, "/bang-theo-doi/?": 3}
# Pages every crawl must have checked, so that a broken link-following cannot pass silently.
MUST_SEE = {
    "quantri": ["/mau/", "/ky-bao-cao/", "/bao-cao/N/phu-luc/", "/bao-cao/N/kiem-tra/"],
    "cantho.chuyenvien": ["/bao-cao/N/", "/bao-cao/N/thong-tin-chung/", "/bao-cao/N/muc/"],
    "cantho.lanhdao": ["/thong-bao/"],
    "gialai.thamdinh": ["/bang-theo-doi/", "/bao-cao/N/lich-su/"],
}


def family(path: str, query: str) -> str:
    for pattern, replacement in FAMILIES:
        path = pattern.sub(replacement, path)
    return path + ("?" if query else "")


@pytest.fixture
def demo(db):
    load_demo(DEMO_DAY)
    # A draft of the open year for the Cần Thơ department, with its appendices to fill.
    report_create(
        unit=Unit.objects.get(code="can-tho-skhcn"),
        period=Period.objects.get(kind="Y", year=DEMO_DAY.year),
        by=OPERATOR,
    )
    assert Report.objects.count() >= 5


def crawl(page, base: str, results: Results, start: list[str]) -> list[str]:
    """Follows links breadth-first from the start pages; audits one page per family."""
    visited: set[str] = set()
    counts: dict[str, int] = {}
    queue = list(start)
    checked: list[str] = []
    while queue and len(checked) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        key = family(parts.path, parts.query)
        if url in visited or counts.get(key, 0) >= FAMILY_LIMITS.get(key, 1):
            continue
        visited.add(url)
        counts[key] = counts.get(key, 0) + 1
        response = page.goto(base + url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        audit(page, results)
        checked.append(key)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            link = urlsplit(urljoin(page.url, href))
            if link.netloc != urlsplit(base).netloc or SKIP.search(link.path):
                continue
            target = link.path + (f"?{link.query}" if link.query else "")
            if target not in visited:
                queue.append(target)
    return checked


@pytest.mark.parametrize("username", USERS)
def test_every_page_a_user_reaches_passes_axe(
    browser, browser_context_args, live_server, demo, username
):
    context = browser.new_context(**browser_context_args)
    csp = watch_csp(context)
    results = watch_a11y(context, auto=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"^(?!.*dang-nhap)"))
    started = time.monotonic()
    # The home page, and each report the user may read (reached in the portal through unit
    # pages and the dashboard's filters, which the family limits cut short).
    user = User.objects.get(username=username)
    reports = reports_visible_to(user).order_by("pk").values_list("pk", flat=True)
    start = ["/", *(f"/bao-cao/{pk}/" for pk in reports)]
    checked = crawl(page, live_server.url, results, start)
    print(f"{username}: {len(checked)} pages checked in {time.monotonic() - started:.1f}s")
    context.close()
    for prefix in MUST_SEE[username]:
        assert any(key.startswith(prefix) for key in checked), f"{prefix} never reached"
    assert_no_csp_violations(csp)
    assert_accessible(results)


def test_axe_reports_what_it_finds(browser, browser_context_args):
    # The check itself can fail: grey-on-white text and an image without a text alternative.
    context = browser.new_context(**browser_context_args)
    results = watch_a11y(context, auto=False)
    page = context.new_page()
    html = (
        '<!doctype html><html lang="vi"><head><title>Thử</title></head><body><main>'
        '<p class="faint">Chữ mờ</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        "<style>.faint { color: #bbb; }</style></main></body></html>"
    )
    page.route(
        "http://a11y.invalid/", lambda route: route.fulfill(body=html, content_type="text/html")
    )
    page.goto("http://a11y.invalid/")
    audit(page, results)
    context.close()
    assert {f.rule for f in results.findings} >= {"color-contrast", "image-alt"}
    with pytest.raises(AssertionError, match="color-contrast"):
        assert_accessible(results)


def test_pages_have_a_skip_link_landmarks_and_a_title_naming_the_report(
    page, live_server, cast, journey_template
):
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/phu-luc/ke_hoach/")
    expect(page).to_have_title(
        f"Phụ lục 2 — Báo cáo năm {cast.period.year} — {cast.department.display_name}"
    )
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Menu chính")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)
    # The first Tab shows the skip link; following it puts the keyboard in the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua menu, đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/kiem-tra/")
    expect(page).to_have_title(
        f"Kiểm tra số liệu — Báo cáo năm {cast.period.year} — {cast.department.display_name}"
    )
