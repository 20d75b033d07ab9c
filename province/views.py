"""The province's own report: compile it, see its sources and each value's breakdown, override
a compiled value with a note, sign and send it."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import Indicator
from indicators.rule_checks import department_names
from indicators.rules.describe import describe_aggregate
from indicators.values import format_value
from lib.access import COMPILE, EDIT, READ, SIGN, object_view, page_view
from reports.access import can_edit_report, refusal
from reports.selectors import indicator_values
from reports.services import ReportError
from review.dashboard import period_by_code

from .access import province_for_user, province_report_for_user
from .checks import signing_checks
from .compilation import (
    INCLUDED,
    breakdown,
    compiled_indicators,
    is_stale,
    pending_changes,
    province_value,
)
from .forms import ProvinceCompileForm
from .services import compile_province_report, override_clear, sign_and_send, value_override


@page_view(None, methods=("POST",))
def province_compile(request):
    """From the dashboard: create or refresh the province's report for a period."""
    form = ProvinceCompileForm(request.POST)
    period = period_by_code(form.cleaned_data["period"]) if form.is_valid() else None
    if period is None:  # only a hand-made request names no province or period
        raise Http404
    province = province_for_user(request.user, form.cleaned_data["province"], COMPILE)
    try:
        report = compile_province_report(
            province=province,
            period=period,
            by=request.user,
            include_submitted=form.cleaned_data["include_submitted"],
        )
    except ReportError as exc:
        messages.error(request, str(exc))
        return redirect("review:dashboard")
    messages.success(request, _("Đã tổng hợp báo cáo của tỉnh."))
    return redirect("province:panel", pk=report.pk)


def _panel_post(request, report):
    action = request.POST.get("action")
    try:
        if action == "compile":
            compile_province_report(
                province=report.unit,
                period=report.period,
                by=request.user,
                include_submitted=bool(request.POST.get("include_submitted")),
            )
            messages.success(request, _("Đã tổng hợp lại từ báo cáo của các cơ quan, đơn vị."))
        elif action == "override":
            value_override(
                report=report,
                by=request.user,
                code=request.POST.get("code", ""),
                text=request.POST.get("value", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("Đã điều chỉnh số liệu tổng hợp."))
        elif action == "clear":
            override_clear(report=report, by=request.user, code=request.POST.get("code", ""))
            messages.success(request, _("Đã trở lại số liệu tổng hợp."))
    except ReportError as exc:
        messages.error(request, str(exc))
    return redirect("province:panel", pk=report.pk)


@object_view(province_report_for_user, READ, post=EDIT)
def province_panel(request, report):
    if request.method == "POST":
        return _panel_post(request, report)
    compilation = getattr(report, "compilation", None)
    values = indicator_values(report)
    overrides = {o.code: o for o in report.overrides.all()}
    names = department_names(report.unit_id)
    rows = []
    compiled = compiled_indicators(report)
    labels = {i.code: i.label for i in compiled}
    for indicator in compiled:
        stored = compilation.values.get(indicator.code, {}) if compilation else {}
        value, _note = values.get(indicator.code, (None, ""))
        rows.append(
            {
                "indicator": indicator,
                "how": describe_aggregate(indicator.aggregate, names),
                "value": indicator_display(indicator, value),
                "computed": _computed_text(indicator, stored.get("value", "")),
                "problem": stored.get("problem", ""),
                "override": overrides.get(indicator.code),
                "recomputed_from": [labels.get(c, c) for c in stored.get("overrides", [])],
            }
        )
    stale = is_stale(report)
    changes, moved = pending_changes(report) if stale else ([], [])
    sources = compilation.sources if compilation else []
    return render(
        request,
        "province/panel.html",
        {
            "report": report,
            "compilation": compilation,
            "sources": sources,
            "included": sum(1 for s in sources if s["status"] == INCLUDED),
            "rows": rows,
            "stale": stale,
            "changes": changes,
            "moved": moved,
            "can_edit": can_edit_report(request.user, report),
            "can_sign": refusal(request.user, report, SIGN) is None,
        },
    )


def indicator_display(indicator: Indicator, value) -> str:
    return (
        ""
        if value is None
        else format_value(indicator.value_type, value, choices=indicator.choices)
    )


def _computed_text(indicator: Indicator, text: str) -> str:
    if not text:
        return ""
    return indicator_display(indicator, province_value(indicator.value_type, Decimal(text)))


@object_view(province_report_for_user, READ)
def province_breakdown(request, report, code):
    compiled = compiled_indicators(report)
    labels = {i.code: i.label for i in compiled}
    indicator = next((i for i in compiled if i.code == code), None)
    if indicator is None or getattr(report, "compilation", None) is None:
        raise Http404
    codes, rows = breakdown(report, indicator)
    stored = report.compilation.values.get(code, {})
    names = department_names(report.unit_id)
    return render(
        request,
        "province/breakdown.html",
        {
            "report": report,
            "indicator": indicator,
            "how": describe_aggregate(indicator.aggregate, names),
            "columns": [names[c].label if c in names else c for c in codes],
            "rows": rows,
            "computed": _computed_text(indicator, stored.get("value", "")),
            "timing": TIMING_NOTES[indicator.is_stock],
            "recomputed_from": [labels.get(c, c) for c in stored.get("overrides", [])],
        },
    )


TIMING_NOTES = {
    True: gettext_lazy(
        "Số liệu thời điểm: chỉ tính các cơ quan, đơn vị còn hoạt động đến cuối kỳ báo cáo."
    ),
    False: gettext_lazy("Số liệu thời kỳ: cộng mọi cơ quan, đơn vị đã báo cáo trong kỳ."),
}


@object_view(province_report_for_user, READ, post=SIGN)
def province_sign(request, report):
    if request.method == "POST":
        try:
            day = datetime.datetime.strptime(request.POST.get("issued_on", ""), "%d/%m/%Y").date()
        except ValueError:
            day = None
        try:
            if day is None:
                raise ReportError(_("Ngày ký viết dạng dd/mm/yyyy, ví dụ 15/12/2026."))
            sign_and_send(
                report=report,
                by=request.user,
                number=request.POST.get("number", ""),
                issued_on=day,
            )
        except ReportError as exc:
            messages.error(request, str(exc))
            return render(
                request,
                "province/sign.html",
                {
                    "report": report,
                    "typed": request.POST,
                    "can_sign": True,
                    "checks": signing_checks(report, request.user),
                },
            )
        messages.success(request, _("Đã ký và ghi nhận gửi báo cáo của tỉnh."))
        return redirect("province:panel", pk=report.pk)
    return render(
        request,
        "province/sign.html",
        {
            "report": report,
            "typed": {},
            "can_sign": refusal(request.user, report, SIGN) is None,
            "checks": signing_checks(report, request.user),
        },
    )
