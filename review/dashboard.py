"""Reads for the Sở Nội vụ dashboard, the indicator drill-down, the roll-up workbook and the
deadline reminders.

`indicator_values_for_period` is the one read of a period's values: the aggregate table, the
charts and the roll-up workbook all start from it and only format. Every function here runs a
fixed number of queries, whatever the number of units, reports and indicators.

Which reports count: for each unit, its latest revision that is submitted, resubmitted or
approved. Drafts never count and never show to reviewers; a returned report is back with its
department and counts again once resubmitted.

Warnings: the dashboard does not run `validate_report` per report (a few queries and the rule
engine for each of 200 departments). A report can only be submitted once every warning has an
explanation, and its content is frozen while under review, so a submitted report has no open
warnings; what the reviewer needs is how many warnings the department explained. That count
comes from stored explanations in the same query as the reports.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import Appendix, AppendixKind, Indicator, ReportKind
from indicators.types import NA_MARK, NUMBER_DECIMAL_PLACES, ValueType
from indicators.values import format_value
from lib.periods import parse_period_code, previous_period
from org.models import Unit, User
from org.permissions import department_people
from reports.models import SUBMITTED_STATES, IndicatorValue, Period, Report, ReportState, TableRow
from reports.selectors import province_units
from reports.values import SUMMED_TYPES, cells_from_json, from_columns

MISSING = "missing"  # no report at all for the period
STATE_ORDER = [
    MISSING,
    ReportState.DRAFT,
    ReportState.SUBMITTED,
    ReportState.RETURNED,
    ReportState.RESUBMITTED,
    ReportState.APPROVED,
]
STATE_LABELS = {MISSING: _("Chưa lập"), **dict(ReportState.choices)}
CHARTED_TYPES = (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT)


# --- scope: which province, which period ----------------------------------------------------

# The dashboard, roll-up and reminders follow the periodic CCHC report; other report kinds are
# read on their own pages.
DASHBOARD_KIND = ReportKind.DEFAULT_CODE


def dashboard_provinces():
    """Provinces an administrator may choose, current ones first."""
    return (
        Unit.objects.provinces()
        .with_shared_names()
        .order_by(F("valid_to").desc(nulls_first=True), "name")
    )


def period_by_code(code: str) -> Period | None:
    try:
        kind, year = parse_period_code(code)
    except ValueError:
        return None
    return Period.objects.filter(kind=kind, year=year).first()


def default_period(today: datetime.date | None = None) -> Period | None:
    """The open period with the nearest coming deadline, else the open period whose deadline
    passed last, else the latest period."""
    today = today or timezone.localdate()
    open_periods = Period.objects.filter(is_open=True)
    return (
        open_periods.filter(deadline__gte=today).order_by("deadline").first()
        or open_periods.order_by("-deadline").first()
        or Period.objects.order_by("-window_end").first()
    )


def previous_period_of(period: Period) -> Period | None:
    kind, year = previous_period(period.kind, period.year)
    return Period.objects.filter(kind=kind, year=year).first()


def reporting_units(*, province: Unit, period: Period, kind: str = ""):
    """Units of the province (and of the provinces it succeeded) that existed during the
    period, or that filed a report for it anyway."""
    filed = Report.objects.filter(period=period, kind__code=DASHBOARD_KIND).values("unit_id")
    units = province_units(province)
    units = units.active_during(period) | units.filter(pk__in=filed)
    return units.filter(kind=kind) if kind else units


# --- progress of a period --------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardRow:
    unit: Unit
    report: Report | None  # the latest revision a reviewer may open; None for drafts
    state: str  # a ReportState, or MISSING
    submitted_on: datetime.date | None  # first submission
    days_late: int  # submitted that many days after the deadline
    days_overdue: int  # not submitted, that many days after the deadline
    warnings_explained: int

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def lateness(self) -> str:
        if self.days_late:
            return _("gửi trễ %(days)s ngày") % {"days": self.days_late}
        if self.days_overdue:
            return _("quá hạn %(days)s ngày") % {"days": self.days_overdue}
        return ""


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


def _revisions_by_unit(period: Period, unit_ids: list[int]) -> dict[int, list[Report]]:
    reports = (
        Report.objects.filter(period=period, kind__code=DASHBOARD_KIND, unit_id__in=unit_ids)
        .only("id", "unit_id", "period_id", "revision", "state", "submitted_at", "title")
        .annotate(
            first_submitted_at=Min("submissions__at"),
            warnings_explained=Count(
                "explanations", filter=~Q(explanations__text=""), distinct=True
            ),
        )
        .order_by("unit_id", "-revision")
    )
    by_unit = defaultdict(list)
    for report in reports:
        by_unit[report.unit_id].append(report)
    return by_unit


def _first_submission(revisions: list[Report]) -> datetime.datetime | None:
    # Paper reports loaded as history have a submission date but no Submission record.
    moments = [r.first_submitted_at or r.submitted_at for r in revisions]
    return min((m for m in moments if m), default=None)


def _row(unit: Unit, revisions: list[Report], period: Period, today) -> DashboardRow:
    shown = next((r for r in revisions if r.state != ReportState.DRAFT), None)
    state = shown.state if shown else (ReportState.DRAFT if revisions else MISSING)
    first = _first_submission(revisions)
    submitted_on = timezone.localdate(first) if first else None
    late_day = submitted_on or today
    days = max(0, (late_day - period.deadline).days)
    return DashboardRow(
        unit=unit,
        report=shown,
        state=state,
        submitted_on=submitted_on,
        days_late=days if submitted_on else 0,
        days_overdue=0 if submitted_on else days,
        warnings_explained=shown.warnings_explained if shown else 0,
    )


def dashboard_rows(
    *, province: Unit, period: Period, kind: str = "", today=None
) -> list[DashboardRow]:
    """Every reporting unit of the province for the period with its report's state, first
    submission date, lateness and explained warnings (the roll-up's progress sheet, the
    province compilation's sources). The dashboard page counts and filters the states in SQL
    (dashboard_units) and builds rows for one page of units (rows_for_units)."""
    today = today or timezone.localdate()
    units = list(reporting_units(province=province, period=period, kind=kind))
    return rows_for_units(units, period, today)


def _with_states(units, period: Period):
    """Units annotated in SQL with what the dashboard shows: the state of their latest
    revision a reviewer may open (`shown_state`) and whether they have any report."""
    revisions = Report.objects.filter(
        period=period, kind__code=DASHBOARD_KIND, unit_id=OuterRef("pk")
    )
    shown = revisions.exclude(state=ReportState.DRAFT).order_by("-revision").values("state")[:1]
    return units.annotate(shown_state=Subquery(shown), has_report=Exists(revisions))


def _state_filter(state: str) -> Q:
    if state == MISSING:
        return Q(has_report=False)
    if state == ReportState.DRAFT:
        return Q(has_report=True, shown_state__isnull=True)
    return Q(shown_state=state)


def dashboard_units(*, province: Unit, period: Period, kind: str = "", state: str = ""):
    """The state counts of the province's reporting units and the units in `state` (a
    queryset, to page through), counted in SQL without building a row per unit."""
    units = reporting_units(province=province, period=period, kind=kind)
    grouped = (
        _with_states(Unit.objects.filter(pk__in=units.values("pk")), period)
        .values("shown_state", "has_report")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = Counter()
    for row in grouped:
        shown = row["shown_state"]
        counts[shown or (ReportState.DRAFT if row["has_report"] else MISSING)] += row["n"]
    listed = _with_states(units, period)
    if state:
        listed = listed.filter(_state_filter(state))
    return [StateCount(s, STATE_LABELS[s], counts[s]) for s in STATE_ORDER], listed


def rows_for_units(units: list[Unit], period: Period, today=None) -> list[DashboardRow]:
    """The dashboard rows of some units (a page of them)."""
    today = today or timezone.localdate()
    revisions = _revisions_by_unit(period, [unit.pk for unit in units])
    return [_row(unit, revisions.get(unit.pk, []), period, today) for unit in units]


# --- a period's values -----------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInfo:
    """An indicator as grouped across template versions: by its code."""

    code: str  # blank for a heading
    stt: str
    label: str
    unit: str
    value_type: str
    choices: tuple
    level: int
    appendix: str

    @property
    def is_heading(self) -> bool:
        return self.value_type == ValueType.HEADING

    @property
    def is_summed(self) -> bool:
        return self.value_type in SUMMED_TYPES

    @property
    def is_charted(self) -> bool:
        return self.value_type in CHARTED_TYPES

    def display(self, value) -> str:
        return format_value(self.value_type, value, choices=self.choices)


@dataclass
class PeriodValues:
    province: Unit
    period: Period
    reports: list[Report]  # the counted revision of each unit, in unit order
    indicators: list[IndicatorInfo]  # headings of the main version included, in print order
    values: dict[str, dict[int, object]]  # code -> {report id: canonical value}
    primary_version_id: int | None  # the version most of the reports were filed on
    types: dict[int, tuple[str, str]] = field(default_factory=dict)  # indicator id -> code, type

    def indicator(self, code: str) -> IndicatorInfo | None:
        return next((i for i in self.indicators if i.code == code and not i.is_heading), None)

    def entries(self, code: str) -> list[tuple[Report, object]]:
        by_report = self.values.get(code, {})
        return [(report, by_report.get(report.pk)) for report in self.reports]


def counted_reports(*, province: Unit, period: Period) -> list[Report]:
    """The report that counts for each unit of the province: its latest revision submitted,
    resubmitted or approved."""
    reports = (
        Report.objects.filter(
            period=period,
            kind__code=DASHBOARD_KIND,
            state__in=SUBMITTED_STATES,
            unit__province__in=province.lineage(),
        )
        .prefetch_related(Prefetch("unit", queryset=Unit.objects.with_shared_names()))
        .order_by("unit__province__name", "unit__kind", "unit__name", "unit_id", "-revision")
    )
    latest = {}
    for report in reports:
        latest.setdefault(report.unit_id, report)
    return list(latest.values())


def _primary_version(reports: list[Report]) -> int | None:
    counts = Counter(report.template_version_id for report in reports)
    return max(counts, key=lambda pk: (counts[pk], pk)) if counts else None


def _info(row: Indicator) -> IndicatorInfo:
    return IndicatorInfo(
        code=row.code if not row.is_heading else "",
        stt=row.stt,
        label=row.label,
        unit=row.unit,
        value_type=row.value_type,
        choices=tuple(tuple(choice) for choice in row.choices),
        level=row.level,
        appendix=row.appendix.name,
    )


def _ordered_infos(rows: list[Indicator], primary_id: int | None) -> list[IndicatorInfo]:
    """The main version's rows in print order, then codes only other versions have."""
    ordered = sorted(
        rows,
        key=lambda r: (
            r.appendix.version_id != primary_id,
            -r.appendix.version_id,
            r.appendix.position,
            r.position,
        ),
    )
    infos, seen = [], set()
    for row in ordered:
        if row.is_heading:
            if row.appendix.version_id == primary_id:
                infos.append(_info(row))
        elif row.code not in seen:
            seen.add(row.code)
            infos.append(_info(row))
    return infos


