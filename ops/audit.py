"""The audit trail: events from django-axes, the workflow and our own export records."""

import dataclasses
import datetime

from axes.models import AccessFailureLog, AccessLog
from django.db.models import F, Q
from django.utils.translation import gettext as _

from api.models import Call
from org.models import User

from .models import AuditEvent
from .throttling import client_ip

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
            ip_address=client_ip(request) or None,
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
        ip_address=client_ip(request) or None,
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


def record_upgrade(sender, target, upgrades, by, **kwargs) -> None:
    """One event for the administrator's one action, however many reports it moved (each report's
    own history notes the move too)."""
    provinces = sorted({str(u.report.unit.province or u.report.unit) for u in upgrades})
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.UPGRADE,
        user=by if isinstance(by, User) else None,  # not the commands' OPERATOR
        object_id=target.pk,
        detail=f"{target}: {len(upgrades)} báo cáo ({', '.join(provinces)})"[:300],
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
    # A note in a report's history that is no move of its state (the approved revision's note
    # on its reopening, a template upgrade's note) belongs to an action recorded on its own:
    # the new revision's reopening, the upgrade's AuditEvent.
    changes = StateChange.objects.select_related("by", "report__unit", "report__period").exclude(
        source=F("target")
    )
    events = AuditEvent.objects.select_related("user")
    calls = Call.objects.select_related("client__user")
    if username:
        logins = logins.filter(username=username)
        failures = failures.filter(username=username)
        changes = changes.filter(by__username=username)
        events = events.filter(user__username=username)
        calls = calls.filter(Q(client__user__username=username) | Q(client__name=username))
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
    for call in window(calls, "at"):
        entries.append(
            Entry(
                call.at,
                _("Gọi API"),
                call.client.name if call.client else _("(mã truy cập không hợp lệ)"),
                f"{call.method} {call.path} → {call.status}"
                + (f": {call.detail}" if call.detail else ""),
                call.ip_address or "",
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
