"""Reads of templates and versions, shared by pages, commands and exports."""

from django.db.models import Count, Prefetch

from .models import IndicatorTemplate, TemplateVersion, VersionStatus


def templates_with_versions():
    versions = TemplateVersion.objects.annotate(
        indicator_count=Count("appendices__indicators", distinct=True),
        column_count=Count("appendices__columns", distinct=True),
        rule_count=Count("rules", distinct=True),
    ).order_by("-number")
    return IndicatorTemplate.objects.select_related("province").prefetch_related(
        Prefetch("versions", queryset=versions)
    )


def draft_versions():
    """Template versions not yet published, oldest first: what waits for an administrator."""
    return (
        TemplateVersion.objects.filter(status=VersionStatus.DRAFT)
        .select_related("template")
        .order_by("created_at", "pk")
    )
