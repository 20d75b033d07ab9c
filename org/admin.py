from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "province", "valid_from", "valid_to", "successor"]
    list_filter = ["kind", "is_home_affairs", "province"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent", "province", "successor"]


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
