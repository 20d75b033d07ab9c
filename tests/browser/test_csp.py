import pytest

from tests.browser.conftest import log_in
from tests.browser.csp import watch_csp

pytestmark = pytest.mark.browser


def test_an_inline_style_is_reported_as_a_violation(browser, live_server, db, settings):
    settings.ROOT_URLCONF = "tests.ops.urls"
    page = browser.new_page()  # not the watched fixture: this page is meant to violate
    violations = watch_csp(page)
    page.goto(f"{live_server.url}/csp-vi-pham/")
    page.wait_for_load_state("load")
    page.close()
    assert violations and "inline style" in violations[0]


def test_the_entry_and_template_pages_load_without_violations(page, live_server, cast):
    # The `context` fixture fails this test on any violation; the pages must also work.
    log_in(page, live_server, cast.staff.username)
    page.goto(f"{live_server.url}/thong-bao/")
    assert page.get_by_role("heading").first.is_visible()
