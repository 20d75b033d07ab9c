"""Template workbooks (docs/template-format.md): read one into a TemplateSpec, write one back.

Reading never stops at the first problem: every problem is collected with its sheet and row,
so an administrator fixes the whole file in one go.
"""

import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from lib.text import xml_safe
from lib.xlsx import SheetWriter, XlsxError, open_workbook

from .changes import DEFAULT_OUTLIER_FACTOR
from .spec import (
    META_SHEET,
    OUTLINE_SHEET,
    RULES_SHEET,
    AppendixSpec,
    ColumnSpec,
    IndicatorSpec,
    OutlineSpec,
    Problem,
    RuleSpec,
    TemplateSpec,
    Where,
)
from .types import ValueType
from .values import ValueParseError, format_value, parse_value

META_KEYS = {
    "mã mẫu": "code",
    "tiêu đề": "title",
    "loại kỳ": "period_kinds",
    "loại báo cáo": "report_kinds",
    "áp dụng từ": "applies_from",
    "tỉnh": "province_code",
    "ghi chú": "notes",
    "hệ số thay đổi bất thường": "outlier_factor",
}
APPENDIX_KEYS = {
    "phụ lục": "name",
    "mã bảng": "code",
    "tiêu đề": "title",
    "loại": "kind",
    "khổ giấy": "orientation",
    "dòng tổng": "total_row",
}
OUTLINE_HEADERS = ["Mã", "STT", "Tiêu đề", "Cấp", "Hướng dẫn", "Phải viết"]
INDICATOR_HEADERS = [
    "STT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Mã chỉ tiêu",
    "Kiểu",
    "Bắt buộc",
    "Cấp",
    "Hướng dẫn",
    "Cho phép “/”",  # optional: blank = only optional indicators may be "/"
    "Tổng hợp",  # optional: province templates only
    "Thời điểm/thời kỳ",  # optional: a compiled figure is a stock or a flow (Timing)
]
TIMING_WORDS = {
    "thời điểm": "point",
    "thoi diem": "point",
    "thời kỳ": "period",
    "thoi ky": "period",
    "": "",
}
# The "Tổng hợp" cell of a province-only fact, typed by Sở Nội vụ.
MANUAL_WORDS = {"nhập tay", "nhap tay", "manual"}
COLUMN_HEADERS = [
    "Mã cột",
    "Tiêu đề cột",
    "Nhóm tiêu đề",
    "Số cột",
    "Kiểu",
    "Bắt buộc",
    "Danh sách mã",
]
RULE_HEADERS = ["Mã quy tắc", "Mức độ", "Biểu thức", "Thông báo", "Khi thiếu số liệu"]
FIXED_ROWS_MARK = "dòng cố định"
TIMING_LABELS = {"point": "thời điểm", "period": "thời kỳ"}

KIND_WORDS = {"chỉ tiêu": "indicators", "bảng": "table"}
SEVERITY_WORDS = {"lỗi": "error", "cảnh báo": "warning", "error": "error", "warning": "warning"}
MISSING_WORDS = {"bỏ qua": "skip", "tính là 0": "zero", "skip": "skip", "zero": "zero"}
YES_WORDS = {"có", "x", "1", "true"}
NO_WORDS = {"không", "0", "false"}


