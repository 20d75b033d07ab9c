"""Writes of the PAR Index: criteria sets, self-assessment, evidence, appraisal. Every service
takes `by=` and checks it through parindex.access (ADR 0001, 0010); an assessment's state moves
only here, on a locked row, and every change leaves an Event."""

import datetime
import hashlib
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from indicators.models import TemplateVersion, VersionStatus
from indicators.rules import RuleCompileError, Schema, compile_score
from lib.access import NotFound, Refused
from lib.limits import NOTE_MAX_CHARS, REASON_MAX_CHARS
from lib.text import xml_safe
from org.models import Unit
from org.permissions import OPERATOR
from reports.access import report_for_user
from reports.models import Report

from . import access
from .access import EDIT, READ, REVIEW, SUBMIT
from .evidence import EVIDENCE_MAX_PER_CRITERION, NAME_MAX_CHARS, check_upload
from .models import (
    Assessment,
    AssessmentState,
    CriteriaSet,
    Criterion,
    Event,
    EventAction,
    Evidence,
    Field,
    Score,
)
from .suggestions import approved_year_report, suggest
from .workbook import SetSpec, SpecError


class IndexProblem(Exception):
    """A request the state or the input does not allow; the message is for the user."""


def _actor(by):
    return None if by is OPERATOR or not getattr(by, "pk", None) else by


def _event(assessment, by, action, *, criterion=None, old=None, new=None, text=""):
    Event.objects.create(
        assessment=assessment,
        criterion=criterion,
        actor=_actor(by),
        action=action,
        old_score=old,
        new_score=new,
        text=text,
    )


# -- criteria sets ---------------------------------------------------------------------------


def _published_schema() -> Schema:
    """Every code of every published template: what a suggestion may read."""
    from indicators.derived import compiled_rules

    indicators, tables = {}, {}
    for version in TemplateVersion.objects.filter(status=VersionStatus.PUBLISHED):
        schema = compiled_rules(version).schema
        indicators.update(schema.indicators)
        tables.update(schema.tables)
    return Schema(indicators=indicators, tables=tables)


def check_expressions(spec: SetSpec) -> None:
    """Each expression against the codes of the published templates (none published yet: left
    to the suggestion, which names what it could not read)."""
    schema = _published_schema()
    if not schema.indicators:
        return
    problems = []
    for row in spec.rows:
        if not row.expression:
            continue
        try:
            compile_score(row.expression, schema)
        except RuleCompileError as exc:
            for problem in exc.problems:
                problems.append(f"Mã {row.code}, biểu thức gợi ý: {problem}")
    if problems:
        raise SpecError(problems)


@transaction.atomic
def criteria_set_import(*, by, province: Unit, spec: SetSpec, year: int | None = None):
    """Store the spec as the province's set for its year and level: the latest version when no
    unit has started on it (its content replaced), else the next version."""
    if not access.manages_index(by, province):
        raise Refused("Chỉ Sở Nội vụ được quản lý bộ chỉ số.")
    year = year or spec.year
    if year is None:
        raise SpecError(["Thiếu năm đánh giá."])
    spec.year = year
    spec.check()
    check_expressions(spec)
    latest = (
        CriteriaSet.objects.select_for_update()
        .filter(province=province, year=year, unit_kind=spec.unit_kind)
        .order_by("-version")
        .first()
    )
    if latest is not None and not latest.is_frozen:
        latest.criteria.all().delete()
        latest.fields.all().delete()
        criteria_set = latest
        criteria_set.title, criteria_set.decision = spec.title, spec.decision
        criteria_set.save(update_fields=["title", "decision"])
    else:
        criteria_set = CriteriaSet.objects.create(
            province=province,
            year=year,
            unit_kind=spec.unit_kind,
            version=(latest.version + 1) if latest else 1,
            title=spec.title,
            decision=spec.decision,
        )
    fields, criteria = {}, {}
    for position, row in enumerate(spec.rows):
        if row.depth == 0:
            fields[row.code] = Field.objects.create(
                criteria_set=criteria_set,
                code=row.code,
                position=position,
                title=row.title,
                max_points=row.max_points,
            )
            continue
        parent_code = row.code.rpartition(".")[0]
        criteria[row.code] = Criterion.objects.create(
            criteria_set=criteria_set,
            field=fields[row.code.split(".")[0]],
            parent=criteria.get(parent_code),
            code=row.code,
            position=position,
            title=row.title,
            max_points=row.max_points,
            guidance=row.guidance,
            expression=row.expression,
            is_scored=not any(r.code.rpartition(".")[0] == row.code for r in spec.rows),
        )
    return criteria_set


