"""Reading the values a form can carry as the engine's numbers, texts and dates.

A reader returns the converted value, or INVALID when the raw value has the wrong type for the
code's declared type (e.g. a str where a number was declared). None and NOT_APPLICABLE are
handled by the evaluator, which knows the missing-value policy.
"""

import datetime
import math
import unicodedata
from decimal import Decimal

from indicators.types import NA_MARK, NOT_APPLICABLE, DocRef

from .nodes import Kind


class _Invalid:
    def __repr__(self):
        return "INVALID"


INVALID = _Invalid()


def is_absent(raw):
    """Missing, or marked not applicable (NOT_APPLICABLE, or the printed "/" left as text)."""
    if raw is None or raw is NOT_APPLICABLE:
        return True
    return isinstance(raw, str) and raw.strip() in ("", NA_MARK)


def is_na(raw):
    return raw is NOT_APPLICABLE or (isinstance(raw, str) and raw.strip() == NA_MARK)


def is_filled(raw, kind):
    """A value is present; for a mark, the box is ticked."""
    if is_absent(raw):
        return False
    if kind is Kind.MARK and not isinstance(raw, str):
        try:
            return bool(raw)  # False, 0 = not ticked
        except Exception:  # an odd object whose __bool__ fails still counts as "something"
            return True
    return True


def normalize_text(text):
    """Compare texts ignoring case, surrounding or doubled spaces, and Unicode composition."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def to_number(raw):
    # bool is an int subclass, but a tick is not a count.
    if isinstance(raw, bool):
        return INVALID
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else INVALID
    if isinstance(raw, float):
        # Not a canonical value, but exact enough through its shortest repr.
        return Decimal(repr(raw)) if math.isfinite(raw) else INVALID
    return INVALID


def to_text(raw):
    if isinstance(raw, str):
        return normalize_text(raw)
    if isinstance(raw, DocRef):
        return normalize_text(str(raw))
    return INVALID


def to_date(raw):
    # datetime is a date subclass, but comparing one with a date raises TypeError.
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    return INVALID


READERS = {Kind.NUMBER: to_number, Kind.TEXT: to_text, Kind.DATE: to_date}


def parse_date(text):
    """A date literal: dd/mm/yyyy (leading zeros optional) or yyyy-mm-dd; None if invalid."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None
