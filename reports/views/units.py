from django.shortcuts import render

from lib.access import object_view

from ..access import can_create_report, reports_visible_to, unit_for_user
from ..selectors import creatable_reports, unit_lineage


@object_view(unit_for_user, key="code", methods=("GET", "HEAD"))
def unit_detail(request, unit):
    reports = reports_visible_to(request.user).filter(unit=unit).order_by("-period__window_end")
    creatable = [
        (period, kind)
        for period, kind in creatable_reports(unit, reports)
        if can_create_report(request.user, unit, kind)
    ]
    return render(
        request,
        "reports/unit_detail.html",
        {
            "unit": unit,
            "reports": reports,
            "creatable": creatable,
            "several_kinds": len({kind.pk for _period, kind in creatable}) > 1,
            "predecessors": unit_lineage(unit),
        },
    )
