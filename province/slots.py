"""The province report's parts on the pages of `reports` and `review` (lib/slots.py)."""

from reports.access import is_province_report
from reports.slots import report_actions, report_tabs, section_extras
from review.slots import dashboard_panels

from .compilation import section_sources


@report_tabs.register
def compilation_tab(*, report, active):
    if is_province_report(report):
        return "province/includes/tab.html", {"active": active}
    return None


@report_actions.register
def compilation_button(*, report):
    if is_province_report(report):
        return "province/includes/overview_button.html", {}
    return None


@section_extras.register
def department_passages(*, report, code, editable):
    """The departments' texts for this section, to copy from into the province's text."""
    if is_province_report(report):
        passages = section_sources(report).get(code, [])
        return "province/section_sources.html", {"passages": passages, "editable": editable}
    return None


@dashboard_panels.register
def compile_button(*, scope):
    if scope.period:
        return "province/dashboard_compile.html", {}
    return None