def indicator_values_for_period(
    *, province: Unit, period: Period, codes: list[str] | None = None, report_ids=None
) -> PeriodValues:
    """The counted reports of the province for the period and their indicator values, grouped
    by indicator code (reports of a period may be filed on different template versions).
    `codes` limits the values read (none for []), not the indicators listed; `report_ids`
    names the reports instead (the province compilation's own choice of revisions)."""
    if report_ids is None:
        reports = counted_reports(province=province, period=period)
    else:
        reports = list(
            Report.objects.filter(pk__in=list(report_ids)).only(
                "id", "unit_id", "template_version_id"
            )
        )
    primary = _primary_version(reports)
    rows = list(
        Indicator.objects.filter(
            appendix__version_id__in={r.template_version_id for r in reports},
            appendix__kind=AppendixKind.INDICATORS,
        ).select_related("appendix")
    )
    types = all_types = {row.pk: (row.code, row.value_type) for row in rows if not row.is_heading}
    stored = IndicatorValue.objects.filter(report_id__in=[r.pk for r in reports])
    if codes is not None:
        types = {pk: kind for pk, kind in types.items() if kind[0] in codes}
        stored = stored.filter(indicator_id__in=list(types))
    values = defaultdict(dict)
    columns = ("report_id", "indicator_id", "number", "text", "date", "not_applicable")
    for report_id, indicator_id, number, text, date, na in stored.values_list(*columns):
        code, value_type = types.get(indicator_id, ("", ValueType.HEADING))
        value = from_columns(value_type, number, text, date, na) if code else None
        if value is not None:
            values[code][report_id] = value
    return PeriodValues(
        province=province,
        period=period,
        reports=reports,
        indicators=_ordered_infos(rows, primary),
        values=dict(values),
        primary_version_id=primary,
        types=all_types,
    )


