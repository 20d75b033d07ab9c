"""The appendix workbook of a report (docs/excel-layout.md): written in the printed layout, one
sheet per appendix, and read back by the hidden codes it carries.

The same layout is the Excel export, the blank form for offline filling and the import: a
department downloads it, fills or corrects it in Excel and uploads it again.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from indicators.models import Appendix, TemplateVersion
from indicators.types import NA_MARK, NOT_APPLICABLE, ValueType
from indicators.values import ValueParseError, format_value, parse_value
from lib.limits import (
    NOTE_MAX_CHARS,
    TABLE_MAX_ROWS,
    UPLOAD_MAX_TABLE_ROWS,
    thousands,
    too_long,
    too_many_rows,
)
from lib.xlsx import SheetWriter, XlsxError, open_workbook, set_cell

from .selectors import column_sums, indicator_values, report_appendices, table_rows
from .values import SUMMED_TYPES, cells_from_json, cells_to_json

LAYOUT_VERSION = 1
META_SHEET = "_cchc"
META_MAX_ROWS = 500
PART_KEY = "phan:"  # meta key prefix, followed by the part ("appendix:<code>")
SHEET_KEY = "#cchc:"  # key-row marker, followed by the appendix code
TITLE_KEY, HEADER_KEY, NUMBERS_KEY, HEADING_KEY, TOTAL_KEY = (
    "#tieu_de_phu_luc",
    "#tieu_de",
    "#so_cot",
    "#muc",
    "#tong",
)
VALUE_KEY, NOTE_KEY = "so_lieu", "ghi_chu"
INDICATOR_HEADERS = ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
INDICATOR_WIDTHS = [7, 58, 18, 16, 30]
INDICATOR_KEYS = [None, None, None, VALUE_KEY, NOTE_KEY]
TOTAL_LABEL = "Tổng cộng"
BLANK_TABLE_ROWS = 5
SHEET_TITLE_MAX = 31
KEY_SCAN_ROWS = 10

FONT = "Times New Roman"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
COLUMN_WIDTHS = {
    ValueType.TEXT: 30,
    ValueType.DOCREF: 32,
    ValueType.DATE: 12,
    ValueType.MARK: 11,
    ValueType.CHOICE: 11,
    ValueType.INTEGER: 12,
    ValueType.DECIMAL: 12,
    ValueType.PERCENT: 11,
}


MAX_LISTED_PROBLEMS = 200


class Problems(list):
    """The problems found in a workbook: the first MAX_LISTED_PROBLEMS kept, the rest only
    counted, so a workbook full of bad cells gives a page of bounded size."""

    def __init__(self):
        super().__init__()
        self.total = 0

    def append(self, problem: str) -> None:
        self.total += 1
        if len(self) < MAX_LISTED_PROBLEMS:
            super().append(problem)

    def listed(self) -> list[str]:
        more = self.total - len(self)
        return list(self) + ([f"… và {format_value('integer', more)} lỗi khác."] if more else [])


class ReportWorkbookError(Exception):
    """The workbook cannot be read into the report; `problems` lists the reasons (at most
    MAX_LISTED_PROBLEMS, then how many more), each located by sheet, row and column; `total`
    counts them all."""

    def __init__(self, problems: list[str], total: int | None = None):
        self.total = len(problems) if total is None else total
        super().__init__(f"{self.total} lỗi")
        self.problems = problems


# --- sheet titles ----------------------------------------------------------------------------

_FORBIDDEN_IN_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def sheet_titles(appendices) -> dict[str, str]:
    """appendix code -> sheet title: the appendix's name (or code), at most 31 characters,
    without the characters Excel refuses, unique within the workbook."""
    titles, taken = {}, {META_SHEET.casefold()}
    for appendix in appendices:
        base = (appendix.name or appendix.code).translate(_FORBIDDEN_IN_TITLE).strip("' ")
        base = base[:SHEET_TITLE_MAX] or appendix.code[:SHEET_TITLE_MAX]
        title, n = base, 1
        while title.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
        taken.add(title.casefold())
        titles[appendix.code] = title
    return titles


# --- writing: values -------------------------------------------------------------------------


def _places(number: Decimal) -> int:
    return max(0, -number.normalize().as_tuple().exponent)


def _excel_number(number) -> int | float:
    """An int when whole, else the float whose shortest repr is the decimal (exact to 15
    significant digits, the most Excel keeps)."""
    number = Decimal(number)
    return int(number) if number == number.to_integral_value() else float(number)


def _number_format(value_type: str, value) -> str:
    """The cell's number format; for a filled cell it shows exactly the stored decimals."""
    if value_type == ValueType.INTEGER:
        return "#,##0"
    if value_type == ValueType.CHOICE:
        return "0"
    if value_type == ValueType.DATE:
        return DATE_FORMAT
    if value_type in (ValueType.TEXT, ValueType.DOCREF, ValueType.MARK):
        return TEXT_FORMAT
    places = _places(Decimal(value)) if isinstance(value, int | Decimal) else None
    if value_type == ValueType.PERCENT:
        return "0.##%" if places is None else _fixed(places) + "%"
    return "#,##0.##" if places is None else "#,##" + _fixed(places)


