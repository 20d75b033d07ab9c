"""PDF and Word exports of the four seed reports, the download views and `export_report`.

Rendering is slow, so the four demo reports (and a draft) are rendered once for the module inside
a transaction that is rolled back; the view and command tests load what they need themselves.
"""

import datetime
import io
import os
import re
import shutil
import struct
import subprocess
from dataclasses import dataclass

import docx
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from pypdf import PdfReader

from demo.loader import load_periods, load_seed_reports, load_templates, load_units
from documents import pdf
from documents.document import MOTTO, NATION, ReportDocument, build_document
from documents.docx import report_docx
from documents.management.commands.export_report import Command as ExportCommand
from documents.pdf import document_pdf, report_pdf
from lib.html import ALLOWED_TAGS
from org.models import Role, Unit
from reports.models import Report, ReportState, TableRow
from tests.factories import make_user

# Also makes pytest-django create the test database when only the rendered-once tests run.
pytestmark = pytest.mark.django_db

DEMO_DAY = datetime.date(2026, 11, 22)
A4 = (595.28, 841.89)  # portrait, in points
TOP_MARGIN_PT = 20 / 25.4 * 72  # the page numbers' margin box on portrait pages
SEEDS = {  # key: (unit code, period code)
    "soctrang": ("soc-trang-skhcn", "2021-Y"),
    "quangtri": ("quang-tri-skhcn", "2020-Y"),
    "brvt": ("ba-ria-vung-tau-skhcn", "2019-Y"),
    "binhdinh": ("binh-dinh-skhcn", "2022-H1"),
}
POPPLER = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdffonts") and shutil.which("pdftotext")),
    reason="poppler-utils (pdftoppm, pdffonts, pdftotext) is not installed",
)


@dataclass
class Rendered:
    report: Report
    document: ReportDocument
    pdf: bytes
    docx: bytes

    @property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.pdf))


def _squash(text: str) -> str:
    """Text without any whitespace: table cells wrap wherever their column is narrow."""
    return re.sub(r"\s+", "", text)


def _pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _seed(key: str) -> Report:
    unit, period = SEEDS[key]
    kind, year = period.split("-")[1], int(period.split("-")[0])
    return Report.objects.select_related("unit", "period", "template_version").get(
        unit__code=unit, period__kind=kind, period__year=year
    )


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> dict[str, Rendered]:
    """The demo's four seed reports rendered, plus "draft": Bình Định's report turned back into
    a draft."""
    results = {}
    with django_db_blocker.unblock(), transaction.atomic():
        load_units()
        load_periods(DEMO_DAY)
        load_templates()
        load_seed_reports()
        for key in SEEDS:
            report = _seed(key)
            document = build_document(report)
            results[key] = Rendered(report, document, document_pdf(document), report_docx(report))
        draft = _seed("binhdinh")
        Report.objects.filter(pk=draft.pk).update(state=ReportState.DRAFT)
        draft.refresh_from_db()
        document = build_document(draft)
        results["draft"] = Rendered(draft, document, document_pdf(document), report_docx(draft))
        transaction.set_rollback(True)
    return results


# --- the document's data ------------------------------------------------------------------------


def test_header_prints_number_and_date_in_the_official_format(seed_report):
    report = seed_report("soctrang-2021-y")
    document = build_document(report)
    assert document.number_line == "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-SKHCN"
    assert document.place_date == "Sóc Trăng, ngày 16 tháng 12 năm 2021"
    report.number, report.issued_on = "5", datetime.date(2022, 1, 5)
    issued = build_document(report)
    assert issued.number_line == "Số: 05/BC-SKHCN"
    assert issued.place_date == "Sóc Trăng, ngày 05 tháng 01 năm 2022"
    report.issued_on = datetime.date(2022, 3, 7)
    assert build_document(report).place_date == "Sóc Trăng, ngày 07 tháng 3 năm 2022"
    report.issued_on = None
    blank = "\u00a0" * 5
    assert build_document(report).place_date == (f"Sóc Trăng, ngày {blank} tháng {blank} năm 2021")


def test_document_is_read_in_a_few_queries_whatever_its_size(
    seed_report, django_assert_max_num_queries
):
    report = seed_report("soctrang-2021-y")
    with django_assert_max_num_queries(10):
        document = build_document(report)
    assert sum(len(appendix.table.rows) for appendix in document.appendices) > 170


