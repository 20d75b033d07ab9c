from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from cchc_portal.lib.periods import default_deadline, default_window

from .models import Period, Report, ReportKind, Unit, User


@admin.display(description=_("đơn vị"), ordering="unit__name")
def unit_display_name(obj):
    return obj.unit.display_name if obj.unit else "—"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = [
        "shown_name",
        "code",
        "kind",
        "shown_province",
        "valid_from",
        "valid_to",
        "shown_successor",
    ]
    list_select_related = ["province", "successor"]
    list_filter = ["kind", "is_home_affairs", "province"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent", "province", "successor"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_shared_names()

    @admin.display(description=_("tên"), ordering="name")
    def shown_name(self, obj):
        return obj.display_name

    @admin.display(description=_("tỉnh"), ordering="province__name")
    def shown_province(self, obj):
        return obj.province.display_name if obj.province else "—"

    @admin.display(description=_("đơn vị kế thừa"), ordering="successor__name")
    def shown_successor(self, obj):
        return obj.successor.display_name if obj.successor else "—"


class PeriodAdminForm(forms.ModelForm):
    class Meta:
        model = Period
        fields = ["kind", "year", "window_start", "window_end", "deadline", "is_open"]
        help_texts = {
            "window_start": _("Để trống để dùng mặc định theo Nghị định 09/2019/NĐ-CP."),
            "deadline": _("Để trống để dùng mặc định (3 ngày sau ngày chốt số liệu)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("window_start", "window_end", "deadline"):
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        kind, year = data.get("kind"), data.get("year")
        if kind and year:
            start, end = default_window(kind, year)
            data["window_start"] = data.get("window_start") or start
            data["window_end"] = data.get("window_end") or end
            data["deadline"] = data.get("deadline") or default_deadline(kind, year)
            for name in ("window_start", "window_end", "deadline"):
                setattr(self.instance, name, data[name])
        return data


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    form = PeriodAdminForm
    list_display = ["label", "window_start", "window_end", "deadline", "is_open"]
    list_filter = ["kind", "year", "is_open"]


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
    list_display = ["username", "get_full_name", "role", unit_display_name, "is_active"]
    list_filter = ["role", "is_active", "unit__province"]
    autocomplete_fields = ["unit"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports are read here, never edited: every change goes through the portal's services so
    that workflow, validation and history rules hold (approved reports stay read-only)."""

    list_display = [
        "title",
        unit_display_name,
        "period",
        "revision",
        "state",
        "submitted_at",
        "approved_at",
    ]
    list_filter = ["state", "period", "unit__province"]
    search_fields = ["title", "unit__name"]
    # The optimistic-locking counters mean nothing to a reader.
    exclude = ["part_versions"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportKind)
class ReportKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "title", "position"]
