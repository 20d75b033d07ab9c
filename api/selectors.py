"""What the API answers, read through the same selectors as the pages (reports.selectors), in
the API's typed JSON form (api.values)."""

import hashlib

from django.db.models import Prefetch, Q

from indicators.models import IndicatorTemplate, TemplateVersion, VersionStatus
from org.models import Unit
from province.compilation import INCLUDED
from reports.derived import report_stamp
from reports.models import Period, Report
from reports.selectors import report_appendices, stored_values
from reports.validation import cached_violations

from .access import reach
from .models import Client
from .national import compiled_values, values_by_report
from .services import parts_etag
from .values import to_json


def periods():
    return Period.objects.order_by("-year", "-window_end")


def units_for(client: Client):
    return reach(client).select_related("province", "parent", "successor").order_by("code")


def templates_for(client: Client):
    """Templates every province uses and those of the provinces the client reaches, with their
    published versions."""
    templates = IndicatorTemplate.objects.select_related("province").prefetch_related(
        Prefetch(
            "versions",
            queryset=TemplateVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by(
                "number"
            ),
            to_attr="published",
        )
    )
    if client.national:
        return templates.order_by("code")
    return templates.filter(
        Q(province__isnull=True) | Q(province__in=reach(client).provinces())
    ).order_by("code")


def version_for(client: Client, code: str, number: int) -> TemplateVersion | None:
    return (
        TemplateVersion.objects.filter(
            template__in=templates_for(client),
            template__code=code,
            number=number,
            status=VersionStatus.PUBLISHED,
        )
        .select_related("template")
        .prefetch_related("appendices__indicators", "appendices__columns", "rules")
        .first()
    )


# --- one report ------------------------------------------------------------------------------


def report_etag(report: Report) -> str:
    """Changes with every save of any part and every change of state."""
    stamp = f"{report_stamp(report)}@{report.state}"
    return '"' + hashlib.sha256(stamp.encode()).hexdigest()[:32] + '"'


def _indicator_appendices(report: Report) -> list:
    return [a for a in report_appendices(report) if not a.is_table]


def _table_appendices(report: Report) -> list:
    return [a for a in report_appendices(report) if a.is_table]


def values_etag(report: Report) -> str:
    return parts_etag(report, [a.code for a in _indicator_appendices(report)])


def table_etag(report: Report, appendix) -> str:
    return parts_etag(report, [appendix.code])


def tables_etag(report: Report) -> str:
    return parts_etag(report, [a.code for a in _table_appendices(report)])


def report_values(report: Report) -> dict:
    """{"values": code -> typed JSON, "notes": code -> note}: blanks left out, "/" for not
    applicable, notes only where there is one."""
    types = {
        row.code: row.value_type
        for appendix in _indicator_appendices(report)
        for row in appendix.indicators.all()
        if row.code
    }
    values, notes = {}, {}
    for code, (value, note) in stored_values(report)["indicators"].items():
        if code not in types:
            continue
        typed = to_json(types[code], value)
        if typed is not None and typed != "":
            values[code] = typed
        if note:
            notes[code] = note
    return {"values": values, "notes": notes}


def table_appendix(report: Report, code: str):
    return next((a for a in _table_appendices(report) if a.code == code), None)


def report_table(report: Report, appendix) -> dict:
    """{"rows": [{column: typed JSON}], "total": {...} | None} of one table."""
    columns = {c.code: c.value_type for c in appendix.columns.all()}

    def typed(cells: dict) -> dict:
        out = {}
        for code, value in cells.items():
            json_value = to_json(columns[code], value)
            if json_value is not None and json_value != "":
                out[code] = json_value
        return out

    table = stored_values(report)["tables"].get(appendix.code, {"rows": [], "total": None})
    return {
        "rows": [typed(cells) for _number, cells in table["rows"]],
        "total": typed(table["total"]) if table["total"] else None,
    }


def report_tables(report: Report) -> dict:
    return {a.code: report_table(report, a) for a in _table_appendices(report)}


def report_history(report: Report) -> list[dict]:
    return [
        {
            "at": change.at,
            "from_state": change.source,
            "to_state": change.target,
            "by": str(change.by),
            "by_system": change.by.is_system,
            "comment": change.comment,
        }
        for change in report.state_changes.select_related("by").order_by("at", "pk")
    ]


def report_violations(report: Report) -> list[dict]:
    """What validation says now, as `manage.py validate_report --json` prints it."""
    return [v.as_json() for v in cached_violations(report)]


def report_compilation(report: Report, readable) -> dict | None:
    """A province report's compilation: when, from which department reports (`sources`), and
    each compiled value with its breakdown, the values its expression read in each department
    report it was compiled from. Reports the client may not read are left out of breakdowns
    (counted in `hidden`). None when the report was never compiled."""
    compilation = getattr(report, "compilation", None)
    if compilation is None:
        return None
    counted = [s for s in compilation.sources if s["status"] == INCLUDED]
    visible = set(
        readable.filter(pk__in=[s["report_id"] for s in counted]).values_list("pk", flat=True)
    )
    codes = dict(
        Unit.objects.filter(pk__in=[s["unit_id"] for s in compilation.sources]).values_list(
            "pk", "code"
        )
    )
    values = values_by_report(visible)
    compiled = {}
    for code, entry in compiled_values(report).items():
        compiled[code] = {
            **{k: v for k, v in entry.items() if k != "reports"},
            "breakdown": [
                {
                    "unit": codes.get(s["unit_id"]),
                    "unit_name": s["unit"],
                    "report": s["report_id"],
                    "revision": s["revision"],
                    "values": {
                        c: values[s["report_id"]][c]
                        for c in entry["reads"]
                        if c in values[s["report_id"]]
                    },
                }
                for s in counted
                if s["report_id"] in visible
            ],
            "hidden": sum(1 for s in counted if s["report_id"] not in visible),
        }
    return {
        "report": report.pk,
        "province": report.unit.code,
        "period": report.period.code,
        "state": report.state,
        "compiled_at": compilation.compiled_at,
        "include_submitted": compilation.include_submitted,
        "sources": [
            {
                "unit": codes.get(s["unit_id"]),
                "unit_name": s["unit"],
                # Only what the client may read: an uncounted report's state would tell it exists.
                "report": s["report_id"] if s["report_id"] in visible else None,
                "revision": s["revision"] if s["report_id"] in visible else None,
                "state": s["state"] if s["report_id"] in visible else None,
                "counted": s["status"] == INCLUDED,
            }
            for s in compilation.sources
        ],
        "values": compiled,
    }
