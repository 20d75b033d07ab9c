"""Telling people what happened: an in-portal notification and an e-mail each.

E-mails leave through the task queue once the transaction commits: a slow or failing mail
server never delays or undoes a transition (the task logs the failure and retries).
"""

from django.urls import reverse
from django.utils import timezone

from lib.tasks import enqueue_on_commit, send_mail_task
from org.permissions import department_people, reviewers_of

from ..models import Notification, ReportState

SUBJECT_MAX = 150


def mail_subject(message: str) -> str:
    """One line (a header cannot carry line breaks), at most SUBJECT_MAX characters."""
    line = " ".join(f"[CCHC] {message}".split())
    return line if len(line) <= SUBJECT_MAX else line[: SUBJECT_MAX - 1].rstrip() + "…"


def _notify(users, report, message: str):
    users = [u for u in users if u.is_active]
    Notification.objects.bulk_create(
        Notification(user=user, report=report, message=message) for user in users
    )
    link = reverse("reports:report_detail", args=[report.pk]) if report else ""
    subject = mail_subject(message)
    for user in users:
        if user.email:
            enqueue_on_commit(send_mail_task, user.email, subject, f"{message}\n\n{link}")


def notify_submission(report):
    _notify(
        reviewers_of(report.unit),
        report,
        f"{report.unit.name} đã gửi báo cáo {report.period.label}.",
    )


def notify_decision(report, comment: str = ""):
    verb = "đã duyệt" if report.state == ReportState.APPROVED else "đã trả lại"
    message = f"Sở Nội vụ {verb} báo cáo {report.period.label}"
    if comment:
        message += f": {comment[:200]}"
    _notify(department_people([report.unit_id]), report, message)


def notify_deadline(report_or_unit, period, users):
    _notify(
        users,
        report_or_unit if hasattr(report_or_unit, "period") else None,
        f"Sắp đến hạn gửi báo cáo {period.label} ({period.deadline:%d/%m/%Y}).",
    )


def notifications_mark_read(*, by) -> int:
    """Mark every unread notification of `by` read; returns how many."""
    return Notification.objects.filter(user=by, read_at__isnull=True).update(read_at=timezone.now())
