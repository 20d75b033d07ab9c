"""The portal's background tasks (run by `manage.py db_worker`)."""

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_tasks import task

logger = logging.getLogger("cchc.tasks")


@task()
def send_deadline_reminders_task(days: int = 3) -> None:
    """The daily reminders, for schedulers that enqueue tasks instead of running commands."""
    call_command("send_deadline_reminders", days=days)


@task()
def render_report_file(report_id: int, file_format: str) -> str:
    """Renders a report's PDF or Word file into storage; returns the stored name.

    The example of rendering off the request path; pages that offer the file when ready build on it.
    """
    from .exports.document import export_filename
    from .exports.docx import report_docx
    from .exports.pdf import report_pdf
    from .models import Report

    report = Report.objects.select_related("unit", "period").get(pk=report_id)
    render = {"pdf": report_pdf, "docx": report_docx}[file_format]
    name = f"exports/{report.pk}/{export_filename(report, file_format)}"
    return default_storage.save(name, ContentFile(render(report)))
