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


def department_schema(province_id: int | None = None) -> Schema:
    """The indicator codes the departments' reports may carry: every published version of a
    template for the periodic CCHC report (the province's own or one for every province)."""
    rows = _department_indicators(province_id).values_list("code", "value_type")
    return Schema(indicators=dict(rows))


def department_names(province_id: int | None = None) -> dict:
    """What each of those codes is called (the newest version's label and choice texts), for
    describing an aggregation expression in words (indicators.rules.describe)."""
    from .rules.describe import Named

    rows = _department_indicators(province_id).values_list("code", "label", "choices")
    return {code: Named(label, dict(map(tuple, choices or []))) for code, label, choices in rows}


def _department_indicators(province_id: int | None):
    from django.db.models import Q

    from .models import Indicator, IndicatorTemplate, ReportKind, VersionStatus

    # In Python, not a JSON `contains` lookup: SQLite (the demo's database) has none.
    templates = [
        t.pk
        for t in IndicatorTemplate.objects.only("pk", "report_kinds")
        if ReportKind.DEFAULT_CODE in t.report_kinds
    ]
    return (
        Indicator.objects.filter(
            appendix__version__status=VersionStatus.PUBLISHED,
            appendix__version__template__in=templates,
        )
        .filter(
            Q(appendix__version__template__province__isnull=True)
            | Q(appendix__version__template__province_id=province_id)
        )
        .exclude(code="")
        .order_by("appendix__version__applies_from", "appendix__version__number")
    )


def aggregate_problems(spec: TemplateSpec) -> list[Problem]:
    """Every aggregation expression of a province template that does not compile against the
    departments' codes."""
    rows = [r for a in spec.appendices for r in a.indicators if r.aggregate]
    if not rows:
        return []
    from .rules.aggregate import compile_aggregate

    province = _province_id(spec.province_code)
    schema = department_schema(province)
    problems = []
    for row in rows:
        try:
            compile_aggregate(row.aggregate, schema)
        except RuleCompileError as exc:
            for problem in exc.problems:
                position = f" (cột {problem.column})" if problem.column else ""
                problems.append(
                    Problem(row.where, f"Tổng hợp “{row.code}”: {problem.message}{position}")
                )
    return problems


def _province_id(code: str) -> int | None:
    if not code:
        return None
    from org.models import Unit

    return Unit.objects.filter(code=code).values_list("pk", flat=True).first()
