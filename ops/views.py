import datetime
import logging

from django import forms
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lib.access import page_view
from org.permissions import require_admin

from .audit import audit_entries
from .tasks import queue_health

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """For the load balancer: 200 when the database and the task queue answer, else 503."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("healthz: database unreachable")
        checks["database"] = "error"
    checks["tasks"] = queue_health() if checks["database"] == "ok" else "error"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


class AuditFilter(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), required=False, max_length=150)
    since = forms.DateField(label=_("Từ ngày"), required=False)
    until = forms.DateField(label=_("Đến ngày"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
        return data


@page_view(require_admin, methods=("GET", "HEAD"))
def audit_log(request):
    form = AuditFilter(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {
            "username": form.cleaned_data["username"].strip(),
            "since": form.cleaned_data["since"],
            "until": form.cleaned_data["until"],
        }
    elif not request.GET:
        filters = {"since": datetime.date.today() - datetime.timedelta(days=30)}
    entries = audit_entries(**filters) if form.is_valid() or not request.GET else []
    return render(request, "ops/audit.html", {"form": form, "entries": entries})


def server_error(request):
    """The 500 page with the request id, so a user's report finds its log lines."""
    from django.template import loader

    from .logging import request_id

    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": request_id.get()}))
