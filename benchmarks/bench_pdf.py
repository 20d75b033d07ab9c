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

STARTED = time.perf_counter(), time.process_time()

# Runnable as a script from anywhere: the project root is not on sys.path then.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()
SETUP = time.perf_counter() - STARTED[0], time.process_time() - STARTED[1]

from documents.document import build_document  # noqa: E402
from documents.docx import document_docx  # noqa: E402
from documents.pdf import document_pdf, layout_pdf  # noqa: E402
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


Timing = tuple[float, float]  # wall and CPU seconds


def timed(function, runs: int) -> tuple[Timing, object]:
    """Median wall and CPU seconds over `runs` calls, and the last result. CPU time is the
    steadier figure on a shared machine; wall time is what a user waits."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


def line(label: str, timing: Timing) -> str:
    return f"  {label:<42} {timing[0] * 1000:7.0f} ms wall {timing[1] * 1000:7.0f} ms CPU"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    report = largest_report()
    document = build_document(report)
    imported, _ = timed(lambda: __import__("weasyprint"), 1)
    first, pdf = timed(lambda: document_pdf(document), 1)

    built, document = timed(lambda: build_document(report), runs)
    gc.disable()  # as document_pdf does
    laid_out, pages = timed(lambda: layout_pdf(document), runs)
    written, _ = timed(lambda: pages.write_pdf(custom_metadata=True), runs)
    gc.enable()
    total, _ = timed(lambda: document_pdf(build_document(report)), runs)
    word, _ = timed(lambda: document_docx(document), runs)
    rows = sum(len(appendix.table.rows) for appendix in document.appendices)
    print(f"report: {report} ({rows} appendix rows, {len(document.sections)} sections, "
          f"{len(pages.pages)} pages, {len(pdf) // 1024} KiB); load average "
          f"{' / '.join(f'{load:.2f}' for load in os.getloadavg())}")  # fmt: skip
    print("once per process:")
    print(line("django.setup() (imports, apps)", SETUP))
    print(line("import weasyprint", imported))
    print(line("first document_pdf (cold)", first))
    print(f"median of {runs} warm runs:")
    print(line("build_document (queries + formatting)", built))
    print(line("layout (HTML, CSS cascade, boxes, pages)", laid_out))
    print(line("write (drawing, font subsets, PDF)", written))
    print(line("PDF end to end (build + layout + write)", total))
    print(line("Word (.docx) export", word))


if __name__ == "__main__":
    main()
