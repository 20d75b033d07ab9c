"""Composing a report: creating it and saving each part (header, sections, values, tables).

Every save of a part checks the version the user loaded against the current one, so two people
editing the same part never silently overwrite each other.
"""

from django.db import transaction
from django.utils import timezone

from cchc_portal.lib.html import sanitize_html
from indicators.models import Appendix, OutlineSection
from indicators.types import ValueType

from ..models import (
    IndicatorValue,
    NarrativeSection,
    Period,
    Report,
    ReportKind,
    TableRow,
    Unit,
)
from ..selectors import version_in_force
from ..values import cell_text, to_columns
from .errors import EditConflict, ReportError


def _place_name(unit: Unit) -> str:
    province = unit.province or unit
    for prefix in ("Ủy ban nhân dân tỉnh ", "Ủy ban nhân dân thành phố ", "Ủy ban nhân dân "):
        if province.name.startswith(prefix):
            return province.name.removeprefix(prefix)
    return province.name


def default_header(unit: Unit, period: Period, kind: ReportKind) -> dict:
    province = unit.province or unit
    short = unit.short_name if unit.short_name and unit.short_name.isupper() else ""
    return {
        "parent_body": province.header_name or province.short_name.upper(),
        "issuing_body": unit.header_name or unit.name.upper(),
        "symbol": f"BC-{short}" if short else "BC",
        "place": _place_name(unit),
        "title": kind.title_for(period),
        "recipients": "Sở Nội vụ;\nLưu: VT.",
        "signer_authority": "GIÁM ĐỐC" if unit.kind == "department" else "CHỦ TỊCH",
    }


@transaction.atomic
def report_create(
    *,
    unit: Unit,
    period: Period,
    by,
    kind: ReportKind | None = None,
    header: dict | None = None,
    historical: bool = False,
) -> Report:
    """Create the unit's report for an open period, bound to the template version in force,
    with the header prefilled and the fixed rows of its tables. `historical` loads a report
    of a closed period (imported paper reports)."""
    if not period.is_open and not historical:
        raise ReportError(f"Kỳ {period.label} đã đóng, không lập báo cáo mới được.")
    if not unit.reports_for(period):
        raise ReportError(f"{unit.name} không còn hoạt động trong kỳ {period.label}.")
    kind = kind or ReportKind.default()
    if Report.objects.filter(unit=unit, period=period, kind=kind).exists():
        raise ReportError(f"{unit.name} đã có báo cáo {period.label}.")
    version = version_in_force(unit, period, kind)
    if version is None:
        raise ReportError(
            f"Chưa có mẫu phụ lục đã công bố áp dụng cho {period.label}; liên hệ quản trị hệ thống."
        )
    report = Report(
        unit=unit,
        period=period,
        kind=kind,
        template_version=version,
        created_by=by,
        **{**default_header(unit, period, kind), **(header or {})},
    )
    report.full_clean()
    report.save()
    NarrativeSection.objects.bulk_create(
        NarrativeSection(report=report, outline=section) for section in version.outline.all()
    )
    for appendix in version.appendices.filter(kind="table"):
        TableRow.objects.bulk_create(
            TableRow(report=report, appendix=appendix, position=i, cells=cells)
            for i, cells in enumerate(appendix.fixed_rows)
        )
    return report


