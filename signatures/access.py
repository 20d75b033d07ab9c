"""Who may put a digital signature on a report, and the one way the signature pages reach a
report (the refusal table of lib/access.py). Reaching the report itself is reports.access's
job; this module adds the refusal for SIGN_PDF (403 with the Vietnamese reason).
"""

from lib.access import READ, SIGN_PDF, Need, Refused
from org.permissions import (
    OPERATOR,
    is_department_member,
    is_province_leader,
    is_unit_leader,
    units_visible_to,
)
from reports.access import is_province_report, report_for_user
from reports.models import Report, ReportState
from reports.models.reports import UNDER_REVIEW


def signing_state_refusal(report: Report) -> str | None:
    """Why the report cannot take a leader's signature now, whoever asks."""
    if is_province_report(report):
        if report.state != ReportState.SIGNED:
            return "Báo cáo của tỉnh chỉ ký số được sau khi lãnh đạo UBND tỉnh bấm “Ký và gửi”."
        return None
    if report.state not in UNDER_REVIEW:
        return (
            f"Báo cáo đang ở trạng thái “{report.get_state_display()}”; chỉ ký số được "
            "báo cáo đã gửi, đang chờ thẩm định."
        )
    return None


def may_sign(user, report: Report) -> bool:
    """The role half of the question: the unit's leader, or for the province's report its
    leader (UBND tỉnh)."""
    if user is OPERATOR:
        return True
    if is_province_report(report):
        return (
            is_province_leader(user) and units_visible_to(user).filter(pk=report.unit_id).exists()
        )
    return (
        is_unit_leader(user)
        and is_department_member(user, report.unit)
        and user.has_perm("reports.submit_report")
    )


def refusal(user, report: Report, need: Need) -> str | None:
    """Why `user`, who may read `report`, may not do `need`; None when they may. Role first,
    then state, as in reports.access."""
    if need != SIGN_PDF:
        raise ValueError(need)
    if not may_sign(user, report):
        if is_province_report(report):
            return "Chỉ lãnh đạo UBND tỉnh được ký số báo cáo của tỉnh."
        return "Chỉ lãnh đạo đơn vị lập báo cáo được ký số báo cáo này."
    return signing_state_refusal(report)


def can_sign(user, report: Report) -> bool:
    return refusal(user, report, SIGN_PDF) is None


def require(user, report: Report, need: Need) -> None:
    reason = refusal(user, report, need)
    if reason:
        raise Refused(reason)


def signed_report_for_user(user, pk, need: Need = READ) -> Report:
    """The report `pk` for its signature pages: any reader may check a file against it
    (READ); signing it (SIGN_PDF) is its leader's, while it can take a signature."""
    report = report_for_user(user, pk, READ)
    if need != READ:
        require(user, report, need)
    return report
