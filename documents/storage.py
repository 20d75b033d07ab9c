"""Rendered PDF and Word files kept in storage with their SHA-256. A stored file is served as
long as the report has not changed since (`frozen_from` equals the report's updated_at)."""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from reports.models import Report

from .models import StoredDocument


def stored_document(report: Report, file_format: str) -> StoredDocument | None:
    return StoredDocument.objects.filter(
        report=report, format=file_format, frozen_from=report.updated_at
    ).first()


def store_document(report: Report, file_format: str) -> StoredDocument:
    """Render the report's current content once and keep it with its SHA-256; a second caller
    racing for the same content gets the first one's file."""
    from .document import export_filename
    from .docx import report_docx
    from .pdf import report_pdf

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
