"""Moving open reports to the newest published version of their template.

A rule fixed or added mid-period must reach the drafts that already exist. Only reports the
department can still edit (draft, returned) move; submitted and approved ones stay on the
version they were filed on. Values move by machine code; values of indicators, columns,
tables and sections the new version no longer has are deleted with a history row (so they stay
readable in the report's history) and listed in the report's log.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.html import strip_tags

from indicators.models import Appendix, IndicatorTemplate, TemplateVersion, VersionStatus
from indicators.values import format_value
from org.permissions import require_admin

from ..models import (
    EDITABLE_STATES,
    IndicatorValue,
    NarrativeSection,
    Report,
    StateChange,
    TableRow,
)
from ..selectors import UPGRADE_NOTE
from ..values import carry_cells, from_cell, from_columns
from .errors import ReportError
from .history import acting_as


@dataclass
class ReportUpgrade:
    report: Report
    source: TemplateVersion
    kept: list[str] = field(default_factory=list)  # removed values, kept in history


def newest_published(template: IndicatorTemplate) -> TemplateVersion | None:
    return template.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def reports_behind(template: IndicatorTemplate):
    """Open reports of the template on a version older than its newest published one, for
    periods that version applies to (as when a report is created: see version_in_force)."""
    target = newest_published(template)
    if target is None:
        return Report.objects.none()
    return (
        Report.objects.filter(
            template_version__template=template,
            state__in=EDITABLE_STATES,
            period__window_end__gte=target.applies_from,
        )
        .exclude(template_version=target)
        .select_related("unit", "period", "template_version")
        .order_by("unit__name", "period__year", "pk")
    )


def reports_upgrade(
    *, template: IndicatorTemplate, by, dry_run: bool = False
) -> tuple[TemplateVersion | None, list[ReportUpgrade]]:
    """Move every open report of the template to its newest published version. With `dry_run`
    everything is computed, then rolled back: the result lists what would happen."""
    require_admin(by)
    target = newest_published(template)
    if target is None:
        raise ReportError(f"Mẫu “{template.code}” chưa có phiên bản nào đã công bố.")
    with transaction.atomic(), acting_as(by):
        done = [
            report_upgrade(report=report, target=target, by=by)
            for report in reports_behind(template)
        ]
        if dry_run:
            transaction.set_rollback(True)
    return target, done


def _cell_text(column, stored) -> str:
    if column is None:  # a cell of a column no version knows: show it as stored
        return str(stored)
    value = from_cell(column.value_type, stored)
    return format_value(column.value_type, value, choices=column.choices)


def _structure(version: TemplateVersion):
    appendices = {
        a.code: a
        for a in Appendix.objects.filter(version=version).prefetch_related("indicators", "columns")
    }
    indicators = {
        row.code: row for a in appendices.values() for row in a.indicators.all() if row.code
    }
    return appendices, indicators


def report_upgrade(*, report: Report, target: TemplateVersion, by) -> ReportUpgrade:
    require_admin(by)
    report = Report.objects.select_for_update().select_related("template_version").get(pk=report.pk)
    if report.state not in EDITABLE_STATES:
        raise ReportError("Chỉ chuyển được báo cáo đang lập hoặc bị trả lại.")
    source = report.template_version
    reason = f"Chuyển mẫu v{source.number} → v{target.number}"
    result = ReportUpgrade(report=report, source=source)
    appendices, indicators = _structure(target)
    with acting_as(by):
        _move_values(report, indicators, reason, result.kept)
        _move_rows(report, appendices, reason, result.kept)
        _move_sections(report, target, reason, result.kept)
        # Part counters stay: pages and workbooks address parts by code, which moved with
        # the values, so an entry page or a workbook opened before the move still saves.
        report.template_version = target
        report._change_reason = reason
        report.save(update_fields=["template_version", "updated_at"])
        comment = (
            f"{UPGRADE_NOTE}: mẫu “{target.template.code}” v{source.number} → v{target.number}."
        )
        if result.kept:
            # One removed value a line; upgrade_notes() reads them back for the overview.
            comment += " Giá trị của chỉ tiêu, cột, mục đã bỏ (giữ trong lịch sử):\n"
            comment += "\n".join(result.kept)
        StateChange.objects.create(
            report=report, by=by, source=report.state, target=report.state, comment=comment
        )
    return result


def _move_values(report, indicators: dict, reason: str, kept: list[str]):
    values = IndicatorValue.objects.filter(report=report).select_related("indicator__appendix")
    for value in values:
        old = value.indicator
        new = indicators.get(old.code)
        value._change_reason = reason
        if new is not None and new.value_type == old.value_type and not new.is_heading:
            value.indicator = new
            value.save()
            continue
        canonical = from_columns(
            old.value_type, value.number, value.text, value.date, value.not_applicable
        )
        shown = format_value(old.value_type, canonical, choices=old.choices)
        if shown or value.note:
            note = f" (ghi chú: {value.note})" if value.note else ""
            kept.append(f"{old.appendix.name}, {old.stt} {old.label} [{old.code}] = {shown}{note}")
        value.delete()


def _move_rows(report, appendices: dict, reason: str, kept: list[str]):
    rows = TableRow.objects.filter(report=report).select_related("appendix")
    for row in rows.order_by("appendix__position", "is_total", "position"):
        old = row.appendix
        where = "Tổng cộng" if row.is_total else f"dòng {row.position + 1}"
        new = appendices.get(old.code)
        row._change_reason = reason
        old_columns = {c.code: c for c in old.columns.all()}
        if new is None or not new.is_table or (row.is_total and not new.has_total_row):
            if row.cells:
                cells = "; ".join(
                    f"{k}: {_cell_text(old_columns.get(k), v)}" for k, v in row.cells.items()
                )
                kept.append(f"{old.name}, {where}: {cells}")
            row.delete()
            continue
        columns = {c.code: c for c in new.columns.all()}
        for code, cell in row.cells.items():
            if code not in columns:
                column = old_columns.get(code)
                header = column.header if column else code
                shown = _cell_text(column, cell)
                kept.append(f"{old.name}, {where}, cột “{header}” [{code}] = {shown}")
        row.appendix = new
        row.cells = carry_cells(old_columns, columns, row.cells)
        row.save()


def _move_sections(report, target: TemplateVersion, reason: str, kept: list[str]):
    outline = {s.code: s for s in target.outline.all()}
    present = set()
    for section in NarrativeSection.objects.filter(report=report).select_related("outline"):
        new = outline.get(section.outline.code)
        section._change_reason = reason
        if new is None:
            text = " ".join(strip_tags(section.content).split())
            if text:
                kept.append(f"Mục “{section.outline}”: {text[:200]}")
            section.delete()
            continue
        present.add(new.code)
        section.outline = new
        section.save()
    for code, new in outline.items():
        if code not in present:
            NarrativeSection.objects.create(report=report, outline=new)