def test_deputy_signs_for_the_director_and_recipients_end_with_the_archive(seed_report):
    report = seed_report("quangtri-2020-y")
    assert build_document(report).recipients == (
        "- Sở Nội vụ;",
        "- Các phòng, đơn vị thuộc Sở;",
        "- Lưu VT.",
    )
    report.signer_authority, report.signer_position = "Giám đốc", "Phó Giám đốc"
    assert build_document(report).signature == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    report.signer_authority = "KT. GIÁM ĐỐC"
    assert build_document(report).signature == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")


def test_grouped_columns_get_a_two_row_header(rendered):
    appendix = next(
        a for a in rendered["brvt"].document.appendices if a.title.startswith("TỔNG HỢP SỐ LƯỢNG")
    )
    top, bottom = appendix.table.header
    assert [(c.text, c.colspan, c.rowspan) for c in top] == [
        ("STT", 1, 2),
        ("Tên TTHC", 1, 2),
        ("Lĩnh vực", 1, 2),
        ("Số hồ sơ nhận giải quyết", 3, 1),
        ("Kết quả giải quyết", 3, 1),
        ("Số hồ sơ đang giải quyết", 3, 1),
    ]
    assert [c.text for c in bottom][:3] == ["Tổng số", "Số kỳ trước chuyên qua", "Số mới tiếp nhận"]
    assert appendix.table.numbers == tuple(f"({n})" for n in range(1, 13))
    assert sum(appendix.table.widths) == 100


def _total_cells(document) -> list[tuple[str, int]]:
    appendix = next(a for a in document.appendices if a.title.startswith("KẾT QUẢ TIẾP NHẬN"))
    row = appendix.table.rows[-1]
    assert row.kind == "total"
    return [(c.text, c.colspan) for c in row.cells]


def test_total_row_is_the_stored_one_or_the_column_sums(seed_report):
    report = seed_report("brvt-2019-y")
    assert _total_cells(build_document(report)) == [("Tổng cộng", 4), ("11", 1), ("466", 1)]
    # Without the stored row: the sums of the rows, which here agree with the paper report.
    TableRow.objects.filter(report=report, is_total=True).delete()
    assert _total_cells(build_document(report)) == [("Tổng cộng", 4), ("11", 1), ("466", 1)]


def test_appendices_keep_their_printed_names_or_get_roman_numerals(rendered):
    names = {key: [a.name for a in rendered[key].document.appendices] for key in SEEDS}
    assert names["soctrang"] == ["", "Phụ lục 1", "Phụ lục 2"]
    assert names["brvt"] == ["Phụ lục I", "Phụ lục II", "Phụ lục III", "Phụ lục IV"]
    assert names["quangtri"] == ["Phụ lục 1"]
    assert names["binhdinh"] == ["Phụ lục"]
    reference = rendered["quangtri"].document.appendices[0].reference
    assert reference == (
        "(Kèm theo Báo cáo số 136/BC-SKHCCN ngày 19 tháng 11 năm 2020 "
        "của Sở Khoa học và Công nghệ tỉnh Quảng Trị)"
    )


# --- PDF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", SEEDS)
def test_pdf_prints_the_official_header_and_title(rendered, key):
    report = rendered[key].report
    first_page = _squash(_pdf_text(rendered[key].pdf)[0])
    for line in (NATION, MOTTO, report.parent_body, report.issuing_body, "BÁO CÁO", report.title):
        assert _squash(line) in first_page
    assert rendered[key].reader.metadata.title == report.title


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("soctrang", ["Kế hoạch số 01/KH-SKHCN", "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2"]),
        ("soctrang", ["Có = 1 Không = 0", "Nơi nhận:", "- Lưu: VT, VP.", "Vũ Thị Hiếu Đông"]),
        ("brvt", ["Tổng cộng", "466", "Khai báo thiết bị X-quang chẩn đoán trong y tế"]),
        ("quangtri", ["Phụ lục 1", "KẾT QUẢ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2020"]),
        ("binhdinh", ["Kế hoạch số 57/KH-SKHCN ngày 25/01/2022", "Lê Công Nường"]),
    ],
)
def test_pdf_text_keeps_values_and_vietnamese_diacritics(rendered, key, expected):
    text = _squash("".join(_pdf_text(rendered[key].pdf)))
    for value in expected:
        assert _squash(value) in text


