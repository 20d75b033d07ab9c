"""Downloads of a report as PDF (the official document) and Word."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from ..access import READ, report_view
from ..exports.document import export_filename
from ..exports.docx import report_docx
from ..exports.pdf import report_pdf

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@report_view(READ)
def report_pdf_download(request, report):
    return _download(report_pdf(report), PDF, export_filename(report, "pdf"))


@report_view(READ)
def report_docx_download(request, report):
    return _download(report_docx(report), DOCX, export_filename(report, "docx"))
