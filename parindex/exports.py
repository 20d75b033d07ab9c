"""The results as the decision's appendix: a PDF in the NĐ 30 layout (WeasyPrint, as
documents/ prints reports) and a workbook (openpyxl, every cell written as text or number,
never as a formula: lib.xlsx.set_cell)."""

from io import BytesIO

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from documents.document import MOTTO, NATION
from lib.xlsx import SheetWriter

from .results import Results


def _title(results: Results) -> str:
    criteria_set = results.criteria_set
    level = "CÁC CƠ QUAN CHUYÊN MÔN" if criteria_set.unit_kind == "department" else "UBND CẤP XÃ"
    return f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {criteria_set.year} CỦA {level}"


def _attached(results: Results) -> str:
    decision = results.criteria_set.decision or (
        f"Quyết định số ……/QĐ-UBND ngày …… tháng …… năm {results.criteria_set.year + 1}"
    )
    return f"(Kèm theo {decision} của {results.criteria_set.province.name})"


def _header(province) -> list[str]:
    """A collective body's header: "ỦY BAN NHÂN DÂN" over "THÀNH PHỐ CẦN THƠ" (NĐ 30)."""
    body = "Ủy ban nhân dân "
    if province.name.startswith(body):
        return [body.strip().upper(), province.name.removeprefix(body).upper()]
    return [province.header_name or province.name.upper()]


def results_pdf(results: Results) -> bytes:
    # Imported here: WeasyPrint takes a while to load and only this function needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "parindex/results_pdf.html",
        {
            "results": results,
            "set": results.criteria_set,
            "header": _header(results.criteria_set.province),
            "nation": NATION,
            "motto": MOTTO,
            "title": _title(results),
            "attached": _attached(results),
        },
    )
    # Nothing is fetched from outside: the page carries all it shows.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def results_workbook(results: Results) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kết quả"
    out = SheetWriter(sheet)
    out.write(["Phụ lục"])
    out.write([_title(results)])
    out.write([_attached(results)])
    for row in (1, 2):
        sheet.cell(row=row, column=1).font = Font(bold=True)
    out.skip()
    headers = ["Vị thứ", "Đơn vị", "Trạng thái", "Điểm tự chấm", "Điểm thẩm định"]
    headers += [f"{code}. {title} ({points:.2f})" for code, title, points in results.fields]
    headers += ["Năm trước", "Tăng/giảm"]
    header = out.write(headers)
    for column in range(1, len(headers) + 1):
        cell = sheet.cell(row=header, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in results.rows:
        out.write(
            [
                row.rank,
                row.unit.name,
                row.state_label,
                row.self_total,
                row.appraised_total,
                *[row.fields.get(code) for code, _t, _p in results.fields],
                row.last_year,
                row.change,
            ]
        )
    sheet.column_dimensions["B"].width = 45
    sheet.column_dimensions["C"].width = 18
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
