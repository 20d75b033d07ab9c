"""Reads that cross relations. Pages, exports and commands share these."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from operator import attrgetter

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from indicators.derived import version_stamp
from indicators.models import (
    Appendix,
    Indicator,
    OutlineSection,
    ReportKind,
    TemplateVersion,
    VersionStatus,
)
from indicators.naming import appendix_name, row_names
from indicators.types import ValueType
from indicators.values import format_value
from lib.html import html_to_text
from lib.periods import previous_period
from org.models import Unit
from org.permissions import system_accounts

from .access import reports_visible_to
from .derived import APPENDICES, OUTLINE, SYSTEM_WRITES, VALUES, content_stamp, report_stamp
from .models import IndicatorValue, Period, Report, ReportState, TableRow
from .values import cells_from_json, from_columns


def open_periods():
    return Period.objects.filter(is_open=True).order_by("deadline")


def province_units(province: Unit):
    """The reporting units of a province and of every province it succeeded."""
    return (
        Unit.objects.filter(province__in=province.lineage())
        .reporting()
        .with_shared_names()
        .select_related("province", "successor")
        .order_by("province__name", "kind", "name")
    )


def unit_lineage(unit: Unit) -> list[Unit]:
    """Predecessors (oldest first) of a unit, for its history page."""
    return list(unit.lineage().exclude(pk=unit.pk).with_shared_names().order_by("valid_to", "name"))


# --- reports ---------------------------------------------------------------------------------


def version_in_force(unit: Unit, period: Period, kind: ReportKind):
    """The published template version a unit files a kind of report on for a period: the
    province's own template before one for every province, the newest version applying by the
    window's end."""
    candidates = (
        TemplateVersion.objects.filter(
            status=VersionStatus.PUBLISHED, applies_from__lte=period.window_end
        )
        .filter(Q(template__province_id=unit.province_id) | Q(template__province__isnull=True))
        .select_related("template")
        .order_by(F("template__province_id").asc(nulls_last=True), "-applies_from", "-number")
    )
    # Period kinds are a short JSON list; SQLite cannot filter inside it, so filter here.
    return next(
        (
            v
            for v in candidates
            if period.kind in v.template.period_kinds and kind.code in v.template.report_kinds
        ),
        None,
    )


def creatable_reports(unit: Unit, filed) -> list[tuple[Period, ReportKind]]:
    """(open period, report kind) pairs the unit can still file: it existed during the period,
    has not filed yet, and a template is in force. The province's own report is compiled, never
    filed this way."""
    done = {(r.period_id, r.kind_id) for r in filed}
    periods = [period for period in open_periods() if unit.is_active_during(period)]
    kinds = list(ReportKind.objects.exclude(code=ReportKind.PROVINCE_CODE)) if periods else []
    return [
        (period, kind)
        for period in periods
        for kind in kinds
        if (period.pk, kind.pk) not in done and version_in_force(unit, period, kind)
    ]


# What prev() and last() read: a report someone answered for (approved; the province's, signed),
# never a draft, a report under review or one returned for corrections (docs/rules.md).
COMPARED_STATES = (ReportState.APPROVED, ReportState.SIGNED)


def _earlier_reports(report: Report, approved: bool):
    reports = Report.objects.filter(unit__in=report.unit.lineage(), kind_id=report.kind_id)
    return reports.filter(state__in=COMPARED_STATES) if approved else reports


def previous_report(report: Report, *, approved: bool = True) -> Report | None:
    """The same unit's (or its predecessors') report for the previous period of the same kind,
    latest approved revision (what prev() reads); `approved=False`: the latest revision in
    any state (what "Chép từ báo cáo kỳ trước" copies)."""
    kind, year = previous_period(report.period.kind, report.period.year)
    return (
        _earlier_reports(report, approved)
        .filter(period__kind=kind, period__year=year)
        .select_related("template_version", "period")
        .order_by("-revision")
        .first()
    )


def latest_report(report: Report) -> Report | None:
    """What last() reads: the same unit's (or its predecessors') latest approved report of the
    same kind whose period ends before this one's begins, whatever its period kind (for 6 tháng
    2022, the 2021 annual report), latest approved revision. Among periods ending the same day,
    the longest."""
    return (
        _earlier_reports(report, approved=True)
        .filter(period__window_end__lt=report.period.window_start)
        .select_related("template_version", "period")
        .order_by("-period__window_end", "period__window_start", "-revision")
        .first()
    )


