"""The portal's background tasks (run by `manage.py db_worker`)."""

import logging

from django.core.management import call_command
from django_tasks import task

logger = logging.getLogger("cchc.tasks")


@task()
def send_deadline_reminders_task(days: int = 3) -> None:
    """The daily reminders, for schedulers that enqueue tasks instead of running commands."""
    call_command("send_deadline_reminders", days=days)


@task()
def render_report_file(report_id: int, file_format: str) -> str:
    """Renders a report's PDF or Word file into storage as a StoredDocument (with its SHA-256),
    unless one of the same content is stored already; returns the stored file's name."""
    from .models import Report
    from .services.documents import store_document

    report = Report.objects.select_related(
        "unit__province", "period", "kind", "template_version__template"
    ).get(pk=report_id)
    return store_document(report, file_format).file.name


@task()
def refresh_aggregates_task(province_id: int, period_id: int) -> None:
    """Recompute a province's stored indicator aggregates after a report moved, unless a
    dashboard view already did (reports.aggregates)."""
    from org.models import Unit

    from .aggregates import fresh_aggregates
    from .models import Period

    fresh_aggregates(
        province=Unit.objects.get(pk=province_id), period=Period.objects.get(pk=period_id)
    )
