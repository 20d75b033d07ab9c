"""The API's documentation page in Chromium: Swagger UI from our own static files draws every
operation of the schema, under the site's CSP and WCAG 2.1 AA (the `context` fixture fails the
test on any violation of either)."""

import json

import pytest

from api.schema import openapi_json

pytestmark = pytest.mark.browser


def test_the_docs_page_shows_every_operation_in_vietnamese(page, live_server, db):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock")
    operations = sum(len(ops) for ops in json.loads(openapi_json())["paths"].values())
    assert page.locator(".opblock").count() == operations
    assert page.get_by_text("Các báo cáo hệ thống được đọc").is_visible()
    # Nothing fetched from anywhere but the portal.
    assert requests and all(url.startswith(live_server.url) for url in requests)
