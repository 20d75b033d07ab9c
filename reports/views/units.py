from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from ..selectors import open_periods, unit_for_user, unit_lineage


def _get_unit(request, code):
    unit = unit_for_user(request.user, code)
    if unit is None:
        raise Http404
    return unit


@login_required
def unit_detail(request, code):
    unit = _get_unit(request, code)
    return render(
        request,
        "reports/unit_detail.html",
        {"unit": unit, "periods": open_periods(), "predecessors": unit_lineage(unit)},
    )
