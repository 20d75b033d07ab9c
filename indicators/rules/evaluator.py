"""Turn checked nodes into Python closures and run them over a report's values.

Each node becomes a function `run -> value`, built once per rule, so evaluating a report is a
chain of plain calls with no tree walking or dispatch. Values are Decimal, normalised str,
datetime.date or bool; UNKNOWN stands for "cannot tell" (a missing, not-applicable or invalid
input, a division by zero) and spreads through arithmetic and three-valued logic, so
`y = 0 or na(y)` still passes when y is marked not applicable.
"""

import decimal
import logging
import operator
import reprlib
from decimal import Decimal

from . import nodes as n
from .data import EMPTY_TABLE, FAILED, PASSED, SKIPPED, TOTAL_ROW, Outcome
from .nodes import Kind
from .values import INVALID, READERS, is_absent, is_filled, is_na

logger = logging.getLogger(__name__)

ZERO = Decimal(0)

# Exact decimal arithmetic for sums of counts; traps turn absurd magnitudes into a skip.
CONTEXT = decimal.Context(
    prec=40,
    rounding=decimal.ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

NO_PREVIOUS = "Không có báo cáo kỳ trước"
NO_LATEST = "Không có báo cáo nào trước báo cáo này"
INTERNAL_ERROR = "Không kiểm tra được quy tắc do lỗi của hệ thống"
TOO_LARGE = "Số quá lớn, không tính được"
MAX_NAMES_IN_NOTICE = 8

# Notice categories, in the order they are printed.
MISSING, MARKED_NA, WRONG_TYPE, OTHER = "missing", "na", "invalid", "other"
CATEGORY_LABELS = {
    MISSING: "Thiếu số liệu",
    MARKED_NA: "Không áp dụng",
    WRONG_TYPE: "Số liệu sai kiểu",
}
# OTHER notes are (what, subject) pairs, so that the portal can name the subject for people
# (reports.validation) while the engine's own text names codes, for rule authors.
EMPTY_TABLE_NOTE, NO_TOTAL_NOTE, DIVISION_NOTE = "empty_table", "no_total", "division_by_zero"
TOO_LARGE_NOTE, INTERNAL_NOTE = "too_large", "internal_error"
OTHER_TEXTS = {
    EMPTY_TABLE_NOTE: "Bảng {} chưa có dòng nào",
    NO_TOTAL_NOTE: "Bảng {} không có dòng tổng cộng",
    DIVISION_NOTE: "Phép chia cho 0 trong {}",
    TOO_LARGE_NOTE: TOO_LARGE,
    INTERNAL_NOTE: INTERNAL_ERROR,
}


class _Unknown:
    def __repr__(self):
        return "UNKNOWN"


UNKNOWN = _Unknown()

COMPARE = {
    "=": operator.eq,
    "==": operator.eq,
    "!=": operator.ne,
    "<>": operator.ne,
    "≠": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    "≤": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "≥": operator.ge,
}
ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul}


class Run:
    """The state of one evaluation: the values, the current row, and what was seen."""

    __slots__ = (
        "values",
        "previous",
        "latest",
        "zero",
        "row",
        "row_id",
        "cache",
        "seen",
        "refs",
        "notes",
    )

    def __init__(self, values, previous, zero, cache, row=None, row_id=None, latest=None):
        self.values = values
        self.previous = previous  # read by prev()
        self.latest = latest  # read by last()
        self.zero = zero  # missing-value policy "zero"
        self.cache = cache  # aggregate results, shared by all rows of one evaluation
        self.row = row
        self.row_id = row_id
        self.seen = {}
        self.refs = {}  # an ordered set
        self.notes = {}  # category -> ordered set of names or messages

    def note(self, category, text):
        self.notes.setdefault(category, {})[text] = None

    def merge(self, notes, refs):
        for category, texts in notes.items():
            self.notes.setdefault(category, {}).update(texts)
        self.refs.update(refs)

    def notice(self):
        return notice_text(self.structured_notes())

    def structured_notes(self):
        """(category, items) pairs: names for MISSING and MARKED_NA, (name, shown raw value)
        for WRONG_TYPE, (what, subject) for OTHER."""
        return tuple((category, tuple(items)) for category, items in self.notes.items())


