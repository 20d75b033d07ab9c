"""The criteria set as a workbook (docs/parindex.md, "The workbook"), and its JSON fixture.

One sheet, "Bộ chỉ số": a few label/value rows (name, year, level, decision), then a header row
starting "Mã" and one row per field (code "1"), criterion ("1.1") or sub-criterion ("1.1.1"):
Mã | Lĩnh vực, tiêu chí | Điểm tối đa | Hướng dẫn chấm | Biểu thức gợi ý điểm. Every problem is
reported with its row, nothing is stored until the whole sheet reads clean.
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from lib.text import xml_safe
from lib.xlsx import SheetWriter, XlsxError, open_workbook

from .models import SCORED_KINDS, CriteriaSet

SHEET = "Bộ chỉ số"
HEADERS = ["Mã", "Lĩnh vực, tiêu chí", "Điểm tối đa", "Hướng dẫn chấm", "Biểu thức gợi ý điểm"]
LABELS = {
    "tên bộ chỉ số": "title",
    "năm đánh giá": "year",
    "cấp đánh giá": "unit_kind",
    "quyết định ban hành": "decision",
}
KIND_LABELS = {str(label).lower(): value for value, label in SCORED_KINDS}
KIND_WORDS = {"cấp sở": "department", "cấp xã": "commune", **KIND_LABELS}
CODE = re.compile(r"^\d{1,2}(\.\d{1,2}){0,2}$")
MAX_ROWS = 400
MAX_POINTS = Decimal("1000")


class SpecError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class RowSpec:
    code: str
    title: str
    max_points: Decimal
    guidance: str = ""
    expression: str = ""

    @property
    def depth(self) -> int:
        return self.code.count(".")


@dataclass
class SetSpec:
    title: str
    unit_kind: str
    year: int | None = None
    decision: str = ""
    rows: list[RowSpec] = field(default_factory=list)

    def check(self) -> None:
        """Codes well formed and unique, every criterion under an existing field or criterion,
        a parent's points the sum of its children's."""
        problems = []
        if not self.title:
            problems.append("Thiếu tên bộ chỉ số.")
        if self.unit_kind not in dict(SCORED_KINDS):
            problems.append("Cấp đánh giá phải là “Cấp sở” hoặc “Cấp xã”.")
        if self.year is not None and not 2000 <= self.year <= 2100:
            problems.append(f"Năm đánh giá {self.year} không hợp lệ.")
        seen = {}
        for row in self.rows:
            if row.code in seen:
                problems.append(f"Mã {row.code} bị trùng.")
            seen[row.code] = row
            parent = row.code.rpartition(".")[0]
            if parent and parent not in seen:
                problems.append(f"Mã {row.code}: chưa có dòng {parent} đứng trước.")
        if not any(row.depth == 0 for row in self.rows):
            problems.append("Bộ chỉ số chưa có lĩnh vực nào (dòng có mã 1, 2, ...).")
        for row in self.rows:
            children = [r for r in self.rows if r.code.rpartition(".")[0] == row.code]
            if row.depth == 0 and not children:
                problems.append(f"Lĩnh vực {row.code} chưa có tiêu chí nào.")
            if children:
                total = sum((c.max_points for c in children), Decimal(0))
                if total != row.max_points:
                    problems.append(
                        f"Mã {row.code}: điểm tối đa {_points(row.max_points)} khác tổng điểm "
                        f"các dòng con ({_points(total)})."
                    )
                if row.expression:
                    problems.append(
                        f"Mã {row.code}: chỉ tiêu chí không có tiêu chí con mới có biểu thức."
                    )
        if problems:
            raise SpecError(problems)


def _points(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _decimal(raw, where: str, problems: list) -> Decimal:
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        problems.append(f"{where}: điểm tối đa “{raw or ''}” không phải là số.")
        return Decimal(0)
    if not value.is_finite() or value < 0 or value > MAX_POINTS:
        problems.append(f"{where}: điểm tối đa phải từ 0 đến {MAX_POINTS}.")
        return Decimal(0)
    return value.quantize(Decimal("0.01"))


def _text(value, limit: int) -> str:
    return xml_safe(str(value if value is not None else "")).strip()[:limit]


def spec_from_rows(meta: dict, raw_rows, *, first_row: int = 1) -> SetSpec:
    """A checked spec from label values and (code, title, points, guidance, expression) rows."""
    problems = []
    kind_text = str(meta.get("unit_kind") or "").strip().lower()
    year = meta.get("year")
    try:
        year = int(str(year).strip()) if year not in (None, "") else None
    except ValueError:
        problems.append(f"Năm đánh giá “{year}” không phải là số.")
        year = None
    spec = SetSpec(
        title=_text(meta.get("title"), 300),
        unit_kind=KIND_WORDS.get(kind_text, kind_text),
        year=year,
        decision=_text(meta.get("decision"), 300),
    )
    for number, row in enumerate(raw_rows, start=first_row):
        cells = list(row) + [None] * 5
        code = _text(cells[0], 20).rstrip(".")
        if not code and not any(cells[1:5]):
            continue
        where = f"Dòng {number}"
        if not CODE.match(code):
            problems.append(f"{where}: mã “{code}” phải có dạng 1, 1.1 hoặc 1.1.1.")
            continue
        title = _text(cells[1], 500)
        if not title:
            problems.append(f"{where}: thiếu tên lĩnh vực, tiêu chí.")
        spec.rows.append(
            RowSpec(
                code=code,
                title=title,
                max_points=_decimal(cells[2], where, problems),
                guidance=_text(cells[3], 5000),
                expression=_text(cells[4], 2000),
            )
        )
        if len(spec.rows) > MAX_ROWS:
            problems.append(f"Bộ chỉ số chỉ nhận đến {MAX_ROWS} dòng.")
            break
    if problems:
        raise SpecError(problems)
    spec.check()
    return spec


def read_workbook(file) -> SetSpec:
    """The spec in an uploaded workbook; raises SpecError (or XlsxError) with every problem."""
    try:
        workbook = open_workbook(file)
    except XlsxError as exc:
        raise SpecError([str(exc)]) from exc
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    meta, rows, header_row = {}, [], None
    for number, row in enumerate(sheet.iter_rows(max_col=5, values_only=True), start=1):
        first = str(row[0] or "").strip() if row else ""
        if header_row is None:
            if first.lower() == "mã":
                header_row = number
            elif first.lower().rstrip(":") in LABELS:
                meta[LABELS[first.lower().rstrip(":")]] = row[1] if len(row) > 1 else None
            continue
        rows.append(row)
    workbook.close()
    if header_row is None:
        raise SpecError([f"Không thấy dòng tiêu đề bắt đầu bằng “Mã” trong trang {SHEET}."])
    return spec_from_rows(meta, rows, first_row=header_row + 1)


def read_fixture(path) -> SetSpec:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [
        (r["code"], r["title"], r["max_points"], r.get("guidance", ""), r.get("expression", ""))
        for r in data["rows"]
    ]
    meta = {k: data.get(k) for k in ("title", "unit_kind", "decision", "year")}
    return spec_from_rows(meta, rows)


def write_workbook(criteria_set: CriteriaSet) -> bytes:
    """The set as the workbook read_workbook reads: export, edit, import again."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    out = SheetWriter(sheet)
    out.write(["BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    out.write(["Tên bộ chỉ số", criteria_set.title])
    out.write(["Năm đánh giá", criteria_set.year])
    out.write(["Cấp đánh giá", criteria_set.get_unit_kind_display()])
    out.write(["Quyết định ban hành", criteria_set.decision])
    out.write(["Phiên bản", criteria_set.version])
    out.skip()
    header = out.write(HEADERS)
    for column in range(1, len(HEADERS) + 1):
        sheet.cell(row=header, column=column).font = Font(bold=True)
    rows = [(f.code, f.title, f.max_points, "", "", True) for f in criteria_set.fields.all()]
    rows += [
        (c.code, c.title, c.max_points, c.guidance, c.expression, False)
        for c in criteria_set.criteria.all()
    ]
    rows.sort(key=lambda r: [int(part) for part in r[0].split(".")])
    for code, title, points, guidance, expression, is_field in rows:
        number = out.write([code, title, points, guidance, expression])
        if is_field:
            sheet.cell(row=number, column=2).font = Font(bold=True)
        sheet.cell(row=number, column=4).alignment = Alignment(wrap_text=True)
    for letter, width in zip("ABCDE", (8, 60, 12, 60, 45), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
