"""axe-core (WCAG 2.0/2.1 A and AA) on the pages a user of each role reaches by following links
in the demo (reports in every state): home, reports' overviews, header, sections, every appendix
(the large ones included), validation, history, submit, notifications, the dashboard, its
filters and drill-down, unit pages, templates and periods. The links are followed by the
crawler of tests/crawl (Django's test client, fast); one page of each family (another report's
same appendix is the same page) is then opened in Chromium and checked. The browser journeys
check their own pages through the `context` fixture (tests/browser/conftest.py);
docs/accessibility.md says how to rerun either.
"""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from demo.loader import DEMO_PASSWORD, load_demo
from reports.services.compose import report_create
from tests.browser.a11y import assert_accessible, audit, watch_a11y
from tests.browser.conftest import log_in
from tests.browser.csp import assert_no_csp_violations, watch_csp
from tests.crawl.conftest import DEMO_DAY
from tests.crawl.crawler import DOWNLOADS, Downloads, crawl

pytestmark = pytest.mark.browser

# One user of each role, in the province whose reports are in every state.
USERS = [
    "quantri",
    "cantho.chuyenvien",
    "cantho.lanhdao",
    "cantho.thamdinh",
    "cantho.lanhdaotinh",  # signs the province's own report
]
# Bounds for the link-following (pattern: how many pages whose match is the same): a handful
# of reports, a few sections of each (one layout), one indicator history, a few units.
FOLLOW = {
    re.compile(r"^/bao-cao/(?=\d+/$)"): 8,
    re.compile(r"^/bao-cao/\d+/muc/"): 2,
    re.compile(r"^/bao-cao/\d+/lich-su/chi-tieu/"): 1,
    re.compile(r"^/bao-cao/\d+/tinh/chi-tieu/"): 2,
    re.compile(r"^/don-vi/"): 4,
    re.compile(r"^/bang-theo-doi/\?"): 4,
    re.compile(r"^/bang-theo-doi/chi-tieu/"): 2,
    re.compile(r"^/mau/phien-ban/"): 6,
}
# Pages alike, checked in the browser once (or as many times as FAMILY_LIMITS says).
FAMILIES = [
    (re.compile(r"\d+"), "N"),
    (re.compile(r"/lich-su/chi-tieu/[^/]+/"), "/lich-su/chi-tieu/X/"),
    (re.compile(r"/tinh/chi-tieu/[^/]+/"), "/tinh/chi-tieu/X/"),
    (re.compile(r"/bang-theo-doi/chi-tieu/[^/]+/"), "/bang-theo-doi/chi-tieu/X/"),
    (re.compile(r"^/don-vi/[^/]+/"), "/don-vi/X/"),
    (re.compile(r"/muc/[^/]+/"), "/muc/X/"),
]
# Reports in each state differ (buttons, comments, badges); narrative sections share a layout;
# appendices are each checked (their tables differ).
FAMILY_LIMITS = {"/bao-cao/N/": 8, "/bao-cao/N/muc/X/": 2, "/don-vi/X/": 2, "/bang-theo-doi/?": 3}
# Where the links are followed from: the administrator's home leads to provinces without
# reports first, so also from the Cần Thơ department whose reports are in every state.
STARTS = {"quantri": ["/", "/don-vi/can-tho-skhcn/"]}
# Pages every run must have checked, so that a broken link-following cannot pass silently.
MUST_SEE = {
    "quantri": ["/mau/", "/ky-bao-cao/", "/bao-cao/N/phu-luc/", "/bao-cao/N/kiem-tra/"],
    "cantho.chuyenvien": ["/bao-cao/N/", "/bao-cao/N/thong-tin-chung/", "/bao-cao/N/muc/X/"],
    "cantho.lanhdao": ["/thong-bao/", "/bao-cao/N/gui/"],
    "cantho.thamdinh": ["/bang-theo-doi/", "/bao-cao/N/lich-su/", "/bao-cao/N/phu-luc/"],
    "cantho.lanhdaotinh": ["/bao-cao/N/tinh/", "/bao-cao/N/tinh/chi-tieu/"],
}


def family(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path
    for pattern, replacement in FAMILIES:
        path = pattern.sub(replacement, path)
    return path + ("?" if parts.query else "")


@pytest.fixture
def demo(db):
    load_demo(DEMO_DAY)


def pages_to_check(username: str) -> list[str]:
    """The pages the crawler reaches as the user (no downloads, no Django admin), one or a few
    of each family, in the order the links were found."""
    client = Client(raise_request_exception=False)
    assert client.login(username=username, password=DEMO_PASSWORD)
    no_downloads = Downloads(limits=dict.fromkeys(DOWNLOADS.values(), 0))
    pages: dict[str, int] = {}
    for start in STARTS.get(username, ["/"]):
        reached = crawl(
            client,
            username,
            start=start,
            skip=lambda url: url.startswith("/quan-tri/"),
            downloads=no_downloads,
            families=FOLLOW,
        )
        assert not reached.problems, "\n".join(map(str, reached.problems))
        pages.update((url, status) for url, status in reached.pages.items() if url not in pages)
    counts: dict[str, int] = {}
    chosen = []
    for url, status in pages.items():
        key = family(url)
        if status != 200 or counts.get(key, 0) >= FAMILY_LIMITS.get(key, 1):
            continue
        counts[key] = counts.get(key, 0) + 1
        chosen.append(url)
    return chosen


@pytest.mark.parametrize("username", USERS)
def test_every_page_a_user_reaches_passes_axe(
    browser, browser_context_args, live_server, demo, username
):
    started = time.monotonic()
    urls = pages_to_check(username)
    followed = time.monotonic() - started
    context = browser.new_context(**browser_context_args)
    csp = watch_csp(context)
    results = watch_a11y(context, auto=False)
    page = context.new_page()
    log_in(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"^(?!.*dang-nhap)"))
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        audit(page, results)
    context.close()
    print(
        f"{username}: {len(urls)} pages checked (links followed in {followed:.1f}s, "
        f"browser and axe {time.monotonic() - started - followed:.1f}s)"
    )
    checked = {family(url) for url in urls}
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
