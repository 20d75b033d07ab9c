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
from reports.models import IndicatorValue, NarrativeSection, Period, Report, ReportState
from reports.models.reports import UNDER_REVIEW
from review.dashboard import dashboard_rows, indicator_values_for_period

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
    report_id: int | None  # the counted revision when included, else the latest one shown
    revision: int | None
    state: str  # a ReportState, or "missing"
    status: str  # INCLUDED / NOT_APPROVED / MISSING
    days_late: int
    reopened: bool  # a newer revision is being drafted or reviewed since this one was approved
    at_end: bool = True  # in force at the period's end: its stock figures count
    closed_on: str = ""  # ISO date the unit was closed during the period
    successor: str = ""  # the unit that took over, when closed
    note: str = ""  # why this revision, or what to mind (Vietnamese)

    @property
    def status_label(self) -> str:
        return SOURCE_LABELS[self.status]

    @property
    def state_label(self) -> str:
        return dict(ReportState.choices).get(self.state, "Chưa lập")

    def as_json(self) -> dict:
        return {**self.__dict__, "state": str(self.state), "state_label": str(self.state_label)}

    @classmethod
    def from_json(cls, data: dict) -> "Source":
        names = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in names})


def counted_states(include_submitted: bool) -> set[str]:
    states = {ReportState.APPROVED}
    return states | set(UNDER_REVIEW) if include_submitted else states


def _latest_revisions(period: Period, unit_ids) -> dict[int, list[Report]]:
    """unit id -> its reports of the period, newest revision first (one query)."""
    by_unit: dict[int, list[Report]] = {}
    reports = (
        Report.objects.filter(
            period=period, kind__code=ReportKind.DEFAULT_CODE, unit_id__in=list(unit_ids)
        )
        .only("id", "unit_id", "revision", "state", "template_version_id")
        .order_by("unit_id", "-revision")
    )
    for report in reports:
        by_unit.setdefault(report.unit_id, []).append(report)
    return by_unit


