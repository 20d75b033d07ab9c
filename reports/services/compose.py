"""Composing a report: creating it and saving each part (header, sections, values, tables).

Every save of a part checks the version the user loaded against the current one, so two people
editing the same part never silently overwrite each other.
"""

import re

from django.db import transaction
from django.utils import timezone

from indicators.models import Appendix, OutlineSection, ReportKind
from indicators.types import ValueType
from indicators.values import ValueParseError
from lib.html import sanitize_html
from lib.text import xml_safe
from org.models import Unit

from ..access import EDIT, OPERATOR, AccessRefused, creation_refusal, require
from ..derived import report_stamp
from ..models import IndicatorValue, NarrativeSection, Period, Report, TableRow
from ..selectors import stored_values_saved, version_in_force
from ..values import cells_to_json, from_columns, to_columns
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
    of a closed period (imported paper reports). `by` is the user filing it (OPERATOR for
    commands and the demo)."""
    kind = kind or ReportKind.default()
    reason = creation_refusal(by, unit, kind) if by is not None else "Hãy đăng nhập."
    if reason:
        raise AccessRefused(reason)
    if not period.is_open and not historical:
        raise ReportError(f"Kỳ {period.label} đã đóng, không lập báo cáo mới được.")
    if not unit.is_active_during(period):
        raise ReportError(f"{unit.name} không còn hoạt động trong kỳ {period.label}.")
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
        created_by=None if by is OPERATOR else by,
        **{**default_header(unit, period, kind), **(header or {})},
    )
    report.full_clean()
    report.save()
    NarrativeSection.objects.bulk_create(
        NarrativeSection(report=report, outline=section) for section in version.outline.all()
    )
    for appendix in version.appendices.filter(kind="table").prefetch_related("columns"):
        columns = {c.code: c for c in appendix.columns.all()}
        TableRow.objects.bulk_create(
            TableRow(
                report=report, appendix=appendix, position=i, cells=cells_to_json(columns, row)
            )
            for i, row in enumerate(appendix.fixed_rows)
        )
    return report


def ensure_editable(report: Report) -> None:
    """The state first, as a message (it may have changed since the page was opened); who
    may edit is checked after it (reports.access.require)."""
    if not report.is_editable:
        raise ReportError(
            f"Báo cáo đang ở trạng thái “{report.get_state_display()}”, không sửa được."
        )


def lock_part(report: Report, part: str, expected: int | None, *, by) -> Report:
    """Lock the report row, refuse if it is not editable, `by` may not edit it or the part
    changed meanwhile, and bump the part's version. `expected=None` skips the version check
    (imports, commands)."""
    # The unit comes along for `require` (a province's own report has other editors).
    locked = Report.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)
    ensure_editable(locked)
    require(by, locked, EDIT)
    # What the report's cached values are stored under until now (stored_values_saved).
    locked.stamp_before = report_stamp(locked)
    current = locked.part_versions.get(part, 0)
    if expected is not None and expected != current:
        raise EditConflict(
            "Phần này vừa được người khác lưu sau khi bạn mở trang. "
            "Nội dung bạn gõ vẫn còn bên dưới; hãy so sánh với bản đã lưu rồi lưu lại."
        )
    locked.part_versions[part] = current + 1
    now = timezone.now()
    Report.objects.filter(pk=locked.pk).update(part_versions=locked.part_versions, updated_at=now)
    # The caller's copy too: cached validation is keyed by them (validation.cached_violations).
    report.part_versions, report.updated_at = locked.part_versions, now
    return locked


def part_version(report: Report, part: str) -> int:
    return report.part_versions.get(part, 0)


@transaction.atomic
def report_save_header(*, report: Report, by, data: dict, expected: int | None) -> Report:
    locked = lock_part(report, "header", expected, by=by)
    for name in Report.HEADER_FIELDS:
        if name in data:
            value = data[name]
            setattr(locked, name, xml_safe(value) if isinstance(value, str) else value)
    locked.full_clean()
    locked.save(update_fields=[*Report.HEADER_FIELDS, "updated_at"])
    return locked


@transaction.atomic
def report_save_section(
    *, report: Report, by, outline: OutlineSection, html: str, expected: int | None
) -> NarrativeSection:
    lock_part(report, f"section:{outline.code}", expected, by=by)
    section, _created = NarrativeSection.objects.get_or_create(report=report, outline=outline)
    clean = xml_safe(sanitize_html(html))  # after: the sanitiser decodes &#11; to \x0b
    if section.content != clean:
        section.content = clean
        section.save()
    return section


@transaction.atomic
def report_save_values(
    *, report: Report, by, appendix: Appendix, values: dict, expected: int | None
) -> int:
    """Save an indicator appendix's values, {code: (canonical value, note)}; only changed
    values are written (and so enter the history). Returns how many changed."""
    locked = lock_part(report, f"appendix:{appendix.code}", expected, by=by)
    rows = {row.code: row for row in appendix.indicators.all() if row.code}
    # Only the rows given (an autosave sends the changed ones).
    given = [rows[code].pk for code in values if code in rows]
    existing = {
        v.indicator_id: v for v in IndicatorValue.objects.filter(report=report, indicator__in=given)
    }
    changed = 0
    saved = {}  # code -> (value, note) as a read of the database now gives it; None: no row
    for code, (value, note) in values.items():
        row = rows.get(code)
        if row is None or row.value_type == ValueType.HEADING:
            continue
        columns = {**to_columns(row.value_type, value), "note": xml_safe(note or "").strip()}
        saved[code] = (from_columns(row.value_type, *_typed(columns)), columns["note"])
        current = existing.get(row.pk)
        if current is None:
            if value is None and not note:
                saved[code] = None
                continue
            IndicatorValue.objects.create(report=report, indicator=row, **columns)
            changed += 1
        elif any(getattr(current, k) != v for k, v in columns.items()):
            for name, v in columns.items():
                setattr(current, name, v)
            current.save()
            changed += 1
    stored_values_saved(report, before=locked.stamp_before, appendix=appendix, indicators=saved)
    return changed


def _typed(columns: dict) -> tuple:
    return columns["number"], columns["text"], columns["date"], columns["not_applicable"]


def _cells(appendix: Appendix, row: dict) -> dict:
    """The stored cells of a row; a value that does not parse refuses the whole save."""
    columns = {c.code: c for c in appendix.columns.all()}
    try:
        return cells_to_json(columns, row)
    except ValueParseError as exc:
        raise ReportError(f"{appendix.name or appendix.code}: {exc.message}") from exc


_SERIAL = re.compile(r"^[0-9]+\.?$")


def _renumbered(appendix: Appendix, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """An STT column holding plain serial numbers is numbered 1, 2, 3… in row order, so a
    moved, removed or added row never prints "1, 2, 4"; an STT such as "a)" or "1.2" is kept."""
    for column in appendix.columns.all():
        texts = [row.get(column.code, "") for row in rows]
        if column.is_ordinal and any(texts) and all(not t or _SERIAL.match(t) for t in texts):
            for number, row in enumerate(rows, start=1):
                row[column.code] = str(number)
    return rows


@transaction.atomic
def report_save_table(
    *,
    report: Report,
    by,
    appendix: Appendix,
    rows: list[dict],
    total: dict | None = None,
    expected: int | None,
) -> None:
    """Replace a table's rows (in the given order) and its printed total row."""
    locked = lock_part(report, f"appendix:{appendix.code}", expected, by=by)
    wanted = _renumbered(appendix, [_cells(appendix, row) for row in rows])
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
    stored_values_saved(report, before=locked.stamp_before, appendix=appendix)
