"""How long a text and how many rows any input may bring: one set of limits for forms, autosave,
Excel uploads and services, so the cost of a save, a page and a PDF stays bounded whatever was
typed or pasted (issue 25). The seed reports' longest section is ~14,000 characters, their
longest table 34 rows, their notes under 100 characters."""

from django.core.exceptions import ValidationError

NOTE_MAX_CHARS = 2_000  # an indicator's note; a province override's note
CELL_MAX_CHARS = 2_000  # a text value: an indicator's, a table cell's
REASON_MAX_CHARS = 5_000  # a comment, a return reason, an approval note, an explanation
SECTION_MAX_CHARS = 100_000  # a narrative section's HTML as typed
TABLE_MAX_ROWS = 500  # rows of one table
UPLOAD_MAX_TABLE_ROWS = 1_500  # table rows of one Excel upload, over all its tables


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def too_long(text: str, limit: int) -> str | None:
    """The Vietnamese refusal of a text over `limit` characters, or None."""
    if len(text) <= limit:
        return None
    return (
        f"Dài {thousands(len(text))} ký tự, quá giới hạn {thousands(limit)} ký tự; "
        "hãy rút gọn (tài liệu dài nên gửi kèm thành văn bản riêng)."
    )


def too_many_rows(count: int, limit: int) -> str | None:
    if count <= limit:
        return None
    return f"Có {thousands(count)} dòng, quá giới hạn {thousands(limit)} dòng của một bảng."


class MaxChars:
    """A form field's validator with the message above."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value) -> None:
        message = too_long(value or "", self.limit)
        if message:
            raise ValidationError(message, code="max_length")
