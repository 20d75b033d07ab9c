"""lib.xlsx.WideSheet: rows written as whole XML read back exactly like rows written cell by cell
through set_cell."""

import datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from lib.xlsx import create_wide_sheet, set_cell

ROWS = [
    ["Sở Tư pháp", 12, Decimal("74.72"), Decimal("2986670.000000"), None, "/", 0],
    ["=SUM(A1:A9)", "+84 912", "-5", "@x", " lề ", "a < b & c > d", "dòng\nhai"],
    [datetime.date(2026, 3, 1), True, False, Decimal("0.125"), -3, "Có", "X"],
]


def read_back(write) -> list[list[tuple]]:
    workbook = Workbook(write_only=True)
    write(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    sheet = load_workbook(BytesIO(buffer.getvalue()))["Bảng"]
    return [
        [(c.value, c.data_type, bool(c.quotePrefix), c.number_format) for c in row]
        for row in sheet.iter_rows()
    ]


def by_set_cell(workbook):
    sheet = workbook.create_sheet("Bảng")
    for values in ROWS:
        cells = []
        for value in values:
            cell = set_cell(WriteOnlyCell(sheet), value)
            if isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        sheet.append(cells)


def by_plain_rows(workbook):
    sheet = create_wide_sheet(workbook, "Bảng")
    for values in ROWS:
        sheet.append_plain(values)


def test_plain_rows_read_back_like_cells_written_through_set_cell():
    assert read_back(by_plain_rows) == read_back(by_set_cell)


def test_text_never_becomes_a_formula():
    cells = {
        value: (kind, quoted) for row in read_back(by_plain_rows) for value, kind, quoted, _f in row
    }
    assert cells["=SUM(A1:A9)"] == ("s", True)
    assert cells["a < b & c > d"] == ("s", False)
    assert cells[" lề "] == ("s", False)  # spaces kept


def test_styled_rows_and_plain_rows_mix_in_order():
    def write(workbook):
        sheet = create_wide_sheet(workbook, "Bảng")
        sheet.append([set_cell(WriteOnlyCell(sheet), "Tiêu đề")])
        sheet.append_plain([1, 2])
        sheet.append([set_cell(WriteOnlyCell(sheet), "=cuối")])

    rows = read_back(write)
    assert [row[0][0] for row in rows] == ["Tiêu đề", 1, "=cuối"]
    assert rows[2][0][1:3] == ("s", True)
