from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ..models import Role
from ..permissions import is_admin
from ..selectors import open_periods, province_units


@login_required
def home(request):
    """Each role lands on the page it works from."""
    user = request.user
    if is_admin(user):
        return render(request, "reports/home_admin.html", {"periods": open_periods()})
    if user.role == Role.REVIEWER:
        province = user.unit.province
        return render(
            request,
            "reports/home_reviewer.html",
            {"province": province, "units": province_units(province), "periods": open_periods()},
        )
    return redirect("reports:unit_detail", code=user.unit.code)
