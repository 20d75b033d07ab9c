"""Who may do what with a report's signatures; the one way the signature pages reach a report.

Reaching the report is reports.access's job (anonymous -> login, may not know it -> 404);
this module adds the refusal for signing (403 with the Vietnamese reason), the same way
reports.access.refusal answers for the core's needs.
"""

import enum
from functools import wraps

from django.contrib.auth.decorators import login_required

from org.models import Role
from org.permissions import units_visible_to
from reports.access import OPERATOR, READ, AccessRefused, is_province_report, report_for
from reports.models import Report, ReportState
from reports.models.reports import UNDER_REVIEW


class Need(enum.Enum):
    # Download the copy to sign, upload the signed file: the report's own leader.
    SIGN_PDF = "sign_pdf"


SIGN_PDF = Need.SIGN_PDF


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
    if not getattr(user, "is_authenticated", False):
        return False
    if is_province_report(report):
        return (
            user.role == Role.PROVINCE_LEADER
            and user.has_perm("reports.sign_province_report")
            and units_visible_to(user).filter(pk=report.unit_id).exists()
        )
    return (
        user.role == Role.LEADER
        and user.unit_id == report.unit_id
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
        raise AccessRefused(reason)


def signature_view(need=READ, *, post: Need | None = None):
    """A signature page of one report (URL argument `pk`): login, the report reached through
    reports.access for reading, then `post` checked here for POST requests."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            report = report_for(request, pk, READ)
            wanted = post if request.method == "POST" and post is not None else need
            if wanted != READ:
                require(request.user, report, wanted)
            return view(request, report, *args, **kwargs)

        wrapper.report_need = (need, post)  # read by the test that walks every report URL
        return login_required(wrapper)

    return decorator
