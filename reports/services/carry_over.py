"""Copying from the previous period's report: narrative outline, table rows and contacts.

Parts are matched by code, so a previous report on an older template version still helps.
What was already typed is only overwritten when the user confirms it for that part.
"""

from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from lib.html import html_to_text

from ..access import EDIT, READ, require
from ..models import Report, TableRow
from ..selectors import report_appendices
from ..values import carry_cells
from .compose import ensure_editable, lock_part


@dataclass(frozen=True)
class CarryOverPart:
    key: str  # "section:<code>" or "table:<code>"
    label: str
    has_previous: bool
    has_current: bool


def carry_over_parts(report: Report, previous: Report) -> list[CarryOverPart]:
    """Each part that the previous report can fill, and whether this one already has text."""
    parts = []
    old_sections = {s.outline.code: s.content for s in previous.sections.select_related("outline")}
    for section in report.sections.select_related("outline"):
        code = section.outline.code
        parts.append(
            CarryOverPart(
                key=f"section:{code}",
                label=f"{section.outline.stt}. {section.outline.title}",
                has_previous=bool(html_to_text(old_sections.get(code, ""))),
                has_current=bool(html_to_text(section.content)),
            )
        )
    old_tables = set(
        TableRow.objects.filter(report=previous, is_total=False).values_list(
            "appendix__code", flat=True
        )
    )
    current_tables = set(
        TableRow.objects.filter(report=report, is_total=False)
        .exclude(cells={})
        .values_list("appendix__code", flat=True)
    )
    for appendix in report_appendices(report):
        if appendix.is_table:
            parts.append(
                CarryOverPart(
                    key=f"table:{appendix.code}",
                    label=f"{appendix.name} – {appendix.title}",
                    has_previous=appendix.code in old_tables,
                    has_current=appendix.code in current_tables,
                )
            )
    return [p for p in parts if p.has_previous]


@transaction.atomic
def report_carry_over(
    *, report: Report, by, previous: Report, keys: set[str], overwrite: set[str]
) -> list[str]:
    """Copy the chosen parts; a part that already has content is copied only when it is in
    `overwrite`. Returns the labels of the parts copied. `by` must be allowed to edit the
    report and to read the previous one."""
    ensure_editable(report)
    require(by, report, EDIT)
    require(by, previous, READ)
    copied = []
    for part in carry_over_parts(report, previous):
        if part.key not in keys or (part.has_current and part.key not in overwrite):
            continue
        kind, code = part.key.split(":", 1)
        if kind == "section":
            _copy_section(report, previous, code, by)
        else:
            _copy_table(report, previous, code, by)
        copied.append(part.label)
    return copied


def _copy_section(report, previous, code, by):
    lock_part(report, f"section:{code}", None, by=by)
    content = previous.sections.get(outline__code=code).content
    section = report.sections.get(outline__code=code)
    section.content = content
    section.save()


def _copy_table(report, previous, code, by):
    lock_part(report, f"appendix:{code}", None, by=by)
    appendix = next(a for a in report_appendices(report) if a.code == code)
    columns = {c.code: c for c in appendix.columns.all()}
    old_rows = list(
        TableRow.objects.filter(report=previous, appendix__code=code, is_total=False)
        .select_related("appendix")
        .prefetch_related("appendix__columns")
        .order_by("position")
    )
    TableRow.objects.filter(report=report, appendix=appendix).delete()
    bulk_create_with_history(
        [
            TableRow(
                report=report,
                appendix=appendix,
                position=i,
                cells=carry_cells(
                    {c.code: c for c in row.appendix.columns.all()}, columns, row.cells
                ),
            )
            for i, row in enumerate(old_rows)
        ],
        TableRow,
    )
