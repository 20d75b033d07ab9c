"""Stored indicator aggregates: the dashboard's "Tổng hợp chỉ tiêu" table read from one row per
indicator code (PeriodAggregate, IndicatorAggregate) instead of every department's value.

The aggregates are computed in SQL (GROUP BY indicator code over IndicatorValue's typed
columns; the median from ROW_NUMBER() windows, which PostgreSQL and SQLite both have), so a
refresh converts a few values per indicator, not 300,000. The dashboard, the drill-down and the
roll-up read them; the tests check them against a computation of their own over every value
(tests/review/oracle.py).

Freshness: a derived kind stored in the database (lib.derived.Stored, AGGREGATES below). A
stored set carries the stamp of the province's submitted reports for the period (how many, the
sum of their ids, the last `updated_at`). Every change to which reports count or to a counted
report's values goes through a report's state or its template version, both of which save the
report and move `updated_at`; a province merger changes the set of reports. A read that finds
no set with the current stamp computes and stores it again, so the dashboard is right even when
the renewal queued when a report moved (review.receivers) has not run yet.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Aggregate as Aggregate_
from django.db.models import Count, F, Max, Min, Q, Sum, Window
from django.db.models.functions import RowNumber

from indicators.models import AppendixKind, Indicator
from indicators.types import ValueType
from lib.derived import Stored, stamp
from org.models import Unit
from reports.models import SUBMITTED_STATES, IndicatorValue, Period, Report
from reports.values import NUMBER_TYPES

from .dashboard import (
    DASHBOARD_KIND,
    Aggregate,
    Entry,
    IndicatorInfo,
    _ordered_infos,
    indicator_values_for_period,
    previous_period_of,
)
from .models import IndicatorAggregate, PeriodAggregate


def _submitted(province: Unit, period: Period):
    """The province's reports of the period that may count (any revision)."""
    return Report.objects.filter(
        period=period,
        kind__code=DASHBOARD_KIND,
        state__in=SUBMITTED_STATES,
        unit__province__in=province.lineage(),  # a subquery, no query of its own
    )


def _counted(submitted) -> dict[int, int]:
    """counted_reports, lean: report id -> template version of each unit's latest submitted
    revision (one small row per report; the values are then read by report id, which the
    planner handles better than an anti-join)."""
    latest = {}
    rows = submitted.order_by("unit_id", "-revision").values_list(
        "unit_id", "id", "template_version_id"
    )
    for unit_id, report_id, version_id in rows:
        latest.setdefault(unit_id, (report_id, version_id))
    return dict(latest.values())


def _stamp(submitted) -> str:
    seen = submitted.order_by().aggregate(n=Count("id"), ids=Sum("id"), last=Max("updated_at"))
    return stamp(seen["n"], seen["ids"] or 0, seen["last"])


# --- computing -------------------------------------------------------------------------------

_PRESENT = (
    Q(not_applicable=True)
    | Q(indicator__value_type__in=NUMBER_TYPES, number__isnull=False)
    | Q(indicator__value_type=ValueType.DATE, date__isnull=False)
    | (~Q(indicator__value_type__in=[*NUMBER_TYPES, ValueType.DATE]) & ~Q(text=""))
)  # from_columns gives a value (not None)
_NUMBER = Q(not_applicable=False, number__isnull=False, indicator__value_type__in=NUMBER_TYPES)


class _Middle(Aggregate_):
    """PostgreSQL's percentile_disc(0.5): the lower middle value in ascending order, the upper
    middle one in descending order (the same value for an odd count)."""

    function = "percentile_disc"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s %(direction)s)"

    def __init__(self, expression, *, descending=False, **extra):
        super().__init__(expression, direction="DESC" if descending else "ASC", **extra)


def _medians(numbers) -> dict[str, Decimal]:
    """code -> the median of its numbers: the middle one or the mean of the middle two, picked
    by ROW_NUMBER() in SQL (the ORM's window filters cannot compare two windows)."""
    code = F("indicator__code")
    ranked = numbers.annotate(
        code=code,
        rank=Window(RowNumber(), partition_by=code, order_by=F("number").asc()),
        size=Window(Count("id"), partition_by=code),
    ).values_list("code", "number", "rank", "size")
    sql, params = ranked.query.sql_with_params()
    middles = (
        f"SELECT code, number FROM ({sql}) ranked "  # noqa: S608 - the ORM's own SQL
        "WHERE rank >= (size + 1) / 2 AND rank <= (size + 2) / 2"
    )
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(middles, params)
        for code_, number in cursor.fetchall():
            found.setdefault(code_, []).append(_decimal(number))
    return {code_: sum(pair) / len(pair) for code_, pair in found.items()}


