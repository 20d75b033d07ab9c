"""The outline (đề cương) and the validation rules of a draft version, each edited as a list."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..editor import OutlineEditor, RulesEditor
from .access import draft_version


def _edit_lines(request, editor, *, title: str, saved: str, indent: bool):
    if request.method == "POST" and editor.save():
        messages.success(request, saved)
        return redirect("indicators:version_detail", pk=editor.version.pk)
    context = {"editor": editor, "version": editor.version, "title": title, "indent": indent}
    return render(request, "indicators/lines_edit.html", context)


@draft_version
def outline_edit(request, version):
    editor = OutlineEditor(version, request.POST if request.method == "POST" else None)
    return _edit_lines(
        request, editor, title=_("Đề cương báo cáo"), saved=_("Đã lưu đề cương."), indent=True
    )


@draft_version
def rules_edit(request, version):
    editor = RulesEditor(version, request.POST if request.method == "POST" else None)
    return _edit_lines(
        request, editor, title=_("Quy tắc kiểm tra"), saved=_("Đã lưu quy tắc."), indent=False
    )
