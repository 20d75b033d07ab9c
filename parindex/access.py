"""Who reaches the PAR Index's objects (lib/access.py's refusal table, ADR 0010).

A unit's staff and leaders see their unit's assessments (drafts included); Sở Nội vụ's
reviewers and the province's leaders see the assessments of their province once submitted;
administrators and the operator see all. Whoever may not know an assessment exists gets 404;
whoever may see it but not do this, 403 with the reason. Evidence files go by their assessment.
"""

from django.db.models import Q

from lib.access import ADMIN, CREATE, EDIT, READ, REVIEW, SUBMIT, Need, NotFound, Refused
from org.models import Unit
from org.permissions import (
    OPERATOR,
    is_admin,
    is_department_member,
    is_province_leader,
    is_unit_leader,
    reviews,
    units_visible_to,
)

from .models import UNDER_APPRAISAL, Assessment, AssessmentState, CriteriaSet, Evidence

__all__ = ["ADMIN", "CREATE", "EDIT", "READ", "REVIEW", "SUBMIT", "Need"]


def _trusted(user) -> bool:
    return user is OPERATOR or is_admin(user)


def may_see_province(user, province: Unit) -> bool:
    if _trusted(user):
        return True
    return units_visible_to(user).filter(Q(pk=province.pk) | Q(province=province)).exists()


def manages_index(user, province: Unit) -> bool:
    """Loads the province's criteria sets and sees every unit's results: its reviewers."""
    return _trusted(user) or reviews(user, province)


def may_see_all_results(user, province: Unit) -> bool:
    """Every unit's scores and rank: the province's reviewers and leaders; a unit sees its own."""
    if manages_index(user, province):
        return True
    return is_province_leader(user) and may_see_province(user, province)


def is_member(user, unit: Unit) -> bool:
    """Staff or leader of the unit (or of its successor)."""
    return (
        user is not OPERATOR
        and units_visible_to(user).filter(pk=unit.pk).exists()
        and (is_department_member(user))
    )


def may_see_assessment(user, assessment: Assessment) -> bool:
    if _trusted(user) or is_member(user, assessment.unit):
        return True
    if assessment.state == AssessmentState.DRAFT:
        return False
    return units_visible_to(user).filter(pk=assessment.unit_id).exists()


def assessment_refusal(user, assessment: Assessment, need: Need) -> str | None:
    """Why `user` may not do `need` with an assessment they may see; None when they may."""
    state = assessment.state
    if need == READ:
        return None
    if need == EDIT:
        if not (user is OPERATOR or is_member(user, assessment.unit)):
            return "Chỉ cán bộ của đơn vị được tự chấm điểm."
        if state not in (AssessmentState.DRAFT, AssessmentState.RETURNED):
            return f"Bản tự đánh giá đang ở trạng thái “{assessment.get_state_display()}”."
        return None
    if need == SUBMIT:
        unit = assessment.unit
        leader = is_member(user, unit) and (is_unit_leader(user) or unit.staff_may_submit)
        if not (user is OPERATOR or leader):
            return "Chỉ lãnh đạo đơn vị được gửi bản tự đánh giá."
        if state != AssessmentState.DRAFT:
            return f"Bản tự đánh giá đang ở trạng thái “{assessment.get_state_display()}”."
        return None
    if need == REVIEW:
        if not (user is OPERATOR or reviews(user, assessment.unit)):
            return "Chỉ Sở Nội vụ được thẩm định điểm."
        if state not in UNDER_APPRAISAL:
            return f"Bản tự đánh giá đang ở trạng thái “{assessment.get_state_display()}”."
        return None
    return "Không có thao tác này."


def can(user, assessment: Assessment, need: Need) -> bool:
    return (
        may_see_assessment(user, assessment) and assessment_refusal(user, assessment, need) is None
    )


def require(user, assessment: Assessment, need: Need) -> None:
    """For services: raises Refused with the reason."""
    if not may_see_assessment(user, assessment):
        raise Refused("Không có quyền với bản tự đánh giá này.")
    reason = assessment_refusal(user, assessment, need)
    if reason:
        raise Refused(reason)


def assessment_for_user(user, pk, need: Need) -> Assessment:
    assessment = (
        Assessment.objects.select_related("unit", "criteria_set__province").filter(pk=pk).first()
    )
    if assessment is None or not may_see_assessment(user, assessment):
        raise NotFound("Không tìm thấy bản tự đánh giá.")
    reason = assessment_refusal(user, assessment, need)
    if reason:
        raise Refused(reason)
    return assessment


def criteria_set_for_user(user, pk, need: Need) -> CriteriaSet:
    """READ: anyone of the province (export, results); CREATE: a unit member of the set's kind
    starting the unit's assessment; ADMIN: the province's reviewers."""
    criteria_set = CriteriaSet.objects.select_related("province").filter(pk=pk).first()
    if criteria_set is None or not may_see_province(user, criteria_set.province):
        raise NotFound("Không tìm thấy bộ chỉ số.")
    if need == ADMIN and not manages_index(user, criteria_set.province):
        raise Refused("Chỉ Sở Nội vụ được quản lý bộ chỉ số.")
    if need == CREATE:
        unit = getattr(user, "unit", None)
        if not (is_department_member(user) and unit is not None):
            raise Refused("Chỉ cán bộ của đơn vị được tự chấm điểm.")
        if unit.kind != criteria_set.unit_kind or unit.province_id != criteria_set.province_id:
            raise Refused("Bộ chỉ số này không áp dụng cho đơn vị của bạn.")
    elif need not in (READ, ADMIN):
        raise Refused("Không có thao tác này.")
    return criteria_set


def evidence_for_user(user, pk, need: Need) -> Evidence:
    evidence = (
        Evidence.objects.select_related("score__assessment__unit", "score__criterion")
        .filter(pk=pk)
        .first()
    )
    if evidence is None or not may_see_assessment(user, evidence.score.assessment):
        raise NotFound("Không tìm thấy tài liệu kiểm chứng.")
    reason = assessment_refusal(user, evidence.score.assessment, need)
    if reason:
        raise Refused(reason)
    return evidence