def notice_text(notes, name=None):
    """The notice of `notes` (Run.structured_notes); values are named by their codes, or by
    `name(code text)` when given (then a wrong value is named, not repeated)."""
    notes = dict(notes)
    parts = [
        f"{label}: {_join(_item_text(category, item, name) for item in notes[category])}"
        for category, label in CATEGORY_LABELS.items()
        if category in notes
    ]
    parts.extend(
        OTHER_TEXTS[what].format(name(subject) if name and subject else subject)
        for what, subject in notes.get(OTHER, ())
    )
    return "; ".join(parts) or "Không đủ số liệu để kiểm tra"


def _item_text(category, item, name):
    if category == WRONG_TYPE:
        shown_name, shown_raw = item
        return name(shown_name) if name else f"{shown_name} = {shown_raw}"
    return name(item) if name else item


def _join(names):
    names = list(names)
    shown = ", ".join(names[:MAX_NAMES_IN_NOTICE])
    if len(names) > MAX_NAMES_IN_NOTICE:
        shown += f" và {len(names) - MAX_NAMES_IN_NOTICE} giá trị khác"
    return shown


def _short(raw):
    try:
        return reprlib.repr(raw)
    except Exception:  # a value whose repr fails is still reported, just unnamed
        return type(raw).__name__


def _table(source, code):
    return source.tables.get(code) or EMPTY_TABLE


def resolve(run, name, raw, kind):
    """A raw value as the engine's value, applying the missing-value policy."""
    if is_absent(raw):
        if run.zero and kind is Kind.NUMBER:
            return ZERO
        if run.zero and kind is Kind.TEXT:
            return ""
        run.note(MARKED_NA if is_na(raw) else MISSING, name)
        return UNKNOWN
    value = READERS[kind](raw)
    if value is INVALID:
        run.note(WRONG_TYPE, (name, _short(raw)))
        return UNKNOWN
    return value


# -- evaluation of a whole rule ------------------------------------------------------------


def evaluate(root, row_table, uses, values, earlier, zero):
    """Outcomes of a compiled rule: one, or one per row of `row_table`. `uses` says whether
    the rule reads prev() and last(), `earlier` holds the (previous, latest) value sets."""
    (uses_previous, uses_latest), (previous, latest) = uses, earlier
    if uses_previous and previous is None:
        return [Outcome(SKIPPED, notice=NO_PREVIOUS)]
    if uses_latest and latest is None:
        return [Outcome(SKIPPED, notice=NO_LATEST)]
    cache = {}
    with decimal.localcontext(CONTEXT):
        if row_table is None:
            return [_outcome(root, Run(values, previous, zero, cache, latest=latest))]
        rows = _table(values, row_table).rows
        if not rows:
            notes = ((OTHER, ((EMPTY_TABLE_NOTE, row_table),)),)
            return [Outcome(SKIPPED, notice=notice_text(notes), notes=notes)]
        return [
            _outcome(
                root,
                Run(values, previous, zero, cache, _cells(cells), row_id, latest=latest),
                row_id,
            )
            for row_id, cells in rows
        ]


def evaluate_value(root, values):
    """A score expression's value over one report: (value, seen, notice); value None when
    it cannot be told."""
    run = Run(values, None, False, {})
    with decimal.localcontext(CONTEXT):
        try:
            result = root(run)
        except ArithmeticError:
            run.note(OTHER, (TOO_LARGE_NOTE, ""))
            result = UNKNOWN
        except Exception:
            logger.exception("Score evaluation failed")
            run.note(OTHER, (INTERNAL_NOTE, ""))
            result = UNKNOWN
    if result is UNKNOWN:
        return None, run.seen, run.notice() or None
    return result, run.seen, None


def _cells(cells):
    return cells if isinstance(cells, dict) or hasattr(cells, "get") else {}


