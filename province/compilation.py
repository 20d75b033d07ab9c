"""Reads for the province's own report: which department reports it is compiled from, the
values its template's aggregation expressions give over them, what changed since it was
compiled, each value's per-department breakdown and the departments' texts per section.

Department values are read through dashboard.indicator_values_for_period, the one read of a
period's values; the aggregation language is indicators.rules.aggregate.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from indicators.models import Indicator, ReportKind
from indicators.rule_checks import department_schema
from indicators.rules import RuleCompileError, Schema
from indicators.rules.aggregate import CompiledAggregate, UnitValues, compile_aggregate
from indicators.types import ValueType
from indicators.values import format_value
from lib.html import sanitize_html
from org.models import Unit
from reports.access import is_province_report
from reports.models import NarrativeSection, Period, Report, ReportState
from reports.models.reports import UNDER_REVIEW
from review.dashboard import DashboardRow, dashboard_rows, indicator_values_for_period

INCLUDED, NOT_APPROVED, MISSING = "included", "not_approved", "missing"
SOURCE_LABELS = {
    INCLUDED: "Đã tổng hợp",
    NOT_APPROVED: "Chưa duyệt, không tổng hợp",
    MISSING: "Chưa gửi báo cáo",
}


@dataclass(frozen=True)
class Source:
    """A reporting unit of the province, and whether its report went into the compilation."""

    unit_id: int
    unit: str
    report_id: int | None
    revision: int | None
    state: str  # a ReportState, or "missing"
    status: str  # INCLUDED / NOT_APPROVED / MISSING
    days_late: int
    reopened: bool  # a newer revision is being drafted since this one was approved

    @property
    def status_label(self) -> str:
        return SOURCE_LABELS[self.status]

    @property
    def state_label(self) -> str:
        return dict(ReportState.choices).get(self.state, "Chưa lập")

    def as_json(self) -> dict:
        return {**self.__dict__, "state": str(self.state), "state_label": str(self.state_label)}


def _counts(row: DashboardRow, include_submitted: bool) -> bool:
    if row.state == ReportState.APPROVED:
        return True
    return include_submitted and row.state in UNDER_REVIEW


def province_sources(
    *, province: Unit, period: Period, include_submitted: bool = False
) -> list[Source]:
    """Every reporting unit of the province for the period: its counted report (approved, or
    also under review with `include_submitted`), or why it is left out."""
    rows = dashboard_rows(province=province, period=period)
    latest = dict(
        Report.objects.filter(period=period, kind__code=ReportKind.DEFAULT_CODE)
        .order_by("unit_id", "revision")
        .values_list("unit_id", "revision")
    )
    sources = []
    for row in rows:
        report = row.report
        if report is None:
            status = MISSING
        else:
            status = INCLUDED if _counts(row, include_submitted) else NOT_APPROVED
        sources.append(
            Source(
                unit_id=row.unit.pk,
                unit=row.unit.display_name,
                report_id=report.pk if report else None,
                revision=report.revision if report else None,
                state=row.state,
                status=status,
                days_late=row.days_late or row.days_overdue,
                reopened=bool(report and latest.get(row.unit.pk, 0) > report.revision),
            )
        )
    return sources


def fingerprint(*, province: Unit, period: Period) -> list[list]:
    """Every department report of the period as [id, revision, state]: any reopening,
    submission or approval since the compilation changes it."""
    return [
        list(row)
        for row in Report.objects.filter(
            period=period,
            kind__code=ReportKind.DEFAULT_CODE,
            unit__province__in=province.lineage(),
        )
        .order_by("pk")
        .values_list("pk", "revision", "state")
    ]


# --- computing ---------------------------------------------------------------------------------


@dataclass
class Computed:
    indicator: Indicator
    value: object  # canonical value for the province indicator's type, None when nothing
    problem: str = ""  # the expression does not compile against the departments' codes
    references: tuple = ()

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        return format_value(self.indicator.value_type, self.value, choices=self.indicator.choices)


@dataclass
class Computation:
    sources: list[Source]
    values: dict[str, Computed] = field(default_factory=dict)
    data: UnitValues | None = None


def compiled_indicators(report: Report) -> list[Indicator]:
    """The report's indicators that have an aggregation expression, in print order."""
    return list(
        Indicator.objects.filter(appendix__version_id=report.template_version_id)
        .exclude(aggregate="")
        .select_related("appendix")
        .order_by("appendix__position", "position")
    )


def _schema(province: Unit, infos) -> Schema:
    types = dict(department_schema(province.pk).indicators)
    types.update({i.code: i.value_type for i in infos if i.code and not i.is_heading})
    return Schema(indicators=types)


def province_value(value_type: str, number: Decimal | None):
    """A computed number as the province indicator's type stores it."""
    if number is None:
        return None
    if value_type == ValueType.INTEGER:
        return int(number.to_integral_value(rounding=ROUND_HALF_UP))
    places = Decimal("0.01")
    return number.quantize(places, rounding=ROUND_HALF_UP)


