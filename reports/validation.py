"""Validation of a report: built-in checks from the value types, and the template's rules.

`validate_report` is the one function the entry form, the summary page, submission and
`manage.py validate_report` all call; pages read it through `cached_violations`.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from operator import attrgetter

from django.urls import reverse

from indicators.derived import compiled_rules
from indicators.models import Rule
from indicators.naming import appendix_name, column_name, row_names
from indicators.rules import TableData, ValueSet
from indicators.rules.data import TOTAL_ROW
from indicators.rules.evaluator import notice_text
from indicators.types import NOT_APPLICABLE, ValueType
from indicators.values import format_value
from lib.html import html_to_text

from .derived import VIOLATIONS, violations_stamp
from .models import Report
from .selectors import latest_report, previous_report, report_appendices, stored_values

ERROR, WARNING, NOTICE = "error", "warning", "notice"


SEVERITY_LABELS = {ERROR: "Lỗi", WARNING: "Cảnh báo", NOTICE: "Ghi chú"}


@dataclass(frozen=True)
class Violation:
    """One problem found in a report. `refs` are indicator codes and (table, row, column)
    cells; `seen` maps what was read (by code) to its value, for machines (--json).

    People read `message`, `where` (the table row a row-wise rule is about) and `evidence`:
    (name, formatted value) pairs naming indicators by STT and label; `text` joins them."""

    code: str
    severity: str  # error / warning / notice (a rule that could not run, e.g. no previous report)
    message: str
    refs: tuple = ()
    seen: dict = field(default_factory=dict, hash=False)
    row: int | str | None = None
    where: str = ""
    evidence: tuple = ()
    blank: bool = False  # a required value (or section) not entered yet ("chưa nhập")
    section: str = ""  # the outline code of a required section not written

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def evidence_text(self) -> str:
        return "; ".join(f"{name}: {value}" for name, value in self.evidence)

    @property
    def text(self) -> str:
        """The whole message for people, e.g. "Hồ sơ theo lĩnh vực, dòng 11: Số hồ sơ … phải
        bằng … — cột (4) “Tổng số”: 2; cột (7) “Đã giải quyết”: 0"."""
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} — {self.evidence_text}" if self.evidence else text

    def as_json(self) -> dict:
        return {
            "rule": self.code,
            "severity": self.severity,
            "message": self.message,
            "text": self.text,
            "where": self.where,
            "evidence": [{"name": name, "value": value} for name, value in self.evidence],
            "indicators": [r for r in self.refs if isinstance(r, str)],
            # A rule may read indicators and table cells at once (ty_le >= max(t.c)).
            "cells": [{"table": t, "row": row, "column": c} for t, row, c in self.cells],
            "row": self.row,
            "section": self.section or None,
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


_EARLIER = {"prev": "kỳ trước", "last": "báo cáo gần nhất trước đó"}
_AGGREGATES = {"sum": "Tổng", "min": "Giá trị nhỏ nhất của", "max": "Giá trị lớn nhất của"}
_WRAPPED = re.compile(r"^(prev|last)\((.*)\)$", re.S)
_CELL = re.compile(r"^([a-z]\w*)\[(\w+)\]\.([a-z]\w*)$")
_CALL = re.compile(r"^(sum|min|max|total|count)\s*\(\s*(.*?)\s*\)$", re.S)
_ROW_COUNT = re.compile(r"\bcount\s*\(\s*([a-z][a-z0-9_]*)\s*\)")
_REFERENCE = re.compile(r"\b([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?\b")


class Names:
    """How a template version's indicators, tables, columns and cells are named for people:
    by STT and label, printed name and column header, never by machine code. Also reads the
    names rules give what they saw ("prev(x)", "t[3].c4", "sum(t.c4)")."""

    def __init__(self, appendices):
        self.rows = {}  # indicator code -> (name, row)
        self.tables = {}  # table code -> appendix
        self.columns = {}  # (table code, column code) -> column
        for appendix in appendices:
            if appendix.is_table:
                self.tables[appendix.code] = appendix
                for column in appendix.columns.all():
                    self.columns[(appendix.code, column.code)] = column
                continue
            rows = list(appendix.indicators.all())
            for row, name in zip(rows, row_names(rows), strict=True):
                if row.code:
                    self.rows[row.code] = (name, row)

    def indicator(self, code: str) -> str:
        return self.rows[code][0] if code in self.rows else code

    def table(self, code: str) -> str:
        return appendix_name(self.tables[code]) if code in self.tables else code

    def column(self, table: str, code: str) -> str:
        column = self.columns.get((table, code))
        return column_name(column) if column else f"cột {code}"

    def row(self, table: str, row) -> str:
        return f"{self.table(table)}, " + ("dòng Tổng cộng" if row == TOTAL_ROW else f"dòng {row}")

    def cell(self, table: str, row, column: str) -> str:
        return f"{self.row(table, row)}, {self.column(table, column)}"

    def place(self, ref) -> str:
        """An indicator code or a (table, row, column) cell, named."""
        return self.indicator(ref) if isinstance(ref, str) else self.cell(*ref)

    def describe(self, name: str, row=None) -> tuple[str, object, list]:
        """(name for people, value type or None, choices) of a name a rule saw; a cell of
        `row` is named by its column alone (the row is said once, in Violation.where)."""
        if match := _WRAPPED.match(name):
            label, value_type, choices = self.describe(match[2], row)
            return f"{label} ({_EARLIER[match[1]]})", value_type, choices
        if name in self.rows:
            indicator = self.rows[name][1]
            return self.rows[name][0], indicator.value_type, indicator.choices
        if match := _CELL.match(name):
            table, row_id, code = match.groups()
            row_id = int(row_id) if row_id.isdigit() else row_id
            column = self.columns.get((table, code))
            label = self.column(table, code) if row_id == row else self.cell(table, row_id, code)
            return label, column and column.value_type, column.choices if column else []
        match = _CALL.match(name)
        if match and _balanced(match[2]):  # one call, not "f(a) + f(b)"
            function, inner = match.groups()
            reference = _REFERENCE.fullmatch(inner)
            if function == "total" and reference and reference[2]:
                column = self.columns.get((reference[1], reference[2]))
                label = self.cell(reference[1], TOTAL_ROW, reference[2])
                return label, column and column.value_type, column.choices if column else []
            if function == "count" and inner in self.tables:
                return f"Số dòng của {self.table(inner)}", ValueType.INTEGER, []
            if function in _AGGREGATES:
                return f"{_AGGREGATES[function]} {self.expression(inner)}", None, []
        return self.expression(name), None, []

    def expression(self, text: str) -> str:
        """A fragment of a rule with its codes named: "cột (4) “Tổng số” của Phụ lục 3 + …"."""

        def named(match):
            first, second = match.groups()
            if second and (first, second) in self.columns:
                return f"{self.column(first, second)} của {self.table(first)}"
            if not second and first in self.rows:
                return self.indicator(first)
            if not second and first in self.tables:
                return self.table(first)
            return match[0]

        text = _ROW_COUNT.sub(
            lambda m: f"số dòng của {self.table(m[1])}" if m[1] in self.tables else m[0], text
        )
        return _REFERENCE.sub(named, text)

    def evidence(self, seen: dict, row=None) -> tuple:
        """(name, formatted value) of what a rule read."""
        pairs = []
        for name, value in seen.items():
            label, value_type, choices = self.describe(name, row)
            pairs.append((label, shown_value(value, value_type, choices)))
        return tuple(pairs)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def shown_value(value, value_type=None, choices=()) -> str:
    """A value as people read it: "2.986.670", "74,72", "97%", "07/01/2022", "/", "(trống)";
    a choice by its label."""
    if value_type == ValueType.MARK and value is not NOT_APPLICABLE:
        return "X" if value else "(không đánh dấu)"
    if value is None or value == "":
        return "(trống)"
    if value is NOT_APPLICABLE:
        return "/"
    if value_type == ValueType.CHOICE:
        label = next((label for code, label in choices or () if code == value), None)
        return f"{label} ({value})" if label else str(value)
    if isinstance(value, bool):
        return "có" if value else "không"
    if value_type is None or value_type == ValueType.HEADING:
        if isinstance(value, int | Decimal):
            value_type = ValueType.DECIMAL
        elif isinstance(value, datetime.date):
            value_type = ValueType.DATE
        else:
            return str(value)
    try:
        return format_value(value_type, value, choices=choices) or "(trống)"
    except (TypeError, ValueError, ArithmeticError):  # a stored value of another type
        return str(value)


def value_set(report: Report) -> ValueSet:
    stored = stored_values(report)
    values = {code: value for code, (value, _note) in stored["indicators"].items()}
    tables = {
        code: TableData(rows=data["rows"], total=data["total"])
        for code, data in stored["tables"].items()
    }
    return ValueSet(indicators=values, tables=tables)


REQUIRED_BLANK = "Chỉ tiêu bắt buộc chưa nhập số liệu (nếu không áp dụng, hãy đánh dấu “/”)."
# A required indicator the template does not let be "/": blank or "/", it needs a value.
REQUIRED_VALUE_BLANK = "Chỉ tiêu bắt buộc chưa nhập số liệu."
NOT_APPLICABLE_REFUSED = "Chỉ tiêu này không được ghi “/” (không áp dụng); hãy nhập số liệu."
SECTION_UNWRITTEN = "Mục bắt buộc của báo cáo chưa viết."
REQUIRED_CELL_BLANK = "Ô bắt buộc chưa nhập (nếu không áp dụng, hãy đánh dấu “/”)."


def _builtin_checks(appendices, values: ValueSet, names: Names) -> list[Violation]:
    """What the value types imply without any rule: required values present, ranges, codes,
    and stored text that is not a value of its type."""
    violations = []
    for appendix in appendices:
        if appendix.is_table:
            violations += _table_checks(appendix, values.tables.get(appendix.code), names)
            continue
        for row in appendix.indicators.all():
            if row.is_heading:
                continue
            value = values.indicators.get(row.code)
            problem = _value_problem(row.value_type, value, row.choices, required=row.required)
            if value is None and problem and not row.allows_not_applicable:
                problem = REQUIRED_VALUE_BLANK
            if value is NOT_APPLICABLE and not row.allows_not_applicable:
                violations.append(
                    Violation(
                        f"khong_ap_dung:{row.code}",
                        ERROR,
                        NOT_APPLICABLE_REFUSED,
                        refs=(row.code,),
                        seen={row.code: value},
                        where=names.indicator(row.code),
                    )
                )
                continue
            if problem:
                violations.append(
                    Violation(
                        f"kieu:{row.code}",
                        ERROR,
                        problem if value is None else f"{names.indicator(row.code)}: {problem}",
                        refs=(row.code,),
                        seen={row.code: value},
                        where=names.indicator(row.code) if value is None else "",
                        blank=value is None,
                    )
                )
    return violations


def _section_checks(report: Report) -> list[Violation]:
    """A required section is written when it, or one of its subsections, has text."""
    outline = list(report.template_version.outline.all())
    if not any(section.required for section in outline):
        return []
    written = {s.outline_id for s in report.sections.all() if html_to_text(s.content)}
    names = row_names(outline, label=attrgetter("title"))
    violations = []
    for index, (section, name) in enumerate(zip(outline, names, strict=True)):
        if not section.required:
            continue
        group = [section]
        for following in outline[index + 1 :]:
            if following.level <= section.level:
                break
            group.append(following)
        if not any(s.pk in written for s in group):
            violations.append(
                Violation(
                    f"muc:{section.code}",
                    ERROR,
                    SECTION_UNWRITTEN,
                    where=f"Mục {name}",
                    blank=True,
                    section=section.code,
                )
            )
    return violations


def _table_checks(appendix, table: TableData | None, names: Names) -> list[Violation]:
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
                        REQUIRED_CELL_BLANK
                        if value is None
                        else f"{column_name(column).capitalize()}: {problem}",
                        refs=((appendix.code, row_id, column.code),),
                        seen={f"{appendix.code}[{row_id}].{column.code}": value},
                        row=row_id,
                        where=names.cell(appendix.code, row_id, column.code)
                        if value is None
                        else names.row(appendix.code, row_id),
                        blank=value is None,
                    )
                )
    return violations