@pytest.mark.parametrize("key", SEEDS)
def test_pdf_pages_are_a4_and_landscape_only_for_wide_appendices(rendered, key):
    pages = rendered[key].reader.pages
    texts = [_squash(text) for text in _pdf_text(rendered[key].pdf)]
    starts = [
        next(i for i, text in enumerate(texts) if _squash(a.name + a.title) in text)
        for a in rendered[key].document.appendices
    ]
    landscape = [False] * len(pages)
    for appendix, start, end in zip(
        rendered[key].document.appendices, starts, starts[1:] + [len(pages)], strict=True
    ):
        landscape[start:end] = [appendix.landscape] * (end - start)
    sizes = [size for page in pages for size in (page.mediabox.width, page.mediabox.height)]
    expected = [size for wide in landscape for size in (A4[::-1] if wide else A4)]
    assert sizes == pytest.approx(expected, abs=1)
    if key in ("brvt", "quangtri"):
        assert any(landscape)


def _top_words(pdf_path, page: int) -> list[str]:
    """Words printed in the top margin of a page (pdftotext -bbox, y from the top)."""
    html = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf_path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = re.findall(r'yMax="([\d.]+)">([^<]*)</word>', html)
    return [word for y_max, word in words if float(y_max) < TOP_MARGIN_PT]


@POPPLER
def test_pages_are_numbered_at_the_top_from_the_second_page_and_anew_per_appendix(
    rendered, tmp_path
):
    path = tmp_path / "report.pdf"
    path.write_bytes(rendered["soctrang"].pdf)
    assert _top_words(path, 1) == []
    assert _top_words(path, 2) == ["2"]
    assert _top_words(path, 3) == ["3"]
    texts = [_squash(text) for text in _pdf_text(rendered["soctrang"].pdf)]
    statistics = rendered["soctrang"].document.appendices[-1]
    start = next(i for i, t in enumerate(texts) if _squash(statistics.name + statistics.title) in t)
    assert _top_words(path, start + 1) == []
    assert _top_words(path, start + 2) == ["2"]
    assert _top_words(path, start + 3) == ["3"]


