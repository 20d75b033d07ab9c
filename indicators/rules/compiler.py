"""compile_rule: parse and check a rule once, then evaluate it against any number of reports."""

import logging

from . import evaluator
from .checker import check
from .data import MISSING_POLICIES, SKIPPED, Outcome, Schema
from .errors import Problem, RuleCompileError
from .grammar import parse

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
