"""A verification told in lines of text, for `manage.py verify_pdf`."""

from dataclasses import dataclass

from .verify import Verification, when


@dataclass(frozen=True)
class FrozenMatch:
    """The document of the portal that the file's signed content is."""

    report: str  # "Báo cáo … – Sở … (mã số 12)"
    revision: int
    state: str  # the report's state when frozen
    frozen_at: object  # datetime
    signing_copy: bool  # the frozen PDF with empty signature fields, not the bare one


def describe(verification: Verification, *, name: str, frozen: FrozenMatch | None) -> list[str]:
    lines = [f"Tệp: {name}"]
    if frozen:
        copy = " (bản để ký, có ô chữ ký)" if frozen.signing_copy else ""
        lines += [
            f"Báo cáo: {frozen.report}, lần lập {frozen.revision}",
            f"Nội dung đã ký: trùng bản đã chốt lúc {when(frozen.frozen_at)} "
            f"({frozen.state}){copy}",
        ]
    elif verification.signatures:
        lines.append("Nội dung đã ký: KHÔNG trùng bản báo cáo nào đã chốt trên cổng")
    for number, check in enumerate(verification.signatures, start=1):
        source = "theo dấu thời gian" if check.timestamped else "giờ trên máy người ký"
        lines += [
            f"Chữ ký {number}: {check.signer}, ký lúc {when(check.signed_at)} ({source}): "
            f"{check.status}",
            f"    Chủ thể: {check.subject}",
            f"    Cấp bởi: {check.issuer}",
            f"    Hiệu lực: {when(check.valid_from)} đến {when(check.valid_until)}",
            f"    Thu hồi: {check.revocation_label}",
        ]
    lines += [f"Lỗi: {problem}" for problem in verification.problems]
    good = verification.ok and frozen is not None
    lines.append(
        "Kết quả: HỢP LỆ, mọi chữ ký hợp lệ và khớp bản đã chốt"
        if good
        else "Kết quả: KHÔNG HỢP LỆ"
    )
    return lines
