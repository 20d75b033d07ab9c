from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from org.models import Role
from org.permissions import is_admin

from ..selectors import open_periods


@login_required
def home(request):
    """Each role lands on the page it works from."""
    user = request.user
    if is_admin(user):
        return render(request, "reports/home_admin.html", {"periods": open_periods()})
    if user.role == Role.REVIEWER:
        return redirect("review:dashboard")
    return redirect("reports:unit_detail", code=user.unit.code)