def _fixed(places: int) -> str:
    return "0." + "0" * places if places else "0"


def _excel_value(value_type: str, value):
    if value is None:
        return None
    if value is NOT_APPLICABLE:
        return NA_MARK
    if value_type == ValueType.PERCENT:
        return _excel_number(Decimal(value).scaleb(-2))  # a fraction: Excel shows 0.97 as 97%
    if value_type in (ValueType.INTEGER, ValueType.DECIMAL, ValueType.CHOICE):
        return _excel_number(value)
    if value_type == ValueType.MARK:
        return "X" if value else None
    if value_type == ValueType.DATE:
        return value
    return str(value)


def _put_value(cell: Cell, value_type: str, value) -> None:
    """A value cell: real numbers, fractions for percentages, dates, "/" centred, text."""
    written = _excel_value(value_type, value)
    set_cell(cell, written)
    cell.number_format = _number_format(value_type, value)
    numeric = isinstance(written, int | float | datetime.date)
    if written == NA_MARK or value_type in (ValueType.MARK, ValueType.CHOICE):
        cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
    elif numeric:
        cell.alignment = Alignment(horizontal="right", vertical="top")
    else:
        cell.alignment = WRAP


# --- writing: common layout ------------------------------------------------------------------


def _font(cell: Cell, *, bold=False, italic=False, size=12) -> None:
    cell.font = Font(name=FONT, bold=bold, italic=italic, size=size)


def _attachment_line(report) -> str:
    # Before the clerk issues the number the paper form leaves a gap: "số ....../BC-SKHCN".
    number = report.number_and_symbol if report.number else "......" + report.number_and_symbol
    day = f"{report.issued_on:%d/%m/%Y}" if report.issued_on else "..../..../......"
    return f"(Kèm theo Báo cáo số {number} ngày {day} của {report.unit.name})"


def _merge_across(sheet: Worksheet, row: int, width: int) -> None:
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _title_block(out: SheetWriter, report, appendix, width: int, key_col: int) -> None:
    """Appendix name, title and the "Kèm theo Báo cáo số ..." line, centred over the table."""
    lines = [
        (appendix.name, {"bold": True, "size": 13}),
        (appendix.title, {"bold": True, "size": 13}),
        (_attachment_line(report), {"italic": True}),
    ]
    widths = [out.sheet.column_dimensions[get_column_letter(c)].width for c in range(1, width + 1)]
    chars_per_line = max(20, sum(widths))
    for text, style in lines:
        row = _write_row(out, [text], key_col, TITLE_KEY)
        _merge_across(out.sheet, row, width)
        cell = out.sheet.cell(row=row, column=1)
        _font(cell, **style)
        cell.alignment = CENTRED
        out.sheet.row_dimensions[row].height = 18 * math.ceil(len(text or " ") / chars_per_line)
    _write_row(out, [], key_col, TITLE_KEY)


def _write_row(out: SheetWriter, values: list, key_col: int, key) -> int:
    """One row of visible cells, with its key in the hidden key column."""
    padded = list(values) + [None] * (key_col - 1 - len(values))
    return out.write([*padded, key])


