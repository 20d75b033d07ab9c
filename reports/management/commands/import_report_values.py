from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from org.acting import command_user
from reports.access import EDIT, OPERATOR, AccessRefused, ReportNotFound, report_for_user
from reports.services import ExcelImportError, ReportError, report_import_workbook
from reports.services.history import acting_as


class Command(BaseCommand):
    help = (
        "Nhập số liệu các phụ lục của một báo cáo từ tệp Excel tải về từ cổng; "
        "có lỗi thì không nhập gì và thoát với mã khác 0."
    )

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int)
        parser.add_argument("file", type=Path, help="tệp .xlsx")
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="người nhập, ghi vào lịch sử thay đổi (mặc định: quản trị hệ thống)",
        )

    def handle(self, *args, report_id: int, file: Path, by=None, **options):
        try:
            report = report_for_user(OPERATOR, report_id, EDIT)
        except ReportNotFound as exc:
            raise CommandError(f"Không có báo cáo số {report_id}.") from exc
        except AccessRefused as exc:
            raise CommandError(str(exc)) from exc
        if not file.is_file():
            raise CommandError(f"Không mở được tệp {file}.")
        user = command_user(by)
        try:
            # The server's operator imports; history records the person named by --by.
            with acting_as(user):
                result = report_import_workbook(report=report, by=OPERATOR, file=file)
        except ExcelImportError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(str(exc)) from exc
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã nhập: {result.values_changed} chỉ tiêu, {result.rows_changed} dòng bảng thay đổi "
            f"(người nhập: {user.username})."
        )
