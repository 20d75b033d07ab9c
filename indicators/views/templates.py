"""The list of templates, and the two ways to start one: a new empty template or an Excel file."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lib.access import page_view

from ..access import require_templates
from ..editor_forms import TemplateCreateForm, TemplateUploadForm
from ..selectors import templates_with_versions
from ..services import TemplateError, template_create, version_import
from ..workbook import TemplateFileError, read_template_workbook


@page_view(require_templates, methods=("GET", "HEAD"))
def template_list(request):
    return _list_page(request)


def _list_page(request, *, create_form=None, upload_form=None, problems=()):
    return render(
        request,
        "indicators/template_list.html",
        {
            "templates": templates_with_versions(),
            "create_form": create_form or TemplateCreateForm(),
            "upload_form": upload_form or TemplateUploadForm(),
            "problems": problems,
        },
    )


@page_view(require_templates, methods=("POST",))
def template_new(request):
    form = TemplateCreateForm(request.POST)
    if form.is_valid():
        try:
            version = template_create(**form.cleaned_data, by=request.user)
        except TemplateError as exc:
            for problem in exc.problems:
                form.add_error(None, problem.message)
        else:
            messages.success(
                request, _("Đã tạo mẫu “%(code)s”, bản nháp v1.") % {"code": version.template.code}
            )
            return redirect("indicators:version_detail", pk=version.pk)
    return _list_page(request, create_form=form)


@page_view(require_templates, methods=("POST",))
def template_upload(request):
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, upload_form=form)
    try:
        spec = read_template_workbook(form.cleaned_data["file"])
        version = version_import(spec=spec, by=request.user)
    except (TemplateFileError, TemplateError) as exc:
        return _list_page(request, upload_form=form, problems=exc.problems)
    messages.success(
        request,
        _("Đã nhập mẫu “%(code)s”, bản nháp v%(number)s.")
        % {"code": version.template.code, "number": version.number},
    )
    return redirect("indicators:version_detail", pk=version.pk)
