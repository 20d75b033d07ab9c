"""The portal's template editors: turn what an administrator typed into specs, call the services,
and put every problem the services find beside the line it concerns.

A line's number is its place in the editor table (1-based), so a problem on the 7th line reads
"dòng 7" just as a problem in an imported file names its row.
"""

import csv
import io

from django.http import QueryDict

from .editor_forms import (
    AppendixMetaForm,
    ColumnFormSet,
    FixedRowsForm,
    IndicatorRowFormSet,
    OutlineFormSet,
    PasteForm,
    RuleFormSet,
    not_applicable_initial,
)
from .models import Appendix, TemplateVersion
from .services import (
    OUTLINE_SHEET,
    RULES_SHEET,
    TemplateError,
    appendix_replace,
    version_clone,
    version_outline_replace,
    version_problems,
    version_publish,
    version_rules_replace,
)
from .spec import AppendixSpec, ColumnSpec, IndicatorSpec, OutlineSpec, Problem, RuleSpec, Where
from .types import ValueType
from .values import format_choice_list
from .workbook import NO_WORDS, TIMING_WORDS, YES_WORDS, value_type_from_text

# Columns of the "Dán nhiều dòng" box when the pasted block has no header row, and the header
# words recognised when it has one (as in the template workbook, see docs/template-format.md).
PASTE_ORDER = {
    "rows": ["stt", "label", "unit", "code", "value_type", "level"],
    "columns": ["code", "header", "group", "number", "value_type", "required", "choice_text"],
}
PASTE_HEADERS = {
    "rows": {
        "stt": "stt",
        "chỉ tiêu": "label",
        "đơn vị tính": "unit",
        "mã chỉ tiêu": "code",
        "kiểu": "value_type",
        "bắt buộc": "required",
        "cấp": "level",
        "hướng dẫn": "help_text",
        "thời điểm/thời kỳ": "timing",
        "cho phép “/”": "not_applicable",
    },
    "columns": {
        "mã cột": "code",
        "tiêu đề cột": "header",
        "nhóm tiêu đề": "group",
        "số cột": "number",
        "kiểu": "value_type",
        "bắt buộc": "required",
        "danh sách mã": "choice_text",
    },
}


def read_pasted(text: str, kind: str) -> list[dict[str, str]]:
    """Lines copied from Excel (cells separated by tabs) as field -> text, blank lines skipped.
    A first line of column headers decides the order; otherwise PASTE_ORDER does."""
    lines = [
        [cell.strip() for cell in cells]
        for cells in csv.reader(io.StringIO(text.strip("\r\n")), dialect="excel-tab")
    ]
    lines = [cells for cells in lines if any(cells)]
    order = PASTE_ORDER[kind]
    headers = PASTE_HEADERS[kind]
    if lines and all(cell.lower() in headers for cell in lines[0] if cell):
        order = [headers.get(cell.lower(), "") for cell in lines[0]]
        lines = lines[1:]
    return [_pasted_fields(dict(zip(order, cells, strict=False))) for cells in lines]


def _pasted_fields(cells: dict[str, str]) -> dict[str, str]:
    fields = {name: value for name, value in cells.items() if name}
    type_text = fields.pop("value_type", "")
    if type_text:
        fields["value_type"] = value_type_from_text(type_text)
    elif "label" in fields and not fields.get("code"):
        fields["value_type"] = ValueType.HEADING.value
    if fields.pop("required", "").lower() in YES_WORDS:
        fields["required"] = "on"
    if "timing" in fields:
        fields["timing"] = TIMING_WORDS.get(fields["timing"].strip().lower(), "")
    if "not_applicable" in fields:
        word = fields.pop("not_applicable").lower()
        fields["not_applicable"] = (
            "co" if word in YES_WORDS else "khong" if word in NO_WORDS else ""
        )
    if "label" in fields and not fields.get("level"):
        fields["level"] = "1"
    return fields


