"""Checking rules against the codes of a template before they are saved."""

from .rules import RuleCompileError, Schema, compile_rule
from .spec import Problem, TemplateSpec


def schema_for(spec: TemplateSpec) -> Schema:
    return Schema(indicators=spec.value_codes(), tables=spec.table_columns())


def rule_problems(spec: TemplateSpec) -> list[Problem]:
    """Every rule that does not compile against the template, with where in the expression."""
    schema = schema_for(spec)
    problems, seen = [], set()
    for rule in spec.rules:
        if rule.code in seen:
            problems.append(Problem(rule.where, f"Mã quy tắc “{rule.code}” bị trùng."))
        seen.add(rule.code)
        try:
            compile_rule(rule.expression, schema)
        except RuleCompileError as exc:
            for problem in exc.problems:
                position = ""
                if problem.line:
                    position = f" (dòng {problem.line}, cột {problem.column})"
                problems.append(
                    Problem(rule.where, f"Quy tắc “{rule.code}”: {problem.message}{position}")
                )
    return problems
