"""Submission and review: submit with explanations, comment, return, approve, reopen, and the
history of a report and of one value."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.access import page_view

from ..access import ADMIN, EDIT, READ, REVIEW, SUBMIT, can_submit_report, report_for, report_view
from ..forms import CommentForm, DecisionForm
from ..models import Notification, ReviewComment
from ..reading import approval_concerns, comment_places, report_comments
from ..selectors import (
    earlier_revision,
    report_appendices,
    report_changes,
    report_completeness,
    system_writes,
    value_history,
)
from ..services import ReportError
from ..services.notifications import notifications_mark_read
from ..services.workflow import (
    SubmissionRefused,
    comment_add,
    comment_mark_addressed,
    explanations_save,
    missing_explanations,
    report_approve,
    report_reopen,
    report_return,
    report_submit,
)
from ..validation import ERROR, WARNING, explanation_key, validate_report, violation_links
from .compose import detail_context


@report_view(EDIT)
def report_submit_page(request, report):
    if "submit" in request.POST:
        report_for(request, report.pk, SUBMIT)  # staff of a unit where the leader signs: 403
    violations = validate_report(report)
    warnings = [v for v in violations if v.severity == WARNING]
    explained = dict(report.explanations.values_list("key", "text"))
    if request.method == "POST":
        typed = {
            explanation_key(v): request.POST.get(f"explain-{explanation_key(v)}", "")
            for v in warnings
        }
        try:
            explanations_save(report=report, by=request.user, explanations=typed)
        except ReportError as exc:
            # Nothing saved; what was typed stays in the boxes with the reason above them.
            messages.error(request, _("Chưa lưu giải trình: %(why)s") % {"why": exc})
            explained.update(typed)
            return render(
                request,
                "reports/report_submit.html",
                _submit_context(request, report, violations, explained),
                status=400,
            )
        if "submit" in request.POST:
            try:
                report_submit(
                    report=report, by=request.user, blanks_seen="blanks_seen" in request.POST
                )
            except SubmissionRefused as exc:
                messages.error(request, str(exc))
            except ReportError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Đã gửi báo cáo tới Sở Nội vụ."))
                return redirect("reports:report_detail", pk=report.pk)
        else:
            messages.success(request, _("Đã lưu giải trình."))
        explained = dict(report.explanations.values_list("key", "text"))
    return render(
        request,
        "reports/report_submit.html",
        _submit_context(request, report, violations, explained),
    )


def _submit_context(request, report, violations, explained) -> dict:
    warnings = [v for v in violations if v.severity == WARNING]
    others = [v for v in violations if v.severity != WARNING]
    return {
        "report": report,
        "completeness": report_completeness(report),
        "violations": others,
        # Each missing item with a link to its field or section.
        "items": violation_links(report, report_appendices(report), others),
        "errors": sum(v.severity == ERROR for v in violations),
        "warnings": [
            (v, explanation_key(v), explained.get(explanation_key(v), "")) for v in warnings
        ],
        "unexplained": missing_explanations(report, violations),
        "can_submit": can_submit_report(request.user, report),
        "blanks_seen": "blanks_seen" in request.POST,
    }


@require_POST
@report_view(REVIEW)
def report_comment(request, report):
    """A comment from the button beside an item; back to that item afterwards."""
    places = comment_places(report)
    form = CommentForm(request.POST, places=places)
    if not form.is_valid():
        errors = " ".join(m for msgs in form.errors.values() for m in msgs)
        messages.error(request, _("Chưa thêm được nhận xét: %(errors)s") % {"errors": errors})
        return redirect("reports:report_detail", pk=report.pk)
    data = form.cleaned_data
    try:
        comment_add(report=report, by=request.user, **data)
    except ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã thêm nhận xét."))
    return redirect(places[(data["target"], data["target_code"])][1])


@require_POST
@report_view(REVIEW)
def report_decide(request, report):
    violations = validate_report(report)
    concerns = approval_concerns(report, comments=report_comments(report), violations=violations)
    form = DecisionForm(request.POST, concerns=concerns)
    if not form.is_valid():
        # Shown again with what was typed, and the box to tick when approving needs a look.
        context = detail_context(request, report, decision_form=form)
        return render(request, "reports/report_detail.html", context, status=400)
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    try:
        if decision == "approve":
            report_approve(report=report, by=request.user, comment=comment)
            messages.success(request, _("Đã duyệt báo cáo."))
        else:
            report_return(report=report, by=request.user, reason=comment)
            messages.success(request, _("Đã trả lại báo cáo cho đơn vị."))
    except ReportError as exc:
        messages.error(request, str(exc))
    return redirect("reports:report_detail", pk=report.pk)


@require_POST
@report_view(EDIT)
def comment_addressed(request, report, comment_pk):
    comment = get_object_or_404(ReviewComment, pk=comment_pk, report=report)
    try:
        comment_mark_addressed(comment=comment, by=request.user)
    except ReportError as exc:
        messages.error(request, str(exc))
    return redirect("reports:report_detail", pk=report.pk)


@require_POST
@report_view(ADMIN)
def report_reopen_view(request, report):
    try:
        copy = report_reopen(report=report, by=request.user, reason=request.POST.get("reason", ""))
    except ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:report_detail", pk=report.pk)
    messages.success(request, _("Đã mở lại báo cáo thành lần lập %(n)s.") % {"n": copy.revision})
    return redirect("reports:report_detail", pk=copy.pk)


@report_view(READ)
def report_history(request, report):
    return render(
        request,
        "reports/report_history.html",
        {
            "report": report,
            "state_changes": report.state_changes.select_related("by"),
            "submissions": report.submissions.select_related("by"),
            "changes": report_changes(report),
            "reopened_from": None if report.submissions.exists() else earlier_revision(report),
            "system_writes": system_writes(report),
        },
    )


@report_view(READ)
def report_value_history(request, report, code):
    records = value_history(report, code)
    if records is None:
        raise Http404
    indicator, entries = records
    return render(
        request,
        "reports/value_history.html",
        {"report": report, "indicator": indicator, "entries": entries},
    )


@page_view(None)
def notifications(request):
    items = Notification.objects.filter(user=request.user).select_related("report")[:100]
    if request.method == "POST":
        notifications_mark_read(by=request.user)
        return redirect("reports:notifications")
    return render(request, "reports/notifications.html", {"items": items})
