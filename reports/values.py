"""Between canonical values (indicators/types.py) and how reports store them.

Indicator values live in typed columns (to_columns / from_columns). Table cells (TableRow.cells)
are one JSON object per row in the same canonical typed form (docs/value-formats.md, "Storage"):

    integer, choice -> JSON number        16
    decimal, percent -> JSON number        74.72 (written and read exactly, never as a float)
    date             -> "yyyy-mm-dd"
    docref           -> {"kind": "Kế hoạch", "number": "01/KH-SKHCN", "date": "2021-01-07"}
    text             -> string
    mark             -> true / false
    not applicable   -> "/"
    blank            -> no key

Only parsed, valid values are ever stored; formatting happens on output.
"""

import contextlib
import datetime
import json
from decimal import Decimal

from indicators.types import NA_MARK, NOT_APPLICABLE, DocRef, ValueType
from indicators.values import ValueParseError, format_value, parse_docref, parse_value

NUMBER_TYPES = (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT, ValueType.CHOICE)
SUMMED_TYPES = (ValueType.INTEGER, ValueType.DECIMAL)


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


# --- table cells -----------------------------------------------------------------------------


class CellsEncoder(json.JSONEncoder):
    """JSON for TableRow.cells: a Decimal is written as the JSON number it is, digit for digit
    (the stdlib would refuse it, a float would round it)."""

    def encode(self, o):
        if isinstance(o, Decimal):
            return format(o, "f")
        if isinstance(o, dict):
            items = (f"{json.dumps(str(k))}: {self.encode(v)}" for k, v in o.items())
            return "{" + ", ".join(items) + "}"
        if isinstance(o, list | tuple):
            return "[" + ", ".join(self.encode(v) for v in o) + "]"
        return super().encode(o)


class CellsDecoder(json.JSONDecoder):
    """Reads JSON fractions as Decimal, so 0.1 stays 0.1."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("parse_float", Decimal)
        super().__init__(*args, **kwargs)


def to_cell(value_type: str, value):
    """The JSON form of a canonical cell value; None for a blank (the key is left out)."""
    if value is None:
        return None
    if value is NOT_APPLICABLE:
        return NA_MARK
    if value_type in (ValueType.INTEGER, ValueType.CHOICE):
        return int(value)
    if value_type in (ValueType.DECIMAL, ValueType.PERCENT):
        return Decimal(value)
    if value_type == ValueType.DATE:
        return value.isoformat()
    if value_type == ValueType.DOCREF:
        date = value.date.isoformat() if value.date else None
        return {"kind": value.kind, "number": value.number, "date": date}
    if value_type == ValueType.MARK:
        return bool(value)
    return str(value)


def from_cell(value_type: str, stored):
    """The canonical value of a stored cell (see to_cell)."""
    if stored is None:
        return None
    if stored == NA_MARK:
        return NOT_APPLICABLE
    if value_type in (ValueType.INTEGER, ValueType.CHOICE):
        return int(stored)
    if value_type in (ValueType.DECIMAL, ValueType.PERCENT):
        return Decimal(stored)
    if value_type == ValueType.DATE:
        return datetime.date.fromisoformat(stored)
    if value_type == ValueType.DOCREF:
        date = stored.get("date")
        return DocRef(
            kind=stored["kind"],
            number=stored.get("number", ""),
            date=datetime.date.fromisoformat(date) if date else None,
        )
    if value_type == ValueType.MARK:
        return bool(stored)
    return stored


def cells_to_json(columns: dict, row: dict) -> dict:
    """A row {column code: value} -> its stored cells. Every value goes through parse_value
    (canonical values pass unchanged, display text is read), so nothing invalid is stored:
    ValueParseError for a value that does not parse. Unknown columns and blanks are left out.
    `columns` maps code -> Column."""
    cells = {}
    for code, value in row.items():
        column = columns.get(code)
        if column is None:
            continue
        value = parse_value(column.value_type, value, choices=column.choices)
        stored = to_cell(column.value_type, value)
        if stored is not None and stored != "":
            cells[code] = stored
    return cells


def cells_from_json(columns: dict, cells: dict) -> dict:
    """The stored cells of a row -> {column code: canonical value} for the known columns."""
    return {
        code: from_cell(columns[code].value_type, stored)
        for code, stored in cells.items()
        if code in columns
    }


def carry_cells(old_columns: dict, new_columns: dict, cells: dict) -> dict:
    """Stored cells of an older template's row, for the same table in a newer template: a
    column whose type changed is re-read from its printed text, and left blank if it no
    longer fits."""
    carried = {}
    for code, stored in cells.items():
        old, new = old_columns.get(code), new_columns.get(code)
        if old is None or new is None:
            continue
        if old.value_type == new.value_type:
            carried[code] = stored
            continue
        text = format_value(old.value_type, from_cell(old.value_type, stored), choices=old.choices)
        with contextlib.suppress(ValueParseError):
            carried.update(cells_to_json(new_columns, {code: text}))
    return carried
