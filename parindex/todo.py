"""What waits for a person in the PAR Index, for the home page's "Việc cần làm": the unit's
assessment to score or explain, the submitted ones to appraise."""

from dataclasses import dataclass

from org.permissions import is_department_member, is_reviewer, units_visible_to

from . import access
from .access import SUBMIT
from .models import UNDER_APPRAISAL, Assessment, AssessmentState


@dataclass(frozen=True)
class Waiting:
    assessment: Assessment
    action: str
    detail: str


def index_awaiting(user) -> list[Waiting]:
    out = []
    related = Assessment.objects.select_related("unit", "criteria_set").order_by("pk")
    if is_department_member(user) and user.unit_id:
        mine = related.filter(
            unit__in=user.unit.lineage(),
            state__in=[AssessmentState.DRAFT, AssessmentState.RETURNED],
        )
        for a in mine:
            if a.state == AssessmentState.RETURNED:
                deadline = a.explanation_deadline
                detail = f"hạn giải trình {deadline:%d/%m/%Y}" if deadline else ""
                out.append(Waiting(a, "Giải trình", detail))
            elif access.can(user, a, SUBMIT):
                out.append(Waiting(a, "Tự chấm và gửi", "đang tự chấm"))
            else:
                out.append(Waiting(a, "Tự chấm điểm", "đang tự chấm"))
    if is_reviewer(user):
        waiting = related.filter(unit__in=units_visible_to(user), state__in=UNDER_APPRAISAL)
        for a in waiting:
            out.append(Waiting(a, "Thẩm định", a.get_state_display().lower()))
    return out