def _key_row(out: SheetWriter, keys: list, key_col: int, appendix) -> None:
    row = _write_row(out, keys, key_col, SHEET_KEY + appendix.code)
    out.sheet.row_dimensions[row].hidden = True


def _style_cells(sheet: Worksheet, row: int, width: int, *, bold=False, header=False) -> None:
    for column in range(1, width + 1):
        cell = sheet.cell(row=row, column=column)
        cell.border = BORDER
        _font(cell, bold=bold or header)
        if header:
            cell.alignment = CENTRED


def _page_setup(sheet: Worksheet, appendix, header_rows: tuple[int, int], first_data: int):
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if appendix.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    # Nghị định 30/2020: top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm (in inches here).
    sheet.page_margins = PageMargins(left=1.18, right=0.7, top=0.8, bottom=0.8)
    sheet.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    sheet.freeze_panes = f"A{first_data}"


def _set_widths(sheet: Worksheet, widths: list[int], key_col: int) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.column_dimensions[get_column_letter(key_col)].hidden = True


# --- writing: indicator tables ---------------------------------------------------------------


def _write_indicators(sheet: Worksheet, report, appendix, values: dict) -> None:
    width, key_col = len(INDICATOR_HEADERS), len(INDICATOR_HEADERS) + 1
    _set_widths(sheet, INDICATOR_WIDTHS, key_col)
    out = SheetWriter(sheet)
    _key_row(out, INDICATOR_KEYS, key_col, appendix)
    _title_block(out, report, appendix, width, key_col)
    header = _write_row(out, INDICATOR_HEADERS, key_col, HEADER_KEY)
    _style_cells(sheet, header, width, header=True)
    for indicator in appendix.indicators.all():
        _write_indicator(out, indicator, values.get(indicator.code, (None, "")), key_col)
    _page_setup(sheet, appendix, (header, header), header + 1)


def _write_indicator(out: SheetWriter, indicator, stored: tuple, key_col: int) -> None:
    value, note = stored
    key = HEADING_KEY if indicator.is_heading and not indicator.code else indicator.code
    row = _write_row(out, [indicator.stt, indicator.label, indicator.unit], key_col, key)
    sheet = out.sheet
    if not indicator.is_heading:
        _put_value(sheet.cell(row=row, column=4), indicator.value_type, value)
        set_cell(sheet.cell(row=row, column=5), note or None).number_format = TEXT_FORMAT
    _style_cells(sheet, row, len(INDICATOR_HEADERS), bold=indicator.is_heading)
    sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center", vertical="top")
    sheet.cell(row=row, column=2).alignment = Alignment(
        wrap_text=True, vertical="top", indent=max(0, indicator.level - 1)
    )
    sheet.cell(row=row, column=3).alignment = CENTRED


# --- writing: repeating tables ---------------------------------------------------------------


def _column_width(column) -> int:
    if column.value_type == ValueType.TEXT and len(column.header) <= 4:
        return 7  # "STT", "TT"
    return COLUMN_WIDTHS.get(column.value_type, 14)


def _group_runs(columns) -> list[tuple[int, int, str]]:
    """(first, last, group) 1-based runs of consecutive columns sharing a non-blank group."""
    runs = []
    for index, column in enumerate(columns, start=1):
        if column.group and runs and runs[-1][2] == column.group and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index, column.group)
        elif column.group:
            runs.append((index, index, column.group))
    return runs


def _write_table_header(out: SheetWriter, columns, key_col: int) -> tuple[int, int]:
    """One header row, or two when columns are grouped: group cells merged across their
    columns, ungrouped headers merged down both rows. Then the "(1) (2) ..." row."""
    sheet, width = out.sheet, len(columns)
    runs = _group_runs(columns)
    if not runs:
        first = last = _write_row(out, [c.header for c in columns], key_col, HEADER_KEY)
    else:
        grouped = {i for start, end, _g in runs for i in range(start, end + 1)}
        top = [None if i in grouped else c.header for i, c in enumerate(columns, start=1)]
        first = _write_row(out, top, key_col, HEADER_KEY)
        bottom = [c.header if i in grouped else None for i, c in enumerate(columns, start=1)]
        last = _write_row(out, bottom, key_col, HEADER_KEY)
        for start, end, group in runs:
            set_cell(sheet.cell(row=first, column=start), group)
            if end > start:
                sheet.merge_cells(
                    start_row=first, start_column=start, end_row=first, end_column=end
                )
        for index in set(range(1, width + 1)) - grouped:
            sheet.merge_cells(start_row=first, start_column=index, end_row=last, end_column=index)
    for row in range(first, last + 1):
        _style_cells(sheet, row, width, header=True)
    if any(c.number for c in columns):
        last = _write_row(out, [c.number for c in columns], key_col, NUMBERS_KEY)
        _style_cells(sheet, last, width, header=True)
        for column in range(1, width + 1):
            sheet.cell(row=last, column=column).font = Font(name=FONT, italic=True, size=11)
    return first, last


