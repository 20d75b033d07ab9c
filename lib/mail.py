"""An e-mail backend for the demo and development: each message in full to a file, one line per
message on the console, so a terminal shows who was told what without pages of MIME."""

import sys

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend


class SummaryEmailBackend(ConsoleBackend):
    """Appends every message to settings.MAIL_LOG_FILE and prints "✉ recipient — subject"."""

    def send_messages(self, email_messages):
        with open(settings.MAIL_LOG_FILE, "a", encoding="utf-8") as self.stream:
            sent = super().send_messages(email_messages)
        for message in email_messages:
            print(f"✉ {', '.join(message.recipients())} — {message.subject}", file=sys.stderr)
        return sent