def compute(
    report: Report, *, include_submitted: bool = False, indicators=None, sources=None
) -> Computation:
    """The values the report's aggregation expressions give over the included department
    reports, now."""
    province, period = report.unit, report.period
    if sources is None:
        sources = province_sources(
            province=province, period=period, include_submitted=include_submitted
        )
    included = [s.report_id for s in sources if s.status == INCLUDED]
    period_values = indicator_values_for_period(province=province, period=period)
    data = UnitValues(report_ids=included, values=period_values.values)
    schema = _schema(province, period_values.indicators)
    result = Computation(sources=sources, data=data)
    for indicator in indicators if indicators is not None else compiled_indicators(report):
        try:
            compiled: CompiledAggregate = compile_aggregate(indicator.aggregate, schema)
        except RuleCompileError as exc:
            problem = "; ".join(p.message for p in exc.problems)
            result.values[indicator.code] = Computed(indicator, None, problem)
            continue
        value = province_value(indicator.value_type, compiled.evaluate(data))
        result.values[indicator.code] = Computed(
            indicator, value, references=tuple(sorted(compiled.references))
        )
    return result


def stored_text(value_type: str, value) -> str:
    """How a compiled value is kept in Compilation.values (JSON): its plain number."""
    return "" if value is None else str(value)


# --- what changed since the compilation ---------------------------------------------------------


@dataclass(frozen=True)
class Change:
    code: str
    label: str
    before: str
    after: str
    overridden: bool


def is_stale(report: Report) -> bool:
    compilation = getattr(report, "compilation", None)
    if compilation is None:
        return False
    return compilation.sources_fingerprint != fingerprint(
        province=report.unit, period=report.period
    )


def pending_changes(report: Report) -> tuple[list[Change], list[Source]]:
    """What recompiling would change: the values, and the sources whose status would differ."""
    compilation = report.compilation
    now = compute(report, include_submitted=compilation.include_submitted)
    overridden = set(report.overrides.values_list("code", flat=True))
    changes = []
    for code, computed in now.values.items():
        before = compilation.values.get(code, {}).get("value", "")
        after = stored_text(computed.indicator.value_type, computed.value)
        if before != after:
            changes.append(
                Change(
                    code,
                    computed.indicator.label,
                    _shown(computed.indicator, before),
                    computed.text,
                    code in overridden,
                )
            )
    old = {(s["unit_id"], s["report_id"], s["status"]) for s in compilation.sources}
    moved = [s for s in now.sources if (s.unit_id, s.report_id, s.status) not in old]
    return changes, moved


def _shown(indicator: Indicator, text: str) -> str:
    if not text:
        return ""
    value = province_value(indicator.value_type, Decimal(text))
    return format_value(indicator.value_type, value, choices=indicator.choices)


# --- per-department breakdown ------------------------------------------------------------------


@dataclass(frozen=True)
class BreakdownRow:
    unit: str
    report_id: int
    cells: list[str]  # the referenced codes' values, formatted


def breakdown(report: Report, indicator: Indicator) -> tuple[list[str], list[BreakdownRow]]:
    """The departments' values behind one compiled value, as compiled: the codes its
    expression reads (column heads) and one row per included department."""
    compilation = report.compilation
    included = [s for s in compilation.sources if s["status"] == INCLUDED]
    period_values = indicator_values_for_period(province=report.unit, period=report.period)
    schema = _schema(report.unit, period_values.indicators)
    try:
        codes = sorted(compile_aggregate(indicator.aggregate, schema).references)
    except RuleCompileError:
        codes = []
    infos = {i.code: i for i in period_values.indicators if i.code}
    rows = []
    for source in included:
        cells = []
        for code in codes:
            value = period_values.values.get(code, {}).get(source["report_id"])
            cells.append(infos[code].display(value) if code in infos and value is not None else "")
        rows.append(BreakdownRow(source["unit"], source["report_id"], cells))
    return codes, rows


# --- narrative sources -------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    unit: str
    report_id: int
    html: str  # sanitised again on output: stored text from another report


def section_sources(report: Report) -> dict[str, list[Passage]]:
    """outline code -> the included departments' texts for that section, by department."""
    compilation = getattr(report, "compilation", None)
    if compilation is None or not is_province_report(report):
        return {}
    names = {s["report_id"]: s["unit"] for s in compilation.sources if s["status"] == INCLUDED}
    sections = (
        NarrativeSection.objects.filter(report_id__in=list(names))
        .exclude(content="")
        .select_related("outline")
        .order_by("outline__position", "report__unit__name")
    )
    passages: dict[str, list[Passage]] = {}
    for section in sections:
        html = sanitize_html(section.content)
        if html.strip():
            passages.setdefault(section.outline.code, []).append(
                Passage(names[section.report_id], section.report_id, html)
            )
    return passages
