from django.contrib import admin

from .models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Which task workers are alive: written by the workers themselves, read-only here."""

    list_display = ("worker_id", "host", "pid", "started_at", "beat_at")
    ordering = ("-beat_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
