"""What Sở Nội vụ's reviewers write from their pages: reminders to the units late with a
report."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from org.permissions import department_people, reviewed_province
from reports.access import AccessRefused
from reports.models import Notification
from reports.services.notifications import late_message, notify_late

from .dashboard import late_units


@dataclass(frozen=True)
class Reminded:
    units: int  # late units
    people: int  # told now, by notification and e-mail
    earlier: int  # told earlier today, not told again


@transaction.atomic
def late_units_remind(*, by, today: datetime.date | None = None) -> Reminded:
    """Remind the staff and leaders of every unit of `by`'s province late with a report of an
    open period; someone told today about a period is not told twice."""
    province = reviewed_province(by)
    if province is None:
        raise AccessRefused("Chỉ chuyên viên thẩm định của Sở Nội vụ tỉnh được nhắc các đơn vị.")
    today = today or timezone.localdate()
    units = people = earlier = 0
    for late in late_units(province=province, today=today):
        told = set(
            Notification.objects.filter(
                created_at__date=today, message=late_message(late.period)
            ).values_list("user_id", flat=True)
        )
        everyone = list(department_people(late.units).order_by("pk"))
        users = [u for u in everyone if u.pk not in told]
        notify_late(late.period, users)
        units += len(late.units)
        people += len(users)
        earlier += len(everyone) - len(users)
    return Reminded(units, people, earlier)
