"""The entry page of the largest appendix and its autosave, against a bare authenticated page,
in the same run, warm (issue 14's page ratio; goal <= 3x for the page, <= 2x for autosave).

Bare page: the notifications page of a user with none (session, user, layout, one query).
Entry page: Sóc Trăng Phụ lục 2 (166 rows, ~500 inputs, previous period's column, checks).
Autosave: one changed row sent as a delta with the part's version (static/js/autosave.js), and
for comparison the whole form as it was sent before. Times are server times through Django's
test client (middleware, view, template; the test environment's template instrumentation
included), median of RUNS interleaved rounds after a warm-up, on the PostgreSQL of DATABASE_URL
(queries counted inside the test's transaction: a save's SAVEPOINT and RELEASE count too):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench \\
        .venv/bin/pytest benchmarks/bench_entry_ratio.py -s -q

Figures go to docs/benchmarks.md.
"""

import os
import re
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.bench_pages import soc_trang  # noqa: F401  (fixture)
from tests.factories import PASSWORD

RUNS = 15


def timed(call) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = call()
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code in (200, 302), response.status_code
    return elapsed, len(queries)


def full_form(html: str) -> dict:
    """Every input of the page with its value, as the browser's FormData of the whole form."""
    data = {}
    for name, value in re.findall(
        r'<input[^>]*name="([^"]+)"[^>]*?(?:value="([^"]*)")?[^>]*>', html
    ):
        if name.startswith("pl2_thong_ke-na-") and not value:
            continue
        data[name] = value
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?([^<]*)</textarea>', html):
        data[name] = text
    for name in re.findall(r'<select[^>]*name="([^"]+)"', html):
        data.setdefault(name, "")
    return data


def test_entry_page_and_autosave_against_a_bare_page(client, soc_trang):  # noqa: F811
    report, staff = soc_trang
    client.login(username=staff.username, password=PASSWORD)
    bare_url = "/thong-bao/"
    url = f"/bao-cao/{report.pk}/phu-luc/pl2_thong_ke/"
    html = client.get(url).text
    whole = full_form(html)
    headers = {"X-Autosave": "1"}
    counter = iter(range(1, 10**6))

    def delta():
        report.refresh_from_db(fields=["part_versions", "updated_at"])
        version = report.part_versions.get("appendix:pl2_thong_ke", 0)
        fields = {"pl2_thong_ke-v-so_nv_ke_hoach": str(next(counter) % 50 + 20)}
        return client.post(
            url,
            {"delta": ["so_nv_ke_hoach"], "part_version": version, **fields},
            headers={**headers, "X-Autosave-Delta": "1"},
        )

    def whole_form():
        report.refresh_from_db(fields=["part_versions", "updated_at"])
        version = report.part_versions.get("appendix:pl2_thong_ke", 0)
        data = {**whole, "part_version": version}
        data["pl2_thong_ke-v-so_nv_ke_hoach"] = str(next(counter) % 50 + 20)
        return client.post(url, data, headers=headers)

    measures = {
        "bare page (/thong-bao/)": lambda: client.get(bare_url),
        "entry page, 166 rows": lambda: client.get(url),
        "autosave, one row (delta)": delta,
        "autosave, whole form (before)": whole_form,
    }
    load_before = os.getloadavg()
    for call in measures.values():  # warm
        call()
    times = {name: [] for name in measures}
    queries = {}
    for _ in range(RUNS):
        for name, call in measures.items():
            elapsed, count = timed(call)
            times[name].append(elapsed)
            queries[name] = count
    bare = statistics.median(times["bare page (/thong-bao/)"])
    print(f"\nload average before: {load_before}, after: {os.getloadavg()}")
    print("| measure | median | best | ratio to bare (median) | SQL queries |")
    print("| --- | --- | --- | --- | --- |")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"| {name} | {median:.1f} ms | {min(values):.1f} ms | {median / bare:.1f}x |"
            f" {queries[name]} |"
        )