def _label_span(columns) -> int:
    """How many leading columns the "Tổng cộng" label covers: those before the first sum."""
    return next((i for i, c in enumerate(columns) if c.value_type in SUMMED_TYPES), len(columns))


def _write_table_row(out: SheetWriter, columns, cells: dict, key_col: int, key=None) -> int:
    row = _write_row(out, [], key_col, key)
    for index, column in enumerate(columns, start=1):
        _put_value(out.sheet.cell(row=row, column=index), column.value_type, cells.get(column.code))
    _style_cells(out.sheet, row, len(columns))
    return row


def _write_total(out: SheetWriter, columns, total: dict | None, key_col: int) -> None:
    span = _label_span(columns)
    cells = {c.code: (total or {}).get(c.code) for c in columns[span:]}
    row = _write_table_row(out, columns, cells, key_col, TOTAL_KEY)
    if span:  # a table starting with a summed column has no room for the label
        set_cell(out.sheet.cell(row=row, column=1), TOTAL_LABEL).alignment = CENTRED
    if span > 1:
        out.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    _style_cells(out.sheet, row, len(columns), bold=True)


def _write_table(sheet: Worksheet, report, appendix, table: dict) -> None:
    columns = list(appendix.columns.all())
    width, key_col = len(columns), len(columns) + 1
    _set_widths(sheet, [_column_width(c) for c in columns], key_col)
    out = SheetWriter(sheet)
    _key_row(out, [c.code for c in columns], key_col, appendix)
    _title_block(out, report, appendix, width, key_col)
    header = _write_table_header(out, columns, key_col)
    rows = table["rows"] or [{}] * BLANK_TABLE_ROWS
    for cells in rows:
        _write_table_row(out, columns, cells, key_col)
    if appendix.has_total_row:
        _write_total(out, columns, table["total"], key_col)
    _page_setup(sheet, appendix, header, header[1] + 1)


def _tables_to_write(report, appendices, *, blank: bool) -> dict[str, dict]:
    """appendix code -> {"rows": [{column: value}], "total": {...} | None}: the stored rows and
    printed total (else the sums), or for a blank workbook the template's fixed rows and a few
    empty rows to fill."""
    tables = [a for a in appendices if a.is_table]
    if blank:
        spare = [{}] * BLANK_TABLE_ROWS
        return {a.code: {"rows": _fixed_rows(a) + spare, "total": None} for a in tables}
    stored = table_rows(report, tables) if tables else {}
    result = {}
    for appendix in tables:
        rows = [cells for _row_id, cells in stored[appendix.code]["rows"]]
        total = stored[appendix.code]["total"]
        if total is None and appendix.has_total_row:
            total = column_sums(appendix, rows)
        result[appendix.code] = {"rows": rows, "total": total}
    return result


def _fixed_rows(appendix) -> list[dict]:
    columns = {c.code: c for c in appendix.columns.all()}
    return [cells_from_json(columns, cells_to_json(columns, row)) for row in appendix.fixed_rows]


# --- writing: the workbook -------------------------------------------------------------------


