from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .models import Unit, User
from .services import OrgError, unit_succeed


class SucceedForm(forms.Form):
    successor = forms.ModelChoiceField(
        Unit.objects.filter(valid_to__isnull=True), label=_("Đơn vị kế thừa")
    )
    on = forms.DateField(
        label=_("Ngày đơn vị kế thừa có hiệu lực"),
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = [
        "shown_name",
        "code",
        "kind",
        "province",
        "valid_from",
        "valid_to",
        "successor",
    ]
    list_select_related = ["province", "successor"]
    list_filter = ["kind", "is_home_affairs", "province"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent", "province", "successor"]
    actions = ["succeed"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_shared_names()

    def get_readonly_fields(self, request, obj=None):
        # A unit's end and successor are set by a merger (org.services.unit_succeed: the
        # action below), which also moves its people; its start stays what it was created with.
        if obj is None:
            return ["valid_to", "successor"]
        return ["valid_from", "valid_to", "successor"]

    @admin.display(description=_("tên"), ordering="name")
    def shown_name(self, obj):
        return obj.display_name

    @admin.action(description=_("Sáp nhập vào đơn vị kế thừa…"), permissions=["change"])
    def succeed(self, request, queryset):
        form = SucceedForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                moved = unit_succeed(
                    units=queryset,
                    successor=form.cleaned_data["successor"],
                    on=form.cleaned_data["on"],
                    by=request.user,
                )
            except OrgError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(
                    request,
                    f"Đã sáp nhập {queryset.count()} đơn vị; {moved} người dùng đã chuyển.",
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Sáp nhập đơn vị"),
            "units": queryset,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/org/unit/succeed.html", context)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Vai trò trong cổng báo cáo"), {"fields": ("role", "unit")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Vai trò trong cổng báo cáo"), {"fields": ("role", "unit")}),
    )
    list_display = ["username", "get_full_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active", "unit__province"]
    autocomplete_fields = ["unit"]
