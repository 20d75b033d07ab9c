"""The portal's background tasks (run by `manage.py db_worker`)."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.core.management import call_command
from django_tasks import task

from ops.tasks import retry_later

logger = logging.getLogger("cchc.tasks")


@task()
def send_mail_task(recipient: str, subject: str, body: str, attempt: int = 1) -> bool:
    """One e-mail; a failure is logged and retried later (bounded), never raised to the caller."""
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient]).send()
    except Exception:
        again = retry_later(
            send_mail_task,
            attempt,
            settings.MAIL_MAX_ATTEMPTS,
            settings.MAIL_RETRY_SECONDS,
            recipient,
            subject,
            body,
        )
        logger.exception(
            "e-mail to %s failed (attempt %s of %s)%s",
            recipient,
            attempt,
            settings.MAIL_MAX_ATTEMPTS,
            "; will retry" if again else "; giving up",
        )
        return False
    return True


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
