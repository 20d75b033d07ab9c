"""Rendered PDF and Word files: frozen at submission and approval, made in the background for
drafts while the download page polls (storage.py keeps them)."""

from django.core.cache import cache
from django_tasks import TaskResultStatus

from lib.tasks import enqueue_on_commit
from reports.models import Report

from .models import StoredDocument
from .storage import stored_document
from .tasks import render_report_file

FORMATS = tuple(StoredDocument.Format.values)
_PENDING_SECONDS = 3600


def freeze_documents(report: Report) -> None:
    """Render the PDF and the Word file of a submission or an approval in the background, once
    the transition commits."""
    for file_format in FORMATS:
        enqueue_on_commit(render_report_file, report.pk, file_format)


def _pending_key(report: Report, file_format: str) -> str:
    return f"document-task:{report.pk}:{file_format}:{report.updated_at.isoformat()}"


def request_document(report: Report, file_format: str) -> None:
    """Queue a render of the report's current content unless one is already queued or running."""
    key = _pending_key(report, file_format)
    if document_status(report, file_format) in ("waiting", "ready"):
        return
    result = render_report_file.enqueue(report.pk, file_format)
    cache.set(key, result.id, _PENDING_SECONDS)


def document_status(report: Report, file_format: str) -> str:
    """ "ready" (stored), "waiting" (queued or rendering), "failed", or "none" (not requested)."""
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
