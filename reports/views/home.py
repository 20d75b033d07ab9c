from django.shortcuts import redirect, render

from lib.access import page_view
from org.permissions import is_admin

from ..selectors import open_periods


@page_view(None, methods=("GET", "HEAD"))
def home(request):
    """Each role lands on the page it works from."""
    user = request.user
    if is_admin(user):
        return render(request, "reports/home_admin.html", {"periods": open_periods()})
    if user.has_perm("reports.view_dashboard"):
        return redirect("review:dashboard")
    return redirect("reports:unit_detail", code=user.unit.code)