def _outcome(root, run, row_id=None):
    try:
        result = root(run)
    except ArithmeticError:
        run.note(OTHER, (TOO_LARGE_NOTE, ""))
        result = UNKNOWN
    except Exception:  # a bug must not stop the other rules of the report from running
        logger.exception("Rule evaluation failed")
        run.note(OTHER, (INTERNAL_NOTE, ""))
        result = UNKNOWN
    if result is True:
        return Outcome(PASSED, row_id, None, tuple(run.refs), run.seen)
    if result is False:
        return Outcome(FAILED, row_id, None, tuple(run.refs), run.seen)
    notes = run.structured_notes()
    return Outcome(SKIPPED, row_id, notice_text(notes), tuple(run.refs), run.seen, notes)


# -- compiling nodes to closures -----------------------------------------------------------


def compile_node(node, prev=False):
    """A function run -> value for `node`; `prev` ("prev" or "last") reads an earlier
    report's values instead of this one's."""
    return COMPILERS[type(node)](node, prev)


def _literal(node, prev):
    value = node.value
    return lambda run: value


def _prev_name(name, prev):
    return f"{prev}({name})" if prev else name


def _source(run, prev):
    """The value set a reference reads: this report's, or an earlier one's."""
    if not prev:
        return run.values
    return run.latest if prev == "last" else run.previous


def _indicator_reader(node, prev):
    """run -> (name, raw value) of an indicator, recording it as seen."""
    code = node.code
    name = _prev_name(code, prev)

    def read(run):
        raw = _source(run, prev).indicators.get(code)
        run.seen[name] = raw
        run.refs[code] = None
        return name, raw

    return read


def _column_reader(node, prev):
    """run -> (name, raw value) of a column in the current row, recording it as seen."""
    table, column = node.table, node.code

    def read(run):
        row_id = run.row_id
        name = _prev_name(f"{table}[{row_id}].{column}", prev)
        raw = run.row.get(column)
        run.seen[name] = raw
        if not prev:  # a cell of the previous report is not a cell of this one
            run.refs[(table, row_id, column)] = None
        return name, raw

    return read


def raw_reader(node, prev):
    if isinstance(node, n.Indicator):
        return _indicator_reader(node, prev)
    return _column_reader(node, prev)


def _reference(node, prev):
    read, kind = raw_reader(node, prev), node.kind

    def evaluate(run):
        name, raw = read(run)
        return resolve(run, name, raw, kind)

    return evaluate


def _negate(node, prev):
    operand = compile_node(node.operand, prev)

    def evaluate(run):
        value = operand(run)
        return UNKNOWN if value is UNKNOWN else -value

    return evaluate


def _arithmetic(node, prev):
    first, *rest = (compile_node(operand, prev) for operand in node.operands)
    steps = list(zip(node.ops, rest, strict=True))
    text = node.text

    def evaluate(run):
        result = first(run)
        for op, operand in steps:
            value = operand(run)  # read every operand so the notice names all missing ones
            if result is UNKNOWN or value is UNKNOWN:
                result = UNKNOWN
            elif op == "/":
                result = _divide(run, result, value, text)
            else:
                result = ARITHMETIC[op](result, value)
        return result

    return evaluate


def _divide(run, dividend, divisor, text):
    if divisor == 0:
        run.note(OTHER, (DIVISION_NOTE, text))
        return UNKNOWN
    return dividend / divisor


def _comparison(node, prev):
    operands = [compile_node(operand, prev) for operand in node.operands]
    compares = [COMPARE[op] for op in node.ops]

    def evaluate(run):
        values = [operand(run) for operand in operands]
        result = True
        for index, compare in enumerate(compares):
            left, right = values[index], values[index + 1]
            if left is UNKNOWN or right is UNKNOWN:
                result = UNKNOWN
            elif not compare(left, right):
                return False  # a failing pair fails the chain whatever the unknown ones are
        return result

    return evaluate


def _logic(node, prev):
    operands = [compile_node(operand, prev) for operand in node.operands]
    decisive = node.op == "or"  # True decides an "or", False decides an "and"

    def evaluate(run):
        result = not decisive
        for operand in operands:
            value = operand(run)
            if value is decisive:
                return decisive
            if value is UNKNOWN:
                result = UNKNOWN
        return result

    return evaluate


def _not(node, prev):
    operand = compile_node(node.operand, prev)

    def evaluate(run):
        value = operand(run)
        return UNKNOWN if value is UNKNOWN else not value

    return evaluate


