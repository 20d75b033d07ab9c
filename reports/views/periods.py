from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.views.access import admin_only

from ..forms import PeriodForm
from ..models import Period
from ..services import period_create, period_set_open


@admin_only
def period_list(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = period_create(**form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã tạo kỳ báo cáo %(label)s.") % {"label": period.label})
            return redirect("reports:period_list")
    periods = Period.objects.all()
    return render(request, "reports/period_list.html", {"form": form, "periods": periods})


@require_POST
@admin_only
def period_toggle(request, pk):
    period = get_object_or_404(Period, pk=pk)
    period_set_open(period=period, is_open=not period.is_open)
    state = _("mở") if period.is_open else _("đóng")
    messages.success(
        request, _("Đã %(state)s kỳ %(label)s.") % {"state": state, "label": period.label}
    )
    return redirect("reports:period_list")
