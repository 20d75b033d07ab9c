"""The report as a Word document (.docx), laid out like the PDF with python-docx."""

import io
import re
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from lxml import html as lxml_html

from reports.models import Report

from .document import (
    DOCUMENT_KIND,
    MOTTO,
    NATION,
    RECIPIENTS_TITLE,
    WATERMARK,
    AppendixPart,
    ReportDocument,
    Table,
    build_document,
)

FONT = "Times New Roman"
A4 = (Mm(210), Mm(297))
PORTRAIT_MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
# A landscape page is bound by its top edge: the wide margin goes there.
LANDSCAPE_MARGINS = {"top": Mm(30), "bottom": Mm(15), "left": Mm(20), "right": Mm(20)}
PORTRAIT_WIDTH_CM = 16.5
LANDSCAPE_WIDTH_CM = 25.7
HEADER_WIDTHS_CM = (7.2, 9.3)
CLOSING_WIDTHS_CM = (7.4, 9.1)
ISSUER_RULE_CM, MOTTO_RULE_CM, TITLE_RULE_CM = 2.6, 6.0, 3.0
INDENT_STEP_CM = 0.4

# OOXML wants the children of a properties element in schema order: each new element goes
# before the first of the elements that may follow it.
AFTER_P_BDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
AFTER_PG_NUM_TYPE = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
AFTER_TBL_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")

LIST_TAGS = {"ul", "ol"}
BLOCK_TAGS = LIST_TAGS | {"table"}
_SPACES = re.compile(r"\s+")


def report_docx(report: Report) -> bytes:
    return document_docx(build_document(report))


def document_docx(document: ReportDocument) -> bytes:
    word = Document()
    _set_up(word, document)
    _header(word, document)
    _body(word, document)
    _closing(word, document)
    for appendix in document.appendices:
        _appendix(word, appendix)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# --- page set-up -------------------------------------------------------------------------------


def _set_up(word, document: ReportDocument) -> None:
    style = word.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    style.element.get_or_add_rPr().insert_element_before(language, *AFTER_LANG)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0

    properties = word.core_properties
    properties.title = document.title
    properties.author = document.author
    properties.subject = document.subject
    properties.keywords = ", ".join(document.keywords)
    properties.language = "vi-VN"
    if document.approved_at:
        properties.modified = document.approved_at

    section = word.sections[0]
    _page(section, landscape=False)
    _page_numbers(section)
    if document.is_draft:
        _draft_mark(section)


