from django.contrib import admin

from .models import (
    Appendix,
    Column,
    Indicator,
    IndicatorTemplate,
    OutlineSection,
    ReportKind,
    Rule,
    TemplateVersion,
)


class VersionInline(admin.TabularInline):
    model = TemplateVersion
    fields = ["number", "applies_from", "status", "published_at"]
    readonly_fields = ["number", "status", "published_at"]
    extra = 0
    show_change_link = True


@admin.register(IndicatorTemplate)
class IndicatorTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "province"]
    search_fields = ["code", "title"]
    inlines = [VersionInline]


class ReadOnlyWhenPublished:
    """Published versions are frozen: the admin shows them read-only."""

    def _published(self, obj):
        version = obj if isinstance(obj, TemplateVersion) else getattr(obj, "version", None)
        return version is not None and not version.is_draft

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and self._published(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and self._published(obj))


class AppendixInline(ReadOnlyWhenPublished, admin.TabularInline):
    model = Appendix
    fields = ["position", "code", "name", "title", "kind", "landscape", "has_total_row"]
    extra = 0
    show_change_link = True


class RuleInline(ReadOnlyWhenPublished, admin.TabularInline):
    model = Rule
    fields = ["position", "code", "severity", "expression", "message", "missing"]
    extra = 0


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyWhenPublished, admin.ModelAdmin):
    list_display = ["template", "number", "applies_from", "status", "published_at"]
    list_filter = ["status", "template"]
    readonly_fields = ["status", "published_at"]
    inlines = [AppendixInline, RuleInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["position", "level", "stt", "label", "unit", "code", "value_type", "required"]
    extra = 0


class ColumnInline(admin.TabularInline):
    model = Column
    fields = ["position", "code", "header", "group", "number", "value_type", "required"]
    extra = 0


@admin.register(Appendix)
class AppendixAdmin(admin.ModelAdmin):
    list_display = ["__str__", "version", "kind"]
    list_filter = ["kind"]
    inlines = [IndicatorInline, ColumnInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (
            obj and not obj.version.is_draft
        )


admin.site.register(OutlineSection)


@admin.register(ReportKind)
class ReportKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "title", "position"]
