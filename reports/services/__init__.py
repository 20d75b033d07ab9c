"""Writes and workflows of the reports app. Views and commands call these; they never save
models themselves."""

from .compose import (
    part_version,
    report_create,
    report_save_header,
    report_save_section,
    report_save_table,
    report_save_values,
)
from .errors import EditConflict, ReportError
from .excel_import import ExcelImportError, ImportResult, report_import_workbook
from .periods import period_create, period_set_open

__all__ = [
    "EditConflict",
    "ExcelImportError",
    "ImportResult",
    "ReportError",
    "part_version",
    "period_create",
    "period_set_open",
    "report_create",
    "report_import_workbook",
    "report_save_header",
    "report_save_section",
    "report_save_table",
    "report_save_values",
]
