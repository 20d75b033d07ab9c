from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lib.access import ADMIN, object_view, page_view
from org.permissions import require_admin

from ..access import period_for_user
from ..forms import PeriodForm
from ..models import Period
from ..services import period_create, period_set_open


@page_view(require_admin)
def period_list(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = period_create(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã tạo kỳ báo cáo %(label)s.") % {"label": period.label})
            return redirect("reports:period_list")
    periods = Period.objects.all()
    return render(request, "reports/period_list.html", {"form": form, "periods": periods})


@object_view(period_for_user, ADMIN, methods=("POST",))
def period_toggle(request, period):
    period_set_open(period=period, is_open=not period.is_open, by=request.user)
    state = _("mở") if period.is_open else _("đóng")
    messages.success(
        request, _("Đã %(state)s kỳ %(label)s.") % {"state": state, "label": period.label}
    )
    return redirect("reports:period_list")