def append_lines(data: QueryDict, prefix: str, lines: list[dict[str, str]]) -> QueryDict:
    """The posted formset data with `lines` added after the lines already there."""
    data = data.copy()
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    for offset, fields in enumerate(lines):
        for name, value in fields.items():
            data[f"{prefix}-{total + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(lines))
    return data


def filled_lines(formset):
    """(line number, cleaned data) of the lines with something typed; call after is_valid()."""
    for line, form in enumerate(formset.forms, start=1):
        if not form.is_blank():
            yield line, form.cleaned_data


def place_problems(problems: list[Problem], formset, sheet: str) -> list[Problem]:
    """Attach each problem located on a line of `sheet` to that line's form; return the rest."""
    rest = []
    for problem in problems:
        row = problem.where.row
        if problem.where.sheet == sheet and row and 1 <= row <= len(formset.forms):
            formset.forms[row - 1].problems.append(problem.message)
        else:
            rest.append(problem)
    return rest


def read_fixed_rows(text: str, codes: list[str]) -> tuple[list[dict[str, str]], list[str]]:
    """Tab-separated fixed rows in column order -> ([{code: text}], errors)."""
    rows, errors = [], []
    lines = csv.reader(io.StringIO(text.strip("\r\n")), dialect="excel-tab")
    for number, cells in enumerate((c for c in lines if any(x.strip() for x in c)), start=1):
        cells = [cell.strip() for cell in cells]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > len(codes):
            errors.append(
                f"Dòng cố định thứ {number} có {len(cells)} ô nhưng bảng chỉ có {len(codes)} cột."
            )
        rows.append({code: cell for code, cell in zip(codes, cells, strict=False) if cell})
    return rows, errors


def fixed_rows_text(rows: list[dict[str, str]], codes: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel-tab", lineterminator="\n")
    for row in rows:
        cells = [row.get(code, "") for code in codes]
        while cells and not cells[-1]:
            cells.pop()
        writer.writerow(cells)
    return out.getvalue()


class _LinesEditor:
    """A page editing a list of lines (outline sections, rules) of a draft as one formset."""

    formset_class = None
    prefix = ""
    sheet = ""

    def __init__(self, version: TemplateVersion, data=None, *, by):
        self.version = version
        self.by = by
        initial = self.initial() if data is None else None
        self.formset = self.formset_class(data, initial=initial, prefix=self.prefix)
        self.problems: list[Problem] = []  # those not tied to a line
        self.failed = False

    def save(self) -> bool:
        self.failed = True
        if not self.formset.is_valid():
            return False
        try:
            self.replace([self.item(line, data) for line, data in filled_lines(self.formset)])
        except TemplateError as exc:
            self.problems = place_problems(exc.problems, self.formset, self.sheet)
            return False
        self.failed = False
        return True


class OutlineEditor(_LinesEditor):
    formset_class = OutlineFormSet
    prefix = "muc"
    sheet = OUTLINE_SHEET

    def initial(self):
        return [
            {
                "code": s.code,
                "stt": s.stt,
                "title": s.title,
                "level": s.level,
                "help_text": s.help_text,
                "required": s.required,
            }
            for s in self.version.outline.all()
        ]

    def item(self, line, data) -> OutlineSpec:
        return OutlineSpec(
            code=data["code"],
            stt=data["stt"],
            title=data["title"],
            level=data["level"] or 1,
            help_text=data["help_text"],
            required=data["required"],
            where=Where(self.sheet, line),
        )

    def replace(self, items):
        version_outline_replace(version=self.version, outline=items, by=self.by)


class RulesEditor(_LinesEditor):
    formset_class = RuleFormSet
    prefix = "quy-tac"
    sheet = RULES_SHEET

    def initial(self):
        return [
            {
                "code": r.code,
                "severity": r.severity,
                "expression": r.expression,
                "message": r.message,
                "missing": r.missing,
            }
            for r in self.version.rules.all()
        ]

    def item(self, line, data) -> RuleSpec:
        return RuleSpec(
            code=data["code"],
            severity=data["severity"],
            expression=data["expression"],
            message=data["message"],
            missing=data["missing"],
            where=Where(self.sheet, line),
        )

    def replace(self, items):
        version_rules_replace(version=self.version, rules=items, by=self.by)


class AppendixEditor:
    """The page of one appendix: its metadata, its rows (indicator table) or its columns and
    fixed rows (repeating-row table), and the "Dán nhiều dòng" box, which appends the pasted
    lines to the table on screen."""

    def __init__(self, appendix: Appendix, data=None, *, by):
        self.appendix = appendix
        self.by = by
        self.kind = "columns" if appendix.is_table else "rows"
        self.prefix = "cot" if appendix.is_table else "dong"
        self.problems: list[Problem] = []  # those not tied to a line
        self.failed = False
        self.pasted = 0
        if data is not None:
            data = self._with_pasted_lines(data)
        self.paste_form = PasteForm(data, prefix="dan")
        self.meta_form = AppendixMetaForm(data, initial=self._meta_initial(), prefix="pl")
        formset_class = ColumnFormSet if appendix.is_table else IndicatorRowFormSet
        initial = self._lines_initial() if data is None else None
        self.formset = formset_class(data, initial=initial, prefix=self.prefix)
        self.fixed_form = None
        if appendix.is_table:
            codes = [c.code for c in appendix.columns.all()]
            self.fixed_form = FixedRowsForm(
                data,
                initial={"text": fixed_rows_text(appendix.fixed_rows, codes)},
                prefix="co-dinh",
            )

    def _with_pasted_lines(self, data: QueryDict) -> QueryDict:
        lines = read_pasted(data.get("dan-text", ""), self.kind)
        self.pasted = len(lines)
        if not lines:
            return data
        data = append_lines(data, self.prefix, lines)
        data["dan-text"] = ""
        return data

    def _meta_initial(self):
        a = self.appendix
        fields = ("name", "code", "title", "landscape", "has_total_row")
        return {name: getattr(a, name) for name in fields}

    def _lines_initial(self):
        if self.appendix.is_table:
            return [
                {
                    "code": c.code,
                    "header": c.header,
                    "group": c.group,
                    "number": c.number,
                    "value_type": c.value_type,
                    "required": c.required,
                    "choice_text": format_choice_list(c.choices) if c.choices else "",
                }
                for c in self.appendix.columns.all()
            ]
        return [
            {
                "stt": r.stt,
                "label": r.label,
                "unit": r.unit,
                "code": r.code,
                "value_type": r.value_type,
                "required": r.required,
                "not_applicable": not_applicable_initial(r.not_applicable),
                "level": r.level,
                "help_text": r.help_text,
                "timing": r.timing,
            }
            for r in self.appendix.indicators.all()
        ]

    def save(self) -> bool:
        self.failed = True
        forms = [self.meta_form, self.formset] + ([self.fixed_form] if self.fixed_form else [])
        if not all(form.is_valid() for form in forms):
            return False
        spec = self.spec()
        if spec is None:
            return False
        try:
            appendix_replace(
                version=self.appendix.version, appendix=self.appendix, spec=spec, by=self.by
            )
        except TemplateError as exc:
            self.problems = place_problems(exc.problems, self.formset, spec.name)
            return False
        self.failed = False
        return True

    def spec(self) -> AppendixSpec | None:
        meta = self.meta_form.cleaned_data
        name = meta["name"]
        spec = AppendixSpec(
            code=meta["code"],
            name=name,
            title=meta["title"],
            kind="table" if self.appendix.is_table else "indicators",
            landscape=meta["landscape"],
            has_total_row=meta["has_total_row"],
            where=Where(name),
        )
        lines = list(filled_lines(self.formset))
        if not self.appendix.is_table:
            spec.indicators = [_indicator(data, Where(name, line)) for line, data in lines]
            return spec
        spec.columns = [_column(data, Where(name, line)) for line, data in lines]
        codes = [column.code for column in spec.columns]
        spec.fixed_rows, errors = read_fixed_rows(self.fixed_form.cleaned_data["text"], codes)
        for error in errors:
            self.fixed_form.add_error("text", error)
        return None if errors else spec


def _indicator(data, where: Where) -> IndicatorSpec:
    return IndicatorSpec(
        stt=data["stt"],
        label=data["label"],
        unit=data["unit"],
        code=data["code"],
        value_type=data["value_type"],
        required=data["required"],
        not_applicable=data["not_applicable"],
        level=data["level"] or 1,
        help_text=data["help_text"],
        timing=data.get("timing", ""),
        where=where,
    )


def _column(data, where: Where) -> ColumnSpec:
    return ColumnSpec(
        code=data["code"],
        header=data["header"],
        value_type=data["value_type"],
        group=data["group"],
        number=data["number"],
        required=data["required"],
        choice_text=data["choice_text"] if data["value_type"] == ValueType.CHOICE else "",
        where=where,
    )


def publish(version: TemplateVersion, *, by) -> TemplateVersion:
    """Publish a draft; refused with every problem, located as the editors number lines."""
    _refuse_problems(version)
    return version_publish(version=version, by=by)


def clone(version: TemplateVersion, *, by) -> TemplateVersion:
    """A new draft with the same structure as `version`."""
    _refuse_problems(version)
    return version_clone(version=version, by=by)


def _refuse_problems(version: TemplateVersion):
    problems = version_problems(version)
    if problems:
        raise TemplateError(problems)
