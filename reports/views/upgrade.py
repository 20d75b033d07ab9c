"""Moving a template's open reports to its newest published version, from the version page."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.views.access import admin_only, get_version

from ..services.upgrade import newest_published, reports_upgrade


@admin_only
@require_POST
def template_upgrade(request, pk):
    version = get_version(pk)
    if version != newest_published(version.template):
        messages.error(
            request, _("Chỉ chuyển được báo cáo sang phiên bản mới nhất đã công bố của mẫu.")
        )
        return redirect("indicators:version_detail", pk=version.pk)
    _target, done = reports_upgrade(template=version.template, by=request.user)
    kept = sum(len(item.kept) for item in done)
    text = _("Đã chuyển %(n)s báo cáo sang v%(v)s.") % {"n": len(done), "v": version.number}
    if kept:
        text += " " + _(
            "%(k)s giá trị của chỉ tiêu, cột đã bỏ được giữ trong lịch sử các báo cáo."
        ) % {"k": kept}
    messages.success(request, text)
    return redirect("indicators:version_detail", pk=version.pk)
