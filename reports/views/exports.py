"""Downloads of a report as PDF (the official document) and Word."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from ..exports.document import export_filename
from ..exports.docx import report_docx
from ..exports.pdf import report_pdf
from ..selectors import report_for_user

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def _readable_report(request, pk):
    report = report_for_user(request.user, pk)
    if report is None:
        raise Http404
    return report


@login_required
def report_pdf_download(request, pk):
    report = _readable_report(request, pk)
    return _download(report_pdf(report), PDF, export_filename(report, "pdf"))


@login_required
def report_docx_download(request, pk):
    report = _readable_report(request, pk)
    return _download(report_docx(report), DOCX, export_filename(report, "docx"))
