"""Time the PDF of the largest demo report (Sóc Trăng 2021: 166 indicator rows, 13 narrative
sections, 3 appendices) and, for comparison, LibreOffice converting the Word export to PDF.

Needs a database holding the demo, e.g. a scratch SQLite one:
    export DEBUG=1 DEMO_MODE=1 DATABASE_URL=sqlite:////tmp/bench.sqlite3
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python benchmarks/bench_pdf.py [--runs 7]
The LibreOffice figure is printed only when `soffice` is installed (Debian:
libreoffice-writer-nogui); its first run, which creates the profile, is not counted.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runnable as a script from anywhere: the project root is not on sys.path then.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from reports.exports.document import build_document  # noqa: E402
from reports.exports.docx import document_docx  # noqa: E402
from reports.exports.pdf import document_pdf  # noqa: E402
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


def soffice_seconds(docx: bytes, runs: int) -> float | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(docx)
        command = [
            soffice,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
        ]

        def convert():
            subprocess.run(command, check=True, capture_output=True, timeout=300)

        convert()  # creates the LibreOffice profile; not counted
        seconds, _ = timed(convert, runs)
        return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    report = largest_report()
    document_pdf(build_document(report))  # warm-up: fonts, templates, WeasyPrint's own CSS

    build_seconds, document = timed(lambda: build_document(report), runs)
    render_seconds, pdf = timed(lambda: document_pdf(document), runs)
    total_seconds, _ = timed(lambda: document_pdf(build_document(report)), runs)
    docx_seconds, docx = timed(lambda: document_docx(document), runs)
    rows = sum(len(appendix.table.rows) for appendix in document.appendices)
    print(f"report: {report} ({rows} appendix rows, {len(document.sections)} sections)")
    print(f"median of {runs} runs:")
    print(f"  build_document (queries + formatting): {build_seconds * 1000:8.0f} ms")
    print(f"  WeasyPrint render ({len(pdf) // 1024} KiB PDF):    {render_seconds * 1000:8.0f} ms")
    print(f"  PDF end to end (what a download costs): {total_seconds * 1000:8.0f} ms")
    print(f"  Word (.docx) export:                    {docx_seconds * 1000:8.0f} ms")
    converted = soffice_seconds(docx, runs)
    if converted is None:
        print("  soffice --convert-to pdf: LibreOffice is not installed")
    else:
        print(f"  soffice --headless --convert-to pdf (.docx): {converted * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
