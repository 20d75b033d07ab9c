"""Safe reading and writing of .xlsx files shared by every Excel feature.

Uploads are checked before openpyxl parses them: size, a real zip holding a workbook, no macros,
no links to other workbooks, no zip bomb. Written cells never become formulas, whatever text a
user typed.
"""

import datetime
import decimal
import functools
import zipfile
from io import BytesIO
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.utils.functional import Promise
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import fromstring as xml_fromstring

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A real workbook compresses text well, but not by more than this; bombs do.
MAX_COMPRESSION_RATIO = 100
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class XlsxError(Exception):
    """The upload is not a workbook we accept; the message is for the user, in Vietnamese."""


def _read_bytes(file) -> bytes:
    if isinstance(file, bytes):
        return file
    if hasattr(file, "seek"):
        file.seek(0)
    if hasattr(file, "read"):
        return file.read(settings.XLSX_MAX_BYTES + 1)
    with open(file, "rb") as handle:
        return handle.read(settings.XLSX_MAX_BYTES + 1)


def _check_archive(data: bytes):
    max_mb = settings.XLSX_MAX_BYTES / 1024 / 1024
    if len(data) > settings.XLSX_MAX_BYTES:
        raise XlsxError(f"Tệp quá lớn: chỉ nhận tệp Excel đến {max_mb:.0f} MB.")
    if not zipfile.is_zipfile(BytesIO(data)):
        raise XlsxError(
            "Tệp không phải bảng tính Excel .xlsx (có thể là CSV hoặc .xls đổi tên); "
            "hãy lưu lại bằng Excel dưới dạng “Excel Workbook (.xlsx)”."
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            infos = archive.infolist()
            content_types = (
                archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError) as exc:
        raise XlsxError("Tệp Excel bị hỏng, không mở được.") from exc
    if "xl/workbook.xml" not in names or XLSX_CONTENT_TYPE.encode() not in content_types:
        raise XlsxError("Tệp không phải bảng tính Excel .xlsx.")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise XlsxError("Tệp có chứa macro; hãy lưu lại dưới dạng .xlsx không có macro.")
    if any(name.startswith("xl/externalLinks/") for name in names):
        # Formulas reading another workbook: what we would import is the value cached when
        # that file was last open on someone's computer, not a number anyone checked here.
        raise XlsxError(
            "Tệp có công thức lấy số liệu từ tệp Excel khác (liên kết ngoài); cổng không nhận "
            "số liệu như vậy. Hãy chép rồi dán dạng giá trị (Dán đặc biệt → Giá trị) hoặc ngắt "
            "liên kết (Dữ liệu → Sửa liên kết → Ngắt liên kết), lưu rồi tải lên lại."
        )
    total = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise XlsxError("Tệp Excel có nội dung nén bất thường, không mở được.")


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _check_extent(workbook) -> None:
    """Refuse a workbook with too many rows or filled cells, counting while streaming, so a
    file full of cells is refused after reading at most the limits, not all of it."""
    max_rows, max_cells = settings.XLSX_MAX_ROWS, settings.XLSX_MAX_CELLS
    rows = cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(max_col=settings.XLSX_MAX_COLUMNS, values_only=True):
            rows += 1
            cells += sum(1 for value in row if value is not None)
            if rows > max_rows:
                raise XlsxError(
                    f"Tệp có quá nhiều dòng (hơn {_thousands(max_rows)}); "
                    f"tối đa {_thousands(max_rows)} dòng trên mọi trang."
                )
            if cells > max_cells:
                raise XlsxError(
                    f"Tệp có quá nhiều ô có nội dung (hơn {_thousands(max_cells)}); "
                    "hãy dùng tệp Excel tải từ cổng và xóa phần chép thêm."
                )


def open_workbook(file):
    """Open an uploaded workbook with values (not formulas), after the safety checks, in
    openpyxl's read-only (streaming) mode: read it with `iter_rows`, only the first
    XLSX_MAX_COLUMNS columns (`max_col=`)."""
    data = _read_bytes(file)
    _check_archive(data)
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # the stored size may be wrong; read what is there
        _check_extent(workbook)
    except XlsxError:
        raise
    except Exception as exc:  # openpyxl raises many types on malformed parts
        raise XlsxError("Tệp Excel bị hỏng hoặc không đúng định dạng, không mở được.") from exc
    return workbook


def safe_cell_value(value):
    """A value openpyxl can write: lazy strings resolved, Decimals kept exact."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, bool | int | float | datetime.date | datetime.datetime) or value is None:
        return value
    if isinstance(value, decimal.Decimal):
        return value
    return str(value)


def set_cell(cell: Cell, value) -> Cell:
    """Write a value; text is always stored as text, never as a formula."""
    value = safe_cell_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    return cell


class SheetWriter:
    """Writes rows top to bottom through set_cell, keeping count of the current row."""

    def __init__(self, sheet: Worksheet):
        self.sheet = sheet
        self.row = 0

    def write(self, values, *, start_column: int = 1) -> int:
        self.row += 1
        for column, value in enumerate(values, start=start_column):
            set_cell(self.sheet.cell(row=self.row, column=column), value)
        return self.row

    def skip(self, rows: int = 1):
        self.row += rows


# --- wide sheets written fast ----------------------------------------------------------------


class WideSheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet, plus `append_plain` for wide rows of plain values (the
    roll-up's 2,000 departments x 150 indicators): each row is rendered to XML text at once
    and parsed in one call, instead of a cell object and a few XML calls per value. Cells come
    out as openpyxl writes them: numbers as "%.16g", text inline and never a formula (text
    starting like a formula gets the quote prefix, as set_cell does), dates as serial numbers
    with `date_format`. Rows from `append` still go through openpyxl. Tied to openpyxl's
    write-only internals (3.1, `_write_rows`); tests/lib/test_xlsx.py reads the output back."""

    date_format = "DD/MM/YYYY"

    def __init__(self, parent, title):
        super().__init__(parent, title)
        self._style_ids = {}

    def append_plain(self, values) -> None:
        self.append(_PlainRow(values))

    def _style_id(self, name: str) -> int:
        if name not in self._style_ids:
            cell = WriteOnlyCell(self)
            if name == "date":
                cell.number_format = self.date_format
            else:
                cell.quotePrefix = True
            self._style_ids[name] = cell.style_id
        return self._style_ids[name]

    def _write_rows(self):
        # openpyxl's loop, with plain rows written as one parsed element each.
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if isinstance(row, _PlainRow):
                        xf.write(xml_fromstring(self._row_xml(row.values, row_idx)))
                    else:
                        cells = self._values_to_row(row, row_idx)
                        self._writer.write_row(xf, cells, row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)

    def _row_xml(self, values, row_idx: int) -> str:
        row = str(row_idx)
        parts = [f'<row r="{row}">']
        append = parts.append
        for letter, value in zip(_column_letters(len(values)), values, strict=False):
            kind = type(value)
            if kind is float or kind is int or kind is decimal.Decimal:  # most cells
                append(f'<c r="{letter}{row}" t="n"><v>{"%.16g" % value}</v></c>')  # noqa: UP031
            elif value is not None and value != "":
                append(self._cell_xml(f"{letter}{row}", value))
        append("</row>")
        return "".join(parts)

    def _cell_xml(self, ref: str, value) -> str:
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float | decimal.Decimal):
            # openpyxl's own number text (safe_string): a Decimal goes through float.
            return f'<c r="{ref}" t="n"><v>{"%.16g" % value}</v></c>'  # noqa: UP031
        if isinstance(value, datetime.date):
            serial = to_excel(value, self.parent.epoch)
            return f'<c r="{ref}" t="n" s="{self._style_id("date")}"><v>{serial}</v></c>'
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        style = f' s="{self._style_id("quote")}"' if text.startswith(FORMULA_PREFIXES) else ""
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{xml_escape(text)}</t></is></c>'


class _PlainRow(tuple):
    """A row for WideSheet's own writer (a tuple, so openpyxl's append takes it)."""

    __slots__ = ()

    @property
    def values(self):
        return self


@functools.cache
def _column_letters(count: int) -> tuple[str, ...]:
    return tuple(get_column_letter(column) for column in range(1, count + 1))


def create_wide_sheet(workbook, title: str) -> WideSheet:
    """A WideSheet in a write-only workbook, where workbook.create_sheet would put openpyxl's."""
    sheet = WideSheet(parent=workbook, title=title)
    workbook._add_sheet(sheet)
    return sheet
