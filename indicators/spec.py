"""A template version as plain data, independent of the database and of Excel.

The workbook reader produces a TemplateSpec, the importer turns it into a draft version, and the
exporter and the round-trip tests read versions back into the same shape. `check_spec` finds
every structural problem at once, each located by sheet and row, so a bad file is rejected whole.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from lib.periods import PeriodKind

from .changes import DEFAULT_OUTLIER_FACTOR, MIN_OUTLIER_FACTOR
from .types import ValueType
from .values import ValueParseError, parse_choice_list

META_SHEET = "Mẫu"
OUTLINE_SHEET = "Đề cương"
RULES_SHEET = "Quy tắc"
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TEMPLATE_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NUMBERED_STT_RE = re.compile(r"^(\d+(?:\.\d+)*)\.?$")
ROMAN_STT_RE = re.compile(r"^[IVXLC]+\.?$")
LETTER_STT_RE = re.compile(r"^[a-zđ]\)$")


@dataclass(frozen=True)
class Where:
    """Where an item came from, for error messages: sheet name and 1-based row."""

    sheet: str
    row: int | None = None

    def __str__(self):
        return f"Trang “{self.sheet}”" + (f", dòng {self.row}" if self.row else "")


@dataclass(frozen=True)
class Problem:
    where: Where
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}"


@dataclass
class OutlineSpec:
    code: str
    stt: str
    title: str
    level: int = 1
    help_text: str = ""
    required: bool = False  # a report must write it (or one of its subsections) to be submitted
    where: Where = field(default=Where("Đề cương"), compare=False, repr=False)


@dataclass
class IndicatorSpec:
    stt: str
    label: str
    unit: str
    code: str
    value_type: str
    required: bool = False
    level: int = 1
    help_text: str = ""
    # Whether "/" may stand for the value; None: only when the indicator is optional.
    not_applicable: bool | None = None
    aggregate: str = ""  # province templates: how it is compiled; blank = entered by hand
    timing: str = ""  # Timing: "point" (stock), "period" (flow), "" by the unit of measure
    where: Where = field(default=Where(""), compare=False, repr=False)

    @property
    def choices(self) -> list[tuple[int, str]]:
        return _choices_or_empty(self.value_type, self.unit)


@dataclass
class ColumnSpec:
    code: str
    header: str
    value_type: str
    group: str = ""
    number: str = ""
    required: bool = False
    choice_text: str = ""
    where: Where = field(default=Where(""), compare=False, repr=False)

    @property
    def choices(self) -> list[tuple[int, str]]:
        return _choices_or_empty(self.value_type, self.choice_text)


@dataclass
class AppendixSpec:
    code: str
    name: str
    title: str
    kind: str  # "indicators" or "table"
    landscape: bool = False
    has_total_row: bool = False
    indicators: list[IndicatorSpec] = field(default_factory=list)
    columns: list[ColumnSpec] = field(default_factory=list)
    fixed_rows: list[dict[str, str]] = field(default_factory=list)
    where: Where = field(default=Where(""), compare=False, repr=False)


@dataclass
class RuleSpec:
    code: str
    severity: str  # "error" / "warning"
    expression: str
    message: str
    missing: str = "skip"  # "skip" / "zero"
    where: Where = field(default=Where("Quy tắc"), compare=False, repr=False)


@dataclass
class TemplateSpec:
    code: str
    title: str
    period_kinds: list[str]
    applies_from: datetime.date | None
    province_code: str = ""
    notes: str = ""
    report_kinds: list[str] = field(default_factory=lambda: ["cchc"])
    # A value more than this many times (or less than 1/this) the previous period's is flagged.
    outlier_factor: Decimal = DEFAULT_OUTLIER_FACTOR
    outline: list[OutlineSpec] = field(default_factory=list)
    appendices: list[AppendixSpec] = field(default_factory=list)
    rules: list[RuleSpec] = field(default_factory=list)

    def value_codes(self) -> dict[str, str]:
        """Indicator code -> value type, over every indicator table."""
        return {
            row.code: row.value_type
            for appendix in self.appendices
            for row in appendix.indicators
            if row.code and row.value_type != ValueType.HEADING
        }

    def table_columns(self) -> dict[str, dict[str, str]]:
        return {
            appendix.code: {column.code: column.value_type for column in appendix.columns}
            for appendix in self.appendices
            if appendix.kind == "table"
        }


def _choices_or_empty(value_type: str, text: str) -> list[tuple[int, str]]:
    if value_type != ValueType.CHOICE:
        return []
    try:
        return parse_choice_list(text)
    except ValueParseError:
        return []


def _looks_like_choice_list(text: str) -> bool:
    try:
        parse_choice_list(text)
    except ValueParseError:
        return False
    return True


def check_spec(spec: TemplateSpec) -> list[Problem]:
    """Every structural problem of a template, in sheet and row order."""
    meta = Where("Mẫu")
    problems = []
    if not TEMPLATE_CODE_RE.match(spec.code or ""):
        problems.append(
            Problem(
                meta,
                f"Mã mẫu “{spec.code}” không hợp lệ: chỉ dùng chữ thường không dấu, "
                "chữ số, gạch ngang, gạch dưới.",
            )
        )
    if not spec.title:
        problems.append(Problem(meta, "Thiếu tiêu đề mẫu."))
    if not spec.period_kinds:
        problems.append(Problem(meta, "Thiếu loại kỳ áp dụng (ví dụ: Y, H1)."))
    for kind in spec.period_kinds:
        if kind not in PeriodKind.values:
            problems.append(
                Problem(meta, f"Loại kỳ “{kind}” không có; dùng Q1, Q2, Q3, Q4, H1, M9 hoặc Y.")
            )
    if not spec.report_kinds:
        problems.append(Problem(meta, "Thiếu loại báo cáo dùng mẫu (ví dụ: cchc)."))
    if spec.applies_from is None:
        problems.append(Problem(meta, "Thiếu ngày “Áp dụng từ” (dd/mm/yyyy)."))
    if not MIN_OUTLIER_FACTOR <= spec.outlier_factor < 1000:
        problems.append(
            Problem(
                meta,
                "Hệ số thay đổi bất thường phải từ 1,1 đến dưới 1.000 (ví dụ 3: gấp hơn 3 lần "
                "hoặc còn dưới 1/3 so với kỳ trước).",
            )
        )
    problems += _check_outline(spec.outline)
    problems += _check_codes(spec)
    for appendix in spec.appendices:
        if appendix.kind == "table":
            problems += _check_table(appendix)
        else:
            problems += _check_indicator_rows(appendix)
    return problems


def _check_outline(outline: list[OutlineSpec]) -> list[Problem]:
    problems, seen = [], set()
    for i, section in enumerate(outline):
        if not CODE_RE.match(section.code):
            problems.append(Problem(section.where, f"Mã mục “{section.code}” không hợp lệ."))
        elif section.code in seen:
            problems.append(Problem(section.where, f"Mã mục “{section.code}” bị trùng."))
        seen.add(section.code)
        if not section.title:
            problems.append(Problem(section.where, "Thiếu tiêu đề mục."))
        if section.level not in (1, 2) or (i == 0 and section.level != 1):
            problems.append(
                Problem(section.where, "Cấp của mục phải là 1, hoặc 2 khi nằm dưới một mục cấp 1.")
            )
    return problems


def _check_codes(spec: TemplateSpec) -> list[Problem]:
    """Machine codes are unique in the version: appendices, and indicators across appendices."""
    problems = []
    first_seen: dict[str, Where] = {}
    for appendix in spec.appendices:
        items = [(appendix.code, appendix.where, "Mã bảng")]
        items += [(row.code, row.where, "Mã chỉ tiêu") for row in appendix.indicators if row.code]
        for code, where, what in items:
            if not CODE_RE.match(code or ""):
                problems.append(
                    Problem(
                        where,
                        f"{what} “{code}” không hợp lệ: chữ thường không dấu, chữ số, "
                        "dấu gạch dưới, bắt đầu bằng chữ cái.",
                    )
                )
            elif code in first_seen:
                problems.append(Problem(where, f"{what} “{code}” đã dùng ở {first_seen[code]}."))
            else:
                first_seen[code] = where
    return problems


def _check_type_and_unit(value_type: str, unit: str, where: Where, *, in_table: bool):
    allowed = set(ValueType.values) - ({ValueType.HEADING} if in_table else {ValueType.MARK})
    if value_type not in allowed:
        names = ", ".join(sorted(str(ValueType(v).label) for v in allowed))
        return [Problem(where, f"Kiểu dữ liệu “{value_type}” không có; dùng một trong: {names}.")]
    if value_type == ValueType.CHOICE:
        try:
            parse_choice_list(unit)
        except ValueParseError as exc:
            return [Problem(where, f"Danh sách mã “{unit}” không đọc được: {exc}")]
        return []
    if in_table:
        return []  # a column's "unit" cell is its code list, checked above
    if unit and _looks_like_choice_list(unit):
        return [
            Problem(
                where,
                f"Đơn vị tính “{unit}” là danh sách mã nhưng kiểu dữ liệu là "
                f"“{ValueType(value_type).label}”; hãy chọn kiểu “lựa chọn”.",
            )
        ]
    if value_type == ValueType.PERCENT and unit.strip() != "%":
        return [Problem(where, f"Kiểu “tỷ lệ” phải có đơn vị tính “%”, không phải “{unit}”.")]
    if unit.strip() == "%" and value_type != ValueType.PERCENT:
        return [
            Problem(
                where,
                f"Đơn vị tính “%” mâu thuẫn với kiểu “{ValueType(value_type).label}”; "
                "hãy chọn kiểu “tỷ lệ”.",
            )
        ]
    return []


def _check_indicator_rows(appendix: AppendixSpec) -> list[Problem]:
    problems = []
    if not appendix.indicators:
        problems.append(Problem(appendix.where, "Bảng chỉ tiêu không có dòng nào."))
    # Stack of (level, stt) for the open ancestors, and the numbered STTs seen under each parent.
    ancestors: list[tuple[int, str]] = []
    siblings: dict[tuple, set[str]] = {}
    previous_level = 0
    for row in appendix.indicators:
        where = row.where
        if row.level < 1 or row.level > previous_level + 1:
            problems.append(
                Problem(
                    where,
                    f"Dòng nằm sai cấp: cấp {row.level} sau một dòng cấp {previous_level} "
                    f"(mỗi dòng chỉ sâu hơn dòng trên nhiều nhất một cấp).",
                )
            )
        previous_level = max(1, row.level)
        if not row.label:
            problems.append(Problem(where, "Thiếu tên chỉ tiêu."))
        problems += _check_type_and_unit(row.value_type, row.unit, where, in_table=False)
        if row.value_type != ValueType.HEADING and not row.code:
            problems.append(Problem(where, "Dòng có số liệu phải có mã chỉ tiêu."))
        while ancestors and ancestors[-1][0] >= row.level:
            ancestors.pop()
        parent_key = tuple(ancestors)
        problems += _check_stt(row.stt, ancestors, siblings.setdefault(parent_key, set()), where)
        ancestors.append((row.level, row.stt))
    return problems


def _check_stt(stt: str, ancestors, seen: set[str], where: Where) -> list[Problem]:
    stt = stt.strip()
    numbered = NUMBERED_STT_RE.match(stt) or ROMAN_STT_RE.match(stt) or LETTER_STT_RE.match(stt)
    if not numbered:
        return []  # "-", "+", "Trong đó" and blank legitimately repeat.
    problems = []
    key = stt.rstrip(".")
    if key in seen:
        problems.append(Problem(where, f"STT “{stt}” bị trùng với một dòng cùng cấp phía trên."))
    seen.add(key)
    dotted = NUMBERED_STT_RE.match(stt)
    if dotted and "." in dotted.group(1):
        parent_number = next(
            (
                NUMBERED_STT_RE.match(a_stt.strip()).group(1)
                for _level, a_stt in reversed(ancestors)
                if NUMBERED_STT_RE.match(a_stt.strip())
            ),
            None,
        )
        expected = dotted.group(1).rsplit(".", 1)[0]
        if parent_number is not None and parent_number != expected:
            problems.append(
                Problem(
                    where,
                    f"STT “{stt}” không nối tiếp STT “{parent_number}” của dòng cha "
                    f"(phải bắt đầu bằng “{parent_number}.”).",
                )
            )
    return problems


def _check_table(appendix: AppendixSpec) -> list[Problem]:
    problems, seen = [], set()
    if not appendix.columns:
        problems.append(Problem(appendix.where, "Bảng không có cột nào."))
    for column in appendix.columns:
        if not CODE_RE.match(column.code or ""):
            problems.append(Problem(column.where, f"Mã cột “{column.code}” không hợp lệ."))
        elif column.code in seen:
            problems.append(Problem(column.where, f"Mã cột “{column.code}” bị trùng."))
        seen.add(column.code)
        if not column.header:
            problems.append(Problem(column.where, "Thiếu tiêu đề cột."))
        problems += _check_type_and_unit(
            column.value_type, column.choice_text, column.where, in_table=True
        )
    for index, row in enumerate(appendix.fixed_rows, start=1):
        unknown = sorted(set(row) - seen)
        if unknown:
            problems.append(
                Problem(
                    appendix.where,
                    f"Dòng cố định thứ {index} dùng mã cột không có: {', '.join(unknown)}.",
                )
            )
    return problems
