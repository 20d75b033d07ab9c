from django.core.management.base import BaseCommand, CommandError

from reports.access import OPERATOR
from reports.services.errors import ReportError
from review.scope import province_and_period

from ...compilation import INCLUDED
from ...services import compile_province_report


class Command(BaseCommand):
    help = (
        "Tổng hợp (hoặc tổng hợp lại) báo cáo CCHC của tỉnh cho một kỳ từ báo cáo đã duyệt của "
        "các sở, ngành, UBND cấp xã; in mã số (id) của báo cáo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="mã tỉnh, ví dụ can-tho")
        parser.add_argument("--period", required=True, help="mã kỳ, ví dụ 2026-Y, 2021-Y")
        parser.add_argument(
            "--include-submitted",
            action="store_true",
            help="tính cả báo cáo đã gửi, đang chờ thẩm định",
        )

    def handle(self, *args, province, period, include_submitted, **options):
        unit, found = province_and_period(province, period)
        try:
            report = compile_province_report(
                province=unit, period=found, by=OPERATOR, include_submitted=include_submitted
            )
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        sources = report.compilation.sources
        included = sum(1 for s in sources if s["status"] == INCLUDED)
        self.stderr.write(
            f"Đã tổng hợp báo cáo của {unit.name}, kỳ {found.label}: "
            f"{included}/{len(sources)} cơ quan, đơn vị."
        )
        self.stdout.write(str(report.pk))
