"""Validation rules of a template version: a small expression language over indicator codes
and table columns, compiled once and evaluated against reports. See docs/rules.md.

    rule = compile_rule("tong = a + b", schema)      # raises RuleCompileError(problems)
    outcomes = rule.evaluate(values, previous=None, missing="skip")
"""

from .compiler import CompiledRule, CompiledScore, compile_rule, compile_score
from .data import TOTAL_ROW, Outcome, Schema, TableData, ValueSet
from .errors import Problem, RuleCompileError
from .grammar import MAX_DEPTH, MAX_LENGTH

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "TOTAL_ROW",
    "CompiledRule",
    "CompiledScore",
    "Outcome",
    "Problem",
    "RuleCompileError",
    "Schema",
    "TableData",
    "ValueSet",
    "compile_rule",
    "compile_score",
]
