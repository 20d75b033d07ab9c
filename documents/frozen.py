"""Frozen means frozen: what a submission prints is built once, inside the submission's own
transaction, and kept; its PDF and Word files, and the approval's, are rendered from that kept
document whenever they are rendered (by a worker minutes later, by a download, by
`export_report`), never from the rows as they are by then (a unit renamed, a header edited after
a reopening)."""

from django.utils import timezone

from reports.models import Report, ReportState

from .document import (
    ReportDocument,
    approved_document,
    build_document,
    document_from_json,
    document_to_json,
)
from .models import FrozenContent


def freeze_content(report: Report) -> FrozenContent:
    """Keep the document of the report's newest submission (called in its transaction)."""
    submission = report.submissions.order_by("-number").first()
    return FrozenContent.objects.create(
        submission=submission, document=document_to_json(build_document(report))
    )


def printed_document(report: Report) -> ReportDocument:
    """What the report prints now: a draft as it stands; a submitted or approved report as its
    last submission kept it (and the approval's date)."""
    if report.is_editable:
        return build_document(report)
    frozen = (
        FrozenContent.objects.filter(submission__report=report)
        .order_by("-submission__number")
        .values_list("document", flat=True)
        .first()
    )
    if frozen is None:  # submitted before submissions kept their document, or a province's own
        return build_document(report)
    document = document_from_json(frozen)
    if report.state == ReportState.APPROVED and report.approved_at:
        document = approved_document(document, timezone.localtime(report.approved_at))
    return document
