"""Writes of the signatures app: the signing copy, the leader's upload, seals and receipts.

The leader's upload is verified outside any transaction (pyHanko's work is CPU, not rows); a
refusal is recorded in its own transaction and raised as SignatureRefused with its reasons;
an accepted file is stored with its signatures in one transaction on the locked report, then
the unit's seal is added (a failing seal is recorded, the leader's signature stands).
"""

import datetime
import hashlib
import logging
import textwrap
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents.models import StoredDocument
from documents.storage import store_document
from lib.access import SIGN_PDF
from reports.access import OPERATOR
from reports.models import Report
from reports.services.errors import ReportError

from .access import require
from .models import SealConfig, Signature, SignatureEvent, SignedDocument, SigningCopy
from .placement import receipt_placement, seal_placement, signature_placements
from .sign import (
    LEADER_FIELD,
    RECEIPT_FIELD,
    RED,
    SEAL_FIELD,
    Placement,
    SealError,
    add_signature_fields,
    sign_pdf,
    signer_from_pkcs11,
    signer_from_pkcs12_file,
)
from .signers import signer_refusal
from .trust import installed_trust
from .verify import SignatureCheck, Verification, frozen_problem, verify_signed_pdf, when

logger = logging.getLogger("cchc.signatures")

# How far the time a signer's computer wrote may stray outside [frozen, uploaded].
CLOCK_TOLERANCE = datetime.timedelta(minutes=15)


