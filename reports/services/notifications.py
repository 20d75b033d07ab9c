"""Telling people what happened: an in-portal notification and an e-mail each."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone

from org.models import Role, User

from ..models import Notification, ReportState


def _notify(users, report, message: str):
    users = [u for u in users if u.is_active]
    Notification.objects.bulk_create(
        Notification(user=user, report=report, message=message) for user in users
    )
    link = reverse("reports:report_detail", args=[report.pk]) if report else ""
    mails = [
        (f"[CCHC] {message}", f"{message}\n\n{link}", settings.DEFAULT_FROM_EMAIL, [u.email])
        for u in users
        if u.email
    ]
    if mails:
        send_mass_mail(mails, fail_silently=True)


def reviewers_of(report):
    """Reviewers of the report's province and of the provinces that succeeded it."""
    if report.unit.province is None:
        return User.objects.none()
    provinces = report.unit.province.lineage(forward=True)
    return User.objects.filter(role=Role.REVIEWER, unit__province__in=provinces)


def department_people(report):
    return User.objects.filter(unit_id=report.unit_id, role__in=[Role.STAFF, Role.LEADER])


def notify_submission(report):
    _notify(
        reviewers_of(report),
        report,
        f"{report.unit.name} đã gửi báo cáo {report.period.label}.",
    )


def notify_decision(report, comment: str = ""):
    verb = "đã duyệt" if report.state == ReportState.APPROVED else "đã trả lại"
    message = f"Sở Nội vụ {verb} báo cáo {report.period.label}"
    if comment:
        message += f": {comment[:200]}"
    _notify(department_people(report), report, message)


def notify_deadline(report_or_unit, period, users):
    _notify(
        users,
        report_or_unit if hasattr(report_or_unit, "period") else None,
        f"Sắp đến hạn gửi báo cáo {period.label} ({period.deadline:%d/%m/%Y}).",
    )


def notifications_mark_read(*, by) -> int:
    """Mark every unread notification of `by` read; returns how many."""
    return Notification.objects.filter(user=by, read_at__isnull=True).update(read_at=timezone.now())
