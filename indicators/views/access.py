"""Who reaches the template pages, and the guard that keeps published versions read-only."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ..models import Appendix, TemplateVersion

admin_required = permission_required("org.configure_portal", raise_exception=True)


def admin_only(view):
    """Administrators only: others get 403 (anonymous visitors go to the login page)."""
    return login_required(admin_required(view))


def get_version(pk) -> TemplateVersion:
    return get_object_or_404(TemplateVersion.objects.select_related("template__province"), pk=pk)


def refuse_published(request, version: TemplateVersion):
    messages.error(
        request,
        _(
            "Phiên bản v%(number)s đã công bố nên không sửa được; hãy tạo bản nháp mới từ "
            "phiên bản này."
        )
        % {"number": version.number},
    )
    return redirect("indicators:version_detail", pk=version.pk)


def draft_version(view):
    """Pass the draft version `pk` to the view; a published version is refused with a message."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        version = get_version(pk)
        if not version.is_draft:
            return refuse_published(request, version)
        return view(request, version, *args, **kwargs)

    return admin_only(wrapper)


def draft_appendix(view):
    """Pass the appendix `pk` of a draft version to the view; refused when published."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        appendix = get_object_or_404(Appendix.objects.select_related("version__template"), pk=pk)
        if not appendix.version.is_draft:
            return refuse_published(request, appendix.version)
        return view(request, appendix, *args, **kwargs)

    return admin_only(wrapper)


def show_problems(request, problems, *, lead: str = ""):
    """A refusal from the services as one error message listing every problem."""
    items = format_html_join("", "<li>{}</li>", ((str(p),) for p in problems))
    messages.error(request, format_html('{}<ul class="mb-0">{}</ul>', lead, items))
