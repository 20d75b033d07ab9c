from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...dashboard import counted_reports
from ...rollup import rollup_workbook
from ...scope import province_and_period


class Command(BaseCommand):
    help = (
        "Xuất bảng tổng hợp Excel của một tỉnh cho một kỳ: chỉ tiêu theo đơn vị, các bảng "
        "nhiều dòng và tình trạng gửi. Chỉ tính báo cáo đã gửi, đã gửi lại hoặc đã duyệt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", required=True, help="mã tỉnh (gồm cả các tỉnh đã sáp nhập vào)"
        )
        parser.add_argument("--period", required=True, help="mã kỳ, ví dụ 2026-Y, 2022-H1")
        parser.add_argument("--output", required=True, help="tệp .xlsx sẽ ghi")

    def handle(self, *args, province, period, output, **options):
        unit, found = province_and_period(province, period)
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("Tệp ghi ra phải có đuôi .xlsx.")
        path.write_bytes(rollup_workbook(province=unit, period=found))
        count = len(counted_reports(province=unit, period=found))
        self.stdout.write(f"Đã ghi {path}: {count} báo cáo của {unit.name}, kỳ {found.label}.")
