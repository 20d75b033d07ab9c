"""Time the PDF of the largest demo report as whole processes: `manage.py export_report --format
pdf` (Python start, Django setup, WeasyPrint import, render, write) against LibreOffice
converting the same report's .docx (`soffice --headless --convert-to pdf`), interleaved.

Needs a database holding the demo and Debian's libreoffice-writer-nogui (benchmark only):
    export DEBUG=1 DEMO_MODE=1 DATABASE_URL=sqlite:////tmp/pdf-bench.sqlite3
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py load_demo
    .venv/bin/python benchmarks/bench_pdf_process.py [--runs 7]

Both sides are measured warm, like a second run: one untimed run of each first (Python writes
its bytecode caches, LibreOffice creates its profile in a scratch directory, both fill the OS
file cache), then the timed runs alternate A B B A… so that load changes hit both alike. Wall
time, CPU time (user + system, the process and its children) and peak RSS come from wait4().
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

ROOT = Path(__file__).resolve().parents[1]
# The Sóc Trăng 2021 report of the demo (14 narrative sections, 178 appendix rows).
UNIT, YEAR = "soc-trang-skhcn", 2021


def report_id() -> int:
    code = (
        "from reports.models import Report; "
        f"r = Report.objects.filter(unit__code={UNIT!r}, period__kind='Y', "
        f"period__year={YEAR}).first(); print(r.pk if r else '')"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not out:
        sys.exit("Không thấy báo cáo Sóc Trăng 2021: chạy manage.py load_demo trước (DEMO_MODE=1).")
    return int(out)


def run(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one process and what it waited for."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            errors.seek(0)
            sys.exit(f"{command[0]} failed: {errors.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def summary(name: str, samples: list[tuple[float, float, int]]) -> str:
    walls = ", ".join(f"{wall:.2f}" for wall, _, _ in samples)
    return (
        f"  {name:<34} wall median {statistics.median(s[0] for s in samples):5.2f} s"
        f" | CPU median {statistics.median(s[1] for s in samples):5.2f} s"
        f" | peak RSS {max(s[2] for s in samples) // 1024} MiB | runs: {walls}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui).")
    pk = report_id()
    with tempfile.TemporaryDirectory() as folder:
        docx, out = Path(folder) / "report.docx", Path(folder) / "out"
        manage = [sys.executable, "manage.py", "export_report", str(pk)]
        subprocess.run([*manage, "--format", "docx", "--output", str(docx)], cwd=ROOT, check=True)
        commands = {
            "WeasyPrint (export_report --format pdf)": [
                *manage, "--format", "pdf", "--output", f"{folder}/weasyprint.pdf"
            ],
            "LibreOffice (soffice --convert-to pdf)": [
                soffice,
                f"-env:UserInstallation=file://{folder}/lo-profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(docx),
            ],
        }  # fmt: skip
        for command in commands.values():  # warm-up, not counted (see the docstring)
            run(command)
        samples = {name: [] for name in commands}
        load_before = os.getloadavg()
        for index in range(runs):
            names = list(commands) if index % 2 == 0 else list(commands)[::-1]
            for name in names:
                samples[name].append(run(commands[name]))
        load_after = os.getloadavg()
    print(f"report {pk}, {runs} runs each, interleaved; load average before "
          f"{load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f}, after "
          f"{load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f}")  # fmt: skip
    for name, values in samples.items():
        print(summary(name, values))


if __name__ == "__main__":
    main()
