"""Moving a template's open reports to its newest published version, from the version page:
the reports are listed by province first, and only those the administrator keeps ticked move."""

from itertools import groupby

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from indicators.access import version_for_user
from lib.access import ADMIN, object_view

from ..services.upgrade import newest_published, reports_behind, reports_upgrade


@object_view(version_for_user, ADMIN)  # GET lists, POST moves
def template_upgrade(request, version):
    if version != newest_published(version.template):
        messages.error(
            request, _("Chỉ chuyển được báo cáo sang phiên bản mới nhất đã công bố của mẫu.")
        )
        return redirect("indicators:version_detail", pk=version.pk)
    if request.method == "POST":
        return _upgrade(request, version)
    behind = list(reports_behind(version.template))
    provinces = [
        (province, list(reports))
        for province, reports in groupby(behind, key=lambda r: r.unit.province)
    ]
    context = {"version": version, "provinces": provinces, "count": len(behind)}
    return render(request, "reports/template_upgrade.html", context)


def _upgrade(request, version):
    chosen = {int(pk) for pk in request.POST.getlist("report") if pk.isdigit()}
    if not chosen:
        messages.error(request, _("Chưa chọn báo cáo nào để chuyển."))
        return redirect("reports:template_upgrade", pk=version.pk)
    _target, done = reports_upgrade(template=version.template, by=request.user, only=chosen)
    kept = sum(len(item.kept) for item in done)
    text = _("Đã chuyển %(n)s báo cáo sang v%(v)s.") % {"n": len(done), "v": version.number}
    if kept:
        text += " " + _(
            "%(k)s giá trị của chỉ tiêu, cột đã bỏ được giữ trong lịch sử các báo cáo."
        ) % {"k": kept}
    messages.success(request, text)
    return redirect("indicators:version_detail", pk=version.pk)
