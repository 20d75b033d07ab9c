"""The province's roll-up workbook for a period, for the Sở Nội vụ's own report to the Ministry.

Sheets: the indicators (one row each, one column per department, a total column where a sum
makes sense), one sheet per repeating table (every department's rows stacked, with the
department in the first column), and each unit's submission state. Numbers are written as
numbers, never as formulas; a department name or a cell typed as "=..." stays text (set_cell
for the styled title rows, lib.xlsx.WideSheet's plain rows for the data, with the same rule).

Made for 2,000 departments x 150 indicators (300,000 cells): the workbook is written in
openpyxl's write-only mode, data rows as whole rows of XML (WideSheet); the values are read
from the typed columns and only non-numbers converted; the totals come from the stored
aggregates (review.aggregates). docs/benchmarks.md has the figures.
"""

import datetime
import re
from decimal import Decimal
from io import BytesIO

from django.db.models import FloatField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from indicators.types import NA_MARK, NOT_APPLICABLE, DocRef
from lib.xlsx import create_wide_sheet, set_cell
from org.models import Unit, UnitKind
from reports.models import IndicatorValue, Period
from reports.values import NUMBER_TYPES, from_columns

from .aggregates import aggregate_totals
from .dashboard import (
    DashboardRow,
    PeriodValues,
    TableInfo,
    dashboard_rows,
    indicator_values_for_period,
    period_tables,
)

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "DD/MM/YYYY"
SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def excel_value(value):
    """A canonical value as a workbook cell holds it: numbers as numbers, "/" for not
    applicable, "X" for a mark, document references as their text."""
    if value is None or value is False:
        return None
    if value is NOT_APPLICABLE:
        return NA_MARK
    if value is True:
        return "X"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, DocRef):
        return str(value)
    return value


def _append(sheet, values, *, font=None, alignment=None):
    cells = []
    for value in values:
        cell = set_cell(WriteOnlyCell(sheet), value)
        if isinstance(cell.value, datetime.date):
            cell.number_format = DATE_FORMAT
        if font:
            cell.font = font
        if alignment:
            cell.alignment = alignment
        cells.append(cell)
    sheet.append(cells)


def _widths(sheet, widths: list[float]):
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


