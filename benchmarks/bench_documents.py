"""Downloads of a submitted/approved report's PDF and Word file: the first renders and stores
the file (documents.services), every later one serves it from storage (goal < 50 ms).

The Sóc Trăng 2021 seed report (approved; 22 pages). Server time through Django's test
client, reading the whole streamed file, median of RUNS after the first; on the PostgreSQL of
DATABASE_URL, files in a temporary MEDIA_ROOT:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench \\
        .venv/bin/pytest benchmarks/bench_documents.py -s -q
"""

import os
import statistics
import time

from benchmarks.bench_pages import soc_trang  # noqa: F401  (fixture)
from documents.models import StoredDocument
from org.models import Role
from reports.models import Report
from tests.factories import PASSWORD, make_user

RUNS = 15


def fetch(client, url) -> float:
    start = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200 and body
    return elapsed


def test_stored_downloads(client, soc_trang, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    report = Report.objects.get(unit__code="soc-trang-skhcn", period__year=2021)
    assert not report.is_editable
    staff = make_user("bench.doc", Role.STAFF, report.unit)
    client.login(username=staff.username, password=PASSWORD)
    print(f"\nload average: {os.getloadavg()}")
    print("| file | first download (renders, stores) | later downloads, median | best |")
    print("| --- | --- | --- | --- |")
    for fmt in ("pdf", "docx"):
        url = f"/bao-cao/{report.pk}/tai-ve.{fmt}"
        first = fetch(client, url)
        later = [fetch(client, url) for _ in range(RUNS)]
        print(
            f"| {fmt} | {first:.0f} ms | {statistics.median(later):.1f} ms | {min(later):.1f} ms |"
        )
    assert StoredDocument.objects.filter(report=report).count() == 2
