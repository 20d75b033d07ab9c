from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from indicators.models import ReportKind
from lib.periods import default_deadline, default_window
from org.models import UnitKind

from .models import Period, Report


def wrongly_filed_province_report(report: Report) -> bool:
    return report.kind.code == ReportKind.PROVINCE_CODE and report.unit.kind != UnitKind.PROVINCE


@admin.display(description=_("đơn vị"), ordering="unit__name")
def unit_display_name(obj):
    return obj.unit.display_name if obj.unit else "—"


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
        """Only a report of the province's own kind filed under a department (possible before
        creation_refusal kept that kind to the province's reviewers): it is no report anyone
        should file, and deleting it frees nothing anyone relies on."""
        return obj is not None and wrongly_filed_province_report(obj)
