"""Server time of the four slow steps of issue 24 on the demo as scripts/demo runs it (SQLite,
DEBUG off): logging in, creating a report (the click and the report page it opens), uploading
the appendix workbook, opening and saving the 164-line template editor.

Needs a SQLite file holding the demo (it is copied; the copy is what the runs change):
    export DEBUG=1 DEMO_MODE=1 DATABASE_URL=sqlite:////tmp/journeys.sqlite3
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py load_demo
    .venv/bin/python benchmarks/bench_journeys.py [--runs 9]

Each step goes through Django's whole request handling (every middleware, the session, axes)
in one process, as a web worker runs it; one client for all runs, so that middleware is set up
once as in a server. One untimed run first, then `--runs` timed ones; the median and the best
are printed with the SQL query count and the load average before and after.
"""

import argparse
import io
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo12345"


def set_up(source: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="journeys-"))
    shutil.copy(source.removeprefix("sqlite:///"), folder / "db.sqlite3")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cchc_portal.settings",
        DEMO_MODE="1",
        DEBUG="0",
        SECRET_KEY="benchmark-only-" + "x" * 40,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        DATABASE_CONN_MAX_AGE="0",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return folder


def measure(name: str, step, runs: int) -> None:
    """`step()` returns the seconds of server time it spent (its requests only)."""
    from django.db import connection

    step()
    queries = []
    # A wrapper rather than the debug cursor: it outlives the connection closed after each request.
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        step()
    times = sorted(step() * 1000 for _ in range(runs))
    print(
        f"{name:<44} median {statistics.median(times):7.1f} ms   best {times[0]:7.1f} ms"
        f"   {len(queries)} queries"
    )


def timed(request, *args, **kwargs):
    started = time.perf_counter()
    response = request(*args, **kwargs)
    return response, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    source = os.environ.get("DATABASE_URL", "")
    if not source.startswith("sqlite:///"):
        sys.exit("DATABASE_URL must name the SQLite file of the demo (see the docstring).")
    folder = set_up(source)

    from django.contrib.auth.hashers import get_hasher
    from django.test import Client

    from indicators.models import TemplateVersion, VersionStatus
    from indicators.services import version_clone
    from org.permissions import OPERATOR
    from reports.models import Report
    from tests.crawl.crawler import _Page  # the crawler's reading of a page's forms

    print(f"load average before: {os.getloadavg()}")
    client = Client()

    def log_in(username):
        client.logout()
        response, seconds = timed(
            client.post, "/dang-nhap/", {"username": username, "password": PASSWORD}
        )
        assert response.status_code == 302, response.status_code
        return seconds

    hasher = get_hasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    measure(
        f"password check alone ({hasher.algorithm}, {hasher.iterations:,} it.)",
        lambda: timed(hasher.verify, PASSWORD, encoded)[1],
        runs,
    )
    measure("login (POST /dang-nhap/)", lambda: log_in("cantho.chuyenvien"), runs)

    log_in("hochiminh.chuyenvien")
    unit_page = client.get("/don-vi/ho-chi-minh-skhcn/").content.decode()
    new = re.search(r'action="(/don-vi/ho-chi-minh-skhcn/lap-bao-cao/[^"]+/cchc/)"', unit_page)

    def create():
        response, post = timed(client.post, new.group(1))
        assert response.status_code == 302, response.status_code
        page, get = timed(client.get, response.url)
        assert page.status_code == 200
        Report.objects.filter(unit__code="ho-chi-minh-skhcn").delete()
        return post + get

    measure("create a report (POST, then its page)", create, runs)

    log_in("cantho.chuyenvien")
    draft = Report.objects.get(unit__code="can-tho-skhcn", period__kind="Y", state="draft")
    workbook = client.get(f"/bao-cao/{draft.pk}/excel/tai-ve/").content

    def upload():
        data = io.BytesIO(workbook)
        data.name = "bao-cao.xlsx"
        response, seconds = timed(client.post, f"/bao-cao/{draft.pk}/excel/", {"file": data})
        assert response.status_code in (200, 302), response.status_code
        return seconds

    measure("upload the appendix workbook as downloaded (POST)", upload, runs)

    log_in("quantri")
    published = TemplateVersion.objects.get(
        template__code="cchc-chung", status=VersionStatus.PUBLISHED
    )
    appendix = max(
        version_clone(version=published, by=OPERATOR).appendices.all(),
        key=lambda a: a.indicators.count(),
    )
    url = f"/mau/phu-luc/{appendix.pk}/"
    measure(
        f"template editor, {appendix.indicators.count()} lines (GET)",
        lambda: timed(client.get, url)[1],
        runs,
    )
    page = _Page(url)
    page.feed(client.get(url).content.decode())
    form = next(f for f in page.forms if f.method == "post" and "dong-TOTAL_FORMS" in str(f.fields))

    def save():
        response, seconds = timed(client.post, url, form.data())
        assert response.status_code == 302, response.status_code
        return seconds

    measure("template editor, save unchanged (POST)", save, runs)
    print(f"load average after: {os.getloadavg()}")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
