"""Reporting periods."""

import datetime

from django.db import transaction

from lib.periods import default_deadline, default_window
from org.permissions import require_admin

from ..models import Period


@transaction.atomic
def period_create(
    *,
    by,
    kind: str,
    year: int,
    window_start: datetime.date | None = None,
    window_end: datetime.date | None = None,
    deadline: datetime.date | None = None,
    is_open: bool = False,
) -> Period:
    """Create a period; the window and deadline default to the rule of Nghị định 09/2019."""
    require_admin(by)
    start, end = default_window(kind, year)
    period = Period(
        kind=kind,
        year=year,
        window_start=window_start or start,
        window_end=window_end or end,
        deadline=deadline or default_deadline(kind, year),
        is_open=is_open,
    )
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def period_set_open(*, period: Period, is_open: bool, by) -> Period:
    require_admin(by)
    period.is_open = is_open
    period.save(update_fields=["is_open"])
    return period
