"""Import a report's appendix workbook (reports/excel.py): every value, every table, or nothing."""

from dataclasses import dataclass

from django.db import transaction

from indicators.values import format_value

from ..excel import ReportWorkbookError, read_report_workbook
from ..models import Report
from ..selectors import report_appendices, table_rows
from .compose import report_save_table, report_save_values
from .errors import ReportError


class ExcelImportError(ReportError):
    """The workbook was refused and the report left unchanged; `problems` says where and why."""

    def __init__(self, problems: list[str], total: int | None = None):
        total = len(problems) if total is None else total
        super().__init__(
            f"Không nhập được: {format_value('integer', total)} lỗi; báo cáo không thay đổi."
        )
        self.problems = problems
        self.total = total


@dataclass(frozen=True)
class ImportResult:
    values_changed: int  # indicator values written (new, changed or cleared)
    rows_changed: int  # table rows added, changed or removed, "Tổng cộng" rows included


def _table_changes(stored: dict, read: dict) -> int:
    old_rows = [cells for _row_id, cells in stored["rows"]]
    new_rows = read["rows"]
    changed = sum(1 for old, new in zip(old_rows, new_rows, strict=False) if old != new)
    changed += abs(len(old_rows) - len(new_rows))
    return changed + ((stored["total"] or None) != (read["total"] or None))


def _rows_changed(report: Report, appendices, tables: dict) -> int:
    table_appendices = [a for a in appendices if a.is_table]
    if not table_appendices:
        return 0
    stored = table_rows(report, table_appendices)
    return sum(_table_changes(stored[code], read) for code, read in tables.items())


def report_import_workbook(*, report: Report, file) -> ImportResult:
    """Read the workbook and save every appendix in one transaction. Refuses the whole file
    (ExcelImportError) when any cell, row or sheet is wrong; a report that cannot be edited
    raises ReportError. In both cases nothing changes."""
    appendices = report_appendices(report)
    try:
        values, tables = read_report_workbook(report, file, appendices=appendices)
    except ReportWorkbookError as exc:
        raise ExcelImportError(exc.problems, exc.total) from exc
    with transaction.atomic():
        rows_changed = _rows_changed(report, appendices, tables)
        values_changed = 0
        for appendix in appendices:
            if appendix.is_table:
                table = tables[appendix.code]
                report_save_table(
                    report=report,
                    appendix=appendix,
                    rows=table["rows"],
                    total=table["total"],
                    expected=None,
                )
            else:
                values_changed += report_save_values(
                    report=report, appendix=appendix, values=values[appendix.code], expected=None
                )
    return ImportResult(values_changed=values_changed, rows_changed=rows_changed)
