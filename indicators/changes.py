"""A value against the previous period's: the change shown beside each input of an indicator
appendix, and whether it moved by more than the template's factor (an outlier, which asks the
department for a note; never an error)."""

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from .types import ValueType
from .values import format_value

DEFAULT_OUTLIER_FACTOR = Decimal(3)
MIN_OUTLIER_FACTOR = Decimal("1.1")
_NUMERIC = (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT)


class Change(NamedTuple):
    text: str  # "+6 (+25%)", "−2 (−8,3%)", "+5,2 điểm %", "không đổi"
    outlier: str  # "gấp 3,7 lần", "chỉ bằng 27%" (than `label`); "" when within the factor


def value_change(value_type, current, previous, *, factor: Decimal) -> Change | None:
    """None unless both values are numbers."""
    if value_type not in _NUMERIC or not (_is_number(current) and _is_number(previous)):
        return None
    current, previous = Decimal(current), Decimal(previous)
    difference = current - previous
    if difference == 0:
        return Change("không đổi", "")
    sign = "+" if difference > 0 else "−"
    text = sign + _number(abs(difference))
    if value_type == ValueType.PERCENT:
        text += " điểm %"
    elif previous != 0:
        text += f" ({sign}{_number(abs(difference) / abs(previous) * 100, 1)}%)"
    return Change(text, _outlier(current, previous, factor))


def _outlier(current: Decimal, previous: Decimal, factor: Decimal) -> str:
    # A ratio means something only between two non-zero values of the same sign.
    if current == 0 or previous == 0 or (current > 0) != (previous > 0):
        return ""
    ratio = current / previous
    if ratio > factor:
        return f"gấp {_number(ratio, 1)} lần"
    if ratio * factor < 1:
        return f"chỉ bằng {_number(ratio * 100, 1)}%"
    return ""


def _is_number(value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _number(value: Decimal, places: int | None = None) -> str:
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_value(ValueType.DECIMAL, value)
