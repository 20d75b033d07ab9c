"""The aggregates computed independently of the product, in Python over every canonical value:
the oracle the stored aggregates (review.aggregates, SQL) are tested against."""

import statistics
from collections import Counter
from decimal import Decimal

from indicators.types import NOT_APPLICABLE, ValueType
from review.dashboard import STATE_ORDER, Aggregate, IndicatorInfo


def is_number(value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def aggregate(indicator: IndicatorInfo, values, previous: Aggregate | None = None) -> Aggregate:
    """The aggregate of canonical values (None for a blank)."""
    values = [v for v in values if v is not None]
    numbers = tuple(v for v in values if is_number(v))
    return Aggregate(
        indicator=indicator,
        reported=len(values),
        not_applicable=sum(1 for v in values if v is NOT_APPLICABLE),
        number_count=len(numbers),
        number_sum=sum(numbers) if numbers else None,
        minimum=min(numbers) if numbers else None,
        maximum=max(numbers) if numbers else None,
        median=statistics.median(numbers) if numbers else None,
        counts=dict(Counter(numbers)) if indicator.value_type == ValueType.CHOICE else {},
        previous=previous,
    )


def state_counts(rows) -> dict[str, int]:
    """How many units the dashboard shows in each state, counted from its rows (each unit's
    state worked out in Python from its revisions by review.dashboard._row)."""
    counts = Counter(row.state for row in rows)
    return {state: counts[state] for state in STATE_ORDER}
