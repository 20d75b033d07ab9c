"""Results of a year: each unit's totals (self-assessed, appraised), per field, the rank within
the unit kind as a decision ranks (equal totals share a rank and the next rank skips: 1, 2, 2,
4), and the change from last year. Only finalised assessments are ranked."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Prefetch

from org.models import Unit

from .models import Assessment, AssessmentState, CriteriaSet, Score


@dataclass
class Row:
    unit: Unit
    assessment: Assessment | None
    self_total: Decimal | None = None
    appraised_total: Decimal | None = None
    fields: dict = field(default_factory=dict)  # field code -> appraised (or self) points
    rank: int | None = None
    last_year: Decimal | None = None

    @property
    def state_label(self) -> str:
        if self.assessment is None:
            return "Chưa tự chấm"
        return self.assessment.get_state_display()

    @property
    def change(self) -> Decimal | None:
        if self.appraised_total is None or self.last_year is None:
            return None
        return self.appraised_total - self.last_year


@dataclass
class Results:
    criteria_set: CriteriaSet
    fields: list  # (code, title, max points)
    rows: list[Row]

    @property
    def ranked(self) -> int:
        return sum(1 for r in self.rows if r.rank is not None)

    def row_of(self, unit: Unit) -> Row | None:
        lineage = set(unit.lineage().values_list("pk", flat=True))
        return next((r for r in self.rows if r.unit.pk in lineage), None)


def competition_ranks(totals: list[Decimal]) -> list[int]:
    """Ranks for `totals` in their order: the best is 1, equal totals share a rank, the next
    rank skips as many places as shared it (1, 2, 2, 4)."""
    ordered = sorted(totals, reverse=True)
    first = {}
    for position, total in enumerate(ordered, start=1):
        first.setdefault(total, position)
    return [first[total] for total in totals]


def _assessments(province: Unit, year: int, unit_kind: str):
    scores = Score.objects.select_related("criterion__field")
    return (
        Assessment.objects.filter(
            criteria_set__province=province,
            criteria_set__year=year,
            criteria_set__unit_kind=unit_kind,
        )
        .select_related("unit", "criteria_set")
        .prefetch_related(Prefetch("scores", queryset=scores))
    )


def _totals(assessment: Assessment):
    self_total = sum((s.self_score or 0 for s in assessment.scores.all()), Decimal(0))
    finalised = assessment.state == AssessmentState.FINALISED
    appraised = (
        sum((s.appraised_score or 0 for s in assessment.scores.all()), Decimal(0))
        if finalised
        else None
    )
    per_field = {}
    for s in assessment.scores.all():
        value = s.appraised_score if finalised else s.self_score
        code = s.criterion.field.code
        per_field[code] = per_field.get(code, Decimal(0)) + (value or 0)
    return self_total, appraised, per_field


def year_results(criteria_set: CriteriaSet) -> Results:
    province, year, kind = criteria_set.province, criteria_set.year, criteria_set.unit_kind
    window = SimpleNamespace(
        window_start=datetime.date(year, 1, 1), window_end=datetime.date(year, 12, 31)
    )
    units = list(
        Unit.objects.filter(province__in=province.lineage(), kind=kind)
        .active_during(window)
        .order_by("name")
    )
    by_unit = {a.unit_id: a for a in _assessments(province, year, kind)}
    # A unit merged into another during the year is scored as its successor, unless it was
    # scored itself.
    units = [u for u in units if u.successor_id is None or u.pk in by_unit]
    for assessment in by_unit.values():  # an assessment of a unit closed since
        if assessment.unit not in units:
            units.append(assessment.unit)
    last_year = {}
    for a in _assessments(province, year - 1, kind).filter(state=AssessmentState.FINALISED):
        last_year[a.unit_id] = _totals(a)[1]
    rows = []
    for unit in units:
        assessment = by_unit.get(unit.pk)
        row = Row(unit=unit, assessment=assessment)
        if assessment is not None:
            row.self_total, row.appraised_total, row.fields = _totals(assessment)
        row.last_year = next((last_year[pk] for pk in _lineage_ids(unit) if pk in last_year), None)
        rows.append(row)
    ranked = [r for r in rows if r.appraised_total is not None]
    for row, rank in zip(
        ranked, competition_ranks([r.appraised_total for r in ranked]), strict=True
    ):
        row.rank = rank
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.name))
    fields = [(f.code, f.title, f.max_points) for f in criteria_set.fields.all()]
    return Results(criteria_set, fields, rows)


def _lineage_ids(unit: Unit) -> list[int]:
    return list(unit.lineage().values_list("pk", flat=True))
