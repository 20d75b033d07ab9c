"""The signatures' parts on the core's report pages (lib/slots.py)."""

from reports.slots import report_actions, report_history, report_tabs

from .selectors import signature_events, signing_status


def _shown(report) -> bool:
    """Signatures show once a report left the editor or was ever signed; asked once a page
    (the tab and the panel both ask)."""
    if not report.is_editable:
        return True
    if "_signed_any" not in report.__dict__:
        report._signed_any = report.signed_documents.exists()
    return report._signed_any


@report_tabs.register
def signing_tab(*, report, active):
    if not _shown(report):
        return None
    return "signatures/includes/tab.html", {"active": active}


@report_actions.register
def signing_panel(*, report):
    if not _shown(report):
        return None
    return "signatures/includes/overview.html", {"status": signing_status(report)}


@report_history.register
def signing_history(*, report):
    events = signature_events(report)
    return ("signatures/includes/history.html", {"events": events}) if events else None
