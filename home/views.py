"""The home page ("Việc cần làm") and the reviewers' one-click reminder to late units."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lib.access import page_view
from org.permissions import is_admin
from reports.selectors import open_periods
from review.services import late_units_remind

from .context_processors import todo_of
from .todo import todo_count


@page_view(None, methods=("GET", "HEAD"))
def home(request):
    groups = todo_of(request)
    return render(
        request,
        "home/home.html",
        {
            "groups": groups,
            "count": todo_count(groups),
            "open_periods": open_periods() if is_admin(request.user) else None,
        },
    )


@page_view(None, methods=("POST",))
def remind_late_units(request):
    reminded = late_units_remind(by=request.user)  # refuses (403) anyone but a reviewer
    text = _("Đã nhắc %(people)s người của %(units)s đơn vị quá hạn.") % {
        "people": reminded.people,
        "units": reminded.units,
    }
    if reminded.earlier:
        text += " " + _("%(n)s người đã được nhắc trước đó trong hôm nay, không nhắc lại.") % {
            "n": reminded.earlier
        }
    messages.success(request, text)
    return redirect("home")