def report_appendices(report: Report):
    """The appendices of the report's version with their rows and columns, in one go.

    A published version is frozen, so its structure is read once per process and shared
    (reports.derived.APPENDICES): treat the returned objects as read-only. A draft version
    (template preview) is read each time.
    """
    version = report.template_version
    return list(APPENDICES.get(version.pk, version_stamp(version), partial(_appendices, version)))


def report_tabs(report: Report) -> dict:
    """The level-1 outline sections and the appendices every page of the report links to;
    a published version's are read once per process (reports.derived.OUTLINE)."""
    version = report.template_version
    sections = OUTLINE.get(version.pk, version_stamp(version), partial(_sections, version.pk))
    return {"sections": list(sections), "appendices": report_appendices(report)}


def _sections(version_id: int) -> tuple:
    return tuple(OutlineSection.objects.filter(version_id=version_id, level=1))


def _appendices(version: TemplateVersion) -> tuple:
    # Through the version, so each appendix knows it without a query (entry_skeleton's stamp).
    return tuple(version.appendices.prefetch_related("indicators", "columns"))


def indicator_values(report: Report, appendices=None) -> dict[str, tuple[object, str]]:
    """code -> (canonical value, note) of every stored indicator value."""
    types = {
        row.pk: (row.code, row.value_type)
        for appendix in (appendices or report_appendices(report))
        for row in appendix.indicators.all()
    }
    result = {}
    # Only the given appendices' values: a report holds values of every indicator appendix.
    for v in IndicatorValue.objects.filter(report=report, indicator_id__in=types).values(
        "indicator_id", "number", "text", "date", "not_applicable", "note"
    ):
        code, value_type = types[v["indicator_id"]]
        value = from_columns(value_type, v["number"], v["text"], v["date"], v["not_applicable"])
        result[code] = (value, v["note"])
    return result


def table_rows(report: Report, appendices=None) -> dict[str, dict]:
    """appendix code -> {"rows": [(row id, {column: canonical value})], "total": {...} | None}."""
    appendices = [a for a in (appendices or report_appendices(report)) if a.is_table]
    by_id = {a.pk: a for a in appendices}
    result = {a.code: {"rows": [], "total": None} for a in appendices}
    for row in TableRow.objects.filter(report=report, appendix_id__in=by_id).order_by(
        "appendix_id", "is_total", "position"
    ):
        appendix = by_id[row.appendix_id]
        values = cells_from_json({c.code: c for c in appendix.columns.all()}, row.cells)
        if row.is_total:
            result[appendix.code]["total"] = values
        else:
            result[appendix.code]["rows"].append((row.position + 1, values))
    return result


def stored_values(report: Report) -> dict:
    """Every stored value of the report: {"indicators": indicator_values, "tables": table_rows}.
    A published version's report keeps them in the process under its stamp
    (reports.derived.VALUES), so the entry page, its previous period's column and validation
    read them once; a save of some values puts the updated copy under the new stamp
    (stored_values_saved). Treat the answer as read-only."""
    return VALUES.get(report.pk, content_stamp(report), partial(_read_values, report))


def _read_values(report: Report) -> dict:
    appendices = report_appendices(report)
    return {
        "indicators": indicator_values(report, appendices),
        "tables": table_rows(report, appendices),
    }


def stored_values_saved(report: Report, *, before: str, appendix, indicators=None) -> None:
    """After a save of one appendix (the report's stamp was `before`, `report` holds the new
    one): the kept values, if any, with what was saved go under the new stamp, so the
    autosave's validation reads nothing else. `indicators`: code -> (value, note) as stored,
    None for no stored row; a table is read again."""
    if content_stamp(report) is None:
        return
    old = VALUES.peek(report.pk, before)
    if old is None:
        return
    values = {"indicators": dict(old["indicators"]), "tables": dict(old["tables"])}
    if appendix.is_table:
        values["tables"].update(table_rows(report, [appendix]))
    else:
        for code, stored in (indicators or {}).items():
            if stored is None:
                values["indicators"].pop(code, None)
            else:
                values["indicators"][code] = stored
    VALUES.put(report.pk, report_stamp(report), values)


@dataclass(frozen=True)
class Blank:
    """A blank indicator or an empty narrative section, named for people, with its page."""

    name: str
    url: str
    required: bool = False


