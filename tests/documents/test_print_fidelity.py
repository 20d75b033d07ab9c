"""What the printed report looks like, read back from the PDF (pypdf) and the Word file: body
paragraphs indented with their bold and italic inline, empty headings left out, STT codes never
broken, one numbering of the appendices."""

import io
import re

import docx
import pytest
from django.utils import timezone
from pypdf import PdfReader

from documents.document import body_html, build_document
from documents.docx import report_docx
from documents.pdf import report_pdf
from indicators.models import Appendix, Indicator

# WeasyPrint's text matrix is in CSS px: the left margin is 30 mm, the first-line indent 1 cm.
BODY_LEFT = 30 / 25.4 * 96
INDENT = 1 / 2.54 * 96

TYPED = (
    # What the editor sends when text is typed before its first paragraph and a phrase is bolded
    # between two paragraphs.
    "Mở đầu gõ trước <b>in đậm</b> rồi tiếp."
    "<p>Đoạn thứ hai là một đoạn dài, có <em>chữ nghiêng</em> ở giữa, kéo dài qua nhiều dòng để "
    "thấy dòng đầu thụt vào còn các dòng sau thì không, đúng như thể thức văn bản hành chính "
    "quy định cho mọi đoạn văn trong phần nội dung của báo cáo.</p>"
    "<p> </p><strong>Kết luận đậm</strong>"
)


@pytest.fixture
def report(seed_report):
    report = seed_report("binhdinh-2022-h1")
    report.sections.filter(outline__code="chi_dao").update(content=TYPED)
    return report


def _pdf_lines(pdf: bytes) -> list[tuple[float, str, str]]:
    """(x, font, text) of every text run of the body pages."""
    runs = []

    def visit(text, _cm, tm, font, _size):
        if text.strip():
            runs.append((tm[4], (font or {}).get("/BaseFont", ""), text.strip()))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return runs


def _run_starting(runs, start: str):
    return next(run for run in runs if run[2].startswith(start))


def test_typed_narrative_becomes_paragraphs_with_inline_formatting():
    assert body_html(TYPED) == (
        "<p>Mở đầu gõ trước <b>in đậm</b> rồi tiếp.</p>"
        + TYPED[TYPED.index("<p>Đoạn") : TYPED.index("<p> </p>")]
        + "<p><strong>Kết luận đậm</strong></p>"
    )
    assert body_html("<p>a</p> <br> <p>b</p>") == "<p>a</p><p>b</p>"


def test_pdf_indents_the_first_line_of_every_body_paragraph_and_keeps_bold_inline(report):
    runs = _pdf_lines(report_pdf(report))
    first = _run_starting(runs, "Mở đầu gõ trước")
    assert first[0] == pytest.approx(BODY_LEFT + INDENT, abs=1)
    # The bold phrase is on the same line, in the bold face, and the sentence goes on after it.
    bold = _run_starting(runs, "in đậm")
    assert "Bold" in bold[1] and "Bold" not in first[1]
    assert "rồi tiếp." in [run[2] for run in runs][runs.index(bold) + 1]
    # A long narrative paragraph: first line indented, the next ones at the margin.
    second = runs.index(_run_starting(runs, "Đoạn thứ hai"))
    assert runs[second][0] == pytest.approx(BODY_LEFT + INDENT, abs=1)
    assert runs[second + 3][0] == pytest.approx(BODY_LEFT, abs=1)
    italic = _run_starting(runs, "chữ nghiêng")
    assert "Italic" in italic[1]
    closing = _run_starting(runs, "Kết luận đậm")
    assert closing[0] == pytest.approx(BODY_LEFT + INDENT, abs=1) and "Bold" in closing[1]


def test_word_keeps_the_editors_bold_and_italic_as_runs_of_indented_paragraphs(report):
    word = docx.Document(io.BytesIO(report_docx(report)))
    paragraphs = {p.text: p for p in word.paragraphs}
    first = paragraphs["Mở đầu gõ trước in đậm rồi tiếp."]
    assert [r.text for r in first.runs if r.bold] == ["in đậm"]
    second = next(p for text, p in paragraphs.items() if text.startswith("Đoạn thứ hai"))
    assert [r.text for r in second.runs if r.italic] == ["chữ nghiêng"]
    closing = paragraphs["Kết luận đậm"]
    assert all(run.bold for run in closing.runs)
    for paragraph in (first, second, closing):
        assert paragraph.paragraph_format.first_line_indent.cm == pytest.approx(1, abs=0.01)


def test_headings_with_nothing_under_them_are_not_printed(seed_report):
    report = seed_report("soctrang-2021-y")
    sections = {s.outline.title: s for s in report.sections.select_related("outline")}
    # "III. Đánh giá chung" has no text of its own: it prints while one subsection has text.
    for title in ("Tồn tại, hạn chế", "Nguyên nhân"):
        sections[title].content = "<p> </p>"
        sections[title].save()
    headings = [s.heading for s in build_document(report).sections]
    assert "III. ĐÁNH GIÁ CHUNG" in headings and "1. Kết quả đạt được" in headings
    assert "2. Tồn tại, hạn chế" not in headings and "3. Nguyên nhân" not in headings

    sections["Kết quả đạt được"].content = ""
    sections["Kết quả đạt được"].save()
    headings = [s.heading for s in build_document(report).sections]
    assert not [h for h in headings if "ĐÁNH GIÁ CHUNG" in h or "Kết quả đạt được" in h]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(report))).pages)
    assert "ĐÁNH GIÁ CHUNG" not in text and "Nguyên nhân" not in text
    assert "IV. PHƯƠNG HƯỚNG" in text


def republish(version):
    """A published version is frozen and what is derived from it is kept under its publication
    moment; a test that edits one in place marks it published anew, as a data fix would."""
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])


def test_stt_column_fits_the_longest_code_on_one_line(seed_report):
    report = seed_report("soctrang-2021-y")
    row = Indicator.objects.filter(
        appendix__version=report.template_version, appendix__code="pl2_thong_ke", stt="1"
    ).first()
    row.stt = "3.1.1."
    row.save()
    republish(report.template_version)
    table = next(a.table for a in build_document(report).appendices if a.name == "Phụ lục 2")
    assert table.widths[0] > 7 and sum(table.widths) == 100
    lines = [
        line.strip()
        for page in PdfReader(io.BytesIO(report_pdf(report))).pages
        for line in page.extract_text().splitlines()
    ]
    assert any(line.startswith("3.1.1. ") for line in lines)
    assert not any(line.endswith("3.1.1") for line in lines)


def test_report_uses_one_numbering_of_its_appendices(seed_report):
    report = seed_report("soctrang-2021-y")
    # The template calls its contact table "Liên hệ" and the others "Phụ lục 1", "Phụ lục 2":
    # the contact table prints under its title alone, never as "Phụ lục I".
    assert [a.name for a in build_document(report).appendices] == ["", "Phụ lục 1", "Phụ lục 2"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(report))).pages)
    assert re.findall(r"Phụ lục [IVX]+\b", text) == []
    word = docx.Document(io.BytesIO(report_docx(report)))
    assert [p.text for p in word.paragraphs if p.text.startswith("Phụ lục ")] == [
        "Phụ lục 1",
        "Phụ lục 2",
    ]
    # A template naming none of its tables "Phụ lục …" gets Roman numerals for all of them.
    Appendix.objects.filter(version=report.template_version).update(name="Bảng")
    republish(report.template_version)
    names = [a.name for a in build_document(report).appendices]
    assert names == ["Phụ lục I", "Phụ lục II", "Phụ lục III"]
