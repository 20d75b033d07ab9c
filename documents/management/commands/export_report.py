import logging
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.access import OPERATOR, READ, ReportNotFound, report_for_user
from reports.models import Report

from ...document import export_filename

FORMATS = ("pdf", "docx", "xlsx")


def _render(report: Report, file_format: str) -> bytes:
    if file_format == "pdf":
        from ...pdf import report_pdf

        return report_pdf(report)
    if file_format == "docx":
        from ...docx import report_docx

        return report_docx(report)
    from reports.excel import write_report_workbook

    return write_report_workbook(report)


class Command(BaseCommand):
    help = "Xuất một báo cáo ra tệp PDF (đúng thể thức văn bản), Word (.docx) hoặc Excel (.xlsx)."
    # The system checks import every view through the URL conf (a third of a second) to check
    # things this command never uses; it reads one report and writes one file.
    requires_system_checks = []

    def run_from_argv(self, argv):
        super().run_from_argv(argv)  # errors leave through sys.exit() as usual
        # The file is written and the connections closed: leave without the interpreter's
        # teardown, which would spend up to half a second freeing the laid-out pages' objects
        # one by one for the operating system to reclaim anyway. Only from the command line:
        # call_command (tests, tasks) returns normally.
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(0)

    def add_arguments(self, parser):
        parser.add_argument("report_id", help="mã số báo cáo (xem manage.py list_reports)")
        parser.add_argument(
            "--format", dest="file_format", default="pdf", help="pdf (mặc định), docx hoặc xlsx"
        )
        parser.add_argument(
            "--output", help="tệp sẽ ghi; mặc định bao-cao-<đơn vị>-<kỳ>.<định dạng>"
        )

    def handle(self, *args, report_id, file_format, output=None, **options):
        file_format = file_format.lower().lstrip(".")
        if file_format not in FORMATS:
            raise CommandError(
                f"Không hỗ trợ định dạng “{file_format}”: chọn một trong {', '.join(FORMATS)}."
            )
        try:
            report = report_for_user(OPERATOR, report_id, READ)
        except ReportNotFound as exc:
            raise CommandError(
                f"Không có báo cáo mã số “{report_id}”. Xem danh sách: manage.py list_reports."
            ) from exc
        path = Path(output or export_filename(report, file_format))
        try:
            path.write_bytes(_render(report, file_format))
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp “{path}”: {exc.strerror}.") from exc
        self.stdout.write(f"Đã ghi {path} ({path.stat().st_size:,} byte).".replace(",", "."))
