"""Scores suggested from the unit's approved year report: a criterion's expression in the rule
language (docs/rules.md), read over that report's values. A condition gives full points when it
holds, none when not; a number is the share of the points (clamped to 0..1), rounded to 0,01."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from indicators.derived import compiled_rules
from indicators.models import Indicator
from indicators.rules import RuleCompileError, compile_score
from lib.periods import PeriodKind
from org.models import Unit
from reports.access import PROVINCE_KIND
from reports.models import Report, ReportState
from reports.validation import value_set

from .models import Criterion

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Suggestion:
    points: Decimal | None
    seen: dict = field(default_factory=dict)  # code -> value read from the report
    notice: str = ""  # why there is no suggestion
    names: dict = field(default_factory=dict)  # code -> the indicator's label in the report

    @property
    def sources(self) -> str:
        return "; ".join(
            f"{self.names[code]} ({code}) = {_shown(value)}"
            if code in self.names
            else f"{code} = {_shown(value)}"
            for code, value in self.seen.items()
        )


def _shown(value) -> str:
    if value is None:
        return "(trống)"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


def approved_year_report(unit: Unit, year: int) -> Report | None:
    """The unit's (or its predecessors') approved year report of `year`, latest revision."""
    return (
        Report.objects.filter(
            unit__in=unit.lineage(),
            period__kind=PeriodKind.YEAR,
            period__year=year,
            state=ReportState.APPROVED,
        )
        .exclude(kind__code=PROVINCE_KIND)
        .select_related("template_version")
        .order_by("-revision", "-pk")
        .first()
    )


def points_for(value, max_points: Decimal) -> Decimal:
    if value is True:
        return max_points
    if value is False:
        return Decimal(0)
    share = min(max(Decimal(value), Decimal(0)), Decimal(1))
    return (max_points * share).quantize(CENT, rounding=ROUND_HALF_UP)


def suggest(criteria: list[Criterion], report: Report | None) -> dict[int, Suggestion]:
    """criterion id -> Suggestion, for the criteria that carry an expression."""
    with_expression = [c for c in criteria if c.expression]
    if not with_expression:
        return {}
    if report is None:
        missing = Suggestion(None, notice="Chưa có báo cáo năm đã được duyệt để gợi ý điểm.")
        return {c.pk: missing for c in with_expression}
    schema = compiled_rules(report.template_version).schema
    values = value_set(report)
    names = dict(
        Indicator.objects.filter(appendix__version=report.template_version)
        .exclude(code="")
        .values_list("code", "label")
    )
    out = {}
    for criterion in with_expression:
        try:
            program = compile_score(criterion.expression, schema)
        except RuleCompileError as exc:
            notice = "Không tính được từ mẫu báo cáo của đơn vị: " + "; ".join(
                p.message for p in exc.problems
            )
            out[criterion.pk] = Suggestion(None, notice=notice)
            continue
        value, seen, notice = program.evaluate(values)
        if value is None:
            out[criterion.pk] = Suggestion(None, seen, notice or "Thiếu số liệu.", names)
        else:
            points = points_for(value, criterion.max_points)
            out[criterion.pk] = Suggestion(points, seen, names=names)
    return out
