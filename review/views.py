"""The Sở Nội vụ dashboard: a period's progress unit by unit, the indicators summed or listed
across departments, one indicator's drill-down with its chart, and the roll-up workbook.

Reviewers see their own province (or one it succeeded); administrators choose any province.
Anyone else gets 403, and a province out of reach 404.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from lib.access import SAFE, object_view, page_view
from lib.xlsx import XLSX_CONTENT_TYPE
from org.models import Unit, UnitKind
from org.permissions import is_admin
from reports.models import Period

from .access import indicator_for_user, province_scope_for_user, require_dashboard
from .aggregates import indicator_aggregates, indicator_drilldown
from .charts import indicator_chart, progress_chart
from .dashboard import (
    STATE_LABELS,
    STATE_ORDER,
    dashboard_provinces,
    dashboard_units,
    default_period,
    period_by_code,
    rows_for_units,
)
from .rollup import rollup_workbook


class DashboardFilters(forms.Form):
    province = forms.SlugField(required=False)
    period = forms.CharField(required=False, max_length=12)
    kind = forms.ChoiceField(
        required=False,
        choices=[("", _("Mọi loại đơn vị"))]
        + [choice for choice in UnitKind.choices if choice[0] != UnitKind.PROVINCE],
    )
    state = forms.ChoiceField(
        required=False,
        choices=[("", _("Mọi trạng thái"))] + [(s, STATE_LABELS[s]) for s in STATE_ORDER],
    )


@dataclass(frozen=True)
class Scope:
    province: Unit
    period: Period | None
    kind: str
    state: str

    @cached_property  # one per aggregate row's link
    def query(self) -> str:
        """Province and period, for links that keep them."""
        return urlencode({"province": self.province.code, "period": self.period.code})

    @cached_property
    def filters(self) -> str:
        """Every filter, for the unit table's page links."""
        return urlencode(
            {
                "province": self.province.code,
                "period": self.period.code,
                "kind": self.kind,
                "state": self.state,
            }
        )


def _scope(request) -> Scope:
    form = DashboardFilters(request.GET)
    form.is_valid()  # a filter that does not validate is dropped
    data = form.cleaned_data
    province = province_scope_for_user(request.user, data.get("province", ""))
    code = data.get("period", "")
    period = period_by_code(code) if code else default_period()
    if code and period is None:
        raise Http404
    return Scope(province, period, data.get("kind", ""), data.get("state", ""))


def _scope_with_period(request) -> Scope:
    scope = _scope(request)
    if scope.period is None:
        raise Http404
    return scope


UNITS_PER_PAGE = 50


def _period_context(request, scope: Scope) -> dict:
    counts, units = dashboard_units(
        province=scope.province, period=scope.period, kind=scope.kind, state=scope.state
    )
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "rows": rows_for_units(list(page.object_list), scope.period),
        "page": page,
        "unit_count": sum(count.count for count in counts),
        "counts": counts,
        "progress_chart": progress_chart(counts),
        "aggregates": indicator_aggregates(province=scope.province, period=scope.period),
    }


@page_view(require_dashboard, methods=SAFE)
def dashboard(request):
    scope = _scope(request)
    context = {
        "scope": scope,
        "periods": Period.objects.all(),
        "provinces": dashboard_provinces() if is_admin(request.user) else None,
        "kinds": DashboardFilters.base_fields["kind"].choices,
        "states": DashboardFilters.base_fields["state"].choices,
    }
    if scope.period is not None:
        context |= _period_context(request, scope)
    return render(request, "review/dashboard.html", context)


@object_view(indicator_for_user, key="code", methods=SAFE)
def dashboard_indicator(request, code):
    scope = _scope_with_period(request)
    drilldown = indicator_drilldown(province=scope.province, period=scope.period, code=code)
    if drilldown is None:
        raise Http404
    chart = indicator_chart(drilldown.indicator, drilldown.entries)
    return render(
        request,
        "review/dashboard_indicator.html",
        {"scope": scope, "drilldown": drilldown, "chart": chart},
    )


@page_view(require_dashboard, methods=SAFE)
def dashboard_rollup(request):
    scope = _scope_with_period(request)
    name = f"tong-hop-cchc-{scope.province.code}-{scope.period.code}.xlsx"
    return HttpResponse(
        rollup_workbook(province=scope.province, period=scope.period),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )
