from django.core.management import call_command
from django_tasks import task


@task()
def send_deadline_reminders_task(days: int = 3) -> None:
    """The daily reminders, for schedulers that enqueue tasks instead of running commands."""
    call_command("send_deadline_reminders", days=days)
