"""Whether the task queue takes work and gets it done (for /healthz)."""

import logging

from django_tasks import task_backends

logger = logging.getLogger("cchc.tasks")


def queue_health() -> tuple[str, dict]:
    """("ok", details) when the task backend can take work and, for the database backend, a
    worker is alive and keeps up (ops.workers.queue_state); else the failing part."""
    backend = task_backends["default"]
    if backend.__class__.__name__ != "DatabaseBackend":
        return "ok", {}
    from .workers import queue_state

    try:
        return queue_state()
    except Exception:
        logger.exception("healthz: task queue unreachable")
        return "error", {}
