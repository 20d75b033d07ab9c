"""Value types of indicators and table columns, and the Python values they carry.

Canonical Python values, shared by forms, Excel import, storage and the rule engine:
integer -> int, decimal / percent -> Decimal, choice -> int (the code), text -> str,
docref -> DocRef, date -> datetime.date, mark -> bool. A missing value is None; a value marked
"không áp dụng" (printed "/") is NOT_APPLICABLE.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueType(models.TextChoices):
    HEADING = "heading", _("tiêu đề")
    INTEGER = "integer", _("số nguyên")
    DECIMAL = "decimal", _("số thập phân")
    PERCENT = "percent", _("tỷ lệ")
    CHOICE = "choice", _("lựa chọn")
    TEXT = "text", _("văn bản")
    DOCREF = "docref", _("số hiệu văn bản")
    DATE = "date", _("ngày")
    MARK = "mark", _("đánh dấu")


class _NotApplicable:
    """Singleton for a value marked "không áp dụng", printed "/"."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "NOT_APPLICABLE"

    def __bool__(self):
        return False

    def __reduce__(self):
        return (_NotApplicable, ())


# One range for every number a report holds (docs/value-formats.md): |x| < 10^14 with at most
# 6 decimals. The parser refuses anything outside it, so what it accepts always fits the
# numeric(20, 6) column of IndicatorValue and the typed table cells; Excel import parses too.
NUMBER_INTEGER_DIGITS = 14
NUMBER_DECIMAL_PLACES = 6
NUMBER_MAX_DIGITS = NUMBER_INTEGER_DIGITS + NUMBER_DECIMAL_PLACES
NUMBER_LIMIT = Decimal(10) ** NUMBER_INTEGER_DIGITS

NOT_APPLICABLE = _NotApplicable()
NA_MARK = "/"


@dataclass(frozen=True)
class DocRef:
    """A document reference such as "Kế hoạch số 01/KH-SKHCN ngày 07/01/2021"."""

    kind: str  # "Kế hoạch", "Quyết định", "Công văn", ...
    number: str  # "01/KH-SKHCN"; may be blank for documents cited without a number
    date: datetime.date | None

    def __str__(self):
        text = self.kind
        if self.number:
            text += f" số {self.number}"
        if self.date:
            text += f" ngày {self.date:%d/%m/%Y}"
        return text
