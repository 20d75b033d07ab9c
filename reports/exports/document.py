"""The finished report as plain data, every text already formatted as printed.

Both renderers (pdf.py, docx.py) only lay this out, in the format of Nghị định 30/2020/NĐ-CP,
Phụ lục I. Selectors read the report; this module formats what they return.
"""

import datetime
import math
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from indicators.types import ValueType
from indicators.values import format_choice_list, format_value
from lib.html import sanitize_html

from ..models import EDITABLE_STATES, Report, ReportState
from ..selectors import column_sums, indicator_values, report_appendices, table_rows

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_KIND = "BÁO CÁO"
RECIPIENTS_TITLE = "Nơi nhận:"
WATERMARK = "DỰ THẢO"
TOTAL_LABEL = "Tổng cộng"
INDICATOR_HEADERS = ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú")
INDICATOR_WIDTHS = (7, 41, 14, 21, 17)

# Room left to write the number and the day by hand once the report is signed; non-breaking so
# that neither HTML nor Word collapses it.
NUMBER_BLANK = "\u00a0" * 7
DAY_BLANK = "\u00a0" * 5
# Prefixes of a signing authority that already says on whose behalf the signer signs.
ON_BEHALF = ("KT.", "TM.", "TL.", "TUQ.", "Q.")
ROMAN = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = "left"  # "left" or "center"
    indent: int = 0  # levels of indentation of an indicator's label


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: str = "value"  # "value", "heading" (printed bold) or "total"


@dataclass(frozen=True)
class Table:
    kind: str  # "indicators" (STT | Chỉ tiêu | … ) or "table" (repeating rows)
    widths: tuple[int, ...]  # per column, in percent of the table width; they sum to 100
    header: tuple[tuple[Cell, ...], ...]  # one or two rows
    numbers: tuple[str, ...]  # the printed column numbers "(1)", "(2)"…; empty when none
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class AppendixPart:
    name: str  # "Phụ lục I"
    title: str  # in capitals
    reference: str  # "(Kèm theo Báo cáo số …/BC-… ngày … của …)"
    landscape: bool
    table: Table


@dataclass(frozen=True)
class Section:
    level: int
    heading: str  # "I. CÔNG TÁC CHỈ ĐẠO…" or "1. Cải cách thể chế"
    html: str  # sanitised narrative


@dataclass(frozen=True)
class ReportDocument:
    parent_body: str
    issuing_body: str
    number_line: str  # "Số: 136/BC-SKHCN"
    place_date: str  # "Sóc Trăng, ngày 05 tháng 01 năm 2022"
    title: str
    basis: tuple[str, ...]
    sections: tuple[Section, ...]
    recipients: tuple[str, ...]  # "- Sở Nội vụ;" … "- Lưu: VT, VP."
    signature: tuple[str, ...]  # "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"
    signer_name: str
    appendices: tuple[AppendixPart, ...]
    is_draft: bool
    approved_at: datetime.datetime | None  # local time
    author: str
    subject: str
    keywords: tuple[str, ...]


def build_document(report: Report) -> ReportDocument:
    """Everything the PDF and Word exports print for `report` (a handful of queries)."""
    appendices = report_appendices(report)
    values = indicator_values(report, appendices)
    tables = table_rows(report, appendices)
    contents = {s.outline_id: s.content for s in report.sections.all()}
    outline = report.template_version.outline.all()
    approved_at = _approved_at(report)
    return ReportDocument(
        parent_body=report.parent_body.upper(),
        issuing_body=report.issuing_body.upper(),
        number_line=f"Số: {_number_and_symbol(report)}",
        place_date=f"{report.place}, {_date_words(report)}",
        title=report.title,
        basis=tuple(report.basis_paragraphs()),
        sections=tuple(
            Section(s.level, _section_heading(s), sanitize_html(contents.get(s.pk, "")))
            for s in outline
        ),
        recipients=_recipients(report.recipient_lines()),
        signature=_signature(report),
        signer_name=report.signer_name.strip(),
        appendices=_appendix_parts(report, appendices, values, tables),
        is_draft=report.state in EDITABLE_STATES,
        approved_at=approved_at,
        author=report.unit.name,
        subject=_subject(report, approved_at),
        keywords=("CCHC", "báo cáo", report.period.code),
    )


