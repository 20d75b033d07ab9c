from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from lib.tasks import enqueue_on_commit, send_mail_task


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, its e-mail sent by a worker (retried if the mail server is down)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = " ".join(loader.render_to_string(subject_template_name, context).split())
        # The link starts with the portal's configured address, never the request's Host header.
        body = loader.render_to_string(
            email_template_name, {**context, "site_url": settings.SITE_URL}
        )
        enqueue_on_commit(send_mail_task, to_email, subject, body)