@dataclass
class BlankGroup:
    """The rows under one top heading of an indicator appendix ("I. Công tác chỉ đạo…")."""

    name: str
    filled: int = 0
    total: int = 0
    blanks: list[Blank] = field(default_factory=list)


@dataclass
class AppendixCompleteness:
    appendix: Appendix
    url: str
    filled: int  # indicators with a value (or "/"); rows of a table
    total: int | None  # None for a table
    groups: list[BlankGroup]

    @property
    def blank(self) -> int:
        return 0 if self.total is None else self.total - self.filled

    @property
    def required_blanks(self) -> list[Blank]:
        return [b for g in self.groups for b in g.blanks if b.required]

    @property
    def optional_blanks(self) -> list[Blank]:
        return [b for g in self.groups for b in g.blanks if not b.required]

    @property
    def is_empty_table(self) -> bool:
        return self.total is None and self.filled == 0


@dataclass
class Completeness:
    """What is blank in a report: per appendix and its headings, and per narrative section.
    Blank required indicators block submission (validate_report); the rest is listed for the
    leader to confirm before signing."""

    sections: list[tuple]  # (outline section, has text, url)
    empty_sections: list[Blank]
    appendices: list[AppendixCompleteness]

    @property
    def required_blanks(self) -> list[Blank]:
        return [b for a in self.appendices for b in a.required_blanks]

    @property
    def optional_blanks(self) -> list[Blank]:
        return [b for a in self.appendices for b in a.optional_blanks]

    @property
    def empty_tables(self) -> list[AppendixCompleteness]:
        return [a for a in self.appendices if a.is_empty_table]

    @property
    def sections_filled(self) -> int:
        return sum(1 for _section, filled, _url in self.sections if filled)

    @property
    def needs_confirmation(self) -> bool:
        """Something optional is blank: the leader confirms having seen it."""
        optional_sections = [b for b in self.empty_sections if not b.required]
        return bool(optional_sections or self.optional_blanks or self.empty_tables)


def report_completeness(report: Report, appendices=None) -> Completeness:
    appendices = appendices or report_appendices(report)
    values = indicator_values(report, appendices)
    tables = table_rows(report, appendices)
    parts = []
    for appendix in appendices:
        url = reverse("reports:report_appendix", args=[report.pk, appendix.code])
        if appendix.is_table:
            parts.append(
                AppendixCompleteness(appendix, url, len(tables[appendix.code]["rows"]), None, [])
            )
            continue
        groups = _blank_groups(appendix, values, url)
        filled = sum(g.filled for g in groups)
        parts.append(
            AppendixCompleteness(appendix, url, filled, sum(g.total for g in groups), groups)
        )
    outline = list(report.template_version.outline.all())
    texts = {s.outline_id: bool(html_to_text(s.content)) for s in report.sections.all()}
    sections, empty = [], []
    names = row_names(outline, label=attrgetter("title"))
    for index, (section, name) in enumerate(zip(outline, names, strict=True)):
        url = reverse("reports:report_section", args=[report.pk, section.code])
        filled = texts.get(section.pk, False)
        sections.append((section, filled, url))
        following = outline[index + 1] if index + 1 < len(outline) else None
        has_children = following is not None and following.level > section.level
        if not filled and not has_children:
            empty.append(Blank(name, url, section.required))
    return Completeness(sections, empty, parts)


def _blank_groups(appendix, values, url) -> list[BlankGroup]:
    rows = list(appendix.indicators.all())
    names = row_names(rows)
    headings = [row.level for row in rows if row.is_heading]
    top = min(headings) if headings else None
    groups = [BlankGroup(appendix_name(appendix))]
    for row, name in zip(rows, names, strict=True):
        if row.is_heading:
            if row.level == top:
                groups.append(BlankGroup(name))
            continue
        group = groups[-1]
        group.total += 1
        if values.get(row.code, (None, ""))[0] is not None:
            group.filled += 1
        else:
            group.blanks.append(Blank(name, f"{url}#id_{appendix.code}-v-{row.code}", row.required))
    return [g for g in groups if g.total]


def report_progress(report: Report) -> dict:
    """What is filled, for the overview: sections with text, values entered per appendix
    (with how many required ones are blank), rows per table."""
    completeness = report_completeness(report)
    return {
        "sections": [(section, filled) for section, filled, _url in completeness.sections],
        "sections_filled": completeness.sections_filled,
        "appendices": [(a.appendix, a.filled, a.total) for a in completeness.appendices],
        "completeness": completeness,
    }


