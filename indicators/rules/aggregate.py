"""Aggregation expressions: how a province report's indicator is compiled from its
departments' reports (docs/rules.md, "Tổng hợp").

    sum(tthc_cong_bo_moi)                      the departments' values added up
    count(co_tuyen_truyen_hop = 1)             departments for which a condition holds
    ratio(sum(hs_dung_han), sum(hs_tiep_nhan)) a percentage recomputed from summed parts
    count_units()                              departments included
    min(x) / max(x) / avg(x)                   over the departments that gave a value

Written in the rule language's syntax (same parser); the argument of count() is any rule,
compiled by the rule compiler against the departments' codes. Aggregates combine with numbers
and + - * /. A department's "/" (not applicable) or blank value is left out.

ratio(a, b) reads only the departments that gave both parts: a department that marks the
denominator "/" (or leaves it blank) but fills the numerator is left out of both (docs/rules.md,
"Tổng hợp"). An override of the province's figure for a sub-expression (the province indicator
whose expression is exactly that sub-expression) replaces it where it appears, and a ratio with
an overridden part divides the province's figures instead of pairing departments.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from lark import Token, Tree

from indicators.types import NOT_APPLICABLE, ValueType

from .compiler import compile_rule
from .data import Schema, ValueSet
from .errors import Problem, RuleCompileError, problem_at
from .grammar import parse

ON_VALUES = ("sum", "min", "max", "avg")
SUMMED = (ValueType.INTEGER, ValueType.DECIMAL)
NUMERIC = (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT, ValueType.CHOICE)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class UnitValues:
    """What an aggregate reads: the included reports and, per code, each report's value."""

    report_ids: Sequence[int]
    values: Mapping[str, Mapping[int, object]]
    # The province's figures replacing a sub-expression: normalized expression text -> value.
    overrides: Mapping[str, Decimal] = field(default_factory=dict)
    # The reports that gave a value read by the evaluation (the breakdown's rows); shared by
    # the restricted copies a ratio makes.
    used: set = field(default_factory=set)

    def numbers(self, code: str) -> list[Decimal]:
        by_report = self.values.get(code, {})
        found = []
        for rid in self.report_ids:
            number = _number(by_report.get(rid))
            if number is not None:
                found.append(number)
                self.used.add(rid)
        return found

    def present(self, report_id: int, code: str) -> bool:
        """The department gave a value (not blank, not "/")."""
        value = self.values.get(code, {}).get(report_id)
        return value is not None and value is not NOT_APPLICABLE and value != ""

    def restricted(self, report_ids) -> "UnitValues":
        return replace(self, report_ids=list(report_ids))

    def value_set(self, report_id: int, codes) -> ValueSet:
        return ValueSet(
            indicators={
                code: value
                for code in codes
                if (value := self.values.get(code, {}).get(report_id)) is not None
            }
        )


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return Decimal(value)


class CompiledAggregate:
    """A checked aggregation expression; `references` are the department codes it reads."""

    def __init__(self, text: str, root, references: frozenset[str]):
        self.text = text
        self.references = references
        self._root = root

    @property
    def key(self) -> str:
        return expression_key(self.text)

    @property
    def mentions(self) -> set[str]:
        """The keys of the function calls in the expression (what an override may replace)."""
        return _keys_under(self._root)

    def evaluate(self, data: UnitValues) -> Decimal | None:
        """The compiled value, or None when nothing was reported (or a division by zero).
        `data.used` collects the reports the value was computed from."""
        try:
            return self._root(data)
        except (ArithmeticError, InvalidOperation):
            return None

    def __repr__(self):
        return f"CompiledAggregate({self.text!r})"


def expression_key(text: str) -> str:
    """An expression's text without spaces or case: how an override finds it in another."""
    return re.sub(r"\s+", "", text).lower()


def compile_aggregate(text: str, schema: Schema) -> CompiledAggregate:
    """Parse and check `text` against the departments' `schema`; RuleCompileError lists every
    problem (unknown codes, wrong types, unknown functions) as for rules."""
    tree = parse(text)
    checker = _Checker(text, schema)
    root = checker.visit(tree)
    if checker.problems:
        raise RuleCompileError(
            sorted(set(checker.problems), key=lambda p: (p.line or 0, p.column or 0))
        )
    return CompiledAggregate(text, root, frozenset(checker.references))


