"""What the province leader must know before signing, shown on the sign page before the number
and date are asked: the report's data errors (they block signing), its warnings, and what the
compilation itself leaves open (stale, departments not included, reports not yet approved)."""

from dataclasses import dataclass, field

from reports.models import Report, ReportState
from reports.validation import ERROR, WARNING, validate_report

from .compilation import INCLUDED, is_stale


@dataclass
class SigningChecks:
    errors: list[str] = field(default_factory=list)  # block signing
    warnings: list[str] = field(default_factory=list)  # to read, do not block

    @property
    def signable(self) -> bool:
        return not self.errors


def signing_checks(report: Report) -> SigningChecks:
    checks = SigningChecks()
    if report.state != ReportState.DRAFT:
        checks.errors.append(
            f"Báo cáo của tỉnh {report.get_state_display().lower()}, không ký lại được."
        )
        return checks
    compilation = getattr(report, "compilation", None)
    if compilation is None:
        checks.errors.append(
            "Báo cáo chưa được tổng hợp từ báo cáo của các cơ quan, đơn vị: hãy tổng hợp trước."
        )
    else:
        if is_stale(report):
            checks.warnings.append(
                "Sau lần tổng hợp, có báo cáo của cơ quan, đơn vị đã được gửi, duyệt hoặc mở "
                "lại: nên tổng hợp lại trước khi ký."
            )
        if compilation.include_submitted:
            checks.warnings.append("Số liệu được tổng hợp gồm cả báo cáo chưa duyệt.")
        left_out = [s["unit"] for s in compilation.sources if s["status"] != INCLUDED]
        if left_out:
            checks.warnings.append(
                f"{len(left_out)} cơ quan, đơn vị chưa có báo cáo được tổng hợp: "
                + ", ".join(left_out[:5])
                + ("…" if len(left_out) > 5 else "")
                + "."
            )
        for code, stored in compilation.values.items():
            if stored.get("problem"):
                checks.warnings.append(f"Chỉ tiêu {code} không tổng hợp được: {stored['problem']}")
    for violation in validate_report(report, include_notices=False):
        if violation.severity == ERROR:
            checks.errors.append(violation.text)
        elif violation.severity == WARNING:
            checks.warnings.append(violation.text)
    return checks
