"""What a client system reaches, the one way to reach a report through the API, and why not.

The same isolation as the pages (reports.access): a client reaches the reporting units of its
provinces and of the provinces they succeeded (as a province's reviewers do), or only the units
it lists and their predecessors (as a department's staff do). Among their reports it reads the
approved ones (a province's own report once signed); with `reads_submitted` also those under
review; with `writes` also the drafts and returned reports of the units it may write to. One
answer per case, as on the pages:

- no token, or a token unknown, revoked or expired: 401;
- a report it may not know exists (another province's, a draft without the write scope): 404,
  the same answer as a report that does not exist;
- a report it may read but not write to (approved, no write scope, another unit's): 403 with
  the reason;
- wrong HTTP method: 405.
"""

from django.db.models import Q
from rest_framework.exceptions import NotFound, PermissionDenied

from lib.access import EDIT, READ, Need
from org.models import Unit, UnitKind
from reports.access import Delegate, refusal
from reports.models import Report, ReportState
from reports.models.reports import EDITABLE_STATES, UNDER_REVIEW

from .models import Client

# What every client reads: the end of each report's road (a department's report approved, the
# province's own report signed and sent).
FINAL_STATES = (ReportState.APPROVED, ReportState.SIGNED)


def reach(client: Client):
    """Units the client reaches, predecessors included (a successor's reach covers them)."""
    if client.national:
        return Unit.objects.all()
    listed = list(client.units.all())
    condition = Q(pk__in=[])
    if listed:
        for unit in listed:
            condition |= Q(pk__in=unit.lineage())
    else:
        for province in client.provinces.all():
            lineage = province.lineage()
            condition |= Q(pk__in=lineage) | Q(province__in=lineage)
    return Unit.objects.filter(condition)


def writable_units(client: Client):
    """Units whose drafts the client may write into: the units it lists, else the reporting
    units of its provinces; never a province's own report, never a predecessor's."""
    if not client.writes or client.national:
        return Unit.objects.none()
    listed = client.units.all()
    if listed.exists():
        return listed.exclude(kind=UnitKind.PROVINCE)
    return Unit.objects.filter(province__in=client.provinces.all()).exclude(kind=UnitKind.PROVINCE)


def reports_for(client: Client):
    """Reports the client may read, with what every answer names."""
    states = Q(state__in=FINAL_STATES)
    if client.reads_submitted:
        states |= Q(state__in=UNDER_REVIEW)
    if client.writes:
        states |= Q(state__in=EDITABLE_STATES, unit__in=writable_units(client))
    return Report.objects.filter(states, unit__in=reach(client)).select_related(
        "unit__province", "period", "kind", "template_version__template"
    )


def delegate(client: Client) -> Delegate:
    """Who the report services see writing: the client's history account, allowed the units
    the client may write to (the services check it again)."""
    return Delegate(client.user, writable_units(client).values_list("pk", flat=True))


def report_for(client: Client, pk, need: Need = READ) -> Report:
    """The report `pk` as the client may reach it for `need` (READ, or EDIT to write into it):
    NotFound (404) when it may not know the report exists, PermissionDenied (403, the reason
    in Vietnamese) when it may read it but not write to it."""
    report = reports_for(client).filter(pk=pk).first() if str(pk).isdigit() else None
    if report is None:
        raise NotFound("Không có báo cáo này.")
    if need == EDIT:
        if not client.writes:
            raise PermissionDenied(f"{client} chỉ được đọc, không được ghi số liệu.")
        reason = refusal(delegate(client), report, EDIT)
        if reason:
            raise PermissionDenied(reason)
    return report