def _write_meta(workbook: Workbook, report, appendices, *, blank: bool) -> None:
    sheet = workbook.create_sheet(META_SHEET)
    sheet.sheet_state = "veryHidden"
    version = report.template_version
    out = SheetWriter(sheet)
    for key, value in [
        ("dinh_dang", LAYOUT_VERSION),
        ("bao_cao", report.pk),
        ("mau", version.template.code),
        ("phien_ban_id", version.pk),
        ("phien_ban", version.number),
        ("don_vi", report.unit.code),
        ("ky", report.period.code),
        ("loai", "trong" if blank else "so_lieu"),
    ]:
        out.write([key, value])
    # The saved version of each appendix when downloaded: the import refuses to overwrite an
    # appendix someone saved since (docs/excel-layout.md, "Saving").
    for appendix in appendices:
        part = f"appendix:{appendix.code}"
        out.write([PART_KEY + part, report.part_versions.get(part, 0)])


def write_report_workbook(report, *, blank: bool = False) -> bytes:
    """The report's appendices as an .xlsx file, one sheet each in the printed layout; `blank`
    leaves every value cell empty (the template's fixed rows stay) for offline filling."""
    appendices = report_appendices(report)
    values = {} if blank else indicator_values(report, appendices)
    tables = _tables_to_write(report, appendices, blank=blank)
    titles = sheet_titles(appendices)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for appendix in appendices:
        sheet = workbook.create_sheet(titles[appendix.code])
        if appendix.is_table:
            _write_table(sheet, report, appendix, tables[appendix.code])
        else:
            _write_indicators(sheet, report, appendix, values)
    _write_meta(workbook, report, appendices, blank=blank)
    workbook.active = 0
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cell:
    """A read cell with its place (openpyxl's read-only mode gives empty cells none)."""

    row: int
    column: int
    value: object
    number_format: str | None


def _sheet_rows(
    sheet,
    *,
    min_row: int = 1,
    max_row: int | None = None,
    min_col: int = 1,
    max_col: int | None = None,
):
    """Rows of _Cell from `min_row`, at most the first XLSX_MAX_COLUMNS columns."""
    limit = settings.XLSX_MAX_COLUMNS
    max_col = min(max_col or limit, limit)
    rows = sheet.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)
    for number, cells in enumerate(rows, start=min_row):
        yield tuple(
            _Cell(number, column, cell.value, getattr(cell, "number_format", None))
            for column, cell in enumerate(cells, start=min_col)
        )


@dataclass
class _Found:
    """An appendix sheet located by its key row: where the keys are and what they say."""

    sheet: Worksheet
    key_row: int
    key_col: int
    columns: dict[int, str]  # 1-based column -> column key written in the key row

    def column_of(self, key: str) -> int | None:
        return next((column for column, k in self.columns.items() if k == key), None)

    def where(self, row: int | None = None, column: int | None = None, label: str = "") -> str:
        text = f"Trang “{self.sheet.title}”"
        if row:
            text += f", dòng {row}"
        if column:
            text += f", cột {get_column_letter(column)}" + (f" ({label})" if label else "")
        return text


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _key_text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _find_keys(sheet: Worksheet) -> tuple[_Found, str] | None:
    for cells in _sheet_rows(sheet, max_row=KEY_SCAN_ROWS):
        marker = next((c for c in cells if _key_text(c.value).startswith(SHEET_KEY)), None)
        if marker is None:
            continue
        columns = {
            c.column: _key_text(c.value)
            for c in cells
            if c.column != marker.column and _key_text(c.value)
        }
        found = _Found(sheet, marker.row, marker.column, columns)
        return found, _key_text(marker.value).removeprefix(SHEET_KEY)
    return None


def _read_meta(workbook) -> dict:
    if META_SHEET not in workbook.sheetnames:
        return {}
    rows = workbook[META_SHEET].iter_rows(
        min_row=1, max_row=META_MAX_ROWS, max_col=2, values_only=True
    )
    return {key: value for key, value in rows if isinstance(key, str)}


def _older_version(meta: dict, report):
    """The earlier version of the report's own template the workbook was downloaded on (the
    report has since moved to a newer version), or None."""
    version = report.template_version
    if not isinstance(meta.get("phien_ban_id"), int) or meta["phien_ban_id"] == version.pk:
        return None
    return TemplateVersion.objects.filter(
        pk=meta["phien_ban_id"], template_id=version.template_id, number__lt=version.number
    ).first()