def current_set(province: Unit, year: int, unit_kind: str) -> CriteriaSet | None:
    return (
        CriteriaSet.objects.filter(province=province, year=year, unit_kind=unit_kind)
        .order_by("-version")
        .first()
    )


# -- self-assessment -------------------------------------------------------------------------


def _parse_points(raw, criterion: Criterion) -> Decimal | None:
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise IndexProblem(f"Điểm “{raw}” không phải là số.") from None
    if not value.is_finite() or value < 0 or value > criterion.max_points:
        maximum = f"{criterion.max_points.normalize():f}".replace(".", ",")
        raise IndexProblem(f"Điểm phải từ 0 đến {maximum}.")
    if value != value.quantize(Decimal("0.01")):
        raise IndexProblem("Điểm lấy tối đa hai chữ số thập phân.")
    return value


def _text(value: str, limit: int, label: str) -> str:
    # Only what XML can carry (lib.text): notes end up in exports, NUL would be a 500.
    text = xml_safe(value or "").strip()
    if len(text) > limit:
        raise IndexProblem(f"{label} dài quá {limit} ký tự.")
    return text


@transaction.atomic
def assessment_start(*, by, criteria_set: CriteriaSet, unit: Unit) -> Assessment:
    """The unit's assessment against the set, with a score row per scored criterion and the
    suggestions read from its approved year report; an existing one is returned as it is."""
    if not (by is OPERATOR or access.is_member(by, unit)):
        raise Refused("Chỉ cán bộ của đơn vị được tự chấm điểm.")
    if unit.kind != criteria_set.unit_kind or unit.province_id != criteria_set.province_id:
        raise Refused("Bộ chỉ số này không áp dụng cho đơn vị của bạn.")
    existing = Assessment.objects.filter(
        unit=unit,
        criteria_set__province=criteria_set.province,
        criteria_set__year=criteria_set.year,
        criteria_set__unit_kind=criteria_set.unit_kind,
    ).first()
    if existing is not None:
        return existing
    report = approved_year_report(unit, criteria_set.year)
    assessment = Assessment.objects.create(
        criteria_set=criteria_set, unit=unit, source_report=report
    )
    criteria = list(criteria_set.criteria.filter(is_scored=True))
    suggestions = suggest(criteria, report)
    Score.objects.bulk_create(
        Score(
            assessment=assessment,
            criterion=c,
            suggested=suggestions[c.pk].points if c.pk in suggestions else None,
        )
        for c in criteria
    )
    text = f"Số liệu từ báo cáo năm: {report}" if report else "Chưa có báo cáo năm đã duyệt."
    _event(assessment, by, EventAction.STARTED, text=text)
    return assessment


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("unit").get(pk=assessment.pk)


def _score(assessment: Assessment, criterion_id) -> Score:
    score = (
        Score.objects.select_related("criterion")
        .filter(assessment=assessment, criterion_id=criterion_id)
        .first()
    )
    if score is None:
        raise IndexProblem("Tiêu chí không thuộc bộ chỉ số này.")
    return score


def _may_change_score(assessment: Assessment, score: Score) -> None:
    if assessment.state == AssessmentState.RETURNED and not score.explanation_asked:
        raise IndexProblem("Chỉ sửa được các tiêu chí Sở Nội vụ yêu cầu giải trình.")


def _editable_score(by, assessment: Assessment, criterion_id) -> tuple[Assessment, Score]:
    """The assessment locked and the criterion's score, when `by` may change it now."""
    assessment = _locked(assessment)
    access.require(by, assessment, EDIT)
    score = _score(assessment, criterion_id)
    _may_change_score(assessment, score)
    return assessment, score