def _conditional(node, prev):
    condition = compile_node(node.condition, prev)
    then = compile_node(node.then, prev)
    otherwise = compile_node(node.otherwise, prev) if node.otherwise else None

    def evaluate(run):
        value = condition(run)
        if value is UNKNOWN:
            return UNKNOWN
        if value:
            return then(run)
        # "if c then x" holds when c is false.
        return otherwise(run) if otherwise else True

    return evaluate


def _presence(node, prev):
    readers = [(raw_reader(ref, prev), ref.kind) for ref in node.refs]
    if node.function == "na":
        read = readers[0][0]
        return lambda run: is_na(read(run)[1])
    if node.function == "filled":
        read, kind = readers[0]
        return lambda run: is_filled(read(run)[1], kind)

    def count_filled(run):
        return Decimal(sum(is_filled(read(run)[1], kind) for read, kind in readers))

    return count_filled


def _round(value, digits):
    return value.quantize(Decimal(1).scaleb(-digits))


SCALAR = {
    "sum": lambda values, digits: sum(values, ZERO),
    "min": lambda values, digits: min(values),
    "max": lambda values, digits: max(values),
    "abs": lambda values, digits: abs(values[0]),
    "round": lambda values, digits: _round(values[0], digits),
}


def _scalar(node, prev):
    args = [compile_node(arg, prev) for arg in node.args]
    apply, digits = SCALAR[node.function], node.digits

    def evaluate(run):
        values = [arg(run) for arg in args]
        if any(value is UNKNOWN for value in values):
            return UNKNOWN
        return apply(values, digits)

    return evaluate


def _aggregate(node, prev):
    arg = compile_node(node.arg, prev)
    table, function = node.table, node.function
    label = _prev_name(node.text, prev)
    key = object()  # this aggregate's slot in the per-evaluation cache

    def evaluate(run):
        cached = run.cache.get(key)
        if cached is None:
            cached = run.cache[key] = _over_rows(run, table, arg, function, prev)
        value, notes, refs = cached
        run.merge(notes, refs)
        run.seen[label] = None if value is UNKNOWN else value
        return value

    return evaluate


def _over_rows(run, table, arg, function, prev):
    """Reduce `arg` over the rows of `table`: (value, notes, refs) for the cache."""
    inner = Run(run.values, run.previous, run.zero, run.cache, latest=run.latest)
    values = []
    for row_id, cells in _table(_source(run, prev), table).rows:
        inner.row, inner.row_id = _cells(cells), row_id
        values.append(arg(inner))
    if any(value is UNKNOWN for value in values):
        value = UNKNOWN
    elif values:
        value = SCALAR[function](values, 0)
    elif function == "sum":
        value = ZERO
    else:
        inner.note(OTHER, (EMPTY_TABLE_NOTE, table))
        value = UNKNOWN
    return value, inner.notes, inner.refs


def _row_count(node, prev):
    table, label = node.table, _prev_name(node.text, prev)

    def evaluate(run):
        value = Decimal(len(_table(_source(run, prev), table).rows))
        run.seen[label] = value
        return value

    return evaluate


def _total(node, prev):
    table, column, kind = node.table, node.code, node.kind
    label = _prev_name(node.text, prev)

    def evaluate(run):
        total = _table(_source(run, prev), table).total
        if total is None:
            run.note(OTHER, (NO_TOTAL_NOTE, table))
            run.seen[label] = None
            return UNKNOWN
        raw = total.get(column)
        run.seen[label] = raw
        if not prev:
            run.refs[(table, TOTAL_ROW, column)] = None
        return resolve(run, label, raw, kind)

    return evaluate


def _previous(node, prev):
    return compile_node(node.arg, prev=node.source)


COMPILERS = {
    n.Literal: _literal,
    n.Indicator: _reference,
    n.Column: _reference,
    n.Negate: _negate,
    n.Arithmetic: _arithmetic,
    n.Comparison: _comparison,
    n.Logic: _logic,
    n.Not: _not,
    n.Conditional: _conditional,
    n.Presence: _presence,
    n.Scalar: _scalar,
    n.Aggregate: _aggregate,
    n.RowCount: _row_count,
    n.Total: _total,
    n.Previous: _previous,
}