# --- aggregates ------------------------------------------------------------------------------


def is_number(value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


@dataclass(frozen=True)
class Entry:
    """A counted report's value of one indicator (the drill-down's rows and chart)."""

    report: Report
    value: object
    text: str  # the value as printed


@dataclass(frozen=True)
class Aggregate:
    """One indicator across the departments: the sum of counts; for percentages no sum but
    min, max and median; for code lists how many chose each code. Read from the stored
    aggregates (review.aggregates)."""

    indicator: IndicatorInfo
    reported: int  # departments with a value, "/" included
    not_applicable: int
    number_count: int = 0  # values that are numbers
    number_sum: object = None
    minimum: object = None
    maximum: object = None
    median: object = None
    counts: dict = field(default_factory=dict)  # code lists: code -> how many chose it
    previous: "Aggregate | None" = None

    @property
    def total(self):
        return self.number_sum if self.number_count and self.indicator.is_summed else None

    @property
    def choice_counts(self) -> list[tuple[str, int]]:
        return [(label, self.counts.get(code, 0)) for code, label in self.indicator.choices]

    # Display, in the Vietnamese number format of the reports.
    def _shown(self, value) -> str:
        if value is None:
            return ""
        if self.indicator.value_type == ValueType.PERCENT:
            return format_value(ValueType.PERCENT, Decimal(value).quantize(Decimal("0.01")))
        return self.indicator.display(value)

    @property
    def total_text(self) -> str:
        return self._shown(self.total)

    @property
    def minimum_text(self) -> str:
        return self._shown(self.minimum)

    @property
    def maximum_text(self) -> str:
        return self._shown(self.maximum)

    @property
    def median_text(self) -> str:
        return self._shown(self.median)

    @property
    def choice_text(self) -> str:
        return "; ".join(f"{label}: {count}" for label, count in self.choice_counts)

    @property
    def summary(self) -> str:
        """The aggregate as one line: the sum, the spread of rates, or the codes chosen."""
        if self.indicator.is_summed:
            return self.total_text
        if self.indicator.value_type == ValueType.PERCENT and self.number_count:
            return _("nhỏ nhất %(min)s · lớn nhất %(max)s · trung vị %(median)s") % {
                "min": self.minimum_text,
                "max": self.maximum_text,
                "median": self.median_text,
            }
        if self.indicator.value_type == ValueType.CHOICE and self.number_count:
            return self.choice_text
        return ""


# --- repeating tables, for the roll-up -------------------------------------------------------


@dataclass(frozen=True)
class ColumnInfo:
    code: str
    header: str
    group: str
    number: str
    value_type: str
    choices: tuple


@dataclass
class TableInfo:
    """A repeating table grouped by appendix code across versions, all departments' rows."""

    code: str
    name: str
    title: str
    has_total_row: bool
    columns: list[ColumnInfo]
    rows: list[tuple[Report, dict]]  # (report, {column code: canonical value})
    totals: dict | None = None  # column code -> sum of a whole-number or decimal column


def _table_infos(appendices: list[Appendix], primary_id) -> dict[str, TableInfo]:
    ordered = sorted(
        appendices, key=lambda a: (a.version_id != primary_id, -a.version_id, a.position)
    )
    tables = {}
    for appendix in ordered:
        table = tables.setdefault(
            appendix.code,
            TableInfo(appendix.code, appendix.name, appendix.title, appendix.has_total_row, [], []),
        )
        known = {c.code for c in table.columns}
        table.columns += [
            ColumnInfo(
                c.code, c.header, c.group, c.number, c.value_type, tuple(map(tuple, c.choices))
            )
            for c in appendix.columns.all()
            if c.code not in known
        ]
    return tables


def period_tables(values: PeriodValues) -> list[TableInfo]:
    """The repeating tables of the counted reports, rows stacked department by department."""
    appendices = list(
        Appendix.objects.filter(
            version_id__in={r.template_version_id for r in values.reports},
            kind=AppendixKind.TABLE,
        ).prefetch_related("columns")
    )
    tables = _table_infos(appendices, values.primary_version_id)
    by_id = {a.pk: a for a in appendices}
    columns = {a.pk: {c.code: c for c in a.columns.all()} for a in appendices}
    stored = (
        TableRow.objects.filter(
            report_id__in=[r.pk for r in values.reports],
            appendix_id__in=list(by_id),
            is_total=False,
        )
        .order_by("position")
        .values_list("report_id", "appendix_id", "cells")
    )
    rows = defaultdict(list)
    for report_id, appendix_id, cells in stored:
        rows[(by_id[appendix_id].code, report_id)].append(
            cells_from_json(columns[appendix_id], cells)
        )
    for table in tables.values():
        table.rows = [(r, cells) for r in values.reports for cells in rows[(table.code, r.pk)]]
        table.totals = _column_totals(
            values.reports, [a.pk for a in appendices if a.code == table.code], table.columns
        )
    return list(tables.values())


# Sums of up to XLSX_MAX_ROWS values below 10^14 each fit in 30 digits.
_SUM_FIELD = DecimalField(max_digits=30, decimal_places=NUMBER_DECIMAL_PLACES)


def _column_totals(reports, appendix_ids, columns) -> dict:
    """column code -> the sum of the column over the reports' rows (None when no row has a
    number), computed in SQL over the typed JSON cells; "/" is not summed."""
    summed = [c.code for c in columns if c.value_type in SUMMED_TYPES]
    if not summed:
        return {}
    sums = {
        code: Sum(
            Case(
                When(
                    ~Q(**{f"cells__{code}": NA_MARK}),
                    then=Cast(KeyTextTransform(code, "cells"), _SUM_FIELD),
                ),
                output_field=_SUM_FIELD,
            )
        )
        for code in summed
    }
    return TableRow.objects.filter(
        report_id__in=[r.pk for r in reports], appendix_id__in=appendix_ids, is_total=False
    ).aggregate(**sums)


# --- deadline reminders ----------------------------------------------------------------------


def periods_due(*, today: datetime.date, days: int):
    """Open periods whose deadline falls between today and `days` days from now."""
    return Period.objects.filter(
        is_open=True, deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days)
    ).order_by("deadline")


def _not_submitted(units, period: Period):
    """The units without a submitted report for the period: none, a draft or a returned one."""
    submitted = Report.objects.filter(
        period=period, kind__code=DASHBOARD_KIND, state__in=SUBMITTED_STATES
    )
    return units.exclude(pk__in=submitted.values("unit_id"))


def people_to_remind(*, period: Period, today: datetime.date) -> list[User]:
    """Active staff and leaders of every unit existing today and during the period that has
    not submitted its report for it."""
    units = _not_submitted(Unit.objects.reporting().active_on(today).active_during(period), period)
    return list(department_people(units).order_by("pk"))


@dataclass(frozen=True)
class LatePeriod:
    period: Period
    units: list[Unit]  # by name
    days: int  # past the deadline


def late_units(*, province: Unit, today: datetime.date) -> list[LatePeriod]:
    """For each open period whose deadline has passed, the province's units (existing today)
    that have not submitted their report for it."""
    late = []
    for period in Period.objects.filter(is_open=True, deadline__lt=today).order_by("deadline"):
        units = reporting_units(province=province, period=period).active_on(today)
        units = list(_not_submitted(units, period).order_by("name"))
        if units:
            late.append(LatePeriod(period, units, (today - period.deadline).days))
    return late
