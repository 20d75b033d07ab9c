from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from lib.periods import parse_period_code
from org.models import Unit
from reports.models import Report


class Command(BaseCommand):
    help = (
        "Liệt kê báo cáo mọi loại (cả báo cáo của tỉnh): mã, đơn vị, kỳ, loại báo cáo, "
        "lần lập, trạng thái."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="mã tỉnh (gồm cả các tỉnh đã sáp nhập vào tỉnh này)")
        parser.add_argument("--period", help="mã kỳ, ví dụ 2022-H1")

    def handle(self, *args, province=None, period=None, **options):
        reports = Report.objects.select_related("unit", "period", "kind").order_by(
            "period__year", "unit__name", "kind__position", "kind__code", "revision"
        )
        if province:
            unit = Unit.objects.provinces().filter(code=province).first()
            if unit is None:
                raise CommandError(f"Không có tỉnh mã “{province}”.")
            lineage = unit.lineage()
            # The departments' reports and the province's own (its unit is the province).
            reports = reports.filter(Q(unit__province__in=lineage) | Q(unit__in=lineage))
        if period:
            try:
                kind, year = parse_period_code(period)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            reports = reports.filter(period__kind=kind, period__year=year)
        for report in reports:
            self.stdout.write(
                "\t".join(
                    [
                        str(report.pk),
                        report.unit.name,
                        report.period.code,
                        report.kind.code,
                        str(report.revision),
                        report.state,
                    ]
                )
            )