@POPPLER
@pytest.mark.parametrize("key", SEEDS)
def test_pdf_fonts_are_embedded_times_compatible_fonts(rendered, key, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(rendered[key].pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        fields = line.split()
        assert fields[-5] == "yes", line  # the "emb" column
        assert re.search(r"Tinos|LiberationSerif|TimesNewRoman", fields[0]), line


def test_draft_is_watermarked_on_every_page_and_approved_report_carries_its_date(rendered):
    draft_pages = _pdf_text(rendered["draft"].pdf)
    assert all("DỰTHẢO" in _squash(text) for text in draft_pages)
    approved = rendered["soctrang"]
    assert "DỰTHẢO" not in _squash("".join(_pdf_text(approved.pdf)))
    metadata = approved.reader.metadata
    assert metadata["/approvedon"] == "2021-12-16"
    assert metadata["/ModDate"].startswith("D:20211216")
    assert "đã duyệt ngày 16/12/2021" in metadata.subject
    assert "/approvedon" not in rendered["draft"].reader.metadata


def _png_size(path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


@POPPLER
@pytest.mark.parametrize("key", SEEDS)
def test_pdf_renders_to_images_in_the_right_orientation(rendered, key, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(rendered[key].pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "12", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    pages = rendered[key].reader.pages
    assert len(images) == len(pages)
    for image, page in zip(images, pages, strict=True):
        width, height = _png_size(image)
        assert (width > height) == (page.mediabox.width > page.mediabox.height)


# --- Word ---------------------------------------------------------------------------------------


def _cells(table) -> list[str]:
    return [cell.text for row in table.rows for cell in row.cells]


@pytest.mark.parametrize(
    ("key", "values"),
    [
        (
            "soctrang",
            [
                "Kế hoạch số 01/KH-SKHCN ngày 07/01/2021",
                "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2",
            ],
        ),
        ("brvt", ["Tổng cộng", "466"]),
        ("quangtri", ["Hoàn thành tốt (đúng nội dung và thời gian quy định)", "X"]),
        ("binhdinh", ["Kế hoạch số 57/KH-SKHCN ngày 25/01/2022"]),
    ],
)
def test_docx_has_title_headings_and_appendix_tables(rendered, key, values):
    word = docx.Document(io.BytesIO(rendered[key].docx))
    paragraphs = [p.text for p in word.paragraphs]
    document = rendered[key].document
    assert document.title in paragraphs
    assert "BÁO CÁO" in paragraphs
    for section in document.sections:
        assert section.heading in paragraphs
    names = [a.name for a in document.appendices if a.name]
    assert names == [p for p in paragraphs if p in set(names)]
    header_cells = _cells(word.tables[0])
    assert NATION in header_cells[1] and MOTTO in header_cells[1]
    appendix_cells = [text for table in word.tables[2:] for text in _cells(table)]
    for value in values:
        assert value in appendix_cells


NARRATIVE = (
    "<p>Đoạn <strong>đậm</strong> và <em>nghiêng</em><br>xuống dòng.</p>"
    "<ul><li>Ý thứ nhất<ul><li>Ý con</li></ul></li><li>Ý thứ hai</li></ul>"
    "<ol><li>Bước một</li><li>Bước hai</li></ol>"
    "<table><tr><th colspan='2'>Nhóm</th><th rowspan='2'>Ghi chú</th></tr>"
    "<tr><td>Hồ sơ</td><td>12</td></tr></table>"
)


def test_narrative_html_becomes_word_paragraphs_lists_and_tables(seed_report):
    report = seed_report("binhdinh-2022-h1")
    report.sections.filter(outline__code="chi_dao").update(content=NARRATIVE)
    word = docx.Document(io.BytesIO(report_docx(report)))
    paragraphs = [p.text for p in word.paragraphs]
    start = paragraphs.index("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH")
    assert paragraphs[start + 1 : start + 7] == [
        "Đoạn đậm và nghiêng\nxuống dòng.",
        "- Ý thứ nhất",
        "- Ý con",
        "- Ý thứ hai",
        "1. Bước một",
        "2. Bước hai",
    ]
    runs = word.paragraphs[start + 1].runs
    assert [r.text for r in runs if r.bold] == ["đậm"]
    assert [r.text for r in runs if r.italic] == ["nghiêng"]
    table = word.tables[1]  # after the header table
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Nhóm", "Nhóm", "Ghi chú"],
        ["Hồ sơ", "12", "Ghi chú"],
    ]
    text = _squash("".join(_pdf_text(report_pdf(report))))
    assert _squash("Đoạn đậm và nghiêng xuống dòng.") in text
    assert _squash("- Ý con") in text and _squash("2. Bước hai") in text


EVERY_TAG = (
    "<h3>Tiêu đề <b>đậm</b></h3><h4>Mục <i>nghiêng</i></h4>"
    "<blockquote>Trích <u>gạch chân</u></blockquote>"
    "<ol><li>Một<ol><li>Một một<ul><li>Sâu</li></ul></li></ol></li></ol>"
    "<table><thead><tr><th>Cột</th></tr></thead><tbody><tr><td>Ô</td></tr></tbody></table>"
)


def test_cut_down_user_agent_stylesheet_prints_like_weasyprints_own(seed_report, monkeypatch):
    """pdf_ua.css keeps only what our elements use: every tag the sanitiser lets through
    prints exactly as with WeasyPrint's full stylesheet (same PDF, byte for byte)."""
    from weasyprint import HTML

    assert set(re.findall(r"<(\w+)", NARRATIVE + EVERY_TAG)) >= ALLOWED_TAGS
    report = seed_report("binhdinh-2022-h1")
    report.sections.filter(outline__code="chi_dao").update(content=NARRATIVE + EVERY_TAG)
    document = build_document(report)
    ours = document_pdf(document)
    monkeypatch.setattr(pdf, "_report_html_class", lambda: HTML)
    assert document_pdf(document) == ours


@pytest.mark.parametrize("key", SEEDS)
def test_docx_pages_are_a4_with_a_landscape_section_for_wide_appendices(rendered, key):
    word = docx.Document(io.BytesIO(rendered[key].docx))
    body, *appendix_sections = word.sections
    assert (round(body.page_width.mm), round(body.page_height.mm)) == (210, 297)
    assert round(body.left_margin.mm) == 30
    expected = [a.landscape for a in rendered[key].document.appendices]
    assert [s.page_width > s.page_height for s in appendix_sections] == expected


# --- downloads and the command -------------------------------------------------------------------


@pytest.fixture
def binhdinh(demo_units) -> Report:
    load_periods(DEMO_DAY)
    load_templates()
    load_seed_reports()
    return _seed("binhdinh")


def test_reader_downloads_pdf_and_word(client, binhdinh):
    # Gia Lai's department succeeded Bình Định's: its staff read the old reports.
    reader = make_user("gialai-chuyenvien", Role.STAFF, Unit.objects.get(code="gia-lai-skhcn"))
    client.force_login(reader)
    response = client.get(f"/bao-cao/{binhdinh.pk}/tai-ve.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-binh-dinh-skhcn-2022-h1.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response = client.get(f"/bao-cao/{binhdinh.pk}/tai-ve.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    assert docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs


def test_another_departments_staff_gets_404(client, binhdinh):
    outsider = make_user("gialai-tuphap", Role.STAFF, Unit.objects.get(code="gia-lai-stp"))
    client.force_login(outsider)
    assert client.get(f"/bao-cao/{binhdinh.pk}/tai-ve.pdf").status_code == 404
    assert client.get(f"/bao-cao/{binhdinh.pk}/tai-ve.docx").status_code == 404


def test_anonymous_is_sent_to_login(client, binhdinh):
    response = client.get(f"/bao-cao/{binhdinh.pk}/tai-ve.pdf")
    assert response.status_code == 302


def test_report_page_offers_the_downloads(client, binhdinh):
    reader = make_user("gialai-chuyenvien", Role.STAFF, Unit.objects.get(code="gia-lai-skhcn"))
    client.force_login(reader)
    page = client.get(f"/bao-cao/{binhdinh.pk}/").text
    assert f"/bao-cao/{binhdinh.pk}/tai-ve.pdf" in page
    assert f"/bao-cao/{binhdinh.pk}/tai-ve.docx" in page


@pytest.mark.parametrize(
    ("file_format", "magic"), [("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")]
)
def test_command_writes_the_file(binhdinh, tmp_path, file_format, magic):
    output = tmp_path / f"report.{file_format}"
    call_command(
        "export_report", str(binhdinh.pk), "--format", file_format, "--output", str(output)
    )
    assert output.read_bytes().startswith(magic)


def test_command_refuses_unknown_report_and_format(binhdinh, tmp_path):
    with pytest.raises(CommandError, match="Không có báo cáo mã số"):
        call_command("export_report", "999999", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="Không hỗ trợ định dạng “odt”"):
        call_command("export_report", str(binhdinh.pk), "--format", "odt")


def test_command_line_run_prints_its_message_and_leaves_with_status_0(
    binhdinh, tmp_path, monkeypatch, capsys
):
    """From the command line the command skips the interpreter's teardown (os._exit): the file
    and the message must be out by then."""
    exits = []
    monkeypatch.setattr(os, "_exit", exits.append)
    output = tmp_path / "report.docx"
    argv = ["manage.py", "export_report", str(binhdinh.pk), "--format", "docx"]
    ExportCommand().run_from_argv([*argv, "--output", str(output)])
    assert exits == [0]
    assert output.read_bytes().startswith(b"PK")
    assert "Đã ghi" in capsys.readouterr().out


def test_command_line_failure_still_exits_with_status_1(binhdinh, monkeypatch, capsys):
    exits = []
    monkeypatch.setattr(os, "_exit", exits.append)
    with pytest.raises(SystemExit) as failed:
        ExportCommand().run_from_argv(["manage.py", "export_report", "999999"])
    assert failed.value.code == 1 and exits == []
    assert "Không có báo cáo mã số" in capsys.readouterr().err


def test_draft_docx_is_marked_as_draft_and_approved_one_is_not(rendered):
    def header_texts(data):
        word = docx.Document(io.BytesIO(data))
        section = word.sections[0]
        return [p.text for h in (section.header, section.first_page_header) for p in h.paragraphs]

    assert header_texts(rendered["draft"].docx).count("DỰ THẢO") == 2
    assert "DỰ THẢO" not in header_texts(rendered["soctrang"].docx)
