from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from ..permissions import can_create_report
from ..selectors import open_periods, reports_visible_to, unit_for_user, unit_lineage


@login_required
def unit_detail(request, code):
    unit = unit_for_user(request.user, code)
    if unit is None:
        raise Http404
    reports = reports_visible_to(request.user).filter(unit=unit).order_by("-period__window_end")
    filed = {r.period_id for r in reports}
    creatable = []
    if can_create_report(request.user, unit):
        creatable = [p for p in open_periods() if p.pk not in filed]
    return render(
        request,
        "reports/unit_detail.html",
        {
            "unit": unit,
            "reports": reports,
            "creatable_periods": creatable,
            "predecessors": unit_lineage(unit),
        },
    )
