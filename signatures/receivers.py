"""What the signatures app does when a report moves (reports.signals)."""

from django.db import transaction
from django.dispatch import receiver

from reports.services.errors import ReportError
from reports.signals import report_transitioned

from .models import Signature
from .selectors import signed_record, signing_required
from .services import seal_add


@receiver(report_transitioned, dispatch_uid="signatures.approval")
def sign_receipt_on_approval(sender, *, report, transition, **kwargs):
    """Where the province requires it, no approval before the leader's signature (raising
    here rolls the approval back; the reviewer reads the message). Once approved, the Sở Nội
    vụ's seal signs the record as received, after the approval commits."""
    if transition != "approve":
        return
    if signing_required(report) and signed_record(report) is None:
        raise ReportError(
            "Chưa duyệt được: báo cáo này phải có chữ ký số của lãnh đạo đơn vị, mà lãnh đạo "
            "chưa ký. Hãy chờ đơn vị ký số rồi duyệt."
        )
    record = signed_record(report)
    if record is None:
        return
    change = report.state_changes.select_related("by__unit").order_by("-at", "-pk").first()
    reviewer = change.by if change else None
    unit = getattr(reviewer, "unit", None)
    if unit is not None:
        transaction.on_commit(
            lambda: seal_add(document=record, unit=unit, by=reviewer, role=Signature.Role.RECEIPT),
            robust=True,
        )
