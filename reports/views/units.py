from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from ..access import can_create_report, reports_visible_to
from ..selectors import creatable_reports, unit_for_user, unit_lineage


@login_required
def unit_detail(request, code):
    unit = unit_for_user(request.user, code)
    if unit is None:
        raise Http404
    reports = reports_visible_to(request.user).filter(unit=unit).order_by("-period__window_end")
    creatable = creatable_reports(unit, reports) if can_create_report(request.user, unit) else []
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
