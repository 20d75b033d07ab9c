"""Downloads of a report as PDF (the official document) and Word: served from storage once
rendered (documents.services); a draft is rendered in the background while the page
shows progress."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from reports.access import READ, report_view

from .document import export_filename
from .records import record_file
from .services import FORMATS, document_status, request_document
from .storage import store_document, stored_document

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _file(report, file_format, stored):
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=export_filename(report, file_format),
        content_type=CONTENT_TYPES[file_format],
    )


def _download(request, report, file_format):
    record = record_file(report, file_format)
    if record is not None:  # e.g. the signed PDF, once the leader's signature was accepted
        return _file(report, file_format, record)
    document = stored_document(report, file_format)
    if document is None and not report.is_editable:
        # Submitted or approved before its file was stored (or its task still waits): render
        # it once here; every later download reads the stored file.
        document = store_document(report, file_format)
    if document is not None:
        return _file(report, file_format, document.file)
    request_document(report, file_format)
    return render(
        request,
        "documents/document_wait.html",
        {
            "report": report,
            "format_label": "PDF" if file_format == "pdf" else "Word",
            "download_url": request.path,
            "status_url": reverse("documents:document_status", args=[report.pk, file_format]),
        },
        status=202,
    )


@report_view(READ)
def report_pdf_download(request, report):
    return _download(request, report, "pdf")


@report_view(READ)
def report_docx_download(request, report):
    return _download(request, report, "docx")


@report_view(READ)
def report_document_status(request, report, file_format):
    """Polled by static/js/document_wait.js while a draft's file is rendered."""
    if file_format not in FORMATS:
        raise Http404
    status = document_status(report, file_format)
    if status == "none":  # e.g. the report changed meanwhile: render its new content
        request_document(report, file_format)
        status = "waiting"
    return JsonResponse({"status": status}, headers={"Cache-Control": "no-store"})