def _draft_mark(section) -> None:
    """ "DỰ THẢO" at the top right of every page; later sections inherit these headers."""
    for header in (section.header, section.first_page_header):
        paragraph = header.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(WATERMARK)
        run.bold = True
        run.font.size = Pt(14)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _page(section, *, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.top_margin, section.bottom_margin = margins["top"], margins["bottom"]
    section.left_margin, section.right_margin = margins["left"], margins["right"]
    section.header_distance = Mm(10)


def _page_numbers(section) -> None:
    """The page number centred at the top of every page but the section's first."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _restart_numbering(section) -> None:
    # A new section is a copy of the previous one, which may already restart its numbering.
    numbering = section._sectPr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        section._sectPr.insert_element_before(numbering, *AFTER_PG_NUM_TYPE)
    numbering.set(qn("w:start"), "1")


# --- paragraphs --------------------------------------------------------------------------------


def _paragraph(container, text="", *, size=None, bold=False, italic=False, align=None):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _cell_paragraph(cell, text="", **formatting):
    """The cell's first (empty) paragraph, then new ones."""
    paragraphs = cell.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text:
        paragraph = paragraphs[0]
        if formatting.get("align") is not None:
            paragraph.alignment = formatting["align"]
        if text:
            _run(paragraph, text, **{k: v for k, v in formatting.items() if k != "align"})
        return paragraph
    return _paragraph(cell, text, **formatting)


def _run(paragraph, text, *, size=None, bold=False, italic=False, underline=False):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    if size:
        run.font.size = Pt(size)
    return run


def _body_format(paragraph, *, indent=True):
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        fmt.first_line_indent = Cm(1)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.2
    return paragraph


def _rule(container, *, width_cm: float, within_cm: float, top=True):
    """A short centred horizontal rule: an empty paragraph with a border, indented on both
    sides so that the border is `width_cm` long."""
    paragraph = container.add_paragraph() if top else container
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement("w:top" if top else "w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        edge.set(qn(key), value)
    borders.append(edge)
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.insert_element_before(borders, *AFTER_P_BDR)
    side = Cm(max(within_cm - width_cm, 0) / 2)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    if top:
        paragraph.paragraph_format.line_spacing = Pt(4)
        paragraph.paragraph_format.space_before = Pt(3)
    return paragraph


def _cell_margins(table, width) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), str(width.twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, *AFTER_TBL_CELL_MAR)


def _borderless_table(word, widths_cm):
    table = word.add_table(rows=1, cols=len(widths_cm))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # Narrow cell margins, so that the header's longest lines fit on one line as on paper.
    _cell_margins(table, Mm(0.5))
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for cell, width in zip(table.rows[0].cells, widths_cm, strict=True):
        cell.width = Cm(width)
    return table


# --- header, body, closing ---------------------------------------------------------------------


def _header(word, document: ReportDocument) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    table = _borderless_table(word, HEADER_WIDTHS_CM)
    organ, nation = table.rows[0].cells
    if document.parent_body:
        _cell_paragraph(organ, document.parent_body, size=13, align=center)
    _cell_paragraph(organ, document.issuing_body, size=13, bold=True, align=center)
    _rule(organ, width_cm=ISSUER_RULE_CM, within_cm=HEADER_WIDTHS_CM[0])
    _cell_paragraph(organ, document.number_line, size=13, align=center)

    _cell_paragraph(nation, NATION, size=12, bold=True, align=center)
    motto = _cell_paragraph(nation, MOTTO, size=13, bold=True, align=center)
    _rule(motto, width_cm=MOTTO_RULE_CM, within_cm=HEADER_WIDTHS_CM[1], top=False)
    place = _cell_paragraph(nation, document.place_date, size=13, italic=True, align=center)
    place.paragraph_format.space_before = Pt(8)

    kind = _paragraph(word, DOCUMENT_KIND, size=14, bold=True, align=center)
    kind.paragraph_format.space_before = Pt(12)
    _paragraph(word, document.title, size=14, bold=True, align=center)
    rule = _rule(word, width_cm=TITLE_RULE_CM, within_cm=PORTRAIT_WIDTH_CM)
    rule.paragraph_format.space_after = Pt(6)


def _body(word, document: ReportDocument) -> None:
    for text in document.basis:
        _body_format(_paragraph(word, text))
    for section in document.sections:
        heading = _body_format(_paragraph(word, section.heading, bold=True))
        heading.paragraph_format.keep_with_next = True
        _html(word, section.html)


def _closing(word, document: ReportDocument) -> None:
    table = _borderless_table(word, CLOSING_WIDTHS_CM)
    recipients, signature = table.rows[0].cells
    title = _cell_paragraph(recipients, RECIPIENTS_TITLE, size=12, bold=True, italic=True)
    title.paragraph_format.space_before = Pt(12)
    for line in document.recipients:
        _cell_paragraph(recipients, line, size=11)
    center = WD_ALIGN_PARAGRAPH.CENTER
    for index, line in enumerate(document.signature):
        paragraph = _cell_paragraph(signature, line, size=14, bold=True, align=center)
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(12)
    for _ in range(4):
        _cell_paragraph(signature, "").paragraph_format.space_after = Pt(12)
    if document.signer_name:
        _cell_paragraph(signature, document.signer_name, size=14, bold=True, align=center)


# --- narrative HTML ----------------------------------------------------------------------------


def _html(word, html: str) -> None:
    """`html` is document.body_html's: blocks only, inline content inside them."""
    if html:
        for node in lxml_html.fragments_fromstring(html):
            _block(word, node)


def _block(word, element, depth=0) -> None:
    tag = element.tag
    if tag in LIST_TAGS:
        _list(word, element, depth)
    elif tag == "table":
        _html_table(word, element)
    else:
        paragraph = _body_format(word.add_paragraph())
        bold = tag == "h3" or tag == "h4"
        italic = tag in ("h4", "blockquote")
        _inline(paragraph, element, bold=bold, italic=italic)
        if tag == "blockquote":
            paragraph.paragraph_format.left_indent = Cm(1)
        for child in element:
            if child.tag in BLOCK_TAGS:
                _block(word, child, depth)


def _list(word, element, depth: int) -> None:
    """Items as paragraphs "- …" or "1. …", as official documents print them."""
    number = 0
    for item in element:
        if item.tag != "li":
            continue
        number += 1
        marker = f"{number}. " if element.tag == "ol" else "- "
        paragraph = _body_format(word.add_paragraph())
        paragraph.paragraph_format.left_indent = Cm(depth)
        _run(paragraph, marker)
        _inline(paragraph, item)
        for child in item:
            if child.tag in LIST_TAGS:
                _list(word, child, depth + 1)
            elif child.tag == "table":
                _html_table(word, child)


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text)


