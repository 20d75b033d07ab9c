"""The outline (đề cương) and the validation rules of a draft version, each edited as a list."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lib.access import EDIT, object_view

from ..access import version_for_user
from ..editor import OutlineEditor, RulesEditor


def _edit_lines(request, editor, *, title: str, saved: str, indent: bool):
    if request.method == "POST" and editor.save():
        messages.success(request, saved)
        return redirect("indicators:version_detail", pk=editor.version.pk)
    context = {"editor": editor, "version": editor.version, "title": title, "indent": indent}
    return render(request, "indicators/lines_edit.html", context)


@object_view(version_for_user, EDIT)
def outline_edit(request, version):
    data = request.POST if request.method == "POST" else None
    editor = OutlineEditor(version, data, by=request.user)
    return _edit_lines(
        request, editor, title=_("Đề cương báo cáo"), saved=_("Đã lưu đề cương."), indent=True
    )


@object_view(version_for_user, EDIT)
def rules_edit(request, version):
    editor = RulesEditor(
        version, request.POST if request.method == "POST" else None, by=request.user
    )
    return _edit_lines(
        request, editor, title=_("Quy tắc kiểm tra"), saved=_("Đã lưu quy tắc."), indent=False
    )