class SignatureRefused(ReportError):
    """An upload the portal does not accept; `reasons` are Vietnamese sentences."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def _event(report, action, *, by=None, file_name="", sha256="", reasons=()) -> SignatureEvent:
    return SignatureEvent.objects.create(
        report=report,
        by=None if by is OPERATOR else by,
        action=action,
        file_name=file_name[:255],
        sha256=sha256,
        reasons=list(reasons),
    )


def frozen_pdf(report: Report) -> StoredDocument:
    """The PDF frozen when the report was sent. Rendered here, at once, when the background
    task has not stored it yet: the same idempotent function the task runs (ADR 0013)."""
    return store_document(report, "pdf")


def signing_copy(*, report: Report, by) -> SigningCopy:
    """The frozen PDF with empty signature fields at its signature block, made once."""
    require(by, report, SIGN_PDF)
    frozen = frozen_pdf(report)
    existing = SigningCopy.objects.filter(frozen=frozen).first()
    if existing is not None:
        return existing
    with frozen.file.open("rb") as handle:
        data = handle.read()
    placements = signature_placements(data) or [
        Placement(LEADER_FIELD, 0, None),
        Placement(SEAL_FIELD, 0, None),
    ]
    content = add_signature_fields(data, placements)
    copy = SigningCopy(frozen=frozen, sha256=hashlib.sha256(content).hexdigest())
    copy.file.save(f"{report.pk}/ban-de-ky-{frozen.pk}.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            copy.save()
    except IntegrityError:  # another request made it meanwhile
        copy.file.delete(save=False)
        return SigningCopy.objects.get(frozen=frozen)
    return copy


def _accepted_hashes(frozen: StoredDocument) -> set[str]:
    copy = SigningCopy.objects.filter(frozen=frozen).first()
    return {frozen.sha256} | ({copy.sha256} if copy else set())


def upload_reasons(
    data: bytes, *, frozen: StoredDocument, by, now: datetime.datetime
) -> tuple[Verification, list[str]]:
    """The verification of an upload and every reason to refuse it (none: accept)."""
    verification = verify_signed_pdf(data, trust=installed_trust())
    reasons = list(verification.reasons)
    if not verification.signatures:
        return verification, reasons
    problem = frozen_problem(verification, _accepted_hashes(frozen))
    if problem:
        reasons.append(problem)
    if len(verification.signatures) > 1:
        reasons.append(
            f"Tệp có {len(verification.signatures)} chữ ký số; hãy tải lên bản chỉ có chữ ký "
            "của lãnh đạo (con dấu của cơ quan do cổng đóng sau)."
        )
    leader = verification.signatures[0]
    moment = leader.signed_at
    earliest, latest = frozen.created_at - CLOCK_TOLERANCE, now + CLOCK_TOLERANCE
    if moment and not earliest <= moment <= latest:
        reasons.append(
            f"Thời điểm ký ghi trong chữ ký ({when(moment)}) nằm ngoài khoảng từ lúc chốt bản "
            f"báo cáo ({when(frozen.created_at)}) đến lúc tải lên; hãy kiểm tra đồng hồ máy "
            "tính dùng để ký rồi ký lại."
        )
    refusal = signer_refusal(by, leader)
    if refusal:
        reasons.append(refusal)
    return verification, reasons


def _signature(document, check: SignatureCheck, role, *, user=None, unit=None) -> Signature:
    return Signature.objects.create(
        document=document,
        role=role,
        user=user,
        unit=unit,
        field_name=check.field_name[:100],
        signer=check.signer[:300],
        subject=check.subject[:500],
        issuer=check.issuer[:500],
        serial=check.serial[:80],
        fingerprint=check.fingerprint,
        signed_at=check.signed_at,
        timestamped=check.timestamped,
        valid_from=check.valid_from,
        valid_until=check.valid_until,
        revocation=check.revocation,
    )


def signed_upload(*, report: Report, by, data: bytes, file_name: str) -> SignedDocument:
    """The leader's signed PDF of the frozen submission: verified, stored as the report's
    record, then sealed by the unit when it has a seal. SignatureRefused with the reasons
    (recorded in the history) otherwise."""
    require(by, report, SIGN_PDF)
    frozen = frozen_pdf(report)
    sha256 = hashlib.sha256(data).hexdigest()
    if SignedDocument.objects.filter(frozen=frozen).exists():
        raise ReportError("Bản báo cáo đã gửi này đã được ký số.")
    verification, reasons = upload_reasons(data, frozen=frozen, by=by, now=timezone.now())
    if reasons:
        _event(report, SignatureEvent.Action.REFUSED, by=by, file_name=file_name,
               sha256=sha256, reasons=reasons)  # fmt: skip
        raise SignatureRefused(reasons)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        require(by, locked, SIGN_PDF)
        if (
            locked.updated_at != frozen.frozen_from
            or SignedDocument.objects.filter(frozen=frozen).exists()
        ):
            raise ReportError("Báo cáo đã thay đổi hoặc đã được ký số trong lúc tải lên.")
        document = SignedDocument(report=locked, frozen=frozen, sha256=sha256, uploaded_by=by)
        document.file.save(f"{report.pk}/da-ky-{frozen.pk}.pdf", ContentFile(data), save=False)
        document.full_clean()
        document.save()
        _signature(document, verification.signatures[0], Signature.Role.LEADER, user=by)
        _event(report, SignatureEvent.Action.ACCEPTED, by=by, file_name=file_name, sha256=sha256)
    seal_add(document=document, unit=report.unit, by=by)
    return document


# --- seals ------------------------------------------------------------------------------------


def seal_signer(config: SealConfig):
    folder = Path(settings.SIGNATURE_SEAL_DIR)
    try:
        secret = (folder / config.secret_file).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SealError(
            f"Không đọc được tệp mật khẩu của con dấu ({config.secret_file}): {exc.strerror}."
        ) from exc
    if config.backend == SealConfig.Backend.PKCS11:
        return signer_from_pkcs11(
            module=config.pkcs11_module,
            token_label=config.pkcs11_token,
            key_label=config.pkcs11_key,
            pin=secret,
        )
    return signer_from_pkcs12_file(folder / config.key_file, secret.encode())


def _stamp_time(now: datetime.datetime) -> list[str]:
    # NĐ 30, Phụ lục I: date and time in Vietnam's time zone, ISO 8601 (a line each: the
    # seal's box is narrow).
    date, time = timezone.localtime(now).replace(microsecond=0).isoformat().split("T")
    return [date, f"T{time}"]


def seal_add(
    *, document: SignedDocument, unit, by, role: str = Signature.Role.SEAL
) -> Signature | None:
    """Add `unit`'s seal (or, with role RECEIPT, its receipt) to the signed record; None when
    the unit has no active seal. A seal that fails is recorded and leaves the file as it was."""
    config = SealConfig.objects.filter(unit=unit, active=True).first()
    if config is None:
        return None
    receipt = role == Signature.Role.RECEIPT
    action = SignatureEvent.Action.RECEIPT if receipt else SignatureEvent.Action.SEALED
    with document.file.open("rb") as handle:
        data = handle.read()
    now = timezone.now()
    lines = (
        [f"{unit.name} đã tiếp nhận", "".join(_stamp_time(now))]
        if receipt
        else [*textwrap.wrap((unit.header_name or unit.name).upper(), 14), *_stamp_time(now)]
    )
    try:
        sealed = sign_pdf(
            data,
            signer=seal_signer(config),
            field_name=RECEIPT_FIELD if receipt else SEAL_FIELD,
            stamp_lines=lines,
            color=RED,
            placement=receipt_placement(data) if receipt else seal_placement(data),
            reason="Xác nhận tiếp nhận báo cáo" if receipt else "Chữ ký số của cơ quan",
        )
        verification = verify_signed_pdf(sealed, trust=installed_trust())
    except SealError as exc:
        _event(document.report, SignatureEvent.Action.SEAL_FAILED, by=by, reasons=[str(exc)])
        return None
    if not verification.ok:
        _event(document.report, SignatureEvent.Action.SEAL_FAILED, by=by,
               reasons=verification.reasons)  # fmt: skip
        return None
    with transaction.atomic():
        old_name = document.file.name
        document.file.save(
            f"{document.report_id}/da-ky-{document.frozen_id}-{role}.pdf",
            ContentFile(sealed),
            save=False,
        )
        document.sha256 = hashlib.sha256(sealed).hexdigest()
        document.save(update_fields=["file", "sha256", "updated_at"])
        signature = _signature(document, verification.signatures[-1], role, unit=unit)
        _event(document.report, action, by=by, sha256=document.sha256)
    # The earlier bytes are the start of the new file: nothing is lost with the old name.
    if old_name != document.file.name:
        document.file.storage.delete(old_name)
    return signature
