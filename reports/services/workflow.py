"""The review workflow: submit, return, resubmit, approve, reopen.

Every transition locks the report, checks the state through the state machine and the user
through reports.access, records who moved it from which state to which with the comment, and
notifies the people concerned once the transaction commits.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_fsm import can_proceed

from lib.limits import REASON_MAX_CHARS, too_long
from lib.text import xml_safe

from ..access import ADMIN, EDIT, REVIEW, SUBMIT, Need, require
from ..models import (
    Explanation,
    Report,
    ReportState,
    ReviewComment,
    StateChange,
    Submission,
)
from ..selectors import report_completeness, report_snapshot
from ..signals import report_transitioned
from ..validation import ERROR, WARNING, explanation_key, validate_report
from .compose import ensure_editable
from .errors import ReportError
from .history import acting_as
from .notifications import notify_decision, notify_submission


class SubmissionRefused(ReportError):
    """Submission blocked by validation; `violations` are the reasons."""

    def __init__(self, message, violations):
        super().__init__(message)
        self.violations = violations


def _reason(text: str) -> str:
    """A reviewer's or department's free text, cleaned and bounded (lib.limits)."""
    text = xml_safe(text)
    if message := too_long(text, REASON_MAX_CHARS):
        raise ReportError(message)
    return text


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)


def _may_move(locked: Report, method_name: str, need: Need, by) -> None:
    """The state first (a message: someone acted meanwhile), then who `by` is (AccessRefused)."""
    if not can_proceed(getattr(locked, method_name)):
        raise ReportError(
            f"Báo cáo đang ở trạng thái “{locked.get_state_display()}”, "
            "không thực hiện được thao tác này."
        )
    require(by, locked, need)


def _move(locked: Report, method_name: str, *, by, comment: str = "") -> Report:
    source = locked.state
    getattr(locked, method_name)()
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
    explanations = {key: _reason(text) for key, text in explanations.items()}
    ensure_editable(report)
    require(by, report, EDIT)
    for key, text in explanations.items():
        Explanation.objects.update_or_create(
            report=report, key=key, defaults={"text": text.strip()}
        )


def refusal_text(errors, verb: str = "gửi") -> str:
    """ "Chưa gửi được: còn 2 chỉ tiêu bắt buộc chưa nhập (I.1. Kế hoạch CCHC; …), 1 mục bắt
    buộc chưa viết (Mục I. …) và 1 lỗi số liệu phải sửa." Each item is listed, with its link,
    on the page (validation.violation_links)."""
    blank = [v.where for v in errors if v.blank and v.indicator_codes]
    sections = [v.where for v in errors if v.section]
    not_applicable = [v.where for v in errors if v.code.startswith("khong_ap_dung:")]
    others = len(errors) - len(blank) - len(sections) - len(not_applicable)
    parts = []
    for items, what in [
        (blank, "chỉ tiêu bắt buộc chưa nhập"),
        (not_applicable, "chỉ tiêu ghi “/” mà mẫu không cho phép"),
        (sections, "mục bắt buộc chưa viết"),
    ]:
        if items:
            shown = "; ".join(items[:3]) + ("; …" if len(items) > 3 else "")
            parts.append(f"{len(items)} {what} ({shown})")
    if others:
        parts.append(f"{others} lỗi số liệu phải sửa")
    joined = ", ".join(parts[:-1]) + " và " + parts[-1] if len(parts) > 1 else parts[0]
    return f"Chưa {verb} được: còn {joined}."


def report_submit(*, report: Report, by, blanks_seen: bool | None = None) -> Report:
    """Submit (or resubmit after a return): full validation first; errors (blank required
    indicators among them) block, warnings need an explanation. `blanks_seen` is the leader's
    answer to "Tôi đã xem các phần còn trống" on the submission page: False refuses while
    sections, tables or optional indicators are blank; None when not asked (commands).
    The submitted content is kept as it was. The row is locked before validating, so nobody
    saves a part between the check and the submission. A refused submission is remembered:
    from then on the entry pages show blank required values as errors."""
    try:
        return _submit(report=report, by=by, blanks_seen=blanks_seen)
    except SubmissionRefused:
        report.submission_tried_at = timezone.now()
        Report.objects.filter(pk=report.pk).update(submission_tried_at=report.submission_tried_at)
        raise


@transaction.atomic
def _submit(*, report: Report, by, blanks_seen: bool | None) -> Report:
    locked = _locked(report)
    method = "resubmit" if locked.state == ReportState.RETURNED else "submit"
    _may_move(locked, method, SUBMIT, by)
    violations = validate_report(locked)
    errors = [v for v in violations if v.severity == ERROR]
    if errors:
        raise SubmissionRefused(refusal_text(errors), errors)
    unexplained = missing_explanations(locked, violations)
    if unexplained:
        raise SubmissionRefused(
            f"Chưa gửi được: {len(unexplained)} cảnh báo chưa có giải trình.", unexplained
        )
    if blanks_seen is False and report_completeness(locked).needs_confirmation:
        raise SubmissionRefused(
            "Chưa gửi được: hãy xem các phần còn trống rồi đánh dấu "
            "“Tôi đã xem các phần còn trống”.",
            [],
        )
    _move(locked, method, by=by)
    now = timezone.now()
    locked.submitted_at = locked.submission_tried_at = now
    locked.save(update_fields=["state", "submitted_at", "submission_tried_at", "updated_at"])
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
    report_transitioned.send(Report, report=locked, transition=method)
    return locked


@transaction.atomic
def report_return(*, report: Report, by, reason: str) -> Report:
    reason = _reason(reason)
    if not reason.strip():
        raise ReportError("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.")
    locked = _locked(report)
    _may_move(locked, "send_back", REVIEW, by)
    _move(locked, "send_back", by=by, comment=reason.strip())
    locked.save(update_fields=["state", "updated_at"])
    transaction.on_commit(lambda: notify_decision(locked, reason.strip()), robust=True)
    report_transitioned.send(Report, report=locked, transition="send_back")
    return locked


@transaction.atomic
def report_approve(*, report: Report, by, comment: str = "") -> Report:
    comment = _reason(comment)
    locked = _locked(report)
    _may_move(locked, "approve", REVIEW, by)
    _move(locked, "approve", by=by, comment=comment.strip())
    locked.approved_at = timezone.now()
    locked.save(update_fields=["state", "approved_at", "updated_at"])
    transaction.on_commit(lambda: notify_decision(locked, comment.strip()), robust=True)
    report_transitioned.send(Report, report=locked, transition="approve")
    return locked


@transaction.atomic
def report_reopen(*, report: Report, by, reason: str) -> Report:
    """An administrator reopens an approved report: a new draft revision with the same
    content; the approved revision stays as it was, readable."""
    reason = _reason(reason)
    locked = _locked(report)
    if locked.state != ReportState.APPROVED:
        raise ReportError("Chỉ mở lại được báo cáo đã duyệt.")
    require(by, locked, ADMIN)
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
    report_transitioned.send(Report, report=copy, transition="reopen")
    return copy


def _copy_revision(report: Report, by) -> Report:
    """The new revision with the approved one's content. Each copied section, value and row is
    saved one by one so that its history starts with a row recording the copy (by whom, from
    which revision): the first change then reads "12 → 15", not "(trống) → 15"."""
    sections = list(report.sections.all())
    values = list(report.values.all())
    rows = list(report.table_rows.all())
    explanations = list(report.explanations.all())
    reason = f"Chép từ lần lập {report.revision} (đã duyệt)"
    with acting_as(by):
        copy = Report.objects.get(pk=report.pk)
        copy.pk = None
        copy.revision = report.revision + 1
        copy.state = ReportState.DRAFT
        copy.part_versions = {}
        copy.submitted_at = copy.approved_at = copy.submission_tried_at = None
        copy.created_by = by
        copy._change_reason = reason
        copy.save()
        for item in sections + values + rows:
            item.pk = None
            item.report = copy
            item._change_reason = reason
            item.save()
    for item in explanations:
        item.pk = None
        item.report = copy
    Explanation.objects.bulk_create(explanations)  # explanations keep no history
    return copy


@transaction.atomic
def comment_add(*, report: Report, by, target: str, target_code: str, text: str) -> ReviewComment:
    text = _reason(text)
    if report.state not in (ReportState.SUBMITTED, ReportState.RESUBMITTED):
        raise ReportError("Chỉ nhận xét được báo cáo đang chờ thẩm định.")
    require(by, report, REVIEW)
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
    ensure_editable(comment.report)
    require(by, comment.report, EDIT)
    comment.addressed_at = timezone.now()
    comment.addressed_by = by
    comment.save(update_fields=["addressed_at", "addressed_by"])
    return comment
