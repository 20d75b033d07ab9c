"""Appendices of a draft version: add, edit (rows, or columns and fixed rows), move, delete."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.access import EDIT, object_view

from ..access import appendix_for_user, version_for_user
from ..editor import AppendixEditor
from ..editor_forms import AppendixAddForm
from ..services import TemplateError, appendix_add, appendix_delete, appendix_move
from ..spec import AppendixSpec
from .messages import show_problems


def _version_page(appendix):
    url = reverse("indicators:version_detail", args=[appendix.version_id])
    return redirect(f"{url}#phu-luc-{appendix.pk}")


@object_view(version_for_user, EDIT)
def appendix_new(request, version):
    number = version.appendices.count() + 1
    initial = {"name": f"Phụ lục {number}", "code": f"pl{number}"}
    form = AppendixAddForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            spec = AppendixSpec(**form.cleaned_data)
            appendix = appendix_add(version=version, spec=spec, by=request.user)
        except TemplateError as exc:
            for problem in exc.problems:
                form.add_error(None, problem.message)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": appendix.name})
            return redirect("indicators:appendix_edit", pk=appendix.pk)
    return render(request, "indicators/appendix_new.html", {"version": version, "form": form})


@object_view(appendix_for_user, EDIT)
def appendix_edit(request, appendix):
    data = request.POST if request.method == "POST" else None
    editor = AppendixEditor(appendix, data, by=request.user)
    if request.method == "POST" and request.POST.get("action") != "paste" and editor.save():
        messages.success(request, _("Đã lưu %(name)s.") % {"name": appendix.name})
        return _version_page(appendix)
    return render(
        request,
        "indicators/appendix_edit.html",
        {"editor": editor, "appendix": appendix, "version": appendix.version},
    )


@object_view(appendix_for_user, EDIT, methods=("POST",))
def appendix_move_view(request, appendix):
    offset = -1 if request.POST.get("direction") == "up" else 1
    appendix_move(appendix=appendix, offset=offset, by=request.user)
    return _version_page(appendix)


@object_view(appendix_for_user, EDIT, methods=("POST",))
def appendix_delete_view(request, appendix):
    try:
        appendix_delete(appendix=appendix, by=request.user)
    except TemplateError as exc:
        show_problems(request, exc.problems, lead=_("Chưa xoá được phụ lục:"))
        return _version_page(appendix)
    messages.success(request, _("Đã xoá %(name)s.") % {"name": appendix.name})
    return redirect("indicators:version_detail", pk=appendix.version_id)