def _value_problem(value_type, value, choices, *, required) -> str | None:
    if value is None:
        return REQUIRED_BLANK if required else None
    if value is NOT_APPLICABLE:
        return None
    if value_type == ValueType.INTEGER and value < 0:
        return f"Số lượng {shown_value(value, value_type)} không được âm."
    if value_type == ValueType.PERCENT and not (0 <= value <= 100):
        return f"Tỷ lệ {shown_value(value, value_type)} phải từ 0 đến 100."
    if value_type == ValueType.CHOICE and value not in {code for code, _label in choices}:
        return f"Mã {value} không có trong danh sách mã."
    return None


_UNSET = object()


def cached_violations(
    report: Report, *, appendices=None, previous=_UNSET, share: bool = True
) -> list[Violation]:
    """validate_report's answer, kept (reports.derived.VIOLATIONS: each process, in front of
    the shared cache) under what it depends on: the template version and the stamps of the
    report and of the previous/latest reports (every write changes them). An autosave computes
    the answer after its save with `share=False`: the stamp is new, and the page load that
    needs it shares it. `previous` saves a query when the caller already has it."""
    version = report.template_version
    if version.published_at is None:  # a draft template's rules change without a report edit
        return validate_report(report, appendices=appendices)
    if previous is _UNSET:
        previous = previous_report(report)
    latest = None
    if any(program and program.uses_latest for _fields, program in compiled_rules(version).rules):
        latest = latest_report(report)
    return VIOLATIONS.get(
        report.pk,
        violations_stamp(report, previous, latest),
        partial(validate_report, report, appendices=appendices, previous=previous),
        share=share,
    )


