"""Every page fits a phone: each page the crawler reaches as a user of each role on the demo
(reports in every state) is opened in Chromium 390 px wide, and the document must be no wider
than the screen. A wide table may scroll inside its own box; the page itself never scrolls
sideways (that is what cut "Xem báo cáo" off the staff home and the dashboard)."""

import re
import time

import pytest

from demo.loader import DEMO_PASSWORD, load_demo
from tests.browser.conftest import log_in
from tests.browser.test_a11y_pages import FOLLOW, STARTS, USERS
from tests.crawl.conftest import DEMO_DAY
from tests.crawl.crawler import DOWNLOADS, Downloads, crawl

pytestmark = [pytest.mark.browser, pytest.mark.crawl]
PHONE = {"width": 390, "height": 844}
# The document's width, and the widest elements that stick out (to say what to fix).
MEASURE = """() => {
  const width = document.documentElement.scrollWidth;
  const out = [];
  if (width > innerWidth) {
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > innerWidth + 1 && r.width > 0) {
        out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ` +
                 `(${Math.round(r.right)} px): ${(el.innerText || "").slice(0, 40)}`);
      }
    }
  }
  return {width, out: out.slice(0, 5)};
}"""


@pytest.fixture
def demo(transactional_db):
    load_demo(DEMO_DAY)


def crawled_pages(client, username) -> list[str]:
    """Every HTML page the user reaches by links (no downloads, no Django admin)."""
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
        pages.update(reached.pages)
    return [url for url, status in pages.items() if status == 200]


@pytest.mark.parametrize("username", USERS)
def test_every_page_fits_390_px(browser, browser_context_args, live_server, demo, username, client):
    assert client.login(username=username, password=DEMO_PASSWORD)
    urls = crawled_pages(client, username)
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE})
    page = context.new_page()
    log_in(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"^(?!.*dang-nhap)"))
    started = time.monotonic()
    too_wide = []
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        measured = page.evaluate(MEASURE)
        if measured["width"] > PHONE["width"]:
            too_wide.append(f"{url}: {measured['width']} px\n    " + "\n    ".join(measured["out"]))
    context.close()
    print(f"{username}: {len(urls)} pages at 390 px in {time.monotonic() - started:.1f}s")
    assert len(urls) > 20
    assert too_wide == [], "\n".join(too_wide)
