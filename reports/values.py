"""Between canonical values (indicators/types.py) and how reports store them."""

import datetime
from decimal import Decimal

from indicators.types import NOT_APPLICABLE, DocRef, ValueType
from indicators.values import ValueParseError, format_value, parse_docref, parse_value

NUMBER_TYPES = (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT, ValueType.CHOICE)


def to_columns(value_type: str, value) -> dict:
    """The IndicatorValue columns for a canonical value."""
    columns = {"number": None, "text": "", "date": None, "not_applicable": False}
    if value is NOT_APPLICABLE:
        columns["not_applicable"] = True
    elif value is None:
        pass
    elif value_type in NUMBER_TYPES:
        columns["number"] = Decimal(value)
    elif value_type == ValueType.DATE:
        columns["date"] = value
    elif value_type == ValueType.DOCREF:
        columns["text"] = str(value)
        columns["date"] = value.date
    else:
        columns["text"] = str(value)
    return columns


def from_columns(value_type: str, number, text: str, date: datetime.date | None, na: bool):
    if na:
        return NOT_APPLICABLE
    if value_type in NUMBER_TYPES:
        if number is None:
            return None
        return (
            int(number)
            if value_type in (ValueType.INTEGER, ValueType.CHOICE)
            else number.normalize()
        )
    if value_type == ValueType.DATE:
        return date
    if value_type == ValueType.DOCREF:
        if not text:
            return None
        try:
            return parse_docref(text)
        except ValueParseError:
            return DocRef(kind=text, number="", date=date)
    return text or None


def cell_text(value_type: str, value, choices=None) -> str:
    return format_value(value_type, value, choices=choices)


def cell_value(value_type: str, text: str, choices=None):
    """A stored cell back to its canonical value; text that no longer parses stays text, so
    validation reports it instead of the page failing."""
    try:
        return parse_value(value_type, text, choices=choices)
    except ValueParseError:
        return text