def _decimal(number) -> Decimal:
    # SQLite hands back its stored REAL; repr gives the shortest text that reads back the same.
    return number if isinstance(number, Decimal) else Decimal(repr(number))


def _choice_counts(numbers, codes: list[str]) -> dict[str, dict[str, int]]:
    counts = {}
    if not codes:
        return counts
    grouped = (
        numbers.filter(indicator__code__in=codes)
        .values_list("indicator__code", "number")
        .annotate(n=Count("id"))
        .order_by()
    )
    for code, number, n in grouped:
        counts.setdefault(code, {})
        key = str(canonical(number))
        counts[code][key] = counts[code].get(key, 0) + n
    return counts


def _indicator_rows(version_ids) -> list[Indicator]:
    return list(
        Indicator.objects.filter(
            appendix__version_id__in=version_ids, appendix__kind=AppendixKind.INDICATORS
        ).select_related("appendix")
    )


def _computed_rows(
    report_ids: list[int], version_ids, infos: list[IndicatorInfo]
) -> list[IndicatorAggregate]:
    if not version_ids:
        return []  # no counted report
    values = (
        IndicatorValue.objects.filter(
            report_id__in=report_ids,
            indicator__appendix__version_id__in=version_ids,
            indicator__appendix__kind=AppendixKind.INDICATORS,
        )
        .exclude(indicator__value_type=ValueType.HEADING)
        .exclude(indicator__code="")
        .order_by()
    )
    numbers = values.filter(_NUMBER)
    spread = {}
    if connection.vendor == "postgresql":  # one pass; other databases pick by ROW_NUMBER()
        spread = {
            "n_low": _Middle("number", filter=_NUMBER),
            "n_high": _Middle("number", descending=True, filter=_NUMBER),
        }
    grouped = list(
        values.values("indicator__code").annotate(
            # Names other than the columns', which the filters read.
            n_reported=Count("id", filter=_PRESENT),
            n_not_applicable=Count("id", filter=Q(not_applicable=True)),
            n_numbers=Count("id", filter=_NUMBER),
            n_total=Sum("number", filter=_NUMBER),
            n_minimum=Min("number", filter=_NUMBER),
            n_maximum=Max("number", filter=_NUMBER),
            **spread,
        )
    )
    types = {info.code: info.value_type for info in infos if not info.is_heading}
    if spread:
        medians = {
            row["indicator__code"]: (row["n_low"] + row["n_high"]) / 2
            for row in grouped
            if row["n_low"] is not None
        }
    else:
        medians = _medians(numbers)
    choices = _choice_counts(
        numbers, [code for code, kind in types.items() if kind == ValueType.CHOICE]
    )
    return [
        IndicatorAggregate(
            code=row["indicator__code"],
            value_type=types.get(row["indicator__code"], ""),
            reported=row["n_reported"],
            not_applicable=row["n_not_applicable"],
            number_count=row["n_numbers"],
            total=row["n_total"],
            minimum=row["n_minimum"],
            maximum=row["n_maximum"],
            median=medians.get(row["indicator__code"]),
            choice_counts=choices.get(row["indicator__code"], {}),
        )
        for row in grouped
    ]


@transaction.atomic
def aggregates_refresh(*, province: Unit, period: Period) -> PeriodAggregate:
    """Compute the province's aggregates for the period and store them in place of the old."""
    submitted = _submitted(province, period)
    fingerprint = _stamp(submitted)
    counted = _counted(submitted)
    by_version = Counter(counted.values())
    primary = max(by_version, key=lambda pk: (by_version[pk], pk)) if by_version else None
    version_ids = sorted(by_version)
    infos = _ordered_infos(_indicator_rows(version_ids), primary)
    stored, _created = PeriodAggregate.objects.update_or_create(
        province=province,
        period=period,
        defaults={
            "fingerprint": fingerprint,
            "report_count": sum(by_version.values()),
            "primary_version_id": primary,
            "version_ids": version_ids,
        },
    )
    stored.rows.all().delete()
    rows = _computed_rows(list(counted), version_ids, infos)
    for row in rows:
        row.set = stored
    IndicatorAggregate.objects.bulk_create(rows)
    return stored