def export_filename(report: Report, extension: str) -> str:
    """An ASCII file name: "bao-cao-soc-trang-skhcn-2021-y.pdf"."""
    stem = f"bao-cao-{slugify(report.unit.code)}-{slugify(report.period.code)}"
    if report.revision > 1:
        stem += f"-lan-{report.revision}"
    return f"{stem}.{extension}"


# --- header, closing ---------------------------------------------------------------------------


def _number_and_symbol(report: Report) -> str:
    number = report.number.strip()
    if number.isdigit() and int(number) < 10:
        number = number.zfill(2)
    number = number or NUMBER_BLANK
    return f"{number}/{report.symbol}" if report.symbol else number


def _issue_year(report: Report) -> int:
    return report.issued_on.year if report.issued_on else report.period.deadline.year


def _date_words(report: Report) -> str:
    """ "ngày 05 tháng 01 năm 2022"; blanks for the day and month until the report is issued."""
    day = report.issued_on
    if day is None:
        return f"ngày {DAY_BLANK} tháng {DAY_BLANK} năm {_issue_year(report)}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _numbered(stt: str, title: str) -> str:
    stt = stt.strip()
    if not stt:
        return title
    return f"{stt} {title}" if stt[-1] in ".)" else f"{stt}. {title}"


def _section_heading(outline) -> str:
    heading = _numbered(outline.stt, outline.title)
    return heading.upper() if outline.level == 1 else heading


def _recipients(lines: list[str]) -> tuple[str, ...]:
    """Each entry "- …;", the archive copy ("Lưu: VT, …") last and ending with a full stop."""
    entries = [line.lstrip("-–• ").rstrip(" ;.,") for line in lines]
    entries = [entry for entry in entries if entry]
    archive = [entry for entry in entries if entry.casefold().startswith("lưu")] or ["Lưu: VT"]
    others = [entry for entry in entries if not entry.casefold().startswith("lưu")]
    entries = others + archive
    return tuple(f"- {entry};" for entry in entries[:-1]) + (f"- {entries[-1]}.",)


def _signature(report: Report) -> tuple[str, ...]:
    authority = report.signer_authority.strip().upper()
    position = report.signer_position.strip().upper()
    if not position or position == authority:
        return (authority,) if authority else ()
    if authority and not authority.startswith(ON_BEHALF):
        authority = f"KT. {authority}"
    return tuple(line for line in (authority, position) if line)


def _approved_at(report: Report) -> datetime.datetime | None:
    if report.state != ReportState.APPROVED or report.approved_at is None:
        return None
    return timezone.localtime(report.approved_at)


def _subject(report: Report, approved_at: datetime.datetime | None) -> str:
    subject = f"Báo cáo cải cách hành chính {report.period.label} – {report.unit.name}"
    if approved_at:
        return f"{subject}; đã duyệt ngày {approved_at:%d/%m/%Y}"
    if report.state in EDITABLE_STATES:
        return f"{subject}; dự thảo"
    return subject


# --- appendices --------------------------------------------------------------------------------


def _roman(number: int) -> str:
    text = ""
    for value, letters in ROMAN:
        while number >= value:
            text, number = text + letters, number - value
    return text


def _printed_name(appendix, position: int, count: int) -> str:
    """The appendix's own name when it reads "Phụ lục …", else "Phụ lục" numbered in Roman
    numerals by position when the report has several."""
    name = appendix.name.strip()
    if name.casefold().startswith("phụ lục"):
        return name
    return f"Phụ lục {_roman(position)}" if count > 1 else "Phụ lục"


def _reference(report: Report) -> str:
    return (
        f"(Kèm theo Báo cáo số {_number_and_symbol(report)} {_date_words(report)} "
        f"của {report.unit.name})"
    )


def _appendix_parts(report, appendices, values, tables) -> tuple[AppendixPart, ...]:
    reference = _reference(report)
    return tuple(
        AppendixPart(
            name=_printed_name(appendix, position, len(appendices)),
            title=appendix.title.upper(),
            reference=reference,
            landscape=appendix.landscape,
            table=(
                _repeating_table(appendix, tables[appendix.code])
                if appendix.is_table
                else _indicator_table(appendix, values)
            ),
        )
        for position, appendix in enumerate(appendices, start=1)
    )


def _shown(value_type: str, value, choices=None) -> str:
    try:
        return format_value(value_type, value, choices=choices)
    except (TypeError, ValueError, AttributeError):
        # A stored cell that no longer parses under its column's type is printed as typed.
        return str(value)