def validate_report(
    report: Report, *, include_notices: bool = True, appendices=None, previous=_UNSET
) -> list[Violation]:
    """Every violation of the report, errors first; notices say which rules could not run."""
    version = report.template_version
    appendices = appendices or report_appendices(report)
    values = value_set(report)
    compiled = compiled_rules(version)
    previous_values = latest_values = None
    if previous is _UNSET:
        previous = previous_report(report)
    if previous is not None:
        previous_values = value_set(previous)
    if any(program and program.uses_latest for _fields, program in compiled.rules):
        latest = latest_report(report)
        latest_values = value_set(latest) if latest is not None else None
    names = Names(appendices)
    violations = _builtin_checks(appendices, values, names) + _section_checks(report)
    for (code, severity, message, missing), program in compiled.rules:
        if program is None:
            violations.append(
                Violation(
                    code,
                    NOTICE,
                    f"Không kiểm tra được “{message}”: quy tắc không còn hợp lệ với mẫu hiện tại.",
                )
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
            row = outcome.row_id
            where = names.row(program.row_table, row) if row is not None else ""
            if outcome.skipped and include_notices and _worth_noting(outcome):
                lacking = (
                    notice_text(outcome.notes, partial(_name_only, names, row))
                    if outcome.notes
                    else outcome.notice
                )
                violations.append(
                    Violation(
                        code,
                        NOTICE,
                        f"{message} — chưa kiểm tra được: {lacking}",
                        refs=outcome.refs,
                        row=row,
                        where=where,
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
                        row=row,
                        where=where,
                        evidence=names.evidence(outcome.seen, row),
                    )
                )
    order = {ERROR: 0, WARNING: 1, NOTICE: 2}
    return sorted(violations, key=lambda v: order[v.severity])


def quiet_blanks(report: Report, violations) -> tuple[list[Violation], list[Violation]]:
    """(the checks a page lists, the blank required values): until someone tries to submit
    the report, a required value not entered yet is "chưa nhập", counted apart, not an error."""
    blanks = [v for v in violations if v.blank]
    if report.blanks_are_errors:
        return violations, blanks
    return [v for v in violations if not v.blank], blanks


def _name_only(names: Names, row, name: str) -> str:
    return names.describe(name, row)[0]


def _worth_noting(outcome) -> bool:
    """A rule skipped because nothing it reads is filled yet is not news; one skipped with some
    values present (a part missing, a wrong type, a division by zero) is."""
    if not outcome.notice:
        return False
    return any(value is not None for value in outcome.seen.values())


def explanation_key(violation: Violation) -> str:
    """Which explanation answers a warning: per rule, and per row for row-wise rules."""
    return violation.code if violation.row is None else f"{violation.code}@{violation.row}"


def report_explanations(report, violations) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The department's explanations: key -> text for the warnings they answer (shown with
    each warning), and (what it answered, text) for those whose warning is gone."""
    explained = dict(report.explanations.exclude(text="").values_list("key", "text"))
    current = {explanation_key(v) for v in violations if v.severity == WARNING}
    rules = Rule.objects.filter(version=report.template_version)
    messages = dict(rules.values_list("code", "message"))
    others = []
    for key, text in explained.items():
        if key in current:
            continue
        code, _at, row = key.partition("@")
        answered = messages.get(code, "Cảnh báo không còn trong báo cáo")
        others.append((f"{answered} (dòng {row})" if row else answered, text))
    return explained, others


def violation_links(report, appendices, violations) -> list[tuple[Violation, list[tuple]]]:
    """Each violation with (name, url) links to the entry fields it involves."""
    names = Names(appendices)
    where = {row.code: a for a in appendices for row in a.indicators.all() if row.code}
    tables = {a.code for a in appendices if a.is_table}
    items = []
    for violation in violations:
        links = []
        for code in dict.fromkeys(violation.indicator_codes):
            if code in where:
                appendix = where[code]
                url = reverse("reports:report_appendix", args=[report.pk, appendix.code])
                links.append((names.indicator(code)[:80], f"{url}#id_{appendix.code}-v-{code}"))
        for table, row, column in dict.fromkeys(violation.cells):
            if table not in tables:
                continue
            url = reverse("reports:report_appendix", args=[report.pk, table])
            anchor = f"#id_t-{table}-{row - 1}-{column}" if isinstance(row, int) else ""
            links.append((names.cell(table, row, column), url + anchor))
        if violation.section:
            url = reverse("reports:report_section", args=[report.pk, violation.section])
            links.append((violation.where, url))
        items.append((violation, links[:6]))
    return items
