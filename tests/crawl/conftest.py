import datetime
import re

import pytest
from django.db import transaction
from django.test import Client

from demo.loader import DEMO_PASSWORD, load_demo

from .crawler import DOWNLOADS, CrawlResult, Downloads, crawl

DEMO_DAY = datetime.date(2026, 11, 22)
# Every role in two provinces whose departments have reports in every state, and the admin.
CRAWL_USERS = [
    "quantri",
    *(
        f"{province}.{role}"
        for province in ("cantho", "gialai")
        for role in ("chuyenvien", "lanhdao", "thamdinh", "tuphap")
    ),
    "cantho.lanhdaotinh",  # signs the province's own report
]


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the package, rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(DEMO_DAY)
        yield
        transaction.set_rollback(True)


# Each download checked once across users (its permission is that of its report's page, which
# every user opens); a few PDFs only: each takes seconds to render (tests/reports/test_exports
# checks their content).
DOWNLOADS_CHECKED = Downloads(limits={DOWNLOADS[".pdf"]: 3})
# Crawls made in this package, reused by the fuzzer.
CRAWLS: dict[str, CrawlResult] = {}


def login(username) -> Client:
    client = Client(raise_request_exception=False)
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def admin_site_skip(url: str) -> bool:
    # Django's own admin: its index and list pages, not every object's form, history, sorting
    # and filter.
    return url.startswith("/quan-tri/") and (url.count("/") > 4 or "?" in url)


# Pages alike, a few of each: the history of each of a report's indicators, the dashboard under
# each filter and its page of each indicator, a template's preview for each unit.
FAMILIES = {
    re.compile(r"^/bao-cao/\d+/lich-su/chi-tieu/"): 4,
    re.compile(r"^/bang-theo-doi/chi-tieu/"): 12,
    re.compile(r"^/bang-theo-doi/\?"): 40,
    re.compile(r"^/mau/phien-ban/\d+/xem-truoc/\?"): 4,
}


def crawl_as(username) -> CrawlResult:
    if username not in CRAWLS:
        client = login(username)
        CRAWLS[username] = crawl(
            client,
            username,
            skip=admin_site_skip,
            downloads=DOWNLOADS_CHECKED,
            families=FAMILIES,
        )
    return CRAWLS[username]
