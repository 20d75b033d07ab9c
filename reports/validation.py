"""Validation of a report: built-in checks from the value types, and the template's rules.

`validate_report` is the one function the entry form, the summary page, submission and
`manage.py validate_report` all call.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.urls import reverse

from indicators.models import Rule, TemplateVersion
from indicators.rules import RuleCompileError, Schema, TableData, ValueSet, compile_rule
from indicators.types import NOT_APPLICABLE, ValueType
from indicators.values import format_value

from .models import Report
from .selectors import (
    indicator_values,
    latest_report,
    previous_report,
    report_appendices,
    table_rows,
)

ERROR, WARNING, NOTICE = "error", "warning", "notice"


@dataclass(frozen=True)
class Violation:
    """One problem found in a report. `refs` are indicator codes and (table, row, column)
    cells; `seen` maps what was read to its value, shown to users as the evidence."""

    code: str
    severity: str  # error / warning / notice (a rule that could not run, e.g. no previous report)
    message: str
    refs: tuple = ()
    seen: dict = field(default_factory=dict, hash=False)
    row: int | str | None = None

    def as_json(self) -> dict:
        return {
            "rule": self.code,
            "severity": self.severity,
            "message": self.message,
            "indicators": [r for r in self.refs if isinstance(r, str)],
            "cells": [
                {"table": t, "row": row, "column": c}
                for t, row, c in self.refs
                if isinstance(t, str)
            ]
            if any(isinstance(r, tuple) for r in self.refs)
            else [],
            "row": self.row,
            "values": {name: _json_value(value) for name, value in self.seen.items()},
        }

    @property
    def indicator_codes(self) -> list[str]:
        return [r for r in self.refs if isinstance(r, str)]

    @property
    def cells(self) -> list[tuple]:
        return [r for r in self.refs if isinstance(r, tuple)]


def _json_value(value):
    """Numbers as JSON numbers (whole numbers as integers, never "1E+2"), dates as ISO text."""
    if value is NOT_APPLICABLE:
        return "/"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass(frozen=True)
class CompiledVersion:
    schema: Schema
    rules: tuple  # (Rule fields, CompiledRule | None)


@lru_cache(maxsize=64)
def compiled_version(version_id: int, published_at) -> CompiledVersion:
    """Rules compiled once per version (drafts recompile when edited: their cache key changes
    with the rule set, see _version_key)."""
    version = TemplateVersion.objects.get(pk=version_id)
    appendices = list(version.appendices.prefetch_related("indicators", "columns"))
    schema = Schema(
        indicators={
            row.code: row.value_type
            for a in appendices
            for row in a.indicators.all()
            if row.code and row.value_type != ValueType.HEADING
        },
        tables={
            a.code: {c.code: c.value_type for c in a.columns.all()}
            for a in appendices
            if a.is_table
        },
    )
    compiled = []
    for rule in Rule.objects.filter(version_id=version_id):
        try:
            program = compile_rule(rule.expression, schema)
        except RuleCompileError:
            program = None  # saved before a structure change; reported as a notice
        compiled.append(((rule.code, rule.severity, rule.message, rule.missing), program))
    return CompiledVersion(schema=schema, rules=tuple(compiled))


def _version_key(version: TemplateVersion):
    # Published versions are frozen; drafts change, so key them by their last rule edit too.
    if version.published_at:
        return version.published_at
    return tuple(Rule.objects.filter(version=version).values_list("code", "expression", "missing"))


def value_set(report: Report, appendices=None) -> ValueSet:
    appendices = appendices or report_appendices(report)
    values = {code: value for code, (value, _note) in indicator_values(report, appendices).items()}
    tables = {
        code: TableData(rows=data["rows"], total=data["total"])
        for code, data in table_rows(report, appendices).items()
    }
    return ValueSet(indicators=values, tables=tables)


def _builtin_checks(appendices, values: ValueSet) -> list[Violation]:
    """What the value types imply without any rule: required values present, ranges, codes,
    and stored text that is not a value of its type."""
    violations = []
    for appendix in appendices:
        if appendix.is_table:
            violations += _table_checks(appendix, values.tables.get(appendix.code))
            continue
        for row in appendix.indicators.all():
            if row.is_heading:
                continue
            value = values.indicators.get(row.code)
            problem = _value_problem(row.value_type, value, row.choices, required=row.required)
            if problem:
                violations.append(
                    Violation(
                        f"kieu:{row.code}",
                        ERROR,
                        f"{row.stt} {row.label}: {problem}".strip(),
                        refs=(row.code,),
                        seen={row.code: value},
                    )
                )
    return violations


def _table_checks(appendix, table: TableData | None) -> list[Violation]:
    violations = []
    columns = list(appendix.columns.all())
    for row_id, cells in table.rows if table else ():
        for column in columns:
            value = cells.get(column.code)
            problem = _value_problem(
                column.value_type, value, column.choices, required=column.required
            )
            if problem:
                violations.append(
                    Violation(
                        f"kieu:{appendix.code}.{column.code}",
                        ERROR,
                        f"{appendix.name or appendix.title}, dòng {row_id}, "
                        f"cột “{column.header}”: {problem}",
                        refs=((appendix.code, row_id, column.code),),
                        seen={f"{appendix.code}[{row_id}].{column.code}": value},
                        row=row_id,
                    )
                )
    return violations


def _value_problem(value_type, value, choices, *, required) -> str | None:
    if value is None:
        return (
            "Chưa nhập số liệu (bắt buộc; nếu không áp dụng hãy đánh dấu “/”)."
            if required
            else None
        )
    if value is NOT_APPLICABLE:
        return None
    if value_type == ValueType.INTEGER and value < 0:
        return "Số lượng không được âm."
    if value_type == ValueType.PERCENT and not (0 <= value <= 100):
        return f"Tỷ lệ {format_value(value_type, value)} phải từ 0 đến 100."
    if value_type == ValueType.CHOICE and value not in {code for code, _label in choices}:
        return f"Mã {value} không có trong danh sách mã."
    return None


def validate_report(
    report: Report, *, include_notices: bool = True, appendices=None
) -> list[Violation]:
    """Every violation of the report, errors first; notices say which rules could not run."""
    version = report.template_version
    appendices = appendices or report_appendices(report)
    values = value_set(report, appendices)
    compiled = compiled_version(version.pk, _version_key(version))
    previous_values = latest_values = None
    previous = previous_report(report)
    if previous is not None:
        previous_values = value_set(previous)
    if any(program and program.uses_latest for _fields, program in compiled.rules):
        latest = latest_report(report)
        latest_values = value_set(latest) if latest is not None else None
    violations = _builtin_checks(appendices, values)
    for (code, severity, message, missing), program in compiled.rules:
        if program is None:
            violations.append(
                Violation(code, NOTICE, f"Quy tắc “{code}” không còn hợp lệ với mẫu.")
            )
            continue
        if program.uses_previous and previous_values is None:
            if include_notices:
                violations.append(
                    Violation(code, NOTICE, f"{message} — bỏ qua: không có báo cáo kỳ trước.")
                )
            continue
        if program.uses_latest and latest_values is None:
            if include_notices:
                violations.append(
                    Violation(
                        code, NOTICE, f"{message} — bỏ qua: không có báo cáo nào trước báo cáo này."
                    )
                )
            continue
        outcomes = program.evaluate(
            values, previous=previous_values, missing=missing, latest=latest_values
        )
        for outcome in outcomes:
            if outcome.skipped and include_notices and _worth_noting(outcome):
                violations.append(
                    Violation(
                        code,
                        NOTICE,
                        f"{message} — chưa kiểm tra được: {outcome.notice}",
                        refs=outcome.refs,
                        row=outcome.row_id,
                    )
                )
            elif outcome.failed:
                violations.append(
                    Violation(
                        code,
                        severity,
                        message,
                        refs=outcome.refs,
                        seen=outcome.seen,
                        row=outcome.row_id,
                    )
                )
    order = {ERROR: 0, WARNING: 1, NOTICE: 2}
    return sorted(violations, key=lambda v: order[v.severity])


def _worth_noting(outcome) -> bool:
    """A rule skipped because nothing it reads is filled yet is not news; one skipped with some
    values present (a part missing, a wrong type, a division by zero) is."""
    if not outcome.notice:
        return False
    return any(value is not None for value in outcome.seen.values())


def explanation_key(violation: Violation) -> str:
    """Which explanation answers a warning: per rule, and per row for row-wise rules."""
    return violation.code if violation.row is None else f"{violation.code}@{violation.row}"


def violation_links(report, appendices, violations) -> list[tuple[Violation, list[tuple]]]:
    """Each violation with (label, url) links to the entry fields it involves."""
    where = {}
    for appendix in appendices:
        for row in appendix.indicators.all():
            if row.code:
                where[row.code] = (appendix, f"{row.stt} {row.label}".strip())
    by_code = {a.code: a for a in appendices}
    items = []
    for violation in violations:
        links = []
        for code in dict.fromkeys(violation.indicator_codes):
            if code in where:
                appendix, label = where[code]
                url = reverse("reports:report_appendix", args=[report.pk, appendix.code])
                links.append((label[:80], f"{url}#id_{appendix.code}-v-{code}"))
        for table, row, column in dict.fromkeys(violation.cells):
            appendix = by_code.get(table)
            if appendix is None:
                continue
            url = reverse("reports:report_appendix", args=[report.pk, table])
            anchor = f"#id_t-{table}-{row - 1}-{column}" if isinstance(row, int) else ""
            label = f"{appendix.name or table}, " + (
                f"dòng {row}" if isinstance(row, int) else "dòng Tổng cộng"
            )
            links.append((f"{label}, cột {column}", url + anchor))
        items.append((violation, links[:6]))
    return items
