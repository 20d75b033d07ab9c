from django.dispatch import receiver

from lib.tasks import enqueue_on_commit
from reports.signals import report_transitioned

from .tasks import refresh_aggregates_task

# The transitions that change which reports the dashboard counts.
COUNTED_SET_CHANGES = {"submit", "resubmit", "send_back", "approve"}


@receiver(report_transitioned, dispatch_uid="review.aggregates")
def refresh_on_transition(sender, *, report, transition, **kwargs):
    """Queue a refresh of the aggregates of every province whose dashboard counts the report
    (its unit's province and their successors), so the next dashboard view finds them fresh."""
    if transition not in COUNTED_SET_CHANGES or report.unit.province_id is None:
        return
    for province_id in report.unit.province.lineage(forward=True).values_list("pk", flat=True):
        enqueue_on_commit(refresh_aggregates_task, province_id, report.period_id)