def appendix_differences(report: Report, appendix, form) -> list[tuple[str, str, str]]:
    """(label, what the user typed, what is stored) for the values that differ, shown when
    a save is refused because someone else saved first."""
    if appendix.is_table:
        return []
    stored = indicator_values(report, [appendix])
    differences = []
    rows = list(appendix.indicators.all())
    for row, name in zip(rows, row_names(rows), strict=True):
        if row.is_heading:
            continue
        typed = form.data.get(form.add_prefix(f"v-{row.code}"), "")
        value = stored.get(row.code, (None, ""))[0]
        shown = format_value(row.value_type, value, choices=row.choices)
        if typed.strip() != shown:
            differences.append((name, typed, shown))
    return differences


def column_sums(appendix, rows: list[dict]) -> dict:
    """The "Tổng cộng" row of a table: the sum of each whole-number and decimal column."""
    sums = {}
    for column in appendix.columns.all():
        if column.value_type not in (ValueType.INTEGER, ValueType.DECIMAL):
            continue
        numbers = [row.get(column.code) for row in rows]
        numbers = [n for n in numbers if isinstance(n, int | Decimal) and not isinstance(n, bool)]
        sums[column.code] = sum(numbers) if numbers else None
    return sums


def report_snapshot(report: Report) -> dict:
    """The report's content as display text, for freezing a submission and comparing."""
    appendices = report_appendices(report)
    values = indicator_values(report, appendices)
    tables = table_rows(report, appendices)
    rows_by_code = {r.code: r for a in appendices for r in a.indicators.all() if r.code}
    columns = {a.code: {c.code: c for c in a.columns.all()} for a in appendices if a.is_table}

    def cells(table, row):
        return {
            code: format_value(
                columns[table][code].value_type, value, choices=columns[table][code].choices
            )
            for code, value in row.items()
            if code in columns[table]
        }

    return {
        "header": {name: str(getattr(report, name) or "") for name in Report.HEADER_FIELDS},
        "sections": {s.outline.code: s.content for s in report.sections.select_related("outline")},
        "values": {
            code: [
                format_value(
                    rows_by_code[code].value_type, value, choices=rows_by_code[code].choices
                ),
                note,
            ]
            for code, (value, note) in values.items()
            if code in rows_by_code
        },
        "tables": {
            code: {
                "rows": [cells(code, row) for _id, row in data["rows"]],
                "total": cells(code, data["total"]) if data["total"] else None,
            }
            for code, data in tables.items()
        },
    }


def change_outline(report: Report) -> dict:
    """Where each part of a snapshot is printed: key -> (part number, position, label), and
    the parts' names in printed order. Keys: ("header", field), ("section", code),
    ("value", indicator code), ("table", appendix code); "columns" names each table's columns."""
    parts, places, columns = ["Thông tin chung"], {}, {}
    for i, name in enumerate(Report.HEADER_FIELDS):
        label = str(Report._meta.get_field(name).verbose_name).capitalize()
        places[("header", name)] = (0, i, label)
    for section in report.template_version.outline.all():
        parts.append(f"Mục {section.stt}. {section.title}")
        places[("section", section.code)] = (len(parts) - 1, 0, "Nội dung")
    for appendix in report_appendices(report):
        parts.append(f"{appendix.name} – {appendix.title}" if appendix.name else appendix.title)
        if appendix.is_table:
            places[("table", appendix.code)] = (len(parts) - 1, 0, "")
            columns[appendix.code] = {c.code: c.header for c in appendix.columns.all()}
        for i, row in enumerate(appendix.indicators.all()):
            if row.code:
                places[("value", row.code)] = (len(parts) - 1, i, f"{row.stt} {row.label}".strip())
    parts.append("Nội dung đã bỏ khỏi mẫu")
    return {"parts": parts, "places": places, "columns": columns}


