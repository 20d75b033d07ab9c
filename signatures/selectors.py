"""Reads of the signatures app: a report's signed record, its signing state, and which
report a file is."""

from dataclasses import dataclass

from django.db.models import Q

from documents.models import StoredDocument
from reports.access import is_province_report
from reports.models import Report, ReportState
from reports.models.reports import UNDER_REVIEW

from .describe import FrozenMatch
from .models import SignatureEvent, SignedDocument, SigningCopy, SigningRule
from .verify import Verification


def signing_required(report: Report) -> bool:
    province_id = report.unit_id if is_province_report(report) else report.unit.province_id
    return SigningRule.objects.filter(
        province_id=province_id, kind_id=report.kind_id, required=True
    ).exists()


def signed_record(report: Report) -> SignedDocument | None:
    """The signed PDF of what the report last sent: its record from then on. None while the
    report is a draft or back with its unit, or when the last submission is unsigned."""
    if report.is_editable:
        return None
    records = report.signed_documents.all()
    if report.submitted_at:
        records = records.filter(frozen__frozen_from__gte=report.submitted_at)
    return records.prefetch_related("signatures").order_by("-created_at").first()


@dataclass
class SigningStatus:
    record: SignedDocument | None
    required: bool
    awaiting: bool  # required, sent, and not signed yet: "Chờ ký số"

    @property
    def signatures(self):
        return list(self.record.signatures.all()) if self.record else []


def signing_status(report: Report) -> SigningStatus:
    record, required = signed_record(report), signing_required(report)
    sent = report.state in UNDER_REVIEW or report.state == ReportState.SIGNED
    return SigningStatus(
        record=record, required=required, awaiting=required and sent and not record
    )


def signature_events(report: Report):
    return SignatureEvent.objects.filter(report=report).select_related("by")


def frozen_match(verification: Verification, *, reports=None) -> tuple[StoredDocument, bool] | None:
    """The portal's frozen document (and whether it was its signing copy) that the file's
    signed content is, among the reports in `reports` (a queryset; None: all)."""
    hashes = [prefix.sha256 for prefix in verification.prefixes]
    if not hashes:
        return None
    documents = StoredDocument.objects.filter(
        Q(sha256__in=hashes) | Q(signing_copy__sha256__in=hashes)
    ).select_related("report__unit", "signing_copy")
    if reports is not None:
        documents = documents.filter(report__in=reports)
    document = documents.order_by("-created_at").first()
    if document is None:
        return None
    copy = SigningCopy.objects.filter(frozen=document, sha256__in=hashes).exists()
    return document, copy


def describe_match(match: tuple[StoredDocument, bool] | None) -> FrozenMatch | None:
    if match is None:
        return None
    document, copy = match
    report = document.report
    return FrozenMatch(
        report=f"{report} (mã số {report.pk})",
        revision=document.revision,
        state=document.get_state_display(),
        frozen_at=document.created_at,
        signing_copy=copy,
    )