class TemplateFileError(Exception):
    """The workbook cannot become a template version; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def value_type_from_text(text: str) -> str:
    """A value type from its Vietnamese label or its code; unknown text is returned as is so
    that check_spec reports it with its row."""
    key = text.strip().lower()
    for value_type in ValueType:
        if key in (value_type.value, str(value_type.label).lower()):
            return value_type.value
    return key


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return xml_safe(str(value)).strip()


def _rows(sheet: Worksheet):
    """(row number, list of cell texts) for every non-empty row."""
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        texts = [_text(cell) for cell in cells]
        while texts and not texts[-1]:
            texts.pop()
        yield number, texts


def _pad(texts: list[str], width: int) -> list[str]:
    return texts + [""] * (width - len(texts))


def _header_index(header: list[str], expected: list[str], where: Where, problems) -> dict | None:
    found = {name.lower(): i for i, name in enumerate(header) if name}
    missing = [name for name in expected[:2] if name.lower() not in found]
    if missing:
        problems.append(
            Problem(
                where,
                "Không thấy dòng tiêu đề cột (cần các cột: " + ", ".join(expected) + ").",
            )
        )
        return None
    return {name: found.get(name.lower()) for name in expected}


def _get(texts, index, name) -> str:
    position = index.get(name)
    return texts[position] if position is not None and position < len(texts) else ""


def _parse_int(text: str, where: Where, what: str, problems, default=1) -> int:
    if not text:
        return default
    if text.isdigit():
        return int(text)
    problems.append(Problem(where, f"{what} phải là số nguyên dương, không phải “{text}”."))
    return default


def _parse_date(text: str, where: Where, problems) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        problems.append(Problem(where, f"Ngày “{text}” phải theo dạng dd/mm/yyyy."))
        return None


def _read_meta(sheet: Worksheet, problems) -> TemplateSpec:
    values = {}
    for number, texts in _rows(sheet):
        if not texts:
            continue
        key = META_KEYS.get(texts[0].lower())
        if key is None:
            problems.append(Problem(Where(sheet.title, number), f"Không hiểu mục “{texts[0]}”."))
            continue
        values[key] = (texts[1] if len(texts) > 1 else "", Where(sheet.title, number))
    text = {key: value for key, (value, _where) in values.items()}
    applies_from = None
    if text.get("applies_from"):
        applies_from = _parse_date(text["applies_from"], values["applies_from"][1], problems)
    kinds = [k.strip().upper() for k in text.get("period_kinds", "").split(",") if k.strip()]
    factor = DEFAULT_OUTLIER_FACTOR
    if text.get("outlier_factor"):
        try:
            factor = parse_value(ValueType.DECIMAL, text["outlier_factor"])
        except ValueParseError as exc:
            problems.append(Problem(values["outlier_factor"][1], exc.message))
    return TemplateSpec(
        code=text.get("code", ""),
        title=text.get("title", ""),
        period_kinds=["Y" if k == "Y" else k for k in kinds],
        applies_from=applies_from,
        province_code=text.get("province_code", ""),
        notes=text.get("notes", ""),
        report_kinds=[
            k.strip().lower() for k in text.get("report_kinds", "cchc").split(",") if k.strip()
        ],
        outlier_factor=factor,
    )


def _read_outline(sheet: Worksheet, problems) -> list[OutlineSpec]:
    sections, index = [], None
    for number, texts in _rows(sheet):
        where = Where(sheet.title, number)
        if not texts:
            continue
        if index is None:
            index = _header_index(texts, OUTLINE_HEADERS, where, problems)
            if index is None:
                return []
            continue
        sections.append(
            OutlineSpec(
                code=_get(texts, index, "Mã"),
                stt=_get(texts, index, "STT"),
                title=_get(texts, index, "Tiêu đề"),
                level=_parse_int(_get(texts, index, "Cấp"), where, "Cấp", problems),
                help_text=_get(texts, index, "Hướng dẫn"),
                required=_get(texts, index, "Phải viết").lower() in YES_WORDS,
                where=where,
            )
        )
    return sections


def _read_rules(sheet: Worksheet, problems) -> list[RuleSpec]:
    rules, index = [], None
    for number, texts in _rows(sheet):
        where = Where(sheet.title, number)
        if not texts:
            continue
        if index is None:
            index = _header_index(texts, RULE_HEADERS, where, problems)
            if index is None:
                return []
            continue
        severity_text = _get(texts, index, "Mức độ").lower()
        missing_text = _get(texts, index, "Khi thiếu số liệu").lower() or "bỏ qua"
        severity = SEVERITY_WORDS.get(severity_text)
        missing = MISSING_WORDS.get(missing_text)
        if severity is None:
            problems.append(
                Problem(where, f"Mức độ “{severity_text}” không có; dùng “lỗi” hoặc “cảnh báo”.")
            )
        if missing is None:
            problems.append(
                Problem(
                    where,
                    f"“Khi thiếu số liệu” là “{missing_text}”; dùng “bỏ qua” hoặc “tính là 0”.",
                )
            )
        rule = RuleSpec(
            code=_get(texts, index, "Mã quy tắc"),
            severity=severity or "error",
            expression=_get(texts, index, "Biểu thức"),
            message=_get(texts, index, "Thông báo"),
            missing=missing or "skip",
            where=where,
        )
        if not rule.expression:
            problems.append(Problem(where, "Thiếu biểu thức."))
        if not rule.message:
            problems.append(Problem(where, "Thiếu thông báo cho người dùng."))
        rules.append(rule)
    return rules


def _read_appendix(sheet: Worksheet, problems) -> AppendixSpec:
    rows = list(_rows(sheet))
    meta, body_start = {}, len(rows)
    for i, (number, texts) in enumerate(rows):
        if not texts:
            body_start = i + 1
            break
        key = APPENDIX_KEYS.get(texts[0].lower())
        if key is None:
            problems.append(
                Problem(Where(sheet.title, number), f"Không hiểu mục “{texts[0]}” của phụ lục.")
            )
        else:
            meta[key] = texts[1] if len(texts) > 1 else ""
    where = Where(sheet.title)
    kind = KIND_WORDS.get(meta.get("kind", "").lower())
    if kind is None:
        problems.append(
            Problem(
                where,
                f"Loại phụ lục “{meta.get('kind', '')}” không có; dùng “chỉ tiêu” hoặc “bảng”.",
            )
        )
        kind = "indicators"
    orientation = meta.get("orientation", "dọc").lower() or "dọc"
    if orientation not in ("dọc", "ngang"):
        problems.append(
            Problem(where, f"Khổ giấy “{orientation}” không có; dùng “dọc” hoặc “ngang”.")
        )
    appendix = AppendixSpec(
        code=meta.get("code", ""),
        name=meta.get("name", "") or sheet.title,
        title=meta.get("title", ""),
        kind=kind,
        landscape=orientation == "ngang",
        has_total_row=meta.get("total_row", "").lower() in YES_WORDS,
        where=where,
    )
    if not appendix.title:
        problems.append(Problem(where, "Thiếu tiêu đề phụ lục."))
    body = rows[body_start:]
    if kind == "table":
        _read_columns(sheet.title, body, appendix, problems)
    else:
        _read_indicators(sheet.title, body, appendix, problems)
    return appendix


def _read_indicators(title, body, appendix: AppendixSpec, problems):
    index = None
    for number, texts in body:
        where = Where(title, number)
        if not texts:
            continue
        if index is None:
            index = _header_index(texts, INDICATOR_HEADERS, where, problems)
            if index is None:
                return
            continue
        appendix.indicators.append(
            IndicatorSpec(
                stt=_get(texts, index, "STT"),
                label=_get(texts, index, "Chỉ tiêu"),
                unit=_get(texts, index, "Đơn vị tính"),
                code=_get(texts, index, "Mã chỉ tiêu"),
                value_type=value_type_from_text(_get(texts, index, "Kiểu")),
                required=_get(texts, index, "Bắt buộc").lower() in YES_WORDS,
                level=_parse_int(_get(texts, index, "Cấp"), where, "Cấp", problems),
                help_text=_get(texts, index, "Hướng dẫn"),
                not_applicable=_yes_no(_get(texts, index, "Cho phép “/”"), where, problems),
                aggregate=_aggregate_text(_get(texts, index, "Tổng hợp")),
                timing=_timing(_get(texts, index, "Thời điểm/thời kỳ"), where, problems),
                where=where,
            )
        )


def _timing(text: str, where: Where, problems) -> str:
    timing = TIMING_WORDS.get(text.strip().lower())
    if timing is None:
        problems.append(
            Problem(where, f"“{text}” không dùng được; ghi “thời điểm”, “thời kỳ” hoặc để trống.")
        )
        return ""
    return timing


def _yes_no(text: str, where: Where, problems) -> bool | None:
    """`có` / `không` / blank (None: the default)."""
    word = text.strip().lower()
    if not word:
        return None
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    problems.append(
        Problem(where, f"Cho phép “/”: ghi “có”, “không” hoặc để trống, không phải “{text}”.")
    )
    return None


def _aggregate_text(text: str) -> str:
    return "" if text.strip().lower() in MANUAL_WORDS else text.strip()


def _read_columns(title, body, appendix: AppendixSpec, problems):
    index, fixed_header, in_fixed = None, None, False
    for number, texts in body:
        where = Where(title, number)
        if not texts:
            continue
        if texts[0].lower() == FIXED_ROWS_MARK:
            in_fixed = True
            continue
        if in_fixed:
            if fixed_header is None:
                fixed_header = texts
                continue
            appendix.fixed_rows.append(
                {code: value for code, value in zip(fixed_header, texts, strict=False) if value}
            )
            continue
        if index is None:
            index = _header_index(texts, COLUMN_HEADERS, where, problems)
            if index is None:
                return
            continue
        appendix.columns.append(
            ColumnSpec(
                code=_get(texts, index, "Mã cột"),
                header=_get(texts, index, "Tiêu đề cột"),
                group=_get(texts, index, "Nhóm tiêu đề"),
                number=_get(texts, index, "Số cột"),
                value_type=value_type_from_text(_get(texts, index, "Kiểu")),
                required=_get(texts, index, "Bắt buộc").lower() in YES_WORDS,
                choice_text=_get(texts, index, "Danh sách mã"),
                where=where,
            )
        )


def read_template_workbook(file) -> TemplateSpec:
    """Read a template workbook; raises TemplateFileError listing every problem found while
    reading (structure checks are check_spec's job)."""
    try:
        workbook = open_workbook(file)
    except XlsxError as exc:
        raise TemplateFileError([Problem(Where("tệp"), str(exc))]) from exc
    problems: list[Problem] = []
    if META_SHEET not in workbook.sheetnames:
        raise TemplateFileError([Problem(Where(META_SHEET), "Thiếu trang “Mẫu” (thông tin mẫu).")])
    spec = _read_meta(workbook[META_SHEET], problems)
    for sheet in workbook.worksheets:
        if sheet.title == META_SHEET:
            continue
        if sheet.title == OUTLINE_SHEET:
            spec.outline = _read_outline(sheet, problems)
        elif sheet.title == RULES_SHEET:
            spec.rules = _read_rules(sheet, problems)
        else:
            spec.appendices.append(_read_appendix(sheet, problems))
    if problems:
        raise TemplateFileError(problems)
    return spec


# --- writing ---------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


def _write_row(out: SheetWriter, values, *, header=False):
    row = out.write(values)
    if header:
        for cell in out.sheet[row]:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL


def _yes(flag: bool) -> str:
    return "có" if flag else ""


def _yes_no_text(flag: bool | None) -> str:
    return "" if flag is None else _yes(flag) or "không"


def _widths(sheet: Worksheet, widths: list[int]):
    for letter, width in zip("ABCDEFGHIJ", widths, strict=False):
        sheet.column_dimensions[letter].width = width


def write_template_workbook(spec: TemplateSpec) -> bytes:
    workbook = Workbook()
    workbook.active.title = META_SHEET
    meta = SheetWriter(workbook.active)
    for label, value in [
        ("Mã mẫu", spec.code),
        ("Tiêu đề", spec.title),
        ("Loại kỳ", ", ".join(spec.period_kinds)),
        ("Áp dụng từ", spec.applies_from.strftime("%d/%m/%Y") if spec.applies_from else ""),
        ("Tỉnh", spec.province_code),
        ("Ghi chú", spec.notes),
        ("Loại báo cáo", ", ".join(spec.report_kinds)),
        ("Hệ số thay đổi bất thường", format_value(ValueType.DECIMAL, spec.outlier_factor)),
    ]:
        _write_row(meta, [label, value])
    _widths(meta.sheet, [16, 90])

    if spec.outline:
        sheet = SheetWriter(workbook.create_sheet(OUTLINE_SHEET))
        _write_row(sheet, OUTLINE_HEADERS, header=True)
        for s in spec.outline:
            _write_row(sheet, [s.code, s.stt, s.title, s.level, s.help_text, _yes(s.required)])
        _widths(sheet.sheet, [16, 6, 70, 6, 60, 9])

    for appendix in spec.appendices:
        sheet = SheetWriter(workbook.create_sheet(_sheet_title(workbook, appendix)))
        _write_row(sheet, ["Phụ lục", appendix.name])
        _write_row(sheet, ["Mã bảng", appendix.code])
        _write_row(sheet, ["Tiêu đề", appendix.title])
        _write_row(sheet, ["Loại", "bảng" if appendix.kind == "table" else "chỉ tiêu"])
        _write_row(sheet, ["Khổ giấy", "ngang" if appendix.landscape else "dọc"])
        if appendix.kind == "table":
            _write_row(sheet, ["Dòng tổng", _yes(appendix.has_total_row)])
            sheet.skip()
            _write_row(sheet, COLUMN_HEADERS, header=True)
            for c in appendix.columns:
                _write_row(
                    sheet,
                    [
                        c.code,
                        c.header,
                        c.group,
                        c.number,
                        ValueType(c.value_type).label,
                        _yes(c.required),
                        c.choice_text,
                    ],
                )
            if appendix.fixed_rows:
                codes = [c.code for c in appendix.columns]
                sheet.skip()
                _write_row(sheet, ["Dòng cố định"], header=True)
                _write_row(sheet, codes, header=True)
                for row in appendix.fixed_rows:
                    _write_row(sheet, [row.get(code, "") for code in codes])
            _widths(sheet.sheet, [18, 50, 30, 8, 16, 9, 30])
        else:
            sheet.skip()
            # The "Tổng hợp" column only in province templates, so other exports stay as they were.
            compiled = any(r.aggregate for r in appendix.indicators)
            headers = INDICATOR_HEADERS if compiled else INDICATOR_HEADERS[:-2]
            _write_row(sheet, headers, header=True)
            for r in appendix.indicators:
                aggregate = []
                if compiled and r.value_type != ValueType.HEADING:
                    aggregate = [r.aggregate or "nhập tay", TIMING_LABELS.get(r.timing, "")]
                _write_row(
                    sheet,
                    [
                        r.stt,
                        r.label,
                        r.unit,
                        r.code,
                        ValueType(r.value_type).label,
                        _yes(r.required),
                        r.level,
                        r.help_text,
                        _yes_no_text(r.not_applicable),
                        *aggregate,
                    ],
                )
            _widths(sheet.sheet, [8, 70, 24, 24, 16, 9, 6, 40, 9])
        for row in sheet.sheet.iter_rows():
            for cell in row:
                cell.alignment = WRAP

    if spec.rules:
        sheet = SheetWriter(workbook.create_sheet(RULES_SHEET))
        _write_row(sheet, RULE_HEADERS, header=True)
        for rule in spec.rules:
            _write_row(
                sheet,
                [
                    rule.code,
                    "lỗi" if rule.severity == "error" else "cảnh báo",
                    rule.expression,
                    rule.message,
                    "bỏ qua" if rule.missing == "skip" else "tính là 0",
                ],
            )
        _widths(sheet.sheet, [22, 10, 70, 70, 16])

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(workbook, appendix: AppendixSpec) -> str:
    # Excel limits sheet names to 31 characters and forbids a few characters.
    base = "".join(ch for ch in (appendix.name or appendix.code) if ch not in "[]:*?/\\")[:31]
    title, n = base, 2
    while title in workbook.sheetnames or title in (META_SHEET, OUTLINE_SHEET, RULES_SHEET):
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title
