"""The printed header and signature as WeasyPrint lays them out (Nghị định 30/2020/NĐ-CP): the
issuing body and the national title side by side with a gap between them, the body's name
broken only between its words ("ỦY BAN NHÂN DÂN" over "THÀNH PHỐ CẦN THƠ", as the printed seeds
have it), and the signer's name from the header, or a dotted line to write it by hand."""

import io

import pytest
from docx import Document
from weasyprint.formatting_structure import boxes

from documents.document import SIGNER_BLANK, ReportDocument, body_name
from documents.docx import document_docx
from documents.pdf import layout_pdf

MM = 96 / 25.4  # CSS pixels


def document(**fields) -> ReportDocument:
    base = {
        "parent_body": "",
        "issuing_body": "",
        "number_line": "Số: 12/BC-SKHCN",
        "place_date": "Cần Thơ, ngày 15 tháng 12 năm 2026",
        "title": "Kết quả thực hiện công tác cải cách hành chính năm 2026",
        "basis": (),
        "sections": (),
        "recipients": ("- Sở Nội vụ;", "- Lưu: VT."),
        "signature": ("GIÁM ĐỐC",),
        "signer_name": "",
        "appendices": (),
        "is_draft": False,
        "approved_at": None,
        "author": "Sở",
        "subject": "Báo cáo",
        "keywords": (),
    }
    return ReportDocument(**{**base, **fields})


def first_page_texts(doc: ReportDocument) -> list:
    page = layout_pdf(doc).pages[0]._page_box
    return [b for b in page.descendants() if isinstance(b, boxes.TextBox)]


def header_lines(texts) -> tuple[list[str], float, float]:
    """The left block's lines (above the number line), the right edge of the widest one, and
    where the national title starts."""
    nation = next(t for t in texts if t.element.get("class") == "nation-title")
    number = next(t for t in texts if t.element.get("class") == "number")
    left = [
        t for t in texts if t.position_y < number.position_y and t.position_x < nation.position_x
    ]
    lines = [t.text.replace("\u00a0", " ") for t in left]
    return lines, max(t.position_x + t.width for t in left), nation.position_x


@pytest.mark.parametrize(
    ("parent", "issuer", "lines"),
    [
        ("", "Ủy ban nhân dân thành phố Cần Thơ", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ"]),
        (
            "",
            "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu",
            ["ỦY BAN NHÂN DÂN", "TỈNH BÀ RỊA - VŨNG TÀU"],
        ),
        (
            "UBND thành phố Cần Thơ",
            "Sở Khoa học và Công nghệ",
            ["UBND THÀNH PHỐ CẦN THƠ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"],
        ),
        (
            "UBND tỉnh Gia Lai",
            "Sở Lao động - Thương binh và Xã hội",
            ["UBND TỈNH GIA LAI", "SỞ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI"],
        ),
    ],
)
def test_the_header_blocks_stand_apart_and_names_break_between_words(parent, issuer, lines):
    doc = document(parent_body=body_name(parent), issuing_body=body_name(issuer))
    printed, left_edge, nation_start = header_lines(first_page_texts(doc))
    assert printed == lines
    assert nation_start - left_edge >= 5 * MM  # 3.7 mm before: the blocks seemed to touch


def test_the_signer_is_named_under_the_space_to_sign_or_a_line_is_left_for_the_name():
    named = [t.text for t in first_page_texts(document(signer_name="Trần Thị Bình"))]
    assert named[named.index("GIÁM ĐỐC") + 1] == "Trần Thị Bình"
    blank = [t.text for t in first_page_texts(document())]
    assert blank[blank.index("GIÁM ĐỐC") + 1] == SIGNER_BLANK
    word = Document(io.BytesIO(document_docx(document())))
    cells = [p.text for t in word.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert SIGNER_BLANK in cells
    named_word = Document(io.BytesIO(document_docx(document(signer_name="Trần Thị Bình"))))
    texts = [
        p.text for t in named_word.tables for r in t.rows for c in r.cells for p in c.paragraphs
    ]
    assert "Trần Thị Bình" in texts and SIGNER_BLANK not in texts
