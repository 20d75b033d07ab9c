"""Reporting period kinds, their labels and default data windows (Nghị định 09/2019/NĐ-CP).

Plain helpers with no database access: both apps use them (templates say which period kinds they
serve; reports belong to a period).
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    Q1 = "Q1", _("quý I")
    Q2 = "Q2", _("quý II")
    Q3 = "Q3", _("quý III")
    Q4 = "Q4", _("quý IV")
    H1 = "H1", _("6 tháng đầu năm")
    M9 = "M9", _("9 tháng")
    YEAR = "Y", _("năm")


# Month and day at which each kind's window starts and ends; a start month of 12 means
# December of the previous year.
_WINDOWS = {
    PeriodKind.Q1: ((12, 15), (3, 14)),
    PeriodKind.Q2: ((3, 15), (6, 14)),
    PeriodKind.Q3: ((6, 15), (9, 14)),
    PeriodKind.Q4: ((9, 15), (12, 14)),
    PeriodKind.H1: ((12, 15), (6, 14)),
    PeriodKind.M9: ((12, 15), (9, 14)),
    PeriodKind.YEAR: ((12, 15), (12, 14)),
}

# Departments report a few days after the window closes, ahead of the province's deadline to
# the Ministry (the 20th of the period's last month).
DEFAULT_DEADLINE_DELAY = datetime.timedelta(days=3)


def period_label(kind: str, year: int) -> str:
    """The period as departments write it: "6 tháng đầu năm 2022", "quý III năm 2023"."""
    kind = PeriodKind(kind)
    if kind == PeriodKind.YEAR:
        return f"năm {year}"
    if kind == PeriodKind.H1:
        return f"6 tháng đầu năm {year}"
    return f"{kind.label} năm {year}"


def period_code(kind: str, year: int) -> str:
    return f"{year}-{PeriodKind(kind).value}"


def parse_period_code(code: str) -> tuple[str, int]:
    """ "2022-H1" -> ("H1", 2022); raises ValueError with a Vietnamese message otherwise."""
    year_text, _sep, kind_text = code.strip().partition("-")
    if not year_text.isdigit() or kind_text not in PeriodKind.values:
        raise ValueError(
            f"Mã kỳ báo cáo “{code}” không hợp lệ; "
            "viết dạng NĂM-LOẠI, ví dụ 2022-H1, 2021-Y, 2023-Q3."
        )
    return kind_text, int(year_text)


def default_window(kind: str, year: int) -> tuple[datetime.date, datetime.date]:
    (start_month, start_day), (end_month, end_day) = _WINDOWS[PeriodKind(kind)]
    start_year = year - 1 if (start_month, start_day) > (end_month, end_day) else year
    return (
        datetime.date(start_year, start_month, start_day),
        datetime.date(year, end_month, end_day),
    )


def default_deadline(kind: str, year: int) -> datetime.date:
    return default_window(kind, year)[1] + DEFAULT_DEADLINE_DELAY


def previous_period(kind: str, year: int) -> tuple[str, int]:
    """The previous period of the same kind: last year's for yearly and half-yearly reports,
    the preceding quarter for quarterly ones."""
    kind = PeriodKind(kind)
    quarters = [PeriodKind.Q1, PeriodKind.Q2, PeriodKind.Q3, PeriodKind.Q4]
    if kind in quarters:
        index = quarters.index(kind)
        return (quarters[index - 1].value, year - 1 if index == 0 else year)
    return (kind.value, year - 1)


def previous_period_label(kind: str) -> str:
    """How pages name the report previous_period reads (what prev() compares with): the period
    just before for quarters and years, the same months of last year for 6 and 9 months."""
    if PeriodKind(kind) in (PeriodKind.H1, PeriodKind.M9):
        return "cùng kỳ năm trước"
    return "kỳ trước"
