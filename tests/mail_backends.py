"""E-mail backends for tests: one that fails like an unreachable SMTP server."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingBackend(BaseEmailBackend):
    """Refuses every message the way smtplib does when the server is down."""

    def send_messages(self, email_messages):
        for message in email_messages:
            message.message()  # validates headers like the SMTP backend
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


# locmem builds each message (message.message()), which raises BadHeaderError on a line break
# in a header, exactly as the SMTP backend does.
HeaderCheckingBackend = LocmemBackend
