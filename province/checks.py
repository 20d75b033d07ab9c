"""What the province leader must know before signing, shown on the sign page before the number
and date are asked: what blocks signing (the report's errors and unwritten required sections,
each with a link to where it is fixed, and warnings Sở Nội vụ has not explained: the refusals
of services.sign_and_send), its warnings, and what the compilation itself leaves open (stale,
departments not included, reports not yet approved)."""

from dataclasses import dataclass, field

from django.urls import reverse

from reports.access import can_edit_report
from reports.models import Report, ReportState
from reports.selectors import report_appendices
from reports.services.workflow import missing_explanations
from reports.validation import ERROR, WARNING, validate_report, violation_links

from .compilation import INCLUDED, is_stale


@dataclass(frozen=True)
class Check:
    text: str
    links: tuple = ()  # (label, url) where it is fixed

    def __str__(self) -> str:
        return self.text


@dataclass
class SigningChecks:
    errors: list[Check] = field(default_factory=list)  # block signing
    warnings: list[str] = field(default_factory=list)  # to read, do not block

    @property
    def signable(self) -> bool:
        return not self.errors


def signing_checks(report: Report, user=None) -> SigningChecks:
    """`user`, when given, is shown the links to what they may fix: the explanations' page
    only to those who may write them (Sở Nội vụ), not to the leader who signs."""
    checks = SigningChecks()
    if report.state != ReportState.DRAFT:
        checks.errors.append(
            Check(f"Báo cáo của tỉnh {report.get_state_display().lower()}, không ký lại được.")
        )
        return checks
    compilation = getattr(report, "compilation", None)
    if compilation is None:
        checks.errors.append(
            Check(
                "Báo cáo chưa được tổng hợp từ báo cáo của các cơ quan, đơn vị: hãy tổng hợp trước."
            )
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
    violations = validate_report(report, include_notices=False)
    errors = [v for v in violations if v.severity == ERROR]
    for violation, links in violation_links(report, report_appendices(report), errors):
        if violation.section:  # the text names the section already
            links = [("viết mục này", url) for _label, url in links]
        checks.errors.append(Check(violation.text, tuple(links)))
    checks.warnings += [v.text for v in violations if v.severity == WARNING]
    unexplained = missing_explanations(report, violations)
    if unexplained:
        url = reverse("reports:report_submit", args=[report.pk])
        may_explain = user is None or can_edit_report(user, report)
        checks.errors.append(
            Check(
                f"{len(unexplained)} cảnh báo chưa có giải trình của Sở Nội vụ.",
                (("Giải trình cảnh báo", url),) if may_explain else (),
            )
        )
    return checks
