"""Running the task queue inside a test, the way `manage.py db_worker` runs it."""

from django.test import TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks() -> int:
    """Claims and runs every ready task with the worker's own code; returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().get_locked()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def commit_and_run(function, *args, **kwargs):
    """Calls function, runs its on-commit callbacks (the test never commits), then the queue."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        value = function(*args, **kwargs)
    run_queued_tasks()
    return value
