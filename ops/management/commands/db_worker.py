"""django-tasks-db's `db_worker` with a heartbeat and a worker that outlives a database restart
(ops.workers). ops comes before django_tasks_db in INSTALLED_APPS, so this command is the one
manage.py runs; its options are django-tasks-db's."""

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import run_with_reloader
from django_tasks_db.management.commands import db_worker

from ops.workers import Heartbeat, ResilientWorker


class Command(db_worker.Command):
    help = "Run a database background worker that records a heartbeat (ops.workers)"

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, worker_id, **options):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            worker_id=worker_id,
            **{k: options[k] for k in ("interval", "batch", "backend_name", "startup_delay")},
            max_tasks=options["max_tasks"],
        )
        heartbeat = Heartbeat(worker_id, settings.WORKER_HEARTBEAT_SECONDS)
        heartbeat.start()
        try:
            if reload and not options["batch"]:
                run_with_reloader(worker.run)
            else:
                worker.configure_signals()
                worker.run()
        finally:
            heartbeat.stop()
