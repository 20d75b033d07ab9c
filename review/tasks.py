from django.core.management import call_command
from django_tasks import task

from org.models import Unit
from reports.models import Period

from .aggregates import fresh_aggregates


@task()
def send_deadline_reminders_task(days: int = 3) -> None:
    """The daily reminders, for schedulers that enqueue tasks instead of running commands."""
    call_command("send_deadline_reminders", days=days)


@task()
def refresh_aggregates_task(province_id: int, period_id: int) -> None:
    """Recompute a province's stored indicator aggregates after a report moved, unless a
    dashboard view already did (review.aggregates)."""
    fresh_aggregates(
        province=Unit.objects.get(pk=province_id), period=Period.objects.get(pk=period_id)
    )
