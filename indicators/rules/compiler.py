"""compile_rule: parse and check a rule once, then evaluate it against any number of reports."""

import logging

from . import evaluator
from .checker import check
from .data import MISSING_POLICIES, SKIPPED, Outcome, Schema
from .errors import Problem, RuleCompileError
from .grammar import parse
from .nodes import Kind

logger = logging.getLogger(__name__)


class CompiledRule:
    """A checked rule, ready to evaluate; immutable and safe to cache and share."""

    __slots__ = (
        "text",
        "schema",
        "references",
        "row_table",
        "uses_previous",
        "uses_latest",
        "_root",
    )

    def __init__(self, text, schema, check_result):
        self.text = text
        self.schema = schema
        self.references = check_result.references
        self.row_table = check_result.row_table
        self.uses_previous = check_result.uses_previous  # prev(): same kind, previous period
        self.uses_latest = check_result.uses_latest  # last(): the latest earlier report
        self._root = evaluator.compile_node(check_result.root)

    def evaluate(self, values, previous=None, missing="skip", latest=None):
        """Outcomes for `values`: one, or one per row for a row-wise rule. `previous` is what
        prev() reads, `latest` what last() reads. Never raises on values; raises ValueError
        only for an unknown `missing` policy (a programming error)."""
        policy = MISSING_POLICIES.get(missing)
        if policy is None:
            raise ValueError(f"Unknown missing-value policy {missing!r}")
        try:
            return evaluator.evaluate(
                self._root,
                self.row_table,
                (self.uses_previous, self.uses_latest),
                values,
                (previous, latest),
                policy == "zero",
            )
        except Exception:  # e.g. a malformed ValueSet: report the rule as not checked
            logger.exception("Rule evaluation failed: %s", self.text)
            return [Outcome(SKIPPED, notice=evaluator.INTERNAL_ERROR)]

    def __reduce__(self):
        # Closures do not pickle; recompiling from the text gives the same rule.
        return (compile_rule, (self.text, self.schema))

    def __repr__(self):
        return f"CompiledRule({self.text!r})"


def compile_rule(text, schema):
    """Parse and check `text` against `schema`.

    Raises RuleCompileError listing every problem (Vietnamese messages with line, column and
    a caret snippet); never raises anything else for any input string.
    """
    if not isinstance(schema, Schema):
        raise TypeError("schema must be a Schema")
    tree = parse(text)
    try:
        result = check(text, tree, schema)
    except RecursionError:  # defensive: parse() caps the depth well below the limit
        raise RuleCompileError([Problem("Biểu thức quá phức tạp.")]) from None
    if result.problems:
        raise RuleCompileError(result.problems)
    return CompiledRule(text, schema, result)


class CompiledScore:
    """A checked score expression (parindex): a condition or a number over one report's
    values, never row-wise, never reading earlier reports."""

    __slots__ = ("text", "schema", "references", "is_condition", "_root")

    def __init__(self, text, schema, check_result):
        self.text = text
        self.schema = schema
        self.references = check_result.references
        self.is_condition = check_result.root.kind is Kind.BOOL
        self._root = evaluator.compile_node(check_result.root)

    def evaluate(self, values):
        """(value, seen, notice): value is True/False for a condition, a Decimal for a number,
        None when it cannot be told (a missing value, a division by zero); `seen` maps each
        value read to what it was; `notice` says what was missing."""
        return evaluator.evaluate_value(self._root, values)

    def __reduce__(self):
        return (compile_score, (self.text, self.schema))

    def __repr__(self):
        return f"CompiledScore({self.text!r})"


def compile_score(text, schema):
    """Parse and check a score expression: a condition (full points when it holds) or a number
    (a share of the points). Raises RuleCompileError like compile_rule."""
    if not isinstance(schema, Schema):
        raise TypeError("schema must be a Schema")
    tree = parse(text)
    try:
        result = check(text, tree, schema, kinds=(Kind.BOOL, Kind.NUMBER))
    except RecursionError:
        raise RuleCompileError([Problem("Biểu thức quá phức tạp.")]) from None
    problems = list(result.problems)
    if result.row_table is not None and not problems:
        problems.append(
            Problem(
                f"Biểu thức chấm điểm phải gộp các dòng của bảng {result.row_table}: "
                f"dùng sum(), count(), min() hoặc max()."
            )
        )
    if (result.uses_previous or result.uses_latest) and not problems:
        problems.append(Problem("Biểu thức chấm điểm chỉ đọc báo cáo năm của đơn vị."))
    if problems:
        raise RuleCompileError(problems)
    return CompiledScore(text, schema, result)
