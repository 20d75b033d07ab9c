from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from org.models import Unit
from reports.dashboard import counted_reports, period_by_code
from reports.rollup import rollup_workbook


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
        unit = Unit.objects.provinces().filter(code=province).first()
        if unit is None:
            raise CommandError(f"Không có tỉnh mã “{province}”.")
        found = period_by_code(period)
        if found is None:
            raise CommandError(f"Không có kỳ báo cáo “{period}” (viết dạng 2026-Y, 2022-H1).")
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("Tệp ghi ra phải có đuôi .xlsx.")
        path.write_bytes(rollup_workbook(province=unit, period=found))
        count = len(counted_reports(province=unit, period=found))
        self.stdout.write(f"Đã ghi {path}: {count} báo cáo của {unit.name}, kỳ {found.label}.")
