"""The demo's digital signatures: a demo CA made at load time (never for real use), the demo
leaders' certificates registered, seals for Cần Thơ's and Gia Lai's units, and signed reports.

- Cần Thơ signs by choice: a report of last year was signed as it was sent, sealed and, on
  approval, acknowledged by Sở Nội vụ; the year's Q3 report was sent unsigned and signed later,
  after a tampered upload was refused.
- Gia Lai requires signatures: its Q3 report waits for its leader's ("Chờ ký số") and cannot
  be approved before.

The leaders' demo keys (PKCS#12, passphrase = the demo password) are written under
SIGNATURE_SEAL_DIR/demo-nguoi-ky/ so that a demo can sign with pyHanko or any PAdES signer.
"""

import contextlib
import datetime
import io
from pathlib import Path

from django.conf import settings
from django.db import transaction
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from indicators.models import ReportKind
from lib.event_loop import outside_event_loop
from org.models import Unit, User
from reports.access import OPERATOR
from reports.models import Period, Report, ReportState
from reports.services import period_create
from reports.services.workflow import report_approve, report_submit
from signatures.models import SealConfig, SignedDocument, SigningRule
from signatures.services import SignatureRefused, signed_upload, signing_copy
from signatures.sign import LEADER_FIELD, signer_from_pkcs12
from signatures.signers import signer_certificate_register
from signatures.throwaway_ca import DEMO_MARK, ThrowawayCA

TRUST_FILE = "demo-ca-KHONG-DUNG-THAT.pem"
KEYS_FOLDER = "demo-nguoi-ky"
# (province code, whether its departments' reports must be signed)
RULES = [("can-tho", False), ("gia-lai", True)]


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


def _person(ca: ThrowawayCA, user: User, passphrase: bytes):
    issued = ca.issue(
        user.get_full_name() or user.username,
        organization=user.unit.name if user.unit else "",
        unit=DEMO_MARK,
    )
    _write(
        Path(settings.SIGNATURE_SEAL_DIR) / KEYS_FOLDER / f"{user.username}.p12",
        issued.pkcs12(passphrase),
    )
    signer_certificate_register(user=user, data=issued.pem, by=OPERATOR, name=user.username)
    return issued


def _seal(ca: ThrowawayCA, unit: Unit, passphrase: bytes) -> None:
    issued = ca.issue(
        (unit.header_name or unit.name).upper(), organization=unit.name, unit=DEMO_MARK
    )
    folder = Path(settings.SIGNATURE_SEAL_DIR)
    _write(folder / f"demo-{unit.code}.p12", issued.pkcs12(passphrase))
    _write(folder / f"demo-{unit.code}.pass", passphrase + b"\n")
    SealConfig.objects.update_or_create(
        unit=unit,
        defaults={"key_file": f"demo-{unit.code}.p12", "secret_file": f"demo-{unit.code}.pass"},
    )


@outside_event_loop  # pyHanko signs through asyncio.run; load_demo may run under a loop
def _sign(data: bytes, p12: bytes, passphrase: bytes) -> bytes:
    """What the leader's software does: sign into the leader's field."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = io.BytesIO()
    signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=LEADER_FIELD, subfilter=fields.SigSeedSubFilter.PADES
        ),
        signer=signer_from_pkcs12(p12, passphrase),
    ).sign_pdf(writer, output=out)
    return out.getvalue()


def _sign_report(report: Report, leader: User, p12: bytes, passphrase: bytes, *, tamper=False):
    data = signing_copy(report=report, by=leader).file.read()
    signed = _sign(data, p12, passphrase)
    if tamper:
        # A figure changed after signing, as a refused upload in the history shows.
        broken = bytearray(signed)
        broken[len(data) // 2] ^= 0x01
        with contextlib.suppress(SignatureRefused):  # refused, and kept in the history
            signed_upload(
                report=report, by=leader, data=bytes(broken), file_name="bao-cao-da-sua.pdf"
            )
    signed_upload(report=report, by=leader, data=signed, file_name="bao-cao-da-ky.pdf")


def load_signatures(today: datetime.date, password: str, *, make_report) -> None:
    """Idempotent: skipped once the demo has a signed report. `make_report(unit, period,
    staff, number=...)` files a filled report (the loader's)."""
    if SignedDocument.objects.exists():
        return
    passphrase = password.encode()
    ca = ThrowawayCA()
    _write(Path(settings.SIGNATURE_TRUST_DIR) / TRUST_FILE, ca.pem)
    department_kind = ReportKind.objects.exclude(code=ReportKind.PROVINCE_CODE).first()
    province_kind = ReportKind.objects.get(code=ReportKind.PROVINCE_CODE)
    for code, required in RULES:
        province = Unit.objects.get(code=code)
        prefix = code.replace("-", "")
        leader = User.objects.get(username=f"{prefix}.lanhdao")
        province_leader = User.objects.get(username=f"{prefix}.lanhdaotinh")
        SigningRule.objects.update_or_create(
            province=province, kind=department_kind, defaults={"required": required}
        )
        SigningRule.objects.update_or_create(
            province=province, kind=province_kind, defaults={"required": True}
        )
        _person(ca, leader, passphrase)
        _person(ca, province_leader, passphrase)
        for unit in [province, *Unit.objects.filter(province=province, kind="department")]:
            _seal(ca, unit, passphrase)
    _load_can_tho(today, passphrase, make_report)


def _load_can_tho(today: datetime.date, passphrase: bytes, make_report) -> None:
    leader = User.objects.get(username="cantho.lanhdao")
    staff = User.objects.get(username="cantho.chuyenvien")
    reviewer = User.objects.get(username="cantho.thamdinh")
    p12 = (Path(settings.SIGNATURE_SEAL_DIR) / KEYS_FOLDER / f"{leader.username}.p12").read_bytes()
    # Signed as it was sent, then approved: sealed by the department, acknowledged by Sở Nội vụ.
    period = Period.objects.filter(kind="Y", year=today.year - 1).first() or period_create(
        by=OPERATOR, kind="Y", year=today.year - 1
    )
    with transaction.atomic():
        report = make_report(staff.unit, period, staff, number=15)
        report = report_submit(report=report, by=leader)
    _sign_report(report, leader, p12, passphrase)
    report_approve(report=report, by=reviewer, comment="Đạt yêu cầu; đã ký số.")
    # Sent unsigned (Cần Thơ does not require it), signed later; a tampered upload first.
    sent = Report.objects.filter(
        unit=staff.unit, period__kind="Q3", period__year=today.year, state=ReportState.SUBMITTED
    ).first()
    if sent is not None:
        _sign_report(sent, leader, p12, passphrase, tamper=True)
