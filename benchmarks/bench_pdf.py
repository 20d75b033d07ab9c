"""Time the PDF of the largest demo report (Sóc Trăng 2021: 178 appendix rows, 14 narrative
sections, 22 pages) inside one process: what a fresh process pays once (Django setup, the
WeasyPrint import, the first render), then warm medians of each step.

Needs a database holding the demo, e.g. a scratch SQLite one:
    export DEBUG=1 DEMO_MODE=1 DATABASE_URL=sqlite:////tmp/pdf-bench.sqlite3
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py load_demo
    .venv/bin/python benchmarks/bench_pdf.py [--runs 7]
Whole processes against LibreOffice: benchmarks/bench_pdf_process.py.
"""

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()

# Runnable as a script from anywhere: the project root is not on sys.path then.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()
SETUP_SECONDS = time.perf_counter() - STARTED

from reports.exports.document import build_document  # noqa: E402
from reports.exports.docx import document_docx  # noqa: E402
from reports.exports.pdf import document_pdf, layout_pdf  # noqa: E402
from reports.models import Report  # noqa: E402


def largest_report() -> Report:
    report = (
        Report.objects.select_related("unit", "period", "template_version")
        .filter(unit__code="soc-trang-skhcn", period__kind="Y", period__year=2021)
        .first()
    )
    if report is None:
        sys.exit("Không thấy báo cáo Sóc Trăng 2021: chạy manage.py load_demo trước (DEMO_MODE=1).")
    return report


def timed(function, runs: int) -> tuple[float, object]:
    """Median wall time in seconds over `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    report = largest_report()
    document = build_document(report)
    start = time.perf_counter()
    import weasyprint  # noqa: F401

    import_seconds = time.perf_counter() - start
    first_seconds, pdf = timed(lambda: document_pdf(document), 1)

    build_seconds, document = timed(lambda: build_document(report), runs)
    gc.disable()  # as document_pdf does
    layout_seconds, laid_out = timed(lambda: layout_pdf(document), runs)
    write_seconds, _ = timed(lambda: laid_out.write_pdf(custom_metadata=True), runs)
    gc.enable()
    total_seconds, _ = timed(lambda: document_pdf(build_document(report)), runs)
    docx_seconds, _ = timed(lambda: document_docx(document), runs)
    rows = sum(len(appendix.table.rows) for appendix in document.appendices)
    print(f"report: {report} ({rows} appendix rows, {len(document.sections)} sections, "
          f"{len(laid_out.pages)} pages, {len(pdf) // 1024} KiB)")  # fmt: skip
    print("once per process:")
    print(f"  django.setup() (imports, apps):        {SETUP_SECONDS * 1000:8.0f} ms")
    print(f"  import weasyprint:                      {import_seconds * 1000:8.0f} ms")
    print(f"  first document_pdf (cold):              {first_seconds * 1000:8.0f} ms")
    print(f"median of {runs} warm runs:")
    print(f"  build_document (queries + formatting): {build_seconds * 1000:8.0f} ms")
    print(f"  layout (HTML, CSS cascade, boxes, pages): {layout_seconds * 1000:6.0f} ms")
    print(f"  write (drawing, font subsets, PDF):     {write_seconds * 1000:8.0f} ms")
    print(f"  PDF end to end (build + layout + write): {total_seconds * 1000:7.0f} ms")
    print(f"  Word (.docx) export:                    {docx_seconds * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
