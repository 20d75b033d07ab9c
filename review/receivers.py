from django.dispatch import receiver

from lib.derived import changed
from reports.signals import report_transitioned

from .aggregates import AGGREGATES

# The transitions that change which reports the dashboard counts.
COUNTED_SET_CHANGES = {"submit", "resubmit", "send_back", "approve"}


@receiver(report_transitioned, dispatch_uid="review.aggregates")
def renew_on_transition(sender, *, report, transition, **kwargs):
    """Renew the aggregates of every province whose dashboard counts the report (its unit's
    province and their successors) once the transition commits, so the next dashboard view
    finds them computed."""
    if transition not in COUNTED_SET_CHANGES or report.unit.province_id is None:
        return
    for province_id in report.unit.province.lineage(forward=True).values_list("pk", flat=True):
        changed(AGGREGATES, (province_id, report.period_id))
