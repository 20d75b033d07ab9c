"""Reaching reports, units and periods, and who may do what with them (the refusal table of
lib/access.py; docs/architecture.md, "Access").

Every page, download, upload, command and write service reaches a report through
`report_for_user` / `report_view` / `require` below: anonymous visitors go to the login page;
whoever may not know the report exists (another unit's report, a draft for a reviewer, another
province's report) gets 404, the same page as a report that does not exist; whoever may read it
but not do this gets 403 with the reason — the report's state or the user's role.
Unit-level questions (roles, is_admin, units_visible_to, who reviews a unit) live in
org.permissions.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import JsonResponse
from django.utils import timezone

from indicators.models import ReportKind
from lib.access import (
    ADMIN,
    CREATE,
    EDIT,
    READ,
    REVIEW,
    SIGN,
    SUBMIT,
    Need,
    NotFound,
    Refused,
    object_view,
)
from org.models import Unit, UnitKind
from org.permissions import (
    OPERATOR,
    is_admin,
    is_department_member,
    is_province_leader,
    is_reviewer,
    is_unit_leader,
    require_admin,
    reviews,
    units_visible_to,
)

from .models import Period, Report, ReportState
from .models.reports import EDITABLE_STATES, UNDER_REVIEW

__all__ = ["ADMIN", "CREATE", "EDIT", "READ", "REVIEW", "SIGN", "SUBMIT", "Need"]

# The province's own report (compiled by Sở Nội vụ, signed for UBND tỉnh); province.compilation.
PROVINCE_KIND = ReportKind.PROVINCE_CODE


def is_province_report(report: Report) -> bool:
    return report.unit.kind == UnitKind.PROVINCE and report.kind.code == PROVINCE_KIND


class ReportNotFound(NotFound):
    """The report does not exist, or the user may not know that it does."""


# The name the write services raise and their callers catch.
AccessRefused = Refused


# --- who may read ---------------------------------------------------------------------------


def reports_visible_to(user):
    """Reports the user may open: their unit's (drafts included, predecessors' too) for
    department people, the submitted ones of the province for reviewers, everything for
    administrators and the operator."""
    reports = Report.objects.select_related(
        "unit__province", "period", "kind", "template_version__template"
    )
    if user is OPERATOR or is_admin(user):
        return reports
    reports = reports.filter(unit__in=units_visible_to(user))
    if is_reviewer(user) or is_province_leader(user):
        # Departments' drafts stay theirs; the province's own report is drafted by Sở Nội vụ.
        reports = reports.exclude(Q(state=ReportState.DRAFT) & ~Q(unit__kind=UnitKind.PROVINCE))
    return reports


def can_read_report(user, report: Report) -> bool:
    return reports_visible_to(user).filter(pk=report.pk).exists()


# --- what they may do -----------------------------------------------------------------------

# How each state reads in a sentence ("Báo cáo đã gửi, ...").
_STATE_PHRASES = {
    ReportState.DRAFT: "đang là bản nháp",
    ReportState.SUBMITTED: "đã gửi",
    ReportState.RETURNED: "đã trả lại cho đơn vị",
    ReportState.RESUBMITTED: "đã gửi lại",
    ReportState.APPROVED: "đã được duyệt",
    ReportState.SIGNED: "đã ký và gửi",
}


def refusal(user, report: Report, need: Need) -> str | None:
    """Why `user` may not do `need` with a report they can read; None when they may.
    Role first, then state: a reviewer is told it is not theirs to edit, a department is
    told its report has been sent. Every role that passes here may also read the report."""
    if not getattr(user, "is_authenticated", False):  # anonymous, or a service given no `by`
        return "Hãy đăng nhập để làm việc với báo cáo."
    state = f"Báo cáo {_STATE_PHRASES.get(report.state, report.state)}"
    operator = user is OPERATOR
    if need == READ:
        return None if can_read_report(user, report) else "Bạn không được xem báo cáo này."
    if is_province_report(report):
        return _province_refusal(user, report, need, state)
    if need == SIGN:
        return "Chỉ báo cáo của tỉnh được ký gửi theo cách này."
    if need == EDIT:
        in_unit = is_department_member(user, report.unit)
        if not operator and not (in_unit and user.has_perm("reports.change_report")):
            return "Chỉ chuyên viên và lãnh đạo của đơn vị lập báo cáo được chỉnh sửa báo cáo này."
        if report.state not in EDITABLE_STATES:
            return f"{state}, không thể chỉnh sửa."
        return None
    if need == SUBMIT:
        if not is_department_member(user, report.unit):
            return "Chỉ đơn vị lập báo cáo được ký gửi báo cáo này."
        may = (
            user.has_perm("reports.submit_report")
            if is_unit_leader(user)
            else report.unit.staff_may_submit
        )
        if not may:
            return "Chỉ lãnh đạo đơn vị được ký gửi báo cáo."
        if report.state not in EDITABLE_STATES:
            return f"{state}, không gửi lại được."
        return None
    if need == REVIEW:
        if not reviews(user, report.unit):
            return "Chỉ chuyên viên thẩm định của Sở Nội vụ tỉnh được thẩm định báo cáo."
        if report.state not in UNDER_REVIEW:
            return f"{state}, không ở trạng thái chờ thẩm định."
        return None
    if need == ADMIN:
        if not is_admin(user):
            return "Chỉ quản trị hệ thống được mở lại báo cáo đã duyệt."
        if report.state != ReportState.APPROVED:
            return f"Chỉ mở lại được báo cáo đã duyệt; báo cáo {state.removeprefix('Báo cáo ')}."
        return None
    raise ValueError(need)


def _province_refusal(user, report: Report, need: Need, state: str) -> str | None:
    """The province's own report: Sở Nội vụ's reviewers prepare it while it is a draft, the
    province leader signs it; nobody submits or reviews it in the portal."""
    operator = user is OPERATOR
    if need == EDIT:
        if not operator and not reviews(user, report.unit):
            return "Chỉ chuyên viên thẩm định của Sở Nội vụ tỉnh được soạn báo cáo của tỉnh."
        if report.state != ReportState.DRAFT:
            return f"{state}, không thể chỉnh sửa."
        return None
    if need == SIGN:
        of_province = units_visible_to(user).filter(pk=report.unit_id).exists()
        if not is_province_leader(user) or not of_province:
            return "Chỉ lãnh đạo UBND tỉnh được ký và gửi báo cáo của tỉnh."
        if report.state != ReportState.DRAFT:
            return f"{state}, không ký gửi lại được."
        return None
    if need == ADMIN:
        return "Báo cáo của tỉnh không mở lại theo cách này."
    return "Báo cáo của tỉnh do lãnh đạo UBND tỉnh ký gửi, không gửi thẩm định."


def can_edit_report(user, report: Report) -> bool:
    """Staff and leaders of the report's own unit, while it is a draft or returned."""
    return refusal(user, report, EDIT) is None


