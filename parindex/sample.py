"""The PAR Index in the demo (demo.loader calls load_index_demo): Cần Thơ's departments scored
against the shipped criteria set for last year, one in each state, through the services."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from org.models import Unit, UnitKind
from org.permissions import OPERATOR

from .models import Assessment
from .services import (
    appraise,
    assessment_answer,
    assessment_finalise,
    assessment_return,
    assessment_start,
    assessment_submit,
    criteria_set_import,
    current_set,
    explanation_save,
    score_save,
)
from .workbook import read_fixture

FIXTURE = settings.BASE_DIR / "fixtures" / "parindex" / "cap-so.json"
PROVINCE = "can-tho"
# unit suffix -> the state its assessment is left in, and how far below full points it scores.
STATES = {
    "skhcn": ("draft", Decimal("0")),
    "stp": ("submitted", Decimal("0.85")),
    "syt": ("returned", Decimal("0.8")),
    "stc": ("answered", Decimal("0.9")),
    "snv": ("finalised", Decimal("0.95")),
}


def load_criteria_set(province: Unit, year: int):
    existing = current_set(province, year, UnitKind.DEPARTMENT)
    if existing is not None:
        return existing
    return criteria_set_import(
        by=OPERATOR, province=province, spec=read_fixture(FIXTURE), year=year
    )


def _self_score(assessment: Assessment, share: Decimal) -> None:
    for score in assessment.scores.select_related("criterion"):
        if score.suggested is not None:
            score_save(
                by=OPERATOR,
                assessment=assessment,
                criterion_id=score.criterion_id,
                points=None,
                accept=True,
            )
            continue
        points = (score.criterion.max_points * share).quantize(Decimal("0.25"))
        score_save(
            by=OPERATOR,
            assessment=assessment,
            criterion_id=score.criterion_id,
            points=str(points),
            note="Có văn bản kiểm chứng kèm theo.",
        )


def load_index_demo(today: datetime.date) -> None:
    province = Unit.objects.get(code=PROVINCE)
    year = today.year - 1
    criteria_set = load_criteria_set(province, year)
    # A deadline ahead of the real day too: a demo loaded for an earlier day stays valid.
    deadline = max(today, timezone.localdate()) + datetime.timedelta(days=7)
    for suffix, (state, share) in STATES.items():
        unit = Unit.objects.get(code=f"{PROVINCE}-{suffix}")
        if Assessment.objects.filter(unit=unit, criteria_set=criteria_set).exists():
            continue
        assessment = assessment_start(by=OPERATOR, criteria_set=criteria_set, unit=unit)
        if state == "draft":
            continue
        _self_score(assessment, share)
        assessment = assessment_submit(by=OPERATOR, assessment=assessment)
        if state == "submitted":
            continue
        first = assessment.scores.select_related("criterion").first()
        appraise(
            by=OPERATOR,
            assessment=assessment,
            criterion_id=first.criterion_id,
            points=str(max((first.self_score or 0) - Decimal("0.5"), Decimal(0))),
            comment="Chưa có văn bản kiểm chứng đầy đủ.",
            ask="Đề nghị bổ sung văn bản ban hành kế hoạch.",
        )
        if state == "finalised":
            assessment = assessment_finalise(by=OPERATOR, assessment=assessment)
            continue
        assessment = assessment_return(by=OPERATOR, assessment=assessment, deadline=deadline)
        if state == "returned":
            continue
        explanation_save(
            by=OPERATOR,
            assessment=assessment,
            criterion_id=first.criterion_id,
            text="Đã bổ sung Kế hoạch số 05/KH ngày 10/01 kèm theo.",
        )
        assessment_answer(by=OPERATOR, assessment=assessment)