class _SheetNames:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique in the workbook."""

    def __init__(self):
        self.used = set()

    def __call__(self, text: str) -> str:
        words = _SHEET_NAME_FORBIDDEN.sub(" ", text).split()
        base = " ".join(words)[:SHEET_NAME_MAX].rstrip() or "Bang"
        name, number = base, 1
        while name.casefold() in self.used:
            number += 1
            suffix = f" ({number})"
            name = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        self.used.add(name.casefold())
        return name


def _title_rows(sheet, title: str, note: str):
    _append(sheet, [title], font=BOLD)
    _append(sheet, [note])
    _append(sheet, [])


def _indicator_sheet(workbook, names, values: PeriodValues, totals: dict):
    sheet = create_wide_sheet(workbook, names(_("Chỉ tiêu")))
    units = [report.unit.display_name for report in values.reports]
    _widths(sheet, [8, 60, 22, 14] + [18] * len(units) + [16])
    sheet.freeze_panes = "E5"
    title = _("Tổng hợp số liệu CCHC %(period)s – %(province)s") % {
        "period": values.period.label,
        "province": values.province.name,
    }
    note = _(
        "%(count)s báo cáo đã gửi, đã gửi lại hoặc đã duyệt. Cột “Tổng cộng” chỉ cộng các chỉ "
        "tiêu số lượng; tỷ lệ (%%) không cộng."
    ) % {"count": len(values.reports)}
    _title_rows(sheet, title, note)
    header = [_("STT"), _("Chỉ tiêu"), _("Mã"), _("Đơn vị tính"), *units, _("Tổng cộng")]
    _append(sheet, header, font=BOLD, alignment=WRAP)
    grid = _value_grid(values)
    blank = [None] * len(values.reports)
    for info in values.indicators:
        if info.is_heading:
            _append(sheet, [info.stt, info.label], font=BOLD)
            continue
        total = totals.get(info.code) if info.is_summed else None
        cells = grid.get(info.code, blank)
        sheet.append_plain([info.stt, info.label, info.code, info.unit, *cells, excel_value(total)])


def _value_grid(values: PeriodValues) -> dict[str, list]:
    """code -> the workbook cell of each counted report, read from the typed columns. Numbers
    come as floats straight from SQL: the sheet prints a number as "%.16g" of its float
    (openpyxl's way, Decimals included), and a float is far cheaper to fetch than a Decimal;
    only the few other values are converted."""
    column = {report.pk: index for index, report in enumerate(values.reports)}
    size = len(values.reports)
    grid = {}

    def put(code, report_id, cell):
        row = grid.get(code)
        if row is None:
            row = grid[code] = [None] * size
        row[column[report_id]] = cell

    types = values.types
    numeric = [pk for pk, (_code, value_type) in types.items() if value_type in NUMBER_TYPES]
    stored = IndicatorValue.objects.filter(report_id__in=list(column))
    numbers = stored.filter(
        indicator_id__in=numeric, not_applicable=False, number__isnull=False
    ).values_list("report_id", "indicator_id", Cast("number", FloatField()))
    for report_id, indicator_id, number in numbers.iterator(chunk_size=20000):
        put(types[indicator_id][0], report_id, number)
    others = stored.filter(
        Q(indicator_id__in=[pk for pk in types if pk not in set(numeric)])
        | Q(indicator_id__in=numeric, not_applicable=True)
    ).values_list("report_id", "indicator_id", "number", "text", "date", "not_applicable")
    for report_id, indicator_id, number, text, date, na in others.iterator(chunk_size=20000):
        code, value_type = types[indicator_id]
        cell = excel_value(from_columns(value_type, number, text, date, na))
        if cell is not None:
            put(code, report_id, cell)
    return grid


def _column_header(column) -> str:
    parts = [column.group, column.header, column.number]
    return " – ".join(part for part in parts if part)


def _table_sheet(workbook, names, table: TableInfo):
    sheet = create_wide_sheet(workbook, names(f"{table.name} {table.title}"))
    _widths(sheet, [36] + [18] * len(table.columns))
    sheet.freeze_panes = "B5"
    note = _("Các dòng của mọi đơn vị, lần lượt từng đơn vị.")
    _title_rows(sheet, f"{table.name}: {table.title}", note)
    header = [_("Đơn vị"), *(_column_header(c) for c in table.columns)]
    _append(sheet, header, font=BOLD, alignment=WRAP)
    for report, cells in table.rows:
        values = [cells.get(c.code) for c in table.columns]
        sheet.append_plain([report.unit.display_name, *(excel_value(v) for v in values)])
    if table.has_total_row:
        totals = [excel_value(table.totals.get(c.code)) for c in table.columns]
        _append(sheet, [_("Tổng cộng"), *totals], font=BOLD)


def _progress_sheet(workbook, names, rows: list[DashboardRow], period: Period):
    sheet = create_wide_sheet(workbook, names(_("Tình trạng gửi")))
    _widths(sheet, [40, 18, 16, 14, 18, 14])
    deadline = period.deadline.strftime("%d/%m/%Y")
    title = _("Tình trạng gửi báo cáo %(period)s") % {"period": period.label}
    _title_rows(sheet, title, _("Hạn gửi: %(deadline)s") % {"deadline": deadline})
    header = [
        _("Đơn vị"),
        _("Loại"),
        _("Trạng thái"),
        _("Ngày gửi"),
        _("Trễ hạn"),
        _("Cảnh báo đã giải trình"),
    ]
    _append(sheet, header, font=BOLD, alignment=WRAP)
    kinds = {kind: str(label) for kind, label in UnitKind.choices}  # not a lookup per row
    for row in rows:
        sheet.append_plain(
            [
                row.unit.display_name,
                kinds.get(row.unit.kind, row.unit.kind),
                row.state_label,
                row.submitted_on,
                row.lateness,
                row.warnings_explained,
            ],
        )


def rollup_workbook(*, province: Unit, period: Period) -> bytes:
    """The roll-up workbook (.xlsx bytes) of the province's counted reports for the period."""
    values = indicator_values_for_period(province=province, period=period, codes=[])
    totals = aggregate_totals(province=province, period=period)
    workbook = Workbook(write_only=True)
    names = _SheetNames()
    _indicator_sheet(workbook, names, values, totals)
    for table in period_tables(values):
        _table_sheet(workbook, names, table)
    _progress_sheet(workbook, names, dashboard_rows(province=province, period=period), period)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