def can_submit_report(user, report: Report) -> bool:
    """The unit's leader signs and submits; staff too where the unit allows it."""
    return refusal(user, report, SUBMIT) is None


def can_review_report(user, report: Report) -> bool:
    """Reviewers of the report's province (or of the province that succeeded it), while it
    waits for review."""
    return refusal(user, report, REVIEW) is None


def can_reopen_report(user, report: Report) -> bool:
    """Administrators, once the report is approved."""
    return refusal(user, report, ADMIN) is None


def creation_refusal(user, unit: Unit, kind: ReportKind | None = None) -> str | None:
    """Why `user` may not create `unit`'s report of `kind`; None when they may. A department's
    staff and leaders create its reports; the province's own report is compiled by Sở Nội vụ's
    reviewers (province.services), never created from a unit page."""
    if kind is not None and kind.code == PROVINCE_KIND:
        if user is OPERATOR or reviews(user, unit) and unit.kind == UnitKind.PROVINCE:
            return None
        return "Báo cáo của tỉnh do chuyên viên thẩm định của Sở Nội vụ tổng hợp."
    if user is OPERATOR:
        return None
    if not (is_department_member(user, unit) and user.has_perm("reports.add_report")):
        return "Chỉ chuyên viên và lãnh đạo của đơn vị được lập báo cáo của đơn vị."
    return None


def can_create_report(user, unit: Unit, kind: ReportKind | None = None) -> bool:
    return creation_refusal(user, unit, kind) is None


