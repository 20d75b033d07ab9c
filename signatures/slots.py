"""The signatures' parts on the core's report pages (lib/slots.py)."""

from reports.slots import report_actions, report_history, report_tabs

from .selectors import signature_events, signing_status


@report_tabs.register
def signing_tab(*, report, active):
    if report.is_editable and not report.signed_documents.exists():
        return None
    return "signatures/includes/tab.html", {"active": active}


@report_actions.register
def signing_panel(*, report):
    if report.is_editable and not report.signed_documents.exists():
        return None
    return "signatures/includes/overview.html", {"status": signing_status(report)}


@report_history.register
def signing_history(*, report):
    events = signature_events(report)
    return ("signatures/includes/history.html", {"events": events}) if events else None
