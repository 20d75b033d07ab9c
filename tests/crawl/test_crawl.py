"""Every page a demo user can reach by links opens, for every role, on reports in every state.

A link that leads to 403/404/405 for the user who was shown it is a bug; so is a 5xx, a Django
error page, "None"/"nan"/"[object Object]" printed as a value, or a download of the wrong type.
Pages a role may not edit redirect to the report (documented); a redirect to the login page is a
bug.
"""

import time

import pytest

from .conftest import CRAWL_USERS, crawl_as

pytestmark = [pytest.mark.crawl, pytest.mark.django_db]


@pytest.mark.parametrize("username", CRAWL_USERS)
def test_every_link_opens(demo, username):
    started = time.monotonic()
    result = crawl_as(username)
    elapsed = time.monotonic() - started
    print(f"{username}: {len(result.pages)} pages, {len(result.forms)} forms in {elapsed:.1f}s")
    assert len(result.pages) > 40
    if result.problems:
        pytest.fail(
            f"{len(result.problems)} broken pages:\n" + "\n".join(map(str, result.problems))
        )