def _indicator_table(appendix, values: dict) -> Table:
    rows = []
    for row in appendix.indicators.all():
        value, note = values.get(row.code, (None, "")) if row.code else (None, "")
        unit = row.unit or (format_choice_list(row.choices) if row.choices else "")
        cells = (
            Cell(row.stt, align="center"),
            Cell(row.label, indent=max(row.level - 1, 0)),
            Cell(unit, align="center"),
            Cell(_shown(row.value_type, value, row.choices), align="center"),
            Cell(note),
        )
        rows.append(Row(cells, kind="heading" if row.is_heading else "value"))
    header = (tuple(Cell(text, align="center") for text in INDICATOR_HEADERS),)
    return Table(
        kind="indicators", widths=INDICATOR_WIDTHS, header=header, numbers=(), rows=tuple(rows)
    )


def _column_weight(column, texts: list[str]) -> float:
    """Relative width: ordinals narrow; text by its average length; every column wide enough
    for its header to wrap over a few lines without breaking words."""
    if column.is_ordinal:
        return 0.8
    if column.value_type == ValueType.TEXT:
        filled = [len(text) for text in texts if text]
        average = sum(filled) / len(filled) if filled else 0
        content = min(7.0, max(1.5, math.sqrt(average) / 2.5))
    else:
        content = 1.3 if column.value_type == ValueType.DATE else 0.9
    longest_word = max((len(word) for word in column.header.split()), default=0)
    return max(content, min(1.6, len(column.header) / 25), longest_word / 7)


def _percentages(weights: list[float]) -> tuple[int, ...]:
    """Whole percentages summing to 100 (largest remainders get the rounding)."""
    total = sum(weights) or 1
    exact = [100 * weight / total for weight in weights]
    shares = [int(share) for share in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: shares[i] - exact[i])
    for index in by_remainder[: 100 - sum(shares)]:
        shares[index] += 1
    return tuple(shares)


def _table_header(columns) -> tuple[tuple[Cell, ...], ...]:
    """One header row, or two when columns are grouped: a group's cell spans its consecutive
    columns, an ungrouped header spans both rows."""
    if not any(column.group for column in columns):
        return (tuple(Cell(column.header, align="center") for column in columns),)
    top, bottom = [], []
    index = 0
    while index < len(columns):
        group = columns[index].group
        run = 1
        while group and index + run < len(columns) and columns[index + run].group == group:
            run += 1
        if group:
            top.append(Cell(group, colspan=run, align="center"))
            bottom += [Cell(c.header, align="center") for c in columns[index : index + run]]
        else:
            top.append(Cell(columns[index].header, rowspan=2, align="center"))
        index += run
    return (tuple(top), tuple(bottom))


def _align(column) -> str:
    return "left" if column.value_type == ValueType.TEXT and not column.is_ordinal else "center"


def _total_row(columns, total: dict) -> Row:
    texts = [_shown(c.value_type, total.get(c.code), c.choices) for c in columns]
    lead = next((index for index, text in enumerate(texts) if text), len(texts))
    cells = [Cell(TOTAL_LABEL, colspan=lead, align="center")] if lead else []
    cells += [
        Cell(text, align=_align(c)) for c, text in zip(columns[lead:], texts[lead:], strict=True)
    ]
    return Row(tuple(cells), kind="total")


def _repeating_table(appendix, data: dict) -> Table:
    columns = list(appendix.columns.all())
    texts = [
        [_shown(c.value_type, values.get(c.code), c.choices) for c in columns]
        for _position, values in data["rows"]
    ]
    rows = [
        Row(tuple(Cell(text, align=_align(c)) for c, text in zip(columns, row, strict=True)))
        for row in texts
    ]
    if appendix.has_total_row or data["total"] is not None:
        total = data["total"] or column_sums(appendix, [values for _p, values in data["rows"]])
        rows.append(_total_row(columns, total))
    weights = [
        _column_weight(column, [row[index] for row in texts])
        for index, column in enumerate(columns)
    ]
    numbers = tuple(c.number for c in columns) if any(c.number for c in columns) else ()
    return Table(
        kind="table",
        widths=_percentages(weights),
        header=_table_header(columns),
        numbers=numbers,
        rows=tuple(rows),
    )