def _inline(paragraph, element, *, bold=False, italic=False, underline=False) -> None:
    """The element's text and inline children as runs; lists and tables are left to the
    caller."""
    formatting = {"bold": bold, "italic": italic, "underline": underline}
    if element.text:
        _run(paragraph, _collapse(element.text), **formatting)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            paragraph.add_run().add_break()
        elif tag not in BLOCK_TAGS:
            _inline(
                paragraph,
                child,
                bold=bold or tag in ("b", "strong"),
                italic=italic or tag in ("i", "em"),
                underline=underline or tag == "u",
            )
        if child.tail:
            _run(paragraph, _collapse(child.tail), **formatting)


@dataclass(frozen=True)
class _GridCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    bold: bool = False
    italic: bool = False
    align: str = "left"
    indent: int = 0


def _html_table(word, element) -> None:
    rows = []
    for tr in element.iter("tr"):
        rows.append(
            [
                _GridCell(
                    _collapse(cell.text_content()).strip(),
                    colspan=int(cell.get("colspan") or 1),
                    rowspan=int(cell.get("rowspan") or 1),
                    bold=cell.tag == "th",
                    align="center" if cell.tag == "th" else "left",
                )
                for cell in tr
                if cell.tag in ("td", "th")
            ]
        )
    columns = max((sum(cell.colspan for cell in row) for row in rows), default=0)
    if columns:
        widths = [PORTRAIT_WIDTH_CM / columns] * columns
        header_rows = 1 if element.find(".//th") is not None else 0
        _grid_table(word, rows, widths, header_rows=header_rows, size=13)


# --- tables ------------------------------------------------------------------------------------

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def _grid_table(word, rows, widths_cm, *, header_rows: int, size: float) -> None:
    """A bordered table; cells span columns and rows; the header rows repeat on every page."""
    table = word.add_table(rows=0, cols=len(widths_cm))
    table.style = word.styles["Table Grid"]
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(table, Mm(1))
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    taken: set[tuple[int, int]] = set()
    merges = []
    for row_index, row in enumerate(rows):
        word_row = table.add_row()
        if row_index < header_rows:
            _repeat_header(word_row)
        cells = word_row.cells
        for cell, width in zip(cells, widths_cm, strict=True):
            cell.width = Cm(width)
            cell.vertical_alignment = (
                WD_CELL_VERTICAL_ALIGNMENT.CENTER
                if row_index < header_rows
                else WD_CELL_VERTICAL_ALIGNMENT.TOP
            )
        column = 0
        for item in row:
            while (row_index, column) in taken:
                column += 1
            if column >= len(cells):
                break
            _write_cell(cells[column], item, size)
            span = (item.rowspan, min(item.colspan, len(cells) - column))
            for r in range(row_index, row_index + span[0]):
                for c in range(column, column + span[1]):
                    taken.add((r, c))
            if span != (1, 1):
                merges.append((row_index, column, *span))
            column += span[1]
    for row_index, column, rowspan, colspan in merges:
        last_row = min(row_index + rowspan, len(table.rows)) - 1
        table.cell(row_index, column).merge(table.cell(last_row, column + colspan - 1))


def _write_cell(cell, item: _GridCell, size: float) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = _ALIGN[item.align]
    if item.indent:
        paragraph.paragraph_format.left_indent = Cm(INDENT_STEP_CM * item.indent)
    for index, line in enumerate(item.text.split("\n")):
        if index:
            paragraph.add_run().add_break()
        _run(paragraph, line, size=size, bold=item.bold, italic=item.italic)


def _repeat_header(row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _appendix_rows(table: Table) -> list[list[_GridCell]]:
    rows = [
        [
            _GridCell(c.text, colspan=c.colspan, rowspan=c.rowspan, bold=True, align="center")
            for c in header_row
        ]
        for header_row in table.header
    ]
    if table.numbers:
        rows.append([_GridCell(number, italic=True, align="center") for number in table.numbers])
    for row in table.rows:
        bold = row.kind in ("heading", "total")
        rows.append(
            [
                _GridCell(c.text, colspan=c.colspan, bold=bold, align=c.align, indent=c.indent)
                for c in row.cells
            ]
        )
    return rows


def _appendix(word, appendix: AppendixPart) -> None:
    section = word.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=appendix.landscape)
    _restart_numbering(section)
    center = WD_ALIGN_PARAGRAPH.CENTER
    if appendix.name:
        _paragraph(word, appendix.name, size=14, bold=True, align=center)
    _paragraph(word, appendix.title, size=14, bold=True, align=center)
    reference = _paragraph(word, appendix.reference, size=14, italic=True, align=center)
    reference.paragraph_format.space_after = Pt(10)
    width = LANDSCAPE_WIDTH_CM if appendix.landscape else PORTRAIT_WIDTH_CM
    table = appendix.table
    _grid_table(
        word,
        _appendix_rows(table),
        [width * share / 100 for share in table.widths],
        header_rows=len(table.header) + (1 if table.numbers else 0),
        size=12,
    )
