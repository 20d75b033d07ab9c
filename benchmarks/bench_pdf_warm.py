"""The PDF of the largest demo report, warm against warm (issue 25): the task worker's render in
a process that has rendered before (build from the database, layout, write: what
documents.tasks.render_report_file spends per file) against LibreOffice kept loaded by unoserver
converting the same report's .docx (sent over unoserver's XML-RPC, as a client would). Runs
alternate A B B A…; wall time for both, CPU time of this process for the render and of
LibreOffice's processes (soffice and unoserver, from /proc) for the conversion.

unoserver must run under a Python that imports LibreOffice's `uno` (Debian: python3-uno), so it
lives in a virtual environment of its own, outside the portal's (benchmark only):
    apt-get install libreoffice-writer-nogui python3-uno
    /usr/bin/python3 -m venv --system-site-packages /tmp/uno-venv
    /tmp/uno-venv/bin/pip install unoserver==3.7
    export DEBUG=1 DEMO_MODE=1 DATABASE_URL=sqlite:////tmp/pdf-bench.sqlite3   # with the demo
    .venv/bin/python benchmarks/bench_pdf_warm.py --unoserver /tmp/uno-venv/bin/unoserver [--runs 9]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from bench_pdf import largest_report  # noqa: E402

from documents.docx import report_docx  # noqa: E402
from documents.pdf import report_pdf  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids) -> float:
    """User + system CPU of processes and their waited-for children, from /proc."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / TICKS


class LibreOffice:
    """unoserver and its soffice, started once and kept."""

    def __init__(self, unoserver: str, folder: str):
        self.port = free_port()
        self.server = subprocess.Popen(
            [
                unoserver, "--port", str(self.port), "--uno-port", str(free_port()),
                "--user-installation", f"{folder}/lo-profile",
                "--quiet",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}", allow_none=True)
        deadline = time.monotonic() + 120
        while True:
            try:
                self.proxy.info()
                break
            except (ConnectionError, xmlrpc.client.Fault, OSError):
                if time.monotonic() > deadline:
                    sys.exit("unoserver did not answer within 120 s")
                time.sleep(0.5)

    @property
    def pids(self) -> list[int]:
        """unoserver and every process below it (soffice, soffice.bin)."""
        found, queue = [], [self.server.pid]
        while queue:
            pid = queue.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").iterdir():
                queue += [int(c) for c in (task / "children").read_text().split()]
        return found

    def convert(self, docx: bytes) -> bytes:
        # unoserver 3.7: convert(inpath, indata, outpath, convert_to, filtername,
        # filter_options, update_index, infiltername, password)
        result = self.proxy.convert(
            None, xmlrpc.client.Binary(docx), None, "pdf", None, [], False, None, None
        )
        return result.data

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=30)


def measure(function, cpu) -> tuple[float, float, bytes]:
    wall, used = time.perf_counter(), cpu()
    result = function()
    return time.perf_counter() - wall, cpu() - used, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--unoserver", default="unoserver")
    args = parser.parse_args()
    report = largest_report()
    docx = report_docx(report)
    with tempfile.TemporaryDirectory() as folder:
        office = LibreOffice(args.unoserver, folder)
        try:
            sides = {
                "worker's render (documents.pdf.report_pdf)": (
                    lambda: report_pdf(report),
                    time.process_time,
                ),
                "LibreOffice via unoserver (.docx -> PDF)": (
                    lambda: office.convert(docx),
                    lambda: cpu_seconds(office.pids),
                ),
            }
            for function, cpu in sides.values():  # warm-up, twice, not counted
                measure(function, cpu)
                measure(function, cpu)
            samples = {name: [] for name in sides}
            load_before = os.getloadavg()
            for index in range(args.runs):
                names = list(sides) if index % 2 == 0 else list(sides)[::-1]
                for name in names:
                    wall, cpu, pdf = measure(*sides[name])
                    assert pdf.startswith(b"%PDF")
                    samples[name].append((wall, cpu))
            load_after = os.getloadavg()
        finally:
            office.stop()
    print(f"report {report.pk}, {args.runs} runs each, interleaved; load average before "
          f"{' / '.join(f'{x:.2f}' for x in load_before)}, after "
          f"{' / '.join(f'{x:.2f}' for x in load_after)}")  # fmt: skip
    for name, values in samples.items():
        walls = ", ".join(f"{wall:.2f}" for wall, _ in values)
        print(
            f"  {name:<44} wall median {statistics.median(w for w, _ in values):5.2f} s | CPU "
            f"median {statistics.median(c for _, c in values):5.2f} s | runs: {walls}"
        )


if __name__ == "__main__":
    main()