def _codes_of(version) -> set[tuple]:
    """Every appendix, indicator and column code of a version, to tell what is new since."""
    codes = set()
    for appendix in Appendix.objects.filter(version=version).prefetch_related(
        "indicators", "columns"
    ):
        codes.add(("appendix", appendix.code))
        codes |= {("indicator", row.code) for row in appendix.indicators.all() if row.code}
        codes |= {("column", appendix.code, c.code) for c in appendix.columns.all()}
    return codes


def _meta_problem(meta: dict, report) -> str | None:
    version = report.template_version
    if not meta:
        return (
            "Tệp không phải tệp Excel tải từ cổng (thiếu phần mã ẩn). Hãy tải tệp Excel của "
            "báo cáo này (có số liệu hoặc để trống), điền vào đó rồi tải lên."
        )
    if meta.get("phien_ban_id") != version.pk and _older_version(meta, report) is None:
        return (
            f"Tệp này lập theo mẫu “{meta.get('mau', '?')}” phiên bản {meta.get('phien_ban', '?')}"
            f", không phải mẫu của báo cáo này (“{version.template.code}” phiên bản "
            f"{version.number}). Hãy tải tệp Excel của chính báo cáo này rồi điền lại."
        )
    return None


def _locate_sheets(workbook, appendices, problems: list[str], then=None) -> dict[str, _Found]:
    """appendix code -> its sheet, found by the code in the sheet's key row, not by title."""
    known, found = {a.code for a in appendices}, {}
    for sheet in workbook.worksheets:
        if sheet.title == META_SHEET:
            continue
        located = _find_keys(sheet)
        if located is None:
            problems.append(
                f"Trang “{sheet.title}”: không phải trang phụ lục của báo cáo (không có mã ẩn). "
                "Xóa trang này hoặc chép số liệu vào đúng trang phụ lục."
            )
        elif located[1] not in known:
            problems.append(f"Trang “{sheet.title}”: phụ lục mã “{located[1]}” không có trong mẫu.")
        elif located[1] in found:
            other = found[located[1]].sheet.title
            problems.append(f"Trang “{sheet.title}”: trùng phụ lục với trang “{other}”.")
        else:
            found[located[1]] = located[0]
    titles = sheet_titles(appendices)
    for appendix in appendices:
        if appendix.code not in found and _existed(then, "appendix", appendix.code):
            problems.append(
                f"Thiếu trang “{titles[appendix.code]}” ({appendix.title}); không xóa trang "
                "của tệp tải về, để trống các ô chưa có số liệu."
            )
    return found


def _parse_cell(found: _Found, cell: Cell, value_type, choices, label: str, problems):
    try:
        return parse_value(
            value_type, cell.value, choices=choices, number_format=cell.number_format
        )
    except ValueParseError as exc:
        problems.append(f"{found.where(cell.row, cell.column, label)}: {exc.message}")
        return None


def _cell(cells: tuple, column: int) -> Cell | None:
    return cells[column - 1] if column <= len(cells) else None


def _existed(then: set | None, *code) -> bool:
    """Whether the workbook's version had this code (always, when it is the report's own)."""
    return then is None or code in then


def _read_indicators(found: _Found, appendix, problems: list[str], then=None) -> dict:
    """{code: (value, note)} of every indicator row, located by its hidden code."""
    value_col, note_col = found.column_of(VALUE_KEY), found.column_of(NOTE_KEY)
    if value_col is None or note_col is None:
        problems.append(
            f"{found.where()}: không thấy cột Số liệu hoặc Ghi chú (dòng mã ẩn bị sửa); "
            "hãy tải lại tệp Excel từ cổng."
        )
        return {}
    rows = {row.code: row for row in appendix.indicators.all() if row.code}
    result, seen = {}, {}
    for cells in _sheet_rows(found.sheet, min_row=found.key_row + 1):
        key_cell = _cell(cells, found.key_col)
        key = _key_text(key_cell.value) if key_cell else ""
        value, note = _cell(cells, value_col), _cell(cells, note_col)
        if key.startswith("#") and key != HEADING_KEY:
            continue
        line = cells[0].row
        if key not in rows:
            labelled = [(value, "Số liệu"), (note, "Ghi chú")]
            _row_without_indicator(found, line, key, labelled, problems)
        elif key in seen:
            problems.append(
                f"{found.where(line)}: dòng chỉ tiêu mã “{key}” lặp lại (đã có ở dòng "
                f"{seen[key]}); xóa dòng chép thêm."
            )
        else:
            seen[key] = line
            result[key] = _read_indicator(found, rows[key], value, note, problems)
    _missing_indicators(found, rows, seen, problems, then)
    return {code: pair for code, pair in result.items() if pair is not None}