@transaction.atomic
def score_save(
    *,
    by,
    assessment: Assessment,
    criterion_id,
    points,
    note: str = "",
    reason: str = "",
    accept: bool = False,
) -> Score:
    """The unit's score for one criterion: the suggestion accepted (`accept`), or a score of
    its own, which needs a reason when it differs from the suggestion."""
    assessment, score = _editable_score(by, assessment, criterion_id)
    note = _text(note, NOTE_MAX_CHARS, "Ghi chú")
    reason = _text(reason, REASON_MAX_CHARS, "Lý do")
    if accept:
        if score.suggested is None:
            raise IndexProblem("Tiêu chí này không có điểm gợi ý.")
        value, reason = score.suggested, ""
    else:
        value = _parse_points(points, score.criterion)
        if value is not None and score.suggested is not None and value != score.suggested:
            if not reason:
                raise IndexProblem("Điểm khác điểm gợi ý: hãy ghi lý do.")
        else:
            reason = ""
    old = score.self_score
    score.self_score, score.note, score.change_reason = value, note, reason
    score.full_clean()
    score.save(update_fields=["self_score", "note", "change_reason"])
    if old != value or reason:
        text = "Nhận điểm gợi ý" if accept else reason
        _event(
            assessment,
            by,
            EventAction.SELF_SCORED,
            criterion=score.criterion,
            old=old,
            new=value,
            text=text,
        )
    return score


@transaction.atomic
def evidence_add_file(
    *, by, assessment: Assessment, criterion_id, name: str, data: bytes, description: str = ""
) -> Evidence:
    assessment, score = _editable_score(by, assessment, criterion_id)
    if score.evidence.count() >= EVIDENCE_MAX_PER_CRITERION:
        raise IndexProblem(
            f"Mỗi tiêu chí có tối đa {EVIDENCE_MAX_PER_CRITERION} tài liệu kiểm chứng."
        )
    name = xml_safe(name or "").replace("/", "_").replace("\\", "_")[-NAME_MAX_CHARS:] or "tai-lieu"
    kind = check_upload(name, data)
    evidence = Evidence(
        score=score,
        file_name=name,
        file_type=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        description=_text(description, 300, "Mô tả"),
        added_by=_actor(by),
    )
    evidence.file.save(f"{assessment.pk}/{score.criterion.code}.{kind}", ContentFile(data), False)
    evidence.save()
    _event(assessment, by, EventAction.EVIDENCE_ADDED, criterion=score.criterion, text=name)
    return evidence


@transaction.atomic
def evidence_add_report(
    *, by, assessment: Assessment, criterion_id, report_id, part: str = ""
) -> Evidence:
    """A report already in the portal as evidence: one the user may read, of the same unit."""
    assessment, score = _editable_score(by, assessment, criterion_id)
    if by is OPERATOR:
        report = Report.objects.filter(pk=report_id).first()
    else:
        try:
            report = report_for_user(by, report_id, READ)
        except (NotFound, Refused, ValueError):  # the same message either way: no leak
            report = None
    if report is None or not assessment.unit.lineage().filter(pk=report.unit_id).exists():
        raise IndexProblem("Không tìm thấy báo cáo này của đơn vị.")
    part = _text(part, 100, "Phần báo cáo")
    evidence = Evidence.objects.create(
        score=score, report=report, report_part=part, added_by=_actor(by)
    )
    _event(
        assessment,
        by,
        EventAction.EVIDENCE_ADDED,
        criterion=score.criterion,
        text=f"{report} {part}".strip(),
    )
    return evidence


@transaction.atomic
def evidence_remove(*, by, evidence: Evidence) -> None:
    assessment = _locked(evidence.score.assessment)
    access.require(by, assessment, EDIT)
    _may_change_score(assessment, evidence.score)
    _event(
        assessment,
        by,
        EventAction.EVIDENCE_REMOVED,
        criterion=evidence.score.criterion,
        text=evidence.file_name or str(evidence.report),
    )
    if evidence.file:
        evidence.file.delete(save=False)
    evidence.delete()


@transaction.atomic
def assessment_submit(*, by, assessment: Assessment) -> Assessment:
    assessment = _locked(assessment)
    if not can_proceed(assessment.submit):
        raise IndexProblem("Bản tự đánh giá đã được gửi.")
    access.require(by, assessment, SUBMIT)
    blank = assessment.scores.filter(self_score__isnull=True).count()
    if blank:
        raise IndexProblem(f"Còn {blank} tiêu chí chưa tự chấm điểm.")
    assessment.submit()
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["state", "submitted_at"])
    _event(assessment, by, EventAction.SUBMITTED, new=self_total(assessment))
    return assessment


# -- appraisal -------------------------------------------------------------------------------


