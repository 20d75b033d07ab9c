"""The finished report as plain data, every text already formatted as printed.

Both renderers (pdf.py, docx.py) only lay this out, in the format of Nghị định 30/2020/NĐ-CP,
Phụ lục I. Selectors read the report; this module formats what they return.
"""

import datetime
import math
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify
from lxml import html as lxml_html

from indicators.types import ValueType
from indicators.values import format_choice_list, format_value
from lib.html import sanitize_html
from reports.models import EDITABLE_STATES, Report, ReportState
from reports.selectors import column_sums, indicator_values, report_appendices, table_rows

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_KIND = "BÁO CÁO"
RECIPIENTS_TITLE = "Nơi nhận:"
WATERMARK = "DỰ THẢO"
TOTAL_LABEL = "Tổng cộng"
INDICATOR_HEADERS = ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú")
INDICATOR_WIDTHS = (7, 41, 14, 21, 17)
# Width of the appendix tables (the page less its margins) and what one character of a data cell
# takes (12 pt Times: a digit is half an em) plus the cell's padding and borders, in mm.
TABLE_WIDTH_MM = {False: 165.0, True: 257.0}
CHAR_MM = 12 * 0.5 * 25.4 / 72
CELL_PADDING_MM = 3.5
APPENDIX = "Phụ lục"

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
    nowrap: bool = False  # an STT: its column is sized to fit it on one line


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
    name: str  # "Phụ lục I"; empty when the template names this table otherwise
    title: str  # in capitals
    reference: str  # "(Kèm theo Báo cáo số …/BC-… ngày … của …)"
    landscape: bool
    table: Table


