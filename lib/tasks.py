"""Background-task helpers on Django's Tasks API (django-tasks backport, database backend).

Tasks are stored in the database and run by `manage.py db_worker` processes, as many as wanted, on
any machine that reaches the database (docs/decisions/0008-background-tasks.md).
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

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


@task(queue_name="mail")
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
