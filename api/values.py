"""Values as the API carries them: typed JSON, the same form table cells are stored in
(reports.values): numbers as JSON numbers, "/" for not applicable, a blank left out, dates as
"yyyy-mm-dd", document references as {"kind", "number", "date"}, marks as true.

Values written through the API are read by indicators.values.parse_value, as the entry page
reads what people type, so they meet the same limits and get the same Vietnamese reasons."""

import datetime
import re
from decimal import Decimal

from indicators.types import NA_MARK, ValueType
from indicators.values import ValueParseError, parse_value
from reports.values import to_cell

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def to_json(value_type: str, value):
    """The typed JSON of a canonical value; None for a blank (left out of answers)."""
    return to_cell(value_type, value)


def from_json(value_type: str, raw, choices=None):
    """The canonical value of what a client sent; ValueParseError (Vietnamese message) when it
    does not fit the indicator's or column's type. null is a blank (clears the value)."""
    if raw is None:
        return None
    if isinstance(raw, (list, dict)) and value_type != ValueType.DOCREF:
        raise ValueParseError("Giá trị phải là số, chuỗi, true/false hoặc null.")
    if value_type == ValueType.DATE and isinstance(raw, str) and _ISO_DATE.match(raw):
        try:
            raw = datetime.date.fromisoformat(raw)
        except ValueError:
            raise ValueParseError(f"“{raw}” không phải ngày có thật (yyyy-mm-dd).") from None
    elif value_type == ValueType.DOCREF and isinstance(raw, dict):
        raw = _docref_text(raw)
    elif value_type == ValueType.MARK:
        if raw is False:
            return None  # an unticked mark is a blank, as on the entry page
        if raw is not True and raw != NA_MARK:
            raise ValueParseError(f"Ô đánh dấu nhận true, false hoặc “/”, không nhận {raw!r}.")
    elif isinstance(raw, bool):
        raise ValueParseError("true/false chỉ dùng cho ô đánh dấu.")
    elif isinstance(raw, float):  # the parser reads JSON numbers as Decimal; kept for callers
        raw = Decimal(repr(raw))
    return parse_value(value_type, raw, choices=choices)


def _docref_text(raw: dict) -> str:
    """{"kind": "Kế hoạch", "number": "01/KH-SKHCN", "date": "2021-01-07"} as it is written,
    so the document reference parser checks it like typed text."""
    unknown = set(raw) - {"kind", "number", "date"}
    if unknown or not isinstance(raw.get("kind"), str):
        raise ValueParseError(
            'Văn bản ghi dạng {"kind": "Kế hoạch", "number": "01/KH-SKHCN", "date": "2021-01-07"}.'
        )
    text = raw["kind"]
    if raw.get("number"):
        text += f" số {raw['number']}"
    if raw.get("date"):
        date = str(raw["date"])
        if not _ISO_DATE.match(date):
            raise ValueParseError(f"Ngày ban hành “{date}” phải theo dạng yyyy-mm-dd.")
        try:
            text += f" ngày {datetime.date.fromisoformat(date):%d/%m/%Y}"
        except ValueError:
            raise ValueParseError(f"Ngày ban hành “{date}” không phải ngày có thật.") from None
    return text
