"""What the core tells the apps above it. They connect in their AppConfig.ready; the core never
imports them (docs/decisions/0009)."""

from django.dispatch import Signal

# A report moved through the workflow. Sent inside the transition's transaction, after the
# state is saved, with `report` (the locked report; for "reopen", the new draft revision) and
# `transition` ("submit", "resubmit", "send_back", "approve", "reopen"). Receivers defer what
# must not run for a rolled-back transition with transaction.on_commit.
report_transitioned = Signal()