def lock_part(report: Report, part: str, expected: int | None) -> Report:
    """Lock the report row, refuse if it is not editable or the part changed meanwhile, and
    bump the part's version. `expected=None` skips the check (imports, commands)."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if not locked.is_editable:
        raise ReportError(
            f"Báo cáo đang ở trạng thái “{locked.get_state_display()}”, không sửa được."
        )
    current = locked.part_versions.get(part, 0)
    if expected is not None and expected != current:
        raise EditConflict(
            "Phần này vừa được người khác lưu sau khi bạn mở trang. "
            "Nội dung bạn gõ vẫn còn bên dưới; hãy so sánh với bản đã lưu rồi lưu lại."
        )
    locked.part_versions[part] = current + 1
    Report.objects.filter(pk=locked.pk).update(
        part_versions=locked.part_versions, updated_at=timezone.now()
    )
    report.part_versions = locked.part_versions
    return locked


def part_version(report: Report, part: str) -> int:
    return report.part_versions.get(part, 0)


@transaction.atomic
def report_save_header(*, report: Report, data: dict, expected: int | None) -> Report:
    locked = lock_part(report, "header", expected)
    for name in Report.HEADER_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.full_clean()
    locked.save(update_fields=[*Report.HEADER_FIELDS, "updated_at"])
    return locked


@transaction.atomic
def report_save_section(
    *, report: Report, outline: OutlineSection, html: str, expected: int | None
) -> NarrativeSection:
    lock_part(report, f"section:{outline.code}", expected)
    section, _created = NarrativeSection.objects.get_or_create(report=report, outline=outline)
    clean = sanitize_html(html)
    if section.content != clean:
        section.content = clean
        section.save()
    return section


@transaction.atomic
def report_save_values(
    *, report: Report, appendix: Appendix, values: dict, expected: int | None
) -> int:
    """Save an indicator appendix's values, {code: (canonical value, note)}; only changed
    values are written (and so enter the history). Returns how many changed."""
    lock_part(report, f"appendix:{appendix.code}", expected)
    rows = {row.code: row for row in appendix.indicators.all() if row.code}
    existing = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(report=report, indicator__in=rows.values())
    }
    changed = 0
    for code, (value, note) in values.items():
        row = rows.get(code)
        if row is None or row.value_type == ValueType.HEADING:
            continue
        columns = {**to_columns(row.value_type, value), "note": note or ""}
        current = existing.get(row.pk)
        if current is None:
            if value is None and not note:
                continue
            IndicatorValue.objects.create(report=report, indicator=row, **columns)
            changed += 1
        elif any(getattr(current, k) != v for k, v in columns.items()):
            for name, v in columns.items():
                setattr(current, name, v)
            current.save()
            changed += 1
    return changed


def _cells(appendix: Appendix, row: dict) -> dict[str, str]:
    columns = {c.code: c for c in appendix.columns.all()}
    cells = {}
    for code, value in row.items():
        column = columns.get(code)
        if column is None or value is None:
            continue
        text = (
            value
            if isinstance(value, str) and column.value_type != "text"
            else cell_text(column.value_type, value, column.choices)
        )
        if text != "":
            cells[code] = text
    return cells


@transaction.atomic
def report_save_table(
    *,
    report: Report,
    appendix: Appendix,
    rows: list[dict],
    total: dict | None = None,
    expected: int | None,
) -> None:
    """Replace a table's rows (in the given order) and its printed total row."""
    lock_part(report, f"appendix:{appendix.code}", expected)
    wanted = [_cells(appendix, row) for row in rows]
    has_total = appendix.has_total_row and total is not None
    total_cells = _cells(appendix, total) if has_total else None
    current = list(
        TableRow.objects.filter(report=report, appendix=appendix).order_by("is_total", "position")
    )
    body = [r for r in current if not r.is_total]
    for position, cells in enumerate(wanted):
        if position < len(body):
            row = body[position]
            if row.cells != cells:
                row.cells = cells
                row.save()
        else:
            TableRow.objects.create(
                report=report, appendix=appendix, position=position, cells=cells
            )
    for row in body[len(wanted) :]:
        row.delete()
    total_row = next((r for r in current if r.is_total), None)
    if total_cells is None:
        if total_row:
            total_row.delete()
    elif total_row is None:
        TableRow.objects.create(
            report=report, appendix=appendix, position=0, is_total=True, cells=total_cells
        )
    elif total_row.cells != total_cells:
        total_row.cells = total_cells
        total_row.save()