@dataclass(frozen=True)
class Section:
    level: int
    heading: str  # "I. CÔNG TÁC CHỈ ĐẠO…" or "1. Cải cách thể chế"
    html: str  # sanitised narrative, every paragraph a block (see body_html)


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
        sections=_printed_sections(
            [
                Section(s.level, _section_heading(s), body_html(contents.get(s.pk, "")))
                for s in outline
            ]
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


def _printed_sections(sections: list[Section]) -> tuple[Section, ...]:
    """The sections whose heading has something under it: its own text or a subsection's."""
    printed = [False] * len(sections)
    for index in reversed(range(len(sections))):
        level, below = sections[index].level, index + 1
        filled = bool(sections[index].html)
        while not filled and below < len(sections) and sections[below].level > level:
            filled = printed[below]
            below += 1
        printed[index] = filled
    return tuple(section for section, shown in zip(sections, printed, strict=True) if shown)


# Tags that stand on their own lines; every other allowed tag is inline (b, strong, i, em, u, br).
BLOCK_TAGS = {"p", "ul", "ol", "table", "h3", "h4", "blockquote"}


def body_html(html: str) -> str:
    """The sanitised narrative with loose inline content (text typed before the editor's first
    paragraph, a bold phrase between two paragraphs) gathered into paragraphs and empty
    paragraphs dropped, so that every paragraph prints indented, its bold and italic inline."""
    clean = sanitize_html(html)
    if not clean:
        return ""
    source = lxml_html.fragment_fromstring(clean, create_parent="div")
    blocks: list = []
    paragraph = None

    def open_paragraph():
        nonlocal paragraph
        if paragraph is None:
            paragraph = lxml_html.Element("p")
            blocks.append(paragraph)
        return paragraph

    if source.text and source.text.strip():
        open_paragraph().text = source.text
    for child in list(source):
        if child.tag in BLOCK_TAGS:
            tail, child.tail = child.tail, None
            blocks.append(child)
            paragraph = None
            if tail and tail.strip():
                open_paragraph().text = tail
        else:
            open_paragraph().append(child)  # the child's tail moves with it
    return "".join(
        lxml_html.tostring(block, encoding="unicode")
        for block in blocks
        if block.tag != "p" or block.text_content().strip()
    )


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


def _printed_names(appendices) -> list[str]:
    """The names the template gives ("Phụ lục 1"), printed as they are; a table the template
    names otherwise ("Liên hệ") prints its title alone. Only a template that names none gets
    "Phụ lục I", "Phụ lục II"… by position, so a report never mixes two numberings."""
    names = [appendix.name.strip() for appendix in appendices]
    stated = [name if name.casefold().startswith(APPENDIX.casefold()) else "" for name in names]
    if any(stated):
        return stated
    if len(names) == 1:
        return [APPENDIX]
    return [f"{APPENDIX} {_roman(position)}" for position in range(1, len(names) + 1)]


def _reference(report: Report) -> str:
    return (
        f"(Kèm theo Báo cáo số {_number_and_symbol(report)} {_date_words(report)} "
        f"của {report.unit.name})"
    )


def _appendix_parts(report, appendices, values, tables) -> tuple[AppendixPart, ...]:
    reference = _reference(report)
    return tuple(
        AppendixPart(
            name=name,
            title=appendix.title.upper(),
            reference=reference,
            landscape=appendix.landscape,
            table=(
                _repeating_table(appendix, tables[appendix.code])
                if appendix.is_table
                else _indicator_table(appendix, values)
            ),
        )
        for name, appendix in zip(_printed_names(appendices), appendices, strict=True)
    )


def _ordinal_share(texts: list[str], landscape: bool) -> int:
    """The percentage of the table's width that prints the longest STT ("3.1.1.") on one
    line."""
    longest = max((len(text) for text in texts), default=0)
    # Never narrower than the header "STT" (about four digits wide in bold capitals).
    needed = max(longest, 4) * CHAR_MM + CELL_PADDING_MM
    return math.ceil(100 * needed / TABLE_WIDTH_MM[landscape])


def _shown(value_type: str, value, choices=None) -> str:
    try:
        return format_value(value_type, value, choices=choices)
    except (TypeError, ValueError, AttributeError):
        # A stored cell that no longer parses under its column's type is printed as typed.
        return str(value)


def _indicator_table(appendix, values: dict) -> Table:
    rows = []
    indicators = list(appendix.indicators.all())
    for row in indicators:
        value, note = values.get(row.code, (None, "")) if row.code else (None, "")
        unit = row.unit or (format_choice_list(row.choices) if row.choices else "")
        cells = (
            Cell(row.stt, align="center", nowrap=True),
            Cell(row.label, indent=max(row.level - 1, 0)),
            Cell(unit, align="center"),
            Cell(_shown(row.value_type, value, row.choices), align="center"),
            Cell(note),
        )
        rows.append(Row(cells, kind="heading" if row.is_heading else "value"))
    header = (tuple(Cell(text, align="center") for text in INDICATOR_HEADERS),)
    # The STT column takes what its longest code needs from the label column.
    ordinal = _ordinal_share([row.stt for row in indicators], appendix.landscape)
    ordinal = max(ordinal, INDICATOR_WIDTHS[0])
    widths = (ordinal, INDICATOR_WIDTHS[1] - ordinal + INDICATOR_WIDTHS[0], *INDICATOR_WIDTHS[2:])
    return Table(kind="indicators", widths=widths, header=header, numbers=(), rows=tuple(rows))


def _column_weight(column, texts: list[str]) -> float:
    """Relative width: text by its average length; every column wide enough for its header to
    wrap over a few lines without breaking words (ordinals get a fixed share instead)."""
    if column.value_type == ValueType.TEXT:
        filled = [len(text) for text in texts if text]
        average = sum(filled) / len(filled) if filled else 0
        content = min(7.0, max(1.5, math.sqrt(average) / 2.5))
    else:
        content = 1.3 if column.value_type == ValueType.DATE else 0.9
    longest_word = max((len(word) for word in column.header.split()), default=0)
    return max(content, min(1.6, len(column.header) / 25), longest_word / 7)


def _percentages(weights: list[float], fixed: dict[int, int]) -> tuple[int, ...]:
    """Whole percentages summing to 100: the `fixed` columns get theirs, the others share the
    rest by weight (largest remainders get the rounding)."""
    rest = 100 - sum(fixed.values())
    total = sum(weight for index, weight in enumerate(weights) if index not in fixed) or 1
    exact = [
        fixed[index] if index in fixed else rest * weight / total
        for index, weight in enumerate(weights)
    ]
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
        Row(
            tuple(
                Cell(text, align=_align(c), nowrap=c.is_ordinal)
                for c, text in zip(columns, row, strict=True)
            )
        )
        for row in texts
    ]
    if appendix.has_total_row or data["total"] is not None:
        total = data["total"] or column_sums(appendix, [values for _p, values in data["rows"]])
        rows.append(_total_row(columns, total))
    weights = [
        _column_weight(column, [row[index] for row in texts])
        for index, column in enumerate(columns)
    ]
    fixed = {
        index: _ordinal_share([row[index] for row in texts], appendix.landscape)
        for index, column in enumerate(columns)
        if column.is_ordinal
    }
    numbers = tuple(c.number for c in columns) if any(c.number for c in columns) else ()
    return Table(
        kind="table",
        widths=_percentages(weights, fixed),
        header=_table_header(columns),
        numbers=numbers,
        rows=tuple(rows),
    )
