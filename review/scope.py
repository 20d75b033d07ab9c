"""What the province commands share: the province and period named on the command line."""

from django.core.management.base import CommandError

from org.models import Unit
from reports.models import Period

from .dashboard import period_by_code


def province_and_period(province: str, period: str) -> tuple[Unit, Period]:
    unit = Unit.objects.provinces().filter(code=province).first()
    if unit is None:
        raise CommandError(f"Không có tỉnh mã “{province}”.")
    found = period_by_code(period)
    if found is None:
        raise CommandError(f"Không có kỳ báo cáo “{period}” (viết dạng 2026-Y, 2022-H1).")
    return unit, found
