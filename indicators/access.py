"""Reaching template versions and their appendices (the refusal table of lib/access.py).

Templates are configured by administrators only; everyone else is refused with the reason
(templates are no secret: a report names its version). A published version is frozen: EDIT on
it is refused with the way forward. ADMIN actions (publish, clone, move reports) need no draft.
"""

from django.db.models import Prefetch

from lib.access import ADMIN, EDIT, READ, Need, NotFound, Refused
from org.permissions import require_admin

from .models import Appendix, TemplateVersion


def require_templates(user) -> None:
    try:
        require_admin(user)
    except Refused:
        raise Refused("Chỉ quản trị hệ thống được cấu hình mẫu báo cáo.") from None


def _check(user, version: TemplateVersion, need: Need) -> None:
    require_templates(user)
    if need == EDIT and not version.is_draft:
        raise Refused(
            f"Phiên bản v{version.number} đã công bố nên không sửa được; hãy tạo bản nháp mới "
            "từ phiên bản này."
        )
    if need not in (READ, EDIT, ADMIN):
        raise ValueError(need)


def version_for_user(user, pk, need: Need = READ) -> TemplateVersion:
    """The version `pk` with its template, appendices (rows, columns), outline and rules."""
    appendices = Appendix.objects.prefetch_related("indicators", "columns")
    version = (
        TemplateVersion.objects.select_related("template__province")
        .prefetch_related(
            "outline", "rules", "template__versions", Prefetch("appendices", queryset=appendices)
        )
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if version is None:
        raise NotFound("Không có phiên bản mẫu này.")
    _check(user, version, need)
    return version


def appendix_for_user(user, pk, need: Need = READ) -> Appendix:
    appendix = (
        Appendix.objects.select_related("version__template").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if appendix is None:
        raise NotFound("Không có phụ lục này.")
    _check(user, appendix.version, need)
    return appendix
