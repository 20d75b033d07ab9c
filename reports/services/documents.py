"""Rendered PDF and Word files kept in storage: frozen at submission and approval, made in the
background for drafts. A stored file is served as long as the report has not changed since
(`frozen_from` equals the report's updated_at)."""

import hashlib

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django_tasks import TaskResultStatus

from lib.tasks import enqueue_on_commit

from ..models import Report, StoredDocument

FORMATS = tuple(StoredDocument.Format.values)
_PENDING_SECONDS = 3600


def stored_document(report: Report, file_format: str) -> StoredDocument | None:
    return StoredDocument.objects.filter(
        report=report, format=file_format, frozen_from=report.updated_at
    ).first()


def store_document(report: Report, file_format: str) -> StoredDocument:
    """Render the report's current content once and keep it with its SHA-256; a second caller
    racing for the same content gets the first one's file."""
    from ..exports.document import export_filename
    from ..exports.docx import report_docx
    from ..exports.pdf import report_pdf

    existing = stored_document(report, file_format)
    if existing is not None:
        return existing
    content = {"pdf": report_pdf, "docx": report_docx}[file_format](report)
    document = StoredDocument(
        report=report,
        revision=report.revision,
        state=report.state,
        format=file_format,
        frozen_from=report.updated_at,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save(
        f"{report.pk}/{export_filename(report, file_format)}", ContentFile(content), save=False
    )
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        document.file.delete(save=False)
        return stored_document(report, file_format)
    return document


def freeze_documents(report: Report) -> None:
    """Render the PDF and the Word file of a submission or an approval in the background, once
    the transition commits."""
    from ..tasks import render_report_file

    for file_format in FORMATS:
        enqueue_on_commit(render_report_file, report.pk, file_format)


def _pending_key(report: Report, file_format: str) -> str:
    return f"document-task:{report.pk}:{file_format}:{report.updated_at.isoformat()}"


def request_document(report: Report, file_format: str) -> None:
    """Queue a render of the report's current content unless one is already queued or running."""
    from ..tasks import render_report_file

    key = _pending_key(report, file_format)
    if document_status(report, file_format) in ("waiting", "ready"):
        return
    result = render_report_file.enqueue(report.pk, file_format)
    cache.set(key, result.id, _PENDING_SECONDS)


def document_status(report: Report, file_format: str) -> str:
    """ "ready" (stored), "waiting" (queued or rendering), "failed", or "none" (not requested)."""
    from ..tasks import render_report_file

    if stored_document(report, file_format) is not None:
        return "ready"
    result_id = cache.get(_pending_key(report, file_format))
    if result_id is None:
        return "none"
    try:
        status = render_report_file.get_result(result_id).status
    except Exception:  # the result row was pruned
        return "none"
    if status == TaskResultStatus.FAILED:
        return "failed"
    # SUCCESSFUL without a stored file: the report changed while rendering; render again.
    return "none" if status == TaskResultStatus.SUCCESSFUL else "waiting"