def snapshot_changes(before: dict, after: dict, outline: dict) -> list[dict]:
    """What differs between two snapshots, grouped by part in printed order:
    [{"part": name, "changes": [(label, before, after)]}]."""
    places, gone = outline["places"], len(outline["parts"]) - 1
    found = []  # (part, position, label, before, after)

    def add(key, label, old, new, position=0):
        part, order, name = places.get(key, (gone, 0, label))
        found.append((part, order, position, name or label, old, new))

    for name in Report.HEADER_FIELDS:
        old, new = before["header"].get(name, ""), after["header"].get(name, "")
        if old != new:
            add(("header", name), name, old, new)
    for code in set(before["sections"]) | set(after["sections"]):
        old = html_to_text(before["sections"].get(code, ""))
        new = html_to_text(after["sections"].get(code, ""))
        if old != new:
            add(("section", code), "Mục", old, new)
    for code in set(before["values"]) | set(after["values"]):
        old = before["values"].get(code, ["", ""])
        new = after["values"].get(code, ["", ""])
        if old != new:
            joined = [" – ".join(filter(None, v)) for v in (old, new)]
            add(("value", code), "Chỉ tiêu", *joined)
    for code in set(before["tables"]) | set(after["tables"]):
        headers = outline["columns"].get(code, {})
        old_rows = before["tables"].get(code, {"rows": []})["rows"]
        new_rows = after["tables"].get(code, {"rows": []})["rows"]
        for i in range(max(len(old_rows), len(new_rows))):
            old = old_rows[i] if i < len(old_rows) else {}
            new = new_rows[i] if i < len(new_rows) else {}
            if old != new:
                texts = [_cells_text(cells, headers) for cells in (old, new)]
                add(("table", code), f"Dòng {i + 1}", *texts, position=i)
    found.sort(key=lambda c: c[:3])
    groups = []
    for part, _order, _position, label, old, new in found:
        if not groups or groups[-1]["number"] != part:
            groups.append({"number": part, "part": outline["parts"][part], "changes": []})
        groups[-1]["changes"].append((label, old, new))
    return groups


def _cells_text(cells: dict, headers: dict[str, str]) -> str:
    return "; ".join(f"{headers.get(k, 'Cột đã bỏ')}: {v}" for k, v in cells.items() if v)


def earlier_revision(report: Report) -> Report | None:
    """The revision this one reopened (the approved one), if any."""
    if report.revision <= 1:
        return None
    return Report.objects.filter(
        unit_id=report.unit_id,
        period_id=report.period_id,
        kind_id=report.kind_id,
        revision=report.revision - 1,
    ).first()


def report_changes(report: Report) -> list[dict]:
    """What changed since the last submission, grouped by part (`snapshot_changes`): against
    the current content while the report is back with the department, else between the last
    two submissions. A reopened revision not submitted yet is compared with the approved
    revision it was copied from."""
    submissions = list(report.submissions.order_by("-number")[:2])
    if not submissions:
        earlier = earlier_revision(report)
        if earlier is None:
            return []
        approved = earlier.submissions.order_by("-number").first()
        before = approved.snapshot if approved else report_snapshot(earlier)
        return snapshot_changes(before, report_snapshot(report), change_outline(report))
    if report.state in (ReportState.DRAFT, ReportState.RETURNED):
        before, after = submissions[0].snapshot, report_snapshot(report)
    elif len(submissions) == 2:
        before, after = submissions[1].snapshot, submissions[0].snapshot
    else:
        return []
    return snapshot_changes(before, after, change_outline(report))


