"""Background tasks: Django's Tasks API (django-tasks backport) on the database backend.

Tasks are stored in the database and run by `manage.py db_worker` processes, as many as wanted, on
any machine that reaches the database (docs/decisions/0006-background-tasks.md).
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends

logger = logging.getLogger("cchc.tasks")


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue once the surrounding transaction commits (at once outside one), so a worker never
    sees a task for data that was rolled back, and a failure to enqueue never undoes the work."""

    def enqueue():
        try:
            task.enqueue(*args, **kwargs)
        except Exception:
            logger.exception("could not enqueue %s", task.name)

    transaction.on_commit(enqueue)


def retry_later(task, attempt: int, max_attempts: int, delay_seconds: int, *args, **kwargs) -> bool:
    """Enqueue the next attempt with an exponential back-off; False when attempts are used up."""
    if attempt >= max_attempts:
        return False
    if task.get_backend().supports_defer:
        delay = datetime.timedelta(seconds=delay_seconds * 2 ** (attempt - 1))
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(*args, attempt=attempt + 1, **kwargs)
    return True


def queue_health() -> str:
    """'ok' when the task backend can take work (for the database backend: its table answers)."""
    backend = task_backends["default"]
    try:
        if backend.__class__.__name__ == "DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.exists()
        return "ok"
    except Exception:
        logger.exception("healthz: task queue unreachable")
        return "error"
