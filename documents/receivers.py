from django.dispatch import receiver

from reports.signals import report_transitioned

from .services import freeze_documents

# What a reviewer or the Ministry receives is kept exactly as it was sent or approved.
FROZEN_AT = {"submit", "resubmit", "approve"}


@receiver(report_transitioned, dispatch_uid="documents.freeze")
def freeze_on_transition(sender, *, report, transition, **kwargs):
    if transition in FROZEN_AT:
        freeze_documents(report)
