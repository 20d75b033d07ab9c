"""A template version: its page, preview, Excel download, metadata, and publishing, cloning and
deleting."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lib.access import ADMIN, EDIT, READ, object_view
from lib.xlsx import XLSX_CONTENT_TYPE

from .. import editor
from ..access import version_for_user
from ..editor_forms import VersionEditForm
from ..forms import IndicatorValuesForm, table_formset
from ..models import Appendix
from ..services import TemplateError, draft_discard, spec_from_version, version_update
from ..types import ValueType
from ..values import format_value
from ..workbook import write_template_workbook
from .messages import show_problems


@object_view(version_for_user, READ, methods=("GET", "HEAD"))
def version_detail(request, version):
    return render(request, "indicators/version_detail.html", {"version": version})


@object_view(version_for_user, READ, methods=("GET", "HEAD"))
def version_preview(request, version):
    return render(
        request,
        "indicators/version_preview.html",
        {"version": version, "entries": [(a, _entry_form(a)) for a in version.appendices.all()]},
    )


def _entry_form(appendix: Appendix):
    """The empty entry form of an appendix, as staff get it for a new report."""
    if appendix.is_table:
        return table_formset(appendix, list(appendix.columns.all()), rows=appendix.fixed_rows)
    return IndicatorValuesForm(
        appendix=appendix, rows=list(appendix.indicators.all()), prefix=appendix.code
    )


@object_view(version_for_user, READ, methods=("GET", "HEAD"))
def version_export(request, version):
    filename = f"{version.template.code}-v{version.number}.xlsx"
    return HttpResponse(
        write_template_workbook(spec_from_version(version)),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@object_view(version_for_user, EDIT)
def version_edit(request, version):
    template = version.template
    initial = {
        "title": template.title,
        "period_kinds": template.period_kinds,
        "report_kinds": template.report_kinds,
        "applies_from": version.applies_from,
        "outlier_factor": format_value(ValueType.DECIMAL, version.outlier_factor),
    }
    form = VersionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version_update(version=version, **form.cleaned_data, by=request.user)
        except TemplateError as exc:
            for problem in exc.problems:
                form.add_error(None, problem.message)
        else:
            messages.success(request, _("Đã lưu thông tin phiên bản."))
            return redirect("indicators:version_detail", pk=version.pk)
    return render(request, "indicators/version_edit.html", {"version": version, "form": form})


@object_view(version_for_user, ADMIN, methods=("POST",))
def version_publish(request, version):
    try:
        editor.publish(version, by=request.user)
    except TemplateError as exc:
        show_problems(request, exc.problems, lead=_("Chưa công bố được phiên bản này:"))
    else:
        messages.success(request, _("Đã công bố phiên bản v%(n)s.") % {"n": version.number})
    return redirect("indicators:version_detail", pk=version.pk)


@object_view(version_for_user, ADMIN, methods=("POST",))
def version_clone(request, version):
    try:
        draft = editor.clone(version, by=request.user)
    except TemplateError as exc:
        show_problems(request, exc.problems, lead=_("Chưa tạo được bản nháp mới:"))
        return redirect("indicators:version_detail", pk=version.pk)
    messages.success(
        request,
        _("Đã tạo bản nháp v%(new)s từ v%(old)s.") % {"new": draft.number, "old": version.number},
    )
    return redirect("indicators:version_detail", pk=draft.pk)


@object_view(version_for_user, EDIT, methods=("POST",))
def version_delete(request, version):
    template_gone = draft_discard(version=version, by=request.user)
    if template_gone:
        text = _("Đã xoá bản nháp v%(n)s và mẫu “%(code)s” (mẫu không còn phiên bản nào).")
    else:
        text = _("Đã xoá bản nháp v%(n)s của mẫu “%(code)s”.")
    messages.success(request, text % {"n": version.number, "code": version.template.code})
    return redirect("indicators:template_list")