def fresh_aggregates(*, province: Unit, period: Period) -> PeriodAggregate:
    """The stored aggregates, computed again first when missing or stale."""
    return AGGREGATES.get(
        (province.pk, period.pk),
        _stamp(_submitted(province, period)),
        lambda: aggregates_refresh(province=province, period=period),
    )


def _load(scope: tuple, fingerprint: str) -> PeriodAggregate | None:
    province_id, period_id = scope
    return PeriodAggregate.objects.filter(
        province_id=province_id, period_id=period_id, fingerprint=fingerprint
    ).first()


def _renew(scope: tuple) -> None:
    province_id, period_id = scope
    fresh_aggregates(
        province=Unit.objects.get(pk=province_id), period=Period.objects.get(pk=period_id)
    )


# A province's aggregates for a period, scope (province id, period id); renewed after a report
# moves (review.receivers), so the next dashboard view finds them computed.
AGGREGATES = Stored("review.aggregates", load=_load, renew=_renew)


# --- reading ---------------------------------------------------------------------------------


def canonical(number: Decimal | None):
    """A stored number as the values give it: whole numbers as int, others without trailing
    zeros (equal to the full computation's numbers, and printed the same)."""
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else number.normalize()


def stored_aggregate(
    info: IndicatorInfo, row: IndicatorAggregate | None, previous=None
) -> Aggregate:
    if row is None:
        return Aggregate(indicator=info, reported=0, not_applicable=0, previous=previous)
    return Aggregate(
        indicator=info,
        reported=row.reported,
        not_applicable=row.not_applicable,
        number_count=row.number_count,
        number_sum=canonical(row.total),
        minimum=canonical(row.minimum),
        maximum=canonical(row.maximum),
        median=canonical(row.median),
        counts={canonical(Decimal(k)): n for k, n in row.choice_counts.items()},
        previous=previous,
    )


@dataclass
class Aggregates:
    report_count: int  # counted reports of the period
    previous_period: Period | None
    rows: list  # IndicatorInfo for headings, Aggregate for indicators, in print order
    infos: list[IndicatorInfo]


def _rows_by_code(stored: PeriodAggregate) -> dict[str, IndicatorAggregate]:
    return {row.code: row for row in stored.rows.all()}


def indicator_aggregates(*, province: Unit, period: Period) -> Aggregates:
    """Each indicator of the period across the province's counted reports, with the previous
    period's aggregate of the same code beside it; a fixed number of queries and one row per
    indicator, whatever the number of departments."""
    stored = fresh_aggregates(province=province, period=period)
    infos = _ordered_infos(_indicator_rows(stored.version_ids), stored.primary_version_id)
    current = _rows_by_code(stored)
    previous = previous_period_of(period)
    before = {}
    if previous is not None:
        before = _rows_by_code(fresh_aggregates(province=province, period=previous))
    rows = [
        info
        if info.is_heading
        else stored_aggregate(
            info, current.get(info.code), stored_aggregate(info, before.get(info.code))
        )
        for info in infos
    ]
    return Aggregates(
        report_count=stored.report_count, previous_period=previous, rows=rows, infos=infos
    )


def aggregate_totals(*, province: Unit, period: Period) -> dict[str, object]:
    """code -> the stored sum of its numbers (None without numbers), for the roll-up."""
    stored = fresh_aggregates(province=province, period=period)
    return {
        row.code: canonical(row.total) if row.number_count else None for row in stored.rows.all()
    }


# --- one indicator, department by department -------------------------------------------------


@dataclass(frozen=True)
class Drilldown:
    indicator: IndicatorInfo
    entries: list[Entry]  # each counted report and its value
    aggregate: Aggregate
    previous_period: Period | None


def _stored_row(province: Unit, period: Period, code: str) -> IndicatorAggregate | None:
    return fresh_aggregates(province=province, period=period).rows.filter(code=code).first()


def indicator_drilldown(*, province: Unit, period: Period, code: str) -> Drilldown | None:
    """One indicator, department by department, with its stored aggregate and the previous
    period's; None when no counted report has it."""
    current = indicator_values_for_period(province=province, period=period, codes=[code])
    info = current.indicator(code)
    if info is None:
        return None
    previous = previous_period_of(period)
    before = None
    if previous is not None:
        before = stored_aggregate(info, _stored_row(province, previous, code))
    return Drilldown(
        indicator=info,
        entries=[Entry(r, value, info.display(value)) for r, value in current.entries(code)],
        aggregate=stored_aggregate(info, _stored_row(province, period, code), before),
        previous_period=previous,
    )