def _row_without_indicator(found: _Found, line: int, key: str, cells, problems) -> None:
    """A heading row (it takes no value), an unknown code, or a row someone inserted."""
    filled = [(cell, label) for cell, label in cells if cell and not _is_blank(cell.value)]
    if key == HEADING_KEY:
        for cell, label in filled:
            _parse_cell(found, cell, ValueType.HEADING, None, label, problems)
    elif key:
        problems.append(f"{found.where(line)}: mã chỉ tiêu “{key}” không có trong mẫu.")
    elif filled:
        problems.append(
            f"{found.where(line)}: dòng này không phải dòng chỉ tiêu của mẫu (không có mã ẩn, "
            "có thể là dòng chèn thêm); ghi số liệu vào đúng dòng chỉ tiêu."
        )


def _read_indicator(found: _Found, indicator, value, note, problems):
    if indicator.is_heading:
        for cell, label in ((value, "Số liệu"), (note, "Ghi chú")):
            if cell is not None:
                _parse_cell(found, cell, ValueType.HEADING, None, label, problems)
        return None
    parsed = None
    if value is not None:
        parsed = _parse_cell(
            found, value, indicator.value_type, indicator.choices, "Số liệu", problems
        )
    text = _parse_cell(found, note, ValueType.TEXT, None, "Ghi chú", problems) if note else None
    if text and (message := too_long(text, NOTE_MAX_CHARS)):
        problems.append(f"{found.where(note.row, note.column, 'Ghi chú')}: {message}")
    return parsed, text or ""


def _missing_indicators(found: _Found, rows: dict, seen: dict, problems, then=None) -> None:
    for code, row in rows.items():
        if code not in seen and not row.is_heading and _existed(then, "indicator", code):
            problems.append(
                f"{found.where()}: thiếu dòng chỉ tiêu “{row}” (mã {code}); không xóa dòng của "
                "mẫu, để trống ô Số liệu nếu chưa có số liệu."
            )


def _column_label(column) -> str:
    header = column.header if len(column.header) <= 50 else column.header[:49] + "…"
    return f"{header} {column.number}" if column.number else header


def _table_columns(found: _Found, appendix, problems, then=None) -> dict[int, object]:
    """1-based sheet column -> template column, by the codes of the hidden key row."""
    columns = {c.code: c for c in appendix.columns.all()}
    positions = {}
    for index, key in found.columns.items():
        if key in columns:
            positions[index] = columns[key]
        else:
            problems.append(
                f"{found.where(column=index)}: mã cột ẩn “{key}” không thuộc bảng; hãy tải lại "
                "tệp Excel từ cổng."
            )
    missing = {code for code in columns if _existed(then, "column", appendix.code, code)} - {
        c.code for c in positions.values()
    }
    for code in sorted(missing, key=lambda c: columns[c].position):
        problems.append(
            f"{found.where()}: thiếu cột “{_column_label(columns[code])}”; không xóa cột của mẫu."
        )
    return positions


def _first_data_row(found: _Found) -> int:
    """The row after the last header (or column-number) row."""
    keys = _sheet_rows(
        found.sheet, min_row=found.key_row + 1, min_col=found.key_col, max_col=found.key_col
    )
    headers = [cell.row for (cell,) in keys if _key_text(cell.value) in (HEADER_KEY, NUMBERS_KEY)]
    return max(headers, default=found.key_row) + 1


def _total_label_columns(positions: dict) -> int:
    """Sheet columns (from the left) holding the "Tổng cộng" label: those before the first sum."""
    sums = [index for index, column in positions.items() if column.value_type in SUMMED_TYPES]
    return min(sums, default=max(positions, default=0) + 1) - 1


