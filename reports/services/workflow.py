"""The review workflow: submit, return, resubmit, approve, reopen.

Every transition locks the report, checks the user's permission and the state through the
state machine, records who moved it from which state to which with the comment, and notifies
the people concerned once the transaction commits.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from ..models import (
    Explanation,
    IndicatorValue,
    NarrativeSection,
    Report,
    ReportState,
    ReviewComment,
    StateChange,
    Submission,
    TableRow,
)
from ..permissions import can_edit_report, can_reopen_report, can_review_report
from ..selectors import report_snapshot
from ..validation import ERROR, WARNING, explanation_key, validate_report
from .errors import ReportError
from .notifications import notify_decision, notify_submission


class SubmissionRefused(ReportError):
    """Submission blocked by validation; `violations` are the reasons."""

    def __init__(self, message, violations):
        super().__init__(message)
        self.violations = violations


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)


def _move(report: Report, method_name: str, *, by, comment: str = "") -> Report:
    locked = _locked(report)
    method = getattr(locked, method_name)
    if not can_proceed(method):
        raise ReportError(
            f"Báo cáo đang ở trạng thái “{locked.get_state_display()}”, "
            "không thực hiện được thao tác này."
        )
    if not has_transition_perm(method, by):
        raise ReportError("Bạn không có quyền thực hiện thao tác này với báo cáo.")
    source = locked.state
    method()
    StateChange.objects.create(
        report=locked, by=by, source=source, target=locked.state, comment=comment
    )
    return locked


def days_late(report: Report, day: datetime.date) -> int:
    return max(0, (day - report.period.deadline).days)


def missing_explanations(report: Report, violations) -> list:
    explained = set(report.explanations.exclude(text="").values_list("key", flat=True))
    return [v for v in violations if v.severity == WARNING and explanation_key(v) not in explained]


@transaction.atomic
def explanations_save(*, report: Report, by, explanations: dict[str, str]) -> None:
    """The department's explanations of warnings, kept even when submission is refused."""
    if not can_edit_report(by, report):
        raise ReportError("Bạn không được sửa báo cáo này.")
    for key, text in explanations.items():
        Explanation.objects.update_or_create(
            report=report, key=key, defaults={"text": text.strip()}
        )


@transaction.atomic
def report_submit(*, report: Report, by) -> Report:
    """Submit (or resubmit after a return): full validation first; errors block, warnings
    need an explanation. The submitted content is kept as it was."""
    method = "resubmit" if report.state == ReportState.RETURNED else "submit"
    if can_proceed(getattr(report, method)) and not has_transition_perm(
        getattr(report, method), by
    ):
        raise ReportError("Bạn không có quyền gửi báo cáo này; lãnh đạo đơn vị ký và gửi.")
    violations = validate_report(report)
    errors = [v for v in violations if v.severity == ERROR]
    if errors:
        raise SubmissionRefused(f"Chưa gửi được: còn {len(errors)} lỗi số liệu phải sửa.", errors)
    unexplained = missing_explanations(report, violations)
    if unexplained:
        raise SubmissionRefused(
            f"Chưa gửi được: {len(unexplained)} cảnh báo chưa có giải trình.", unexplained
        )
    locked = _move(report, method, by=by)
    now = timezone.now()
    locked.submitted_at = now
    locked.save(update_fields=["state", "submitted_at", "updated_at"])
    number = (locked.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    Submission.objects.create(
        report=locked,
        number=number,
        by=by,
        snapshot=report_snapshot(locked),
        days_late=days_late(locked, timezone.localdate(now)),
    )
    # robust: a failing notification is logged; the committed transition stands.
    transaction.on_commit(lambda: notify_submission(locked), robust=True)
    return locked


@transaction.atomic
def report_return(*, report: Report, by, reason: str) -> Report:
    if not reason.strip():
        raise ReportError("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.")
    locked = _move(report, "send_back", by=by, comment=reason.strip())
    locked.save(update_fields=["state", "updated_at"])
    transaction.on_commit(lambda: notify_decision(locked, reason.strip()), robust=True)
    return locked


@transaction.atomic
def report_approve(*, report: Report, by, comment: str = "") -> Report:
    locked = _move(report, "approve", by=by, comment=comment.strip())
    locked.approved_at = timezone.now()
    locked.save(update_fields=["state", "approved_at", "updated_at"])
    transaction.on_commit(lambda: notify_decision(locked, comment.strip()), robust=True)
    return locked


@transaction.atomic
def report_reopen(*, report: Report, by, reason: str) -> Report:
    """An administrator reopens an approved report: a new draft revision with the same
    content; the approved revision stays as it was, readable."""
    if not can_reopen_report(by, report):
        raise ReportError("Chỉ quản trị hệ thống được mở lại báo cáo đã duyệt.")
    locked = _locked(report)
    if locked.state != ReportState.APPROVED:
        raise ReportError("Chỉ mở lại được báo cáo đã duyệt.")
    if not reason.strip():
        raise ReportError("Hãy ghi lý do mở lại báo cáo.")
    if Report.objects.filter(
        unit=locked.unit, period=locked.period, kind=locked.kind, revision__gt=locked.revision
    ).exists():
        raise ReportError("Báo cáo này đã được mở lại thành một lần lập mới.")
    copy = _copy_revision(locked, by)
    StateChange.objects.create(
        report=locked,
        by=by,
        source=ReportState.APPROVED,
        target=ReportState.APPROVED,
        comment=f"Mở lại thành lần lập {copy.revision}: {reason.strip()}",
    )
    StateChange.objects.create(
        report=copy, by=by, source=ReportState.APPROVED, target=ReportState.DRAFT, comment=reason
    )
    return copy


def _copy_revision(report: Report, by) -> Report:
    sections = list(report.sections.all())
    values = list(report.values.all())
    rows = list(report.table_rows.all())
    explanations = list(report.explanations.all())
    old_pk = report.pk
    copy = Report.objects.get(pk=old_pk)
    copy.pk = None
    copy.revision = report.revision + 1
    copy.state = ReportState.DRAFT
    copy.part_versions = {}
    copy.submitted_at = copy.approved_at = None
    copy.created_by = by
    copy.save()
    for item in sections + values + rows + explanations:
        item.pk = None
        item.report = copy
    NarrativeSection.objects.bulk_create(sections)
    IndicatorValue.objects.bulk_create(values)
    TableRow.objects.bulk_create(rows)
    Explanation.objects.bulk_create(explanations)
    return copy


@transaction.atomic
def comment_add(*, report: Report, by, target: str, target_code: str, text: str) -> ReviewComment:
    if not can_review_report(by, report):
        raise ReportError("Chỉ chuyên viên thẩm định của tỉnh được nhận xét báo cáo.")
    if report.state not in (ReportState.SUBMITTED, ReportState.RESUBMITTED):
        raise ReportError("Chỉ nhận xét được báo cáo đang chờ thẩm định.")
    if not text.strip():
        raise ReportError("Nhận xét không được để trống.")
    comment = ReviewComment(
        report=report, author=by, target=target, target_code=target_code, text=text.strip()
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_mark_addressed(*, comment: ReviewComment, by) -> ReviewComment:
    if not can_edit_report(by, comment.report):
        raise ReportError("Chỉ đơn vị lập báo cáo được đánh dấu đã xử lý nhận xét.")
    comment.addressed_at = timezone.now()
    comment.addressed_by = by
    comment.save(update_fields=["addressed_at", "addressed_by"])
    return comment
