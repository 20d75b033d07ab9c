"""Whether the task queue can take work (for /healthz); the helpers are in lib.tasks."""

import logging

from django_tasks import task_backends

logger = logging.getLogger("cchc.tasks")


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
