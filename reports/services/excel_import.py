"""Import a report's appendix workbook (reports/excel.py): every value, every table, or nothing."""

from dataclasses import dataclass

from django.db import transaction

from indicators.values import format_value

from ..access import EDIT, require
from ..excel import ReportWorkbookError, read_report_workbook
from ..models import Report
from ..selectors import report_appendices, table_rows
from .compose import ensure_editable, report_save_table, report_save_values
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


def _stale_problem(appendix, downloaded: int, current: int) -> str:
    name = appendix.name or appendix.code
    return (
        f"{name} ({appendix.title}) đã được lưu lại trên cổng sau khi tệp này được tải về "
        f"(tệp mang lần lưu thứ {downloaded}, hiện đã là lần thứ {current}) và số liệu trong "
        "tệp khác với bản đã lưu, nên nhập tệp sẽ xoá mất phần người khác vừa sửa. "
        "Hãy tải lại tệp Excel của báo cáo, chép phần bạn sửa vào tệp mới rồi tải lên."
    )


def report_import_workbook(*, report: Report, by, file) -> ImportResult:
    """Read the workbook and save every appendix in one transaction. Refuses the whole file
    (ExcelImportError) when any cell, row or sheet is wrong, or when an appendix saved on the
    portal after the download would be changed by it (stale copy); a report that cannot be
    edited raises ReportError, a `by` who may not edit it AccessRefused. In every case nothing
    changes."""
    ensure_editable(report)
    require(by, report, EDIT)
    appendices = report_appendices(report)
    downloaded: dict[str, int] = {}
    try:
        values, tables = read_report_workbook(
            report, file, appendices=appendices, versions=downloaded
        )
    except ReportWorkbookError as exc:
        raise ExcelImportError(exc.problems, exc.total) from exc
    with transaction.atomic():
        # Lock first, so no save slips in between the version check and the import.
        current = Report.objects.select_for_update().get(pk=report.pk).part_versions
        table_appendices = [a for a in appendices if a.is_table]
        stored = table_rows(report, table_appendices) if table_appendices else {}
        values_changed = rows_changed = 0
        stale = []
        for appendix in appendices:
            if appendix.code not in (tables if appendix.is_table else values):
                continue  # an appendix new since the older version the workbook was made on
            if appendix.is_table:
                table = tables[appendix.code]
                changed = _table_changes(stored[appendix.code], table)
                report_save_table(
                    report=report,
                    by=by,
                    appendix=appendix,
                    rows=table["rows"],
                    total=table["total"],
                    expected=None,
                )
                rows_changed += changed
            else:
                changed = report_save_values(
                    report=report,
                    by=by,
                    appendix=appendix,
                    values=values[appendix.code],
                    expected=None,
                )
                values_changed += changed
            part = f"appendix:{appendix.code}"
            then, now = downloaded.get(part, 0), current.get(part, 0)
            if changed and then < now:
                stale.append(_stale_problem(appendix, then, now))
        if stale:
            raise ExcelImportError(stale)  # rolls the whole import back
    return ImportResult(values_changed=values_changed, rows_changed=rows_changed)