def require(user, report: Report, need: Need) -> None:
    """For write services: refuse (AccessRefused) unless `user` may do `need` with `report`.
    A user who cannot even read it is refused too, never with a 404: the caller already holds
    the report."""
    reason = refusal(user, report, need)
    if reason:
        raise AccessRefused(reason)


# Autosave's refusal names who moved the report on and when, so the person typing knows why.
_MOVED_ON = {
    ReportState.SUBMITTED: "gửi",
    ReportState.RESUBMITTED: "gửi lại",
    ReportState.APPROVED: "duyệt",
}


def edit_refusal(report: Report) -> str:
    """Why the report can no longer be edited from an open page: who moved it on and when."""
    report.refresh_from_db(fields=["state"])
    change = report.state_changes.select_related("by").order_by("-at", "-pk").first()
    verb = _MOVED_ON.get(report.state)
    if report.is_editable or change is None or verb is None:
        return "Bạn không còn quyền sửa báo cáo này; không thể sửa tiếp."
    at = timezone.localtime(change.at).strftime("%H:%M ngày %d/%m/%Y")
    return f"Báo cáo đã được {verb} lúc {at} bởi {change.by}; không thể sửa tiếp."


# --- the one way in -------------------------------------------------------------------------


def report_for_user(user, pk, need: Need = READ, *, for_update: bool = False) -> Report:
    """The report `pk` as `user` may reach it for `need` (pages, commands, services).
    ReportNotFound when they may not know it exists, AccessRefused when they may read it but
    not do `need`. `for_update` locks the row: call it inside transaction.atomic."""
    reports = reports_visible_to(user)
    if for_update:
        # The nullable joins (a province has no province) cannot be locked; the report can.
        reports = reports.select_for_update(of=("self",))
    # Every report page names its unit (display_name): whether the name is shared comes along.
    shared = Unit.objects.filter(name=OuterRef("unit__name")).exclude(pk=OuterRef("unit_id"))
    reports = reports.annotate(unit_name_is_shared=Exists(shared))
    report = reports.filter(pk=pk).first() if str(pk).isdigit() else None
    if report is None:
        raise ReportNotFound("Không có báo cáo này.")
    report.unit.name_is_shared = report.unit_name_is_shared
    reason = refusal(user, report, need) if need != READ else None
    if reason:
        raise AccessRefused(reason)
    return report


def report_for(request, pk, need: Need = READ, *, for_update: bool = False) -> Report:
    """`report_for_user` for the logged-in user of a page."""
    return report_for_user(request.user, pk, need, for_update=for_update)


def _autosave_refusal(request, pk, wanted: Need, exc: Refused):
    """An autosave that may not save gets the reason as JSON: autosave.js stops saving, shows
    it and keeps the typed values on the page. Pages get the 403 page."""
    if request.headers.get("X-Autosave") != "1":
        return None
    reason = edit_refusal(report_for(request, pk)) if wanted == EDIT else str(exc)
    return JsonResponse({"saved": False, "refused": reason}, status=403)


def report_view(need: Need = READ, *, post: Need | None = None):
    """A view of one report (URL argument `pk`; lib.access.object_view): the report reached
    for `need` (for `post` on POST, when given) is passed to the view instead of `pk`."""
    return object_view(report_for_user, need, post=post, refused=_autosave_refusal)


def unit_for_user(user, code: str, need: Need = READ) -> Unit:
    """The unit `code` as `user` may reach it: READ its page (its reports, its history), CREATE
    a report for it."""
    unit = (
        units_visible_to(user)
        .with_shared_names()
        .select_related("province", "successor")
        .filter(code=code)
        .first()
    )
    if unit is None:
        raise NotFound("Không có đơn vị này.")
    if need == CREATE:
        reason = creation_refusal(user, unit)
        if reason:
            raise Refused(reason)
    elif need != READ:
        raise ValueError(need)
    return unit


def period_for_user(user, pk, need: Need = READ) -> Period:
    """Periods are no secret; administrators open and close them (ADMIN)."""
    period = Period.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if period is None:
        raise NotFound("Không có kỳ báo cáo này.")
    if need == ADMIN:
        require_admin(user)
    elif need != READ:
        raise ValueError(need)
    return period
