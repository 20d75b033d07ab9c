"""Moving a template's open reports to its newest published version, from the version page."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from indicators.access import version_for_user
from lib.access import ADMIN, object_view

from ..services.upgrade import newest_published, reports_upgrade


@object_view(version_for_user, ADMIN, methods=("POST",))
def template_upgrade(request, version):
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