def value_history(report: Report, code: str):
    """(indicator, [(when, who, before, after, why)]) for one indicator of the report, oldest
    first (why: the recorded reason, e.g. the copy from an approved revision);
    None when the report's template has no such indicator."""
    indicator = (
        Indicator.objects.filter(appendix__version_id=report.template_version_id, code=code)
        .select_related("appendix")
        .first()
    )
    if indicator is None:
        return None
    # The same code in every version of the template: a report moved to a newer version
    # keeps the history it had on the older one.
    same_code = Indicator.objects.filter(
        appendix__version__template_id=report.template_version.template_id, code=code
    ).values("pk")
    records = (
        IndicatorValue.history.filter(report_id=report.pk, indicator_id__in=same_code)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries, before = [], ""
    for record in records:
        value = from_columns(
            indicator.value_type, record.number, record.text, record.date, record.not_applicable
        )
        after = format_value(indicator.value_type, value, choices=indicator.choices)
        if record.history_type == "-":
            after = ""
        if after != before or record.history_type == "+":
            reason = record.history_change_reason or ""
            entries.append((record.history_date, record.history_user, before, after, reason))
        before = after
    return indicator, entries


@dataclass(frozen=True)
class SystemWrite:
    """A value or table a system outside the portal wrote (an API client, whose account is a
    Role.SYSTEM user named as the client)."""

    at: object
    by: object  # the client's account; str() is the client's name
    what: str  # "1. Số nhiệm vụ" or "Phụ lục 2 – BẢNG"
    before: str
    after: str
    url: str  # the value's history, or the table's page


def system_writes(report: Report) -> list[SystemWrite]:
    """What systems wrote into the report, newest first: each indicator value with the value it
    replaced, and each table with its latest save by a system. A person's edits are read only
    for the indicators a system also wrote. Kept at the report's stamp: every write bumps it."""
    return SYSTEM_WRITES.get(report.pk, content_stamp(report), lambda: _system_writes(report))


def _system_writes(report: Report) -> list[SystemWrite]:
    by_system = Q(report_id=report.pk, history_user__in=system_accounts())
    written = set(IndicatorValue.history.filter(by_system).values_list("indicator_id", flat=True))
    found = []
    if written:
        rows = {
            row.pk: (appendix, row)
            for appendix in report_appendices(report)
            for row in appendix.indicators.all()
            if row.pk in written
        }
        before: dict[int, str] = {}
        records = (
            IndicatorValue.history.filter(report_id=report.pk, indicator_id__in=written)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for record in records:
            appendix, row = rows.get(record.indicator_id, (None, None))
            if row is None:  # an indicator of an older template version
                continue
            value = from_columns(
                row.value_type, record.number, record.text, record.date, record.not_applicable
            )
            after = "" if record.history_type == "-" else format_value(row.value_type, value)
            user = record.history_user
            if user is not None and user.is_system:
                url = reverse("reports:value_history", args=[report.pk, row.code])
                what = f"{row.stt} {row.label}".strip()
                found.append(
                    SystemWrite(record.history_date, user, what, before.get(row.pk, ""), after, url)
                )
            before[row.pk] = after
    tables = (
        TableRow.history.filter(by_system)
        .select_related("history_user", "appendix")
        .order_by("appendix_id", "-history_date")
    )
    seen = set()
    for record in tables:  # a table's rows are saved together: its latest save by each system
        key = (record.appendix_id, record.history_user_id)
        if key in seen:
            continue
        seen.add(key)
        appendix = record.appendix
        url = reverse("reports:report_appendix", args=[report.pk, appendix.code])
        what = f"{appendix.name} – {appendix.title}" if appendix.name else appendix.title
        found.append(SystemWrite(record.history_date, record.history_user, what, "", "", url))
    return sorted(found, key=attrgetter("at"), reverse=True)


def system_write_summary(writes: list[SystemWrite]) -> list[dict]:
    """Per system: how many values and tables it wrote, and when it last did."""
    summary: dict = {}
    for write in writes:
        entry = summary.setdefault(write.by.pk, {"by": write.by, "items": set(), "last": write.at})
        entry["items"].add(write.what)
        entry["last"] = max(entry["last"], write.at)
    return [{**entry, "count": len(entry["items"])} for entry in summary.values()]


def report_status(report: Report) -> dict:
    """Deadline and lateness as shown on every report page."""
    day = timezone.localdate(report.submitted_at or timezone.now())
    return {
        "deadline": report.period.deadline,
        "days_late": max(0, (day - report.period.deadline).days),
        "submitted": bool(report.submitted_at),
    }


# The log entry of a template upgrade (reports.services.upgrade) starts with this.
UPGRADE_NOTE = "Chuyển sang phiên bản mẫu mới"


def upgrade_notes(report: Report) -> list[dict]:
    """The report's moves to newer template versions, each with the values of removed
    indicators, columns and sections that were kept in its history."""
    notes = []
    for change in report.state_changes.filter(comment__startswith=UPGRADE_NOTE).select_related(
        "by"
    ):
        summary, *kept = change.comment.split("\n")
        notes.append({"at": change.at, "by": change.by, "summary": summary, "kept": kept})
    return notes


def report_revisions(report: Report, user) -> list[Report]:
    """Every revision of the same unit's report for the period that the user may read."""
    return list(
        reports_visible_to(user)
        .filter(unit_id=report.unit_id, period_id=report.period_id, kind_id=report.kind_id)
        .order_by("revision")
    )