def _read_table_row(found: _Found, cells, positions: dict, skip: int, problems) -> dict:
    """{column code: value} of one row; cells outside the table's columns are refused."""
    row = {}
    for cell in cells:
        if cell.column == found.key_col or cell.column <= skip or _is_blank(cell.value):
            continue
        column = positions.get(cell.column)
        if column is None:
            problems.append(
                f"{found.where(cell.row, cell.column)}: ô nằm ngoài các cột của bảng; xóa giá "
                "trị hoặc chuyển vào đúng cột."
            )
            continue
        value = _parse_cell(
            found, cell, column.value_type, column.choices, _column_label(column), problems
        )
        if value is not None:
            row[column.code] = value
    return row


def _read_table(found: _Found, appendix, problems: list[str], then=None) -> dict:
    """{"rows": [{column: value}], "total": {...} | None}; blank rows are skipped and the
    "Tổng cộng" row is read as the printed total."""
    positions = _table_columns(found, appendix, problems, then)
    label_span = _total_label_columns(positions)
    rows, total = [], None
    for cells in _sheet_rows(found.sheet, min_row=_first_data_row(found)):
        key_cell = _cell(cells, found.key_col)
        key = _key_text(key_cell.value) if key_cell else ""
        if key == TOTAL_KEY:
            total = _read_table_row(found, cells, positions, label_span, problems) or None
        elif not key.startswith("#"):
            row = _read_table_row(found, cells, positions, 0, problems)
            if row:
                rows.append(row)
    if message := too_many_rows(len(rows), TABLE_MAX_ROWS):
        problems.append(f"{found.where()}: {message}")
    return {"rows": rows, "total": total if appendix.has_total_row else None}


def read_report_workbook(
    report, file, *, appendices=None, versions: dict | None = None
) -> tuple[dict, dict]:
    """Read a workbook in the layout of write_report_workbook back into the report's values.

    Returns ({appendix code: {indicator code: (value, note)}}, {appendix code: {"rows": [...],
    "total": {...} | None}}). Raises ReportWorkbookError listing every problem at once.
    `versions`, when given, receives the part versions the file was downloaded at
    ({"appendix:<code>": n}; a part the file does not name is missing).
    """
    try:
        workbook = open_workbook(file)
    except XlsxError as exc:
        raise ReportWorkbookError([str(exc)]) from exc
    meta = _read_meta(workbook)
    problem = _meta_problem(meta, report)
    if problem:
        raise ReportWorkbookError([problem])
    if versions is not None:
        versions.update(
            (key.removeprefix(PART_KEY), value)
            for key, value in meta.items()
            if key.startswith(PART_KEY) and isinstance(value, int)
        )
    # A workbook downloaded before the report moved to a newer version of its template is read
    # when every code it holds still exists; rows, columns and sheets new since may be absent.
    older = _older_version(meta, report)
    then = _codes_of(older) if older else None
    appendices = appendices if appendices is not None else report_appendices(report)
    problems = Problems()
    found = _locate_sheets(workbook, appendices, problems, then)
    values, tables = {}, {}
    for appendix in appendices:
        if appendix.code not in found:
            continue
        if appendix.is_table:
            tables[appendix.code] = _read_table(found[appendix.code], appendix, problems, then)
        else:
            values[appendix.code] = _read_indicators(found[appendix.code], appendix, problems, then)
    uploaded = sum(len(table["rows"]) for table in tables.values())
    if uploaded > UPLOAD_MAX_TABLE_ROWS:
        problems.append(
            f"Tệp có {thousands(uploaded)} dòng bảng, quá giới hạn "
            f"{thousands(UPLOAD_MAX_TABLE_ROWS)} dòng của một lần tải lên."
        )
    if problems.total:
        listed = problems.listed()
        if older:
            version = report.template_version
            listed.insert(
                0,
                f"Tệp này tải về theo phiên bản {older.number} của mẫu “{version.template.code}”; "
                f"báo cáo nay theo phiên bản {version.number}. Các dòng dưới đây đã đổi giữa hai "
                "phiên bản: hãy tải lại tệp Excel của báo cáo rồi chép số liệu sang.",
            )
        raise ReportWorkbookError(listed, problems.total)
    return values, tables
