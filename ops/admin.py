"""django-axes' login records and django-tasks' background tasks in the admin, in Vietnamese:
the libraries' admin classes with Vietnamese headings, columns and actions, on proxies that
name each record in Vietnamese (ops/models.py). Administrators unlock a locked-out user by
deleting the "lượt đăng nhập sai đang tính" (docs/deploy.md)."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .models import BackgroundTask, FailedLogin, FailedLoginCount, Login, WorkerHeartbeat

for model in (AccessAttempt, AccessFailureLog, AccessLog, DBTaskResult):
    admin.site.unregister(model)

REQUEST = (_("Yêu cầu"), {"fields": ("user_agent", "ip_address", "http_accept")})


@admin.register(FailedLoginCount)
class FailedLoginCountAdmin(AccessAttemptAdmin):
    actions = ["delete_selected"]
    fieldsets = (
        (None, {"fields": ("username", "path_info", "failures_since_start")}),
        (_("Dữ liệu gửi lên"), {"fields": ("get_data", "post_data")}),
        REQUEST,
    )

    @admin.display(description=_("Trạng thái"))
    def status(self, obj):
        left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return _("còn %(n)s lần thử") % {"n": left} if left > 0 else _("Đang bị khóa")


@admin.register(FailedLogin)
class FailedLoginAdmin(AccessFailureLogAdmin):
    fieldsets = ((None, {"fields": ("username", "path_info", "locked_out")}), REQUEST)


@admin.register(Login)
class LoginAdmin(AccessLogAdmin):
    fieldsets = ((None, {"fields": ("username", "path_info", "logout_time")}), REQUEST)


@admin.register(BackgroundTask)
class BackgroundTaskAdmin(DBTaskResultAdmin):
    list_display = ("id", "name", "status", "enqueued_at", "finished_at", "queue_name")

    @admin.display(description=_("tác vụ"))
    def name(self, obj):
        return obj.task_name

    @admin.display(description=_("lỗi"))
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description=_("chạy sau"))
    def display_run_after(self, obj):
        return super().display_run_after(obj)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Which task workers are alive: written by the workers themselves, read-only here."""

    list_display = ("worker_id", "host", "pid", "started_at", "beat_at")
    ordering = ("-beat_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
