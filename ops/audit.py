"""The audit trail: events from django-axes, the workflow and our own export records."""

import dataclasses
import datetime

from axes.models import AccessFailureLog, AccessLog
from django.utils.translation import gettext as _

from .models import AuditEvent

ROLLUP_URL = "review:rollup"
EXPORT_URLS = {"documents:report_pdf", "documents:report_docx", "reports:report_excel_download"}


def record_export(request, response) -> None:
    """A download of a report that belongs to another unit than the user's, or of a province
    roll-up (every unit's numbers)."""
    match = getattr(request, "resolver_match", None)
    if match is None or response.status_code != 200:
        return
    if match.view_name == ROLLUP_URL:
        filename = response.get("Content-Disposition", "").partition("filename=")[2].strip('"')
        AuditEvent.objects.create(
            kind=AuditEvent.Kind.EXPORT,
            user=request.user,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            detail=f"dashboard_rollup: {filename}"[:300],
        )
        return
    if match.view_name not in EXPORT_URLS:
        return
    from reports.models import Report

    report = (
        Report.objects.select_related("unit", "period").filter(pk=match.kwargs.get("pk")).first()
    )
    user = request.user
    if report is None or not user.is_authenticated or report.unit_id == user.unit_id:
        return
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.EXPORT,
        user=user,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        object_id=report.pk,
        detail=f"{match.view_name.split(':')[1]}: {report.unit.name} – {report.period.label}",
    )


def record_publication(sender, *, version, by, **kwargs) -> None:
    """A template version was published (indicators.signals), by a user or the operator."""
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.PUBLISH,
        user=by if getattr(by, "pk", None) else None,
        object_id=version.pk,
        detail=str(version),
    )


@dataclasses.dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    kind: str
    username: str
    detail: str
    address: str = ""


def audit_entries(*, username: str = "", since=None, until=None, limit: int = 500) -> list[Entry]:
    """Newest first, at most `limit` of each source, merged."""
    from reports.models import ReportState, StateChange

    def window(qs, field):
        if since:
            qs = qs.filter(**{f"{field}__date__gte": since})
        if until:
            qs = qs.filter(**{f"{field}__date__lte": until})
        return qs.order_by(f"-{field}")[:limit]

    entries = []
    logins = AccessLog.objects.all()
    failures = AccessFailureLog.objects.all()
    changes = StateChange.objects.select_related("by", "report__unit", "report__period")
    events = AuditEvent.objects.select_related("user")
    if username:
        logins = logins.filter(username=username)
        failures = failures.filter(username=username)
        changes = changes.filter(by__username=username)
        events = events.filter(user__username=username)
    for log in window(logins, "attempt_time"):
        entries.append(Entry(log.attempt_time, _("Đăng nhập"), log.username, "", log.ip_address))
    for log in window(failures, "attempt_time"):
        kind = _("Bị khóa đăng nhập") if log.locked_out else _("Đăng nhập sai")
        entries.append(Entry(log.attempt_time, kind, log.username, "", log.ip_address))
    for change in window(changes, "at"):
        kind = (
            _("Mở lại báo cáo") if change.source == ReportState.APPROVED else _("Chuyển trạng thái")
        )
        detail = (
            f"{change.report.unit.name} – {change.report.period.label}: "
            f"{change.get_source_display()} → {change.get_target_display()}"
        )
        entries.append(Entry(change.at, kind, change.by.username, detail))
    for event in window(events, "at"):
        username_shown = event.user.username if event.user else ""
        entries.append(
            Entry(
                event.at, event.get_kind_display(), username_shown, event.detail, event.ip_address
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
