"""The national export: a period's approved figures of every province in one JSON document
whose format is stable across versions of the portal (docs/api.md, "Xuất dữ liệu toàn quốc").

Per province: its own report once signed (values, and for each compiled value what it reads and
from which department reports), then each reporting unit with its latest approved report's
values. Read by `GET /api/v1/export/<period>/` (the provinces a client reaches) and
`manage.py export_national --period CODE` (every province)."""

from django.db.models import Q
from django.utils import timezone

from indicators.models import ReportKind
from lib.periods import parse_period_code
from org.models import Unit, UnitKind
from province.compilation import INCLUDED
from reports.models import IndicatorValue, Period, Report, ReportState
from reports.values import from_columns

from .access import reach
from .values import to_json

FORMAT = "cchc-national-export"
FORMAT_VERSION = 1


def period_for(code: str) -> Period | None:
    """The period a code names ("2021-Y"); ValueError (Vietnamese) for a code that is not one."""
    kind, year = parse_period_code(code)
    return Period.objects.filter(kind=kind, year=year).first()


def values_by_report(report_ids) -> dict[int, dict]:
    """report id -> {indicator code: typed JSON} for many reports in one query."""
    found: dict[int, dict] = {pk: {} for pk in report_ids}
    rows = IndicatorValue.objects.filter(report_id__in=list(found)).values_list(
        "report_id",
        "indicator__code",
        "indicator__value_type",
        "number",
        "text",
        "date",
        "not_applicable",
    )
    for report_id, code, value_type, number, text, date, na in rows:
        typed = to_json(value_type, from_columns(value_type, number, text, date, na))
        if typed is not None and typed != "":
            found[report_id][code] = typed
    return found


def compiled_values(report: Report) -> dict:
    """For each compiled indicator of a province report: the value as the report holds it,
    whether Sở Nội vụ overrode it (and why), the department indicators its expression reads and
    the department reports it was compiled from."""
    compilation = getattr(report, "compilation", None)
    if compilation is None:
        return {}
    # As compiled: the units and revisions each value was computed from (no second computation).
    counted = [s["report_id"] for s in compilation.sources if s["status"] == INCLUDED]
    overrides = {o.code: o.note for o in report.overrides.all()}
    stored = values_by_report([report.pk])[report.pk]
    return {
        code: {
            "value": stored.get(code),
            "overridden": code in overrides,
            "override_note": overrides.get(code, ""),
            "reads": list(compiled.get("reads", [])),
            "reports": list(compiled.get("reports", counted)),
        }
        for code, compiled in compilation.values.items()
    }


def _province_report(province: Unit, period: Period, readable) -> Report | None:
    return (
        readable.filter(
            unit=province,
            period=period,
            kind__code=ReportKind.PROVINCE_CODE,
            state=ReportState.SIGNED,
        )
        .select_related("template_version__template")
        .order_by("-revision")
        .first()
    )


def _department_reports(province: Unit, period: Period, readable) -> dict[int, Report]:
    """unit id -> its latest approved report of the period."""
    latest: dict[int, Report] = {}
    for report in (
        readable.filter(
            unit__province=province,
            period=period,
            kind__code=ReportKind.DEFAULT_CODE,
            state=ReportState.APPROVED,
        )
        .select_related("template_version__template")
        .order_by("unit_id", "-revision")
    ):
        latest.setdefault(report.unit_id, report)
    return latest


def _report_meta(report: Report) -> dict:
    return {
        "id": report.pk,
        "revision": report.revision,
        "state": report.state,
        "number": report.number_and_symbol,
        "issued_on": report.issued_on.isoformat() if report.issued_on else None,
        "approved_at": report.approved_at,
        "template": report.template_version.template.code,
        "template_version": report.template_version.number,
    }


def national_export(*, period: Period, provinces, units=None, readable=None) -> dict:
    """The export of `period` over `provinces` (a Unit queryset); `units` limits the reporting
    units listed (a client that reaches only some), `readable` the reports (a client's)."""
    readable = Report.objects.all() if readable is None else readable
    provinces = (
        provinces.filter(kind=UnitKind.PROVINCE)
        .active_during(period)
        .select_related("successor")
        .order_by("code")
    )
    documents = []
    for province in provinces:
        reporting = (
            Unit.objects.filter(province=province)
            .exclude(kind=UnitKind.PROVINCE)
            .active_during(period)
            .order_by("code")
        )
        if units is not None:
            reporting = reporting.filter(pk__in=units)
        approved = _department_reports(province, period, readable)
        own = _province_report(province, period, readable) if units is None else None
        values = values_by_report([r.pk for r in approved.values()] + ([own.pk] if own else []))
        documents.append(
            {
                "code": province.code,
                "name": province.name,
                "valid_from": province.valid_from,
                "valid_to": province.valid_to,
                "successor": province.successor.code if province.successor else None,
                "report": None
                if own is None
                else {
                    **_report_meta(own),
                    "values": values[own.pk],
                    "compiled": compiled_values(own),
                },
                "units": [
                    {
                        "code": unit.code,
                        "name": unit.name,
                        "kind": unit.kind,
                        "report": None
                        if unit.pk not in approved
                        else {
                            **_report_meta(approved[unit.pk]),
                            "values": values[approved[unit.pk].pk],
                        },
                    }
                    for unit in reporting
                ],
            }
        )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now(),
        "period": {
            "code": period.code,
            "kind": period.kind,
            "year": period.year,
            "label": period.label,
            "window_start": period.window_start,
            "window_end": period.window_end,
        },
        "provinces": documents,
    }


def provinces_for(client):
    """The provinces whose figures a client's export holds: every one for a national client,
    else those it reaches (a province it succeeded included)."""
    if client.national:
        return Unit.objects.provinces()
    reached = reach(client)
    return Unit.objects.provinces().filter(Q(pk__in=reached) | Q(pk__in=reached.values("province")))
