"""What the engine reads (Schema, ValueSet, TableData) and what it returns (Outcome)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from indicators.types import ValueType

# Row id used in Outcome.refs for a cell of a table's printed "Tổng cộng" row.
TOTAL_ROW = "total"

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"

# Missing-value policies; the Vietnamese labels are those of the template's "Quy tắc" sheet.
MISSING_POLICIES = {"skip": "skip", "zero": "zero", "bỏ qua": "skip", "tính là 0": "zero"}


def _value_types(mapping):
    return {str(code): ValueType(vtype) for code, vtype in mapping.items()}


@dataclass(frozen=True)
class Schema:
    """The codes a template version defines: indicator code -> type, table -> column -> type."""

    indicators: Mapping[str, ValueType] = field(default_factory=dict)
    tables: Mapping[str, Mapping[str, ValueType]] = field(default_factory=dict)

    def __post_init__(self):
        # Accept plain strings such as "integer" so callers can build a schema from stored rows.
        object.__setattr__(self, "indicators", _value_types(self.indicators))
        tables = {str(table): _value_types(columns) for table, columns in self.tables.items()}
        object.__setattr__(self, "tables", tables)


@dataclass(frozen=True)
class TableData:
    """Rows of a repeating-row table as (row_id, {column: value}), and its printed total row."""

    rows: Sequence[tuple[Any, Mapping[str, Any]]] = ()
    total: Mapping[str, Any] | None = None


EMPTY_TABLE = TableData()


@dataclass(frozen=True)
class ValueSet:
    """The values of one report: indicator code -> value, table code -> TableData."""

    indicators: Mapping[str, Any] = field(default_factory=dict)
    tables: Mapping[str, TableData] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """The result of a rule for the report, or for one row of a row-wise rule.

    `refs` lists what was involved: indicator codes (str) and cells (table, row_id, column);
    `seen` maps a printable name ("a", "thtc[3].c4", "sum(thtc.c4)") to the value seen.
    """

    status: str
    row_id: Any = None
    notice: str | None = None
    refs: tuple = ()
    seen: dict = field(default_factory=dict, hash=False)
    # What a skipped rule lacked, structured (evaluator.Run.structured_notes), for naming the
    # values for people; `notice` is the same as text with codes.
    notes: tuple = ()

    @property
    def passed(self):
        return self.status == PASSED

    @property
    def failed(self):
        return self.status == FAILED

    @property
    def skipped(self):
        return self.status == SKIPPED
