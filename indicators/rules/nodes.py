"""The checked syntax tree of a rule: every node knows its static kind and where it was written."""

import enum
from dataclasses import dataclass


class Kind(enum.Enum):
    NUMBER = "số"
    TEXT = "văn bản"
    DATE = "ngày"
    BOOL = "điều kiện đúng/sai"
    MARK = "ô đánh dấu"
    TABLE = "bảng"
    ERROR = "lỗi"  # already reported; suppresses follow-up messages


@dataclass(eq=False)
class Node:
    kind: Kind
    text: str  # the source text of the node, for messages and Outcome.seen
    line: int | None
    column: int | None


@dataclass(eq=False)
class Literal(Node):
    value: object  # Decimal, normalised str or datetime.date


@dataclass(eq=False)
class Indicator(Node):
    code: str


@dataclass(eq=False)
class Column(Node):
    table: str
    code: str  # the column's code; `column` is the position


@dataclass(eq=False)
class Negate(Node):
    operand: Node


@dataclass(eq=False)
class Arithmetic(Node):
    """A flat chain `x op y op z` of one precedence level: ops are "+", "-" or "*", "/"."""

    operands: list[Node]
    ops: list[str]


@dataclass(eq=False)
class Comparison(Node):
    """A chain `x op y op z`: every adjacent pair must hold."""

    operands: list[Node]
    ops: list[str]


@dataclass(eq=False)
class Logic(Node):
    op: str  # "and" | "or"
    operands: list[Node]


@dataclass(eq=False)
class Not(Node):
    operand: Node


@dataclass(eq=False)
class Conditional(Node):
    condition: Node
    then: Node
    otherwise: Node | None


@dataclass(eq=False)
class Presence(Node):
    """filled(ref), na(ref), count_filled(ref, ...): look at values without reading them."""

    function: str
    refs: list[Node]


@dataclass(eq=False)
class Scalar(Node):
    """sum/min/max of several values, abs(x), round(x, digits)."""

    function: str
    args: list[Node]
    digits: int = 0


@dataclass(eq=False)
class Aggregate(Node):
    """sum/min/max of an expression over the rows of `table`."""

    function: str
    table: str
    arg: Node


@dataclass(eq=False)
class RowCount(Node):
    table: str


@dataclass(eq=False)
class Total(Node):
    table: str
    code: str


@dataclass(eq=False)
class Previous(Node):
    arg: Node
    source: str = "prev"  # "prev": the previous period of the same kind; "last": latest report