class _Checker:
    def __init__(self, text: str, schema: Schema):
        self.text = text
        self.schema = schema
        self.problems: list[Problem] = []
        self.references: set[str] = set()

    def error(self, node, message):
        meta = getattr(node, "meta", None)
        line = getattr(node, "line", None) or getattr(meta, "line", None)
        column = getattr(node, "column", None) or getattr(meta, "column", None)
        self.problems.append(problem_at(self.text, message, line, column))
        return _nothing

    def source(self, node) -> str:
        if isinstance(node, Token):
            return str(node)
        return self.text[node.meta.start_pos : node.meta.end_pos]

    def visit(self, node):
        if isinstance(node, Tree):
            handler = getattr(self, f"visit_{node.data}", None)
            if handler:
                return handler(node)
        return self.error(
            node,
            f"“{self.source(node)}” không phải biểu thức tổng hợp; dùng sum(mã), count(điều "
            "kiện), ratio(sum(a), sum(b)), count_units(), min/max/avg(mã).",
        )

    def visit_number(self, node):
        value = Decimal(str(node.children[0]))
        return lambda data: value

    def visit_signed(self, node):
        op, operand = node.children
        inner = self.visit(operand)
        if op != "-":
            return inner

        def negated(data):
            return _neg(inner(data))

        negated.keys = _keys_under(inner)
        return negated

    def visit_sum(self, node):
        return self._chain(node)

    def visit_product(self, node):
        return self._chain(node)

    def _chain(self, node):
        first = self.visit(node.children[0])
        steps = [
            (str(node.children[i]), self.visit(node.children[i + 1]))
            for i in range(1, len(node.children), 2)
        ]

        def evaluate(data):
            result = first(data)
            for op, operand in steps:
                value = operand(data)
                if result is None or value is None:
                    return None
                result = _apply(op, result, value)
            return result

        evaluate.keys = _keys_under(first).union(*(_keys_under(step) for _op, step in steps))
        return evaluate

    def visit_name(self, node):
        code = str(node.children[0])
        return self.error(
            node,
            f"Mã “{code}” phải nằm trong một hàm tổng hợp, ví dụ sum({code}) hoặc "
            f"count({code} = 1).",
        )

    def visit_call(self, node):
        inner = self._call(node)
        key = expression_key(self.source(node))

        def call(data):
            if key in data.overrides:
                return data.overrides[key]
            return inner(data)

        call.key = key
        call.keys = {key} | getattr(inner, "keys", set())
        return call

    def _call(self, node):
        name_token, args = node.children
        name = str(name_token).lower()
        args = list(args.children) if args is not None else []
        if name == "count_units":
            if args:
                return self.error(node, "count_units() không có tham số.")

            def count_units(data):
                data.used.update(data.report_ids)
                return Decimal(len(data.report_ids))

            return count_units
        if name in ON_VALUES:
            return self._on_values(node, name, args)
        if name == "count":
            return self._count(node, args)
        if name == "ratio":
            if len(args) != 2:
                return self.error(node, "ratio(tử số, mẫu số) cần đúng hai tham số.")
            outer, self.references = self.references, set()
            top, bottom = self.visit(args[0]), self.visit(args[1])
            codes = sorted(self.references)  # the parts a department must give both of
            self.references = outer | self.references
            keys = _keys_under(top) | _keys_under(bottom)

            def ratio(data):
                if keys & set(data.overrides):
                    paired = data  # the province's own figures, overridden or compiled
                else:
                    paired = data.restricted(
                        rid
                        for rid in data.report_ids
                        if all(data.present(rid, code) for code in codes)
                    )
                a, b = top(paired), bottom(paired)
                if a is None or b is None or b == 0:
                    return None
                return a * HUNDRED / b

            ratio.keys = keys
            return ratio
        return self.error(
            name_token,
            f"Hàm “{name_token}” không dùng được khi tổng hợp; các hàm: sum, count, ratio, "
            "count_units, min, max, avg.",
        )

    def _on_values(self, node, name, args):
        if len(args) != 1 or not (isinstance(args[0], Tree) and args[0].data == "name"):
            return self.error(node, f"{name}() nhận đúng một mã chỉ tiêu, ví dụ {name}(so_tthc).")
        code = str(args[0].children[0])
        value_type = self.schema.indicators.get(code)
        if value_type is None:
            return self.error(args[0], f"Không có chỉ tiêu mã “{code}” trong mẫu của các sở.")
        if value_type not in NUMERIC:
            return self.error(args[0], f"“{code}” không phải số, không {name}() được.")
        if name == "sum" and value_type not in SUMMED:
            return self.error(
                args[0],
                f"“{code}” là tỷ lệ hoặc mã lựa chọn, không cộng được; tỷ lệ của tỉnh tính lại "
                "bằng ratio(sum(tử số), sum(mẫu số)).",
            )
        self.references.add(code)
        reducer = _REDUCERS[name]
        return lambda data: reducer(data.numbers(code))

    def _count(self, node, args):
        if len(args) != 1:
            return self.error(node, "count(điều kiện) cần đúng một điều kiện, ví dụ count(a = 1).")
        condition = self.source(args[0])
        try:
            rule = compile_rule(condition, self.schema)
        except RuleCompileError as exc:
            offset = args[0].meta.start_pos
            for problem in exc.problems:
                where = _shift(self.text, offset, problem)
                self.problems.append(problem_at(self.text, problem.message, *where))
            return _nothing
        codes = sorted(rule.references)
        self.references.update(codes)

        def count(data):
            counted = 0
            for rid in data.report_ids:
                outcome = rule.evaluate(data.value_set(rid, codes))[0]
                if not outcome.skipped:
                    data.used.add(rid)
                counted += outcome.passed
            return Decimal(counted)

        return count


def _shift(text, offset, problem):
    """Where a problem found in count()'s argument is in the whole expression."""
    if problem.line is None:
        return None, None
    before = text[:offset]
    if problem.line == 1:
        return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + problem.column
    return before.count("\n") + problem.line, problem.column


def _keys_under(evaluate) -> set:
    return set(getattr(evaluate, "keys", set()))


def _nothing(data):
    return None


def _neg(value):
    return None if value is None else -value


def _apply(op, a, b):
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return None if b == 0 else a / b


_REDUCERS = {
    "sum": lambda numbers: sum(numbers, Decimal(0)) if numbers else None,
    "min": lambda numbers: min(numbers) if numbers else None,
    "max": lambda numbers: max(numbers) if numbers else None,
    "avg": lambda numbers: sum(numbers, Decimal(0)) / len(numbers) if numbers else None,
}
