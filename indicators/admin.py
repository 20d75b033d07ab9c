"""The Django admin of templates. Published versions are frozen here as everywhere: their
outline, appendices, rows, columns and rules show read-only, every change or deletion is
refused, and nothing can be added to them (approved reports print from them)."""

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


def _version_of(obj) -> TemplateVersion | None:
    if isinstance(obj, TemplateVersion):
        return obj
    if isinstance(obj, Indicator | Column):
        return obj.appendix.version
    return getattr(obj, "version", None)


def is_frozen(obj) -> bool:
    """Whether `obj` belongs to a published version (or is a template that has one)."""
    if isinstance(obj, IndicatorTemplate):
        return obj.versions.exclude(status="draft").exists()
    version = _version_of(obj)
    return version is not None and not version.is_draft


class ReadOnlyWhenPublished:
    """For a model admin `obj` is the object shown; for an inline, its parent. Either way, a
    published version's parts are read-only, and only drafts can be picked to add to."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and is_frozen(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and is_frozen(obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = TemplateVersion.objects.filter(status="draft")
        elif db_field.name == "appendix":
            kwargs["queryset"] = Appendix.objects.filter(version__status="draft")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyInlineWhenPublished(ReadOnlyWhenPublished):
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and is_frozen(obj))


class VersionInline(admin.TabularInline):
    """Versions are listed here and edited on their own page, where drafts stay editable."""

    model = TemplateVersion
    fields = ["number", "applies_from", "status", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IndicatorTemplate)
class IndicatorTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "province"]
    search_fields = ["code", "title"]
    inlines = [VersionInline]

    def has_delete_permission(self, request, obj=None):
        # Deleting the template would delete its published versions with it.
        return super().has_delete_permission(request, obj) and not (obj and is_frozen(obj))


class AppendixInline(ReadOnlyInlineWhenPublished, admin.TabularInline):
    model = Appendix
    fields = ["position", "code", "name", "title", "kind", "landscape", "has_total_row"]
    extra = 0
    show_change_link = True


class RuleInline(ReadOnlyInlineWhenPublished, admin.TabularInline):
    model = Rule
    fields = ["position", "code", "severity", "expression", "message", "missing"]
    extra = 0


class OutlineInline(ReadOnlyInlineWhenPublished, admin.TabularInline):
    model = OutlineSection
    fields = ["position", "code", "stt", "title", "level", "help_text"]
    extra = 0


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyWhenPublished, admin.ModelAdmin):
    list_display = ["template", "number", "applies_from", "status", "published_at"]
    list_filter = ["status", "template"]
    readonly_fields = ["status", "published_at"]
    inlines = [OutlineInline, AppendixInline, RuleInline]


class IndicatorInline(ReadOnlyInlineWhenPublished, admin.TabularInline):
    model = Indicator
    fields = ["position", "level", "stt", "label", "unit", "code", "value_type", "required"]
    extra = 0


class ColumnInline(ReadOnlyInlineWhenPublished, admin.TabularInline):
    model = Column
    fields = ["position", "code", "header", "group", "number", "value_type", "required"]
    extra = 0


@admin.register(Appendix)
class AppendixAdmin(ReadOnlyWhenPublished, admin.ModelAdmin):
    list_display = ["__str__", "version", "kind"]
    list_filter = ["kind"]
    inlines = [IndicatorInline, ColumnInline]


@admin.register(OutlineSection)
class OutlineSectionAdmin(ReadOnlyWhenPublished, admin.ModelAdmin):
    list_display = ["__str__", "version", "code"]
    list_filter = ["version"]


@admin.register(Rule)
class RuleAdmin(ReadOnlyWhenPublished, admin.ModelAdmin):
    list_display = ["code", "version", "severity", "expression"]
    list_filter = ["version", "severity"]


@admin.register(ReportKind)
class ReportKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "title", "position"]
