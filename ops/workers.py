"""Task workers that survive a database restart and say they are alive.

`manage.py db_worker` (ops' command, in place of django-tasks-db's) runs django-tasks-db's
worker with two additions: a thread that records a heartbeat every WORKER_HEARTBEAT_SECONDS,
and a retry with back-off when the database goes away, instead of exiting.
"""

import contextlib
import datetime
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import Case, F, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import WorkerHeartbeat

logger = logging.getLogger("cchc.tasks")
RETRY_MAX_SECONDS = 5


class Heartbeat(threading.Thread):
    """Writes the worker's row every `interval` seconds, on its own database connection; a
    failed write (database down) is logged and tried again at the next beat."""

    def __init__(self, worker_id: str, interval: float):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.interval = worker_id, interval
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "beat_at": now,
            },
        )
        # Rows of workers gone for a day (other ids, other machines) are of no use.
        WorkerHeartbeat.objects.filter(beat_at__lt=now - datetime.timedelta(days=1)).delete()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.beat()
            except DatabaseError:
                logger.warning("worker %s: heartbeat not recorded (database)", self.worker_id)
                connection.close()
            self.stopped.wait(self.interval)
        connection.close()

    def stop(self) -> None:
        """The worker leaves: its row goes, so /healthz need not wait for it to age."""
        self.stopped.set()
        with contextlib.suppress(DatabaseError):
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


class ResilientWorker(Worker):
    """django-tasks-db's worker, started again with back-off when the database fails (its loop
    raises on a lost connection) rather than leaving the process."""

    def run(self) -> None:
        delay = 0.5
        while self.running:
            try:
                super().run()
                return
            except DatabaseError as exc:
                logger.warning(
                    "worker %s: database unavailable (%s); retrying in %.1f s",
                    self.worker_id,
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                    delay,
                )
                close_old_connections()
                connection.close()
                time.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_SECONDS)


def queue_state(now=None) -> tuple[str, dict]:
    """("ok" | "no worker" | "backlog", details) for /healthz: a worker beat within
    WORKER_STALE_SECONDS, and no ready task waiting longer than TASK_QUEUE_MAX_AGE_SECONDS."""
    now = now or timezone.now()
    newest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    # A task waits from when it may run: enqueued, or later when deferred (run_after).
    since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    oldest = (
        DBTaskResult.objects.ready()
        .annotate(since=since)
        .order_by("since")
        .values_list("since", flat=True)
        .first()
    )
    waited = max(0.0, (now - oldest).total_seconds()) if oldest else 0
    details = {
        "last_beat_seconds": round((now - newest).total_seconds()) if newest else None,
        "oldest_task_seconds": round(waited),
    }
    if newest is None or (now - newest).total_seconds() > settings.WORKER_STALE_SECONDS:
        return "no worker", details
    if waited > settings.TASK_QUEUE_MAX_AGE_SECONDS:
        return "backlog", details
    return "ok", details
