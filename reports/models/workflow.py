from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .reports import Report, ReportState


class StateChange(models.Model):
    """One workflow transition: who moved the report, when, from which state to which."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="state_changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=20, choices=ReportState.choices)
    target = models.CharField(max_length=20, choices=ReportState.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.get_source_display()} → {self.get_target_display()}"


class Submission(models.Model):
    """The content as it was when submitted: what the reviewer reads and what later
    resubmissions are compared with."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField()
    days_late = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="submission_unique_number")
        ]

    def __str__(self):
        return f"Lần gửi {self.number}"


class Explanation(models.Model):
    """The department's explanation of a warning, required before submission."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="explanations")
    key = models.CharField(max_length=200, help_text="rule code, and row when row-wise")
    text = models.TextField(_("giải trình"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="explanation_unique_key")
        ]

    def __str__(self):
        return self.key


class CommentTarget(models.TextChoices):
    REPORT = "report", _("Cả báo cáo")
    SECTION = "section", _("Mục")
    INDICATOR = "indicator", _("Chỉ tiêu")
    ROW = "row", _("Dòng bảng")


class ReviewComment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    target = models.CharField(max_length=10, choices=CommentTarget.choices)
    # section code, indicator code or "<table>:<row>"; blank for the whole report
    target_code = models.CharField(max_length=120, blank=True)
    text = models.TextField(_("nhận xét"))
    addressed_at = models.DateTimeField(null=True, blank=True)
    addressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["report", "created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    report = models.ForeignKey(Report, on_delete=models.CASCADE, null=True, related_name="+")
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.message