def province_sources(
    *, province: Unit, period: Period, include_submitted: bool = False
) -> list[Source]:
    """Every reporting unit of the province for the period with the revision that counts: its
    latest approved one, also while a newer revision is drafted or reviewed (with
    `include_submitted`, the latest approved or under review), or why it is left out. A unit
    closed before the period's end is marked: its stock figures give way to its successor's."""
    rows = dashboard_rows(province=province, period=period)
    revisions = _latest_revisions(period, [row.unit.pk for row in rows])
    names = {row.unit.pk: row.unit.display_name for row in rows}
    states = counted_states(include_submitted)
    sources = []
    for row in rows:
        unit = row.unit
        reports = revisions.get(unit.pk, [])
        counted = next((r for r in reports if r.state in states), None)
        latest = reports[0] if reports else None
        closed = unit.valid_to is not None and unit.valid_to < period.window_end
        successor = names.get(unit.successor_id, "") if closed else ""
        note = ""
        if counted is not None and latest.revision > counted.revision:
            doing = "thẩm định" if latest.state in UNDER_REVIEW else "lập lại"
            note = (
                f"Lần {latest.revision} đang {doing}; tổng hợp lần {counted.revision} "
                f"({counted.get_state_display().lower()})."
            )
        if closed:
            note = " ".join(
                filter(
                    None,
                    [
                        note,
                        f"Thôi hoạt động từ {unit.valid_to:%d/%m/%Y}"
                        + (f", kế thừa: {successor}" if successor else "")
                        + "; số liệu thời kỳ được cộng, số liệu thời điểm không tính.",
                    ],
                )
            )
        shown = counted or row.report
        if counted is not None:
            status = INCLUDED
        elif row.report is not None:  # a draft is not shown to Sở Nội vụ
            status = NOT_APPROVED
        else:
            status = MISSING
        sources.append(
            Source(
                unit_id=unit.pk,
                unit=unit.display_name,
                report_id=shown.pk if shown else None,
                revision=shown.revision if shown else None,
                state=counted.state if counted else row.state,
                status=status,
                days_late=row.days_late or row.days_overdue,
                reopened=bool(counted and latest.revision > counted.revision),
                at_end=not closed,
                closed_on=unit.valid_to.isoformat() if closed else "",
                successor=successor,
                note=note,
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
    report_ids: tuple = ()  # the department reports whose values made it
    overrides: tuple = ()  # the overridden province figures it was recomputed from

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        return format_value(self.indicator.value_type, self.value, choices=self.indicator.choices)

    def as_json(self) -> dict:
        return {
            "value": stored_text(self.indicator.value_type, self.value),
            "problem": self.problem,
            "reads": list(self.references),
            "reports": list(self.report_ids),
            "overrides": list(self.overrides),
        }


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


def overridden_figures(report: Report) -> dict[str, Decimal]:
    """code -> the number the report holds for each compiled value overridden by hand."""
    codes = list(report.overrides.values_list("code", flat=True))
    if not codes:
        return {}
    rows = IndicatorValue.objects.filter(report=report, indicator__code__in=codes).values_list(
        "indicator__code", "number"
    )
    return {code: Decimal(number) for code, number in rows if number is not None}


def compute(
    report: Report,
    *,
    include_submitted: bool = False,
    indicators=None,
    sources=None,
    overrides: dict[str, Decimal] | None = None,
) -> Computation:
    """The values the report's aggregation expressions give over the counted department
    reports, now (or over `sources`, e.g. as last compiled). Stock indicators (Timing) read only
    the units in force at the period's end. `overrides` (code -> the province's figure) replace
    the overridden indicators' expressions where other expressions use them."""
    province, period = report.unit, report.period
    if sources is None:
        sources = province_sources(
            province=province, period=period, include_submitted=include_submitted
        )
    included = [s for s in sources if s.status == INCLUDED and s.report_id]
    everyone = [s.report_id for s in included]
    at_end = [s.report_id for s in included if s.at_end]
    period_values = indicator_values_for_period(
        province=province, period=period, report_ids=everyone
    )
    data = UnitValues(report_ids=everyone, values=period_values.values)
    schema = _schema(province, period_values.indicators)
    result = Computation(sources=sources, data=data)
    indicators = indicators if indicators is not None else compiled_indicators(report)
    compiled: dict[str, CompiledAggregate] = {}
    for indicator in indicators:
        try:
            compiled[indicator.code] = compile_aggregate(indicator.aggregate, schema)
        except RuleCompileError as exc:
            problem = "; ".join(p.message for p in exc.problems)
            result.values[indicator.code] = Computed(indicator, None, problem)
    keyed = {
        compiled[code].key: (code, number)
        for code, number in (overrides or {}).items()
        if code in compiled
    }
    for indicator in indicators:
        aggregate = compiled.get(indicator.code)
        if aggregate is None:
            continue
        # Not its own override, nor a twin's (the same expression on another row).
        replacing = {key: number for key, (_code, number) in keyed.items() if key != aggregate.key}
        unit_data = UnitValues(
            report_ids=at_end if indicator.is_stock else everyone,
            values=period_values.values,
            overrides=replacing,
        )
        value = province_value(indicator.value_type, aggregate.evaluate(unit_data))
        used_overrides = tuple(
            sorted(keyed[key][0] for key in replacing.keys() & aggregate.mentions)
        )
        result.values[indicator.code] = Computed(
            indicator,
            value,
            references=tuple(sorted(aggregate.references)),
            report_ids=tuple(sorted(unit_data.used)),
            overrides=used_overrides,
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
    now = compute(
        report,
        include_submitted=compilation.include_submitted,
        overrides=overridden_figures(report),
    )
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
    revision: int | None = None
    used: bool = True  # its values made the compiled value
    reason: str = ""  # why not, when not


def breakdown(report: Report, indicator: Indicator) -> tuple[list[str], list[BreakdownRow]]:
    """The departments' values behind one compiled value, as compiled: the codes its
    expression reads (column heads) and one row per included department, first those whose
    revision made the value, then the others with why they did not count."""
    compilation = report.compilation
    stored = compilation.values.get(indicator.code, {})
    included = [s for s in compilation.sources if s["status"] == INCLUDED]
    used = set(stored.get("reports", [s["report_id"] for s in included]))
    period_values = indicator_values_for_period(
        province=report.unit, period=report.period, report_ids=[s["report_id"] for s in included]
    )
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
        counted = source["report_id"] in used
        reason = ""
        if not counted:
            if indicator.is_stock and not source.get("at_end", True):
                reason = "Thôi hoạt động trước cuối kỳ: số liệu thời điểm lấy theo đơn vị kế thừa."
            else:
                reason = "Không tính: thiếu số liệu (để trống hoặc “/”)."
        rows.append(
            BreakdownRow(
                source["unit"], source["report_id"], cells, source.get("revision"), counted, reason
            )
        )
    rows.sort(key=lambda row: not row.used)
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
