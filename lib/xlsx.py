"""Safe reading and writing of .xlsx files shared by every Excel feature.

Uploads are checked before openpyxl parses them: size, a real zip holding a workbook, no macros,
no zip bomb. Written cells never become formulas, whatever text a user typed.
"""

import datetime
import decimal
import zipfile
from io import BytesIO

from django.conf import settings
from django.utils.functional import Promise
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

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