@transaction.atomic
def appraise(
    *, by, assessment: Assessment, criterion_id, points, comment: str = "", ask: str = ""
) -> Score:
    """Sở Nội vụ's score and comment for one criterion; `ask` marks it for explanation."""
    assessment = _locked(assessment)
    access.require(by, assessment, REVIEW)
    score = _score(assessment, criterion_id)
    value = _parse_points(points, score.criterion)
    old = score.appraised_score
    score.appraised_score = value
    score.appraisal_comment = _text(comment, REASON_MAX_CHARS, "Nhận xét")
    score.explanation_asked = _text(ask, REASON_MAX_CHARS, "Nội dung yêu cầu giải trình")
    score.save(update_fields=["appraised_score", "appraisal_comment", "explanation_asked"])
    _event(
        assessment,
        by,
        EventAction.APPRAISED,
        criterion=score.criterion,
        old=old,
        new=value,
        text=score.appraisal_comment,
    )
    return score


@transaction.atomic
def assessment_return(*, by, assessment: Assessment, deadline: datetime.date) -> Assessment:
    """Back to the unit for explanation of the criteria marked, by `deadline`."""
    assessment = _locked(assessment)
    if not can_proceed(assessment.send_back):
        raise IndexProblem("Bản tự đánh giá không ở trạng thái chờ thẩm định.")
    access.require(by, assessment, REVIEW)
    asked = list(assessment.scores.exclude(explanation_asked="").select_related("criterion"))
    if not asked:
        raise IndexProblem("Chưa đánh dấu tiêu chí nào cần giải trình.")
    if deadline is None or deadline < timezone.localdate():
        raise IndexProblem("Hạn giải trình phải từ hôm nay trở đi.")
    assessment.scores.exclude(explanation_asked="").update(explanation="")
    assessment.send_back()
    assessment.explanation_deadline = deadline
    assessment.save(update_fields=["state", "explanation_deadline"])
    codes = ", ".join(s.criterion.code for s in asked)
    _event(
        assessment,
        by,
        EventAction.RETURNED,
        text=f"Tiêu chí {codes}; hạn giải trình {deadline:%d/%m/%Y}",
    )
    return assessment


@transaction.atomic
def explanation_save(*, by, assessment: Assessment, criterion_id, text: str) -> Score:
    assessment = _locked(assessment)
    access.require(by, assessment, EDIT)
    if assessment.state != AssessmentState.RETURNED:
        raise IndexProblem("Sở Nội vụ chưa yêu cầu giải trình.")
    score = _score(assessment, criterion_id)
    _may_change_score(assessment, score)
    score.explanation = _text(text, REASON_MAX_CHARS, "Giải trình")
    score.save(update_fields=["explanation"])
    return score


@transaction.atomic
def assessment_answer(*, by, assessment: Assessment) -> Assessment:
    assessment = _locked(assessment)
    if not can_proceed(assessment.answer):
        raise IndexProblem("Sở Nội vụ chưa yêu cầu giải trình.")
    access.require(by, assessment, EDIT)
    unanswered = assessment.scores.exclude(explanation_asked="").filter(explanation="")
    if unanswered.exists():
        codes = ", ".join(s.criterion.code for s in unanswered.select_related("criterion"))
        raise IndexProblem(f"Chưa giải trình tiêu chí {codes}.")
    assessment.answer()
    assessment.save(update_fields=["state"])
    for score in assessment.scores.exclude(explanation_asked="").select_related("criterion"):
        _event(
            assessment,
            by,
            EventAction.ANSWERED,
            criterion=score.criterion,
            new=score.self_score,
            text=score.explanation,
        )
    return assessment


@transaction.atomic
def assessment_finalise(*, by, assessment: Assessment) -> Assessment:
    """The appraised scores locked; a criterion left unappraised keeps the unit's score."""
    assessment = _locked(assessment)
    if not can_proceed(assessment.finalise):
        raise IndexProblem("Bản tự đánh giá không ở trạng thái chờ thẩm định.")
    access.require(by, assessment, REVIEW)
    for score in assessment.scores.filter(appraised_score__isnull=True).select_related("criterion"):
        score.appraised_score = score.self_score
        score.save(update_fields=["appraised_score"])
        _event(
            assessment,
            by,
            EventAction.APPRAISED,
            criterion=score.criterion,
            new=score.self_score,
            text="Giữ điểm tự chấm",
        )
    assessment.finalise()
    assessment.finalised_at = timezone.now()
    assessment.save(update_fields=["state", "finalised_at"])
    _event(assessment, by, EventAction.FINALISED, new=appraised_total(assessment))
    return assessment


def self_total(assessment: Assessment) -> Decimal:
    return sum((s.self_score or 0 for s in assessment.scores.all()), Decimal(0))


def appraised_total(assessment: Assessment) -> Decimal:
    return sum((s.appraised_score or 0 for s in assessment.scores.all()), Decimal(0))
