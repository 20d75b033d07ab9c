"""Pages where department staff compose a report: overview, header, sections, appendices."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.forms import (
    IndicatorValuesForm,
    PreviousColumn,
    StoredEntry,
    indicator_field_names,
    table_formset,
)
from indicators.models import OutlineSection, ReportKind
from lib.access import CREATE, object_view
from lib.periods import previous_period_label

from ..access import (
    EDIT,
    READ,
    can_edit_report,
    can_reopen_report,
    can_review_report,
    edit_refusal,
    report_view,
    unit_for_user,
)
from ..forms import DecisionForm, HeaderForm, SectionForm
from ..models import Period, Report
from ..reading import (
    approval_concerns,
    indicator_read_rows,
    report_comments,
    report_top,
    table_read,
)
from ..selectors import (
    appendix_differences,
    column_sums,
    previous_report,
    report_appendices,
    report_progress,
    report_revisions,
    report_status,
    stored_values,
    system_write_summary,
    system_writes,
    table_rows,
    upgrade_notes,
)
from ..services import (
    EditConflict,
    ReportError,
    part_version,
    report_create,
    report_save_header,
    report_save_section,
    report_save_table,
    report_save_values,
)
from ..services.carry_over import carry_over_parts, report_carry_over
from ..validation import cached_violations, quiet_blanks, report_explanations, violation_links


def _wants_json(request) -> bool:
    return request.headers.get("X-Autosave") == "1"


@object_view(unit_for_user, CREATE, key="code", methods=("POST",))
def report_new(request, unit, period_pk, kind):
    period = get_object_or_404(Period, pk=period_pk)
    kind = get_object_or_404(ReportKind, code=kind)
    try:
        report = report_create(unit=unit, period=period, kind=kind, by=request.user)
    except ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:unit_detail", code=unit.code)
    messages.success(request, _("Đã lập báo cáo %(period)s.") % {"period": period.label})
    return redirect("reports:report_detail", pk=report.pk)


@report_view(READ)
def report_detail(request, report):
    return render(request, "reports/report_detail.html", detail_context(request, report))


def detail_context(request, report, *, decision_form=None) -> dict:
    """The overview page; `decision_form` is a refused decision shown again (to confirm)."""
    can_review = can_review_report(request.user, report)
    violations = cached_violations(report)
    comments = report_comments(report)
    explanations, other_explanations = report_explanations(report, violations)
    if can_review and decision_form is None:
        concerns = approval_concerns(report, comments=comments, violations=violations)
        decision_form = DecisionForm(concerns=concerns)
    return {
        "report": report,
        "progress": report_progress(report),
        "violations": quiet_blanks(report, violations)[0],
        "status": report_status(report),
        "comments": comments,
        "top": report_top(report, comments=comments),
        "explanations": explanations,
        "other_explanations": other_explanations,
        "revisions": report_revisions(report, request.user),
        "upgrades": upgrade_notes(report),
        "system_writes": system_write_summary(system_writes(report)),
        "can_edit": can_edit_report(request.user, report),
        "previous": previous_report(report, approved=False),  # to copy from
        "can_review": can_review,
        "can_reopen": can_reopen_report(request.user, report),
        "decision_form": decision_form,
    }


def reading_context(request, report, appendices=None) -> dict:
    """What every part page shows besides its content: the report's top, the comments with
    their items named, and whether the reader may comment."""
    comments = report_comments(report, appendices)
    editable = can_edit_report(request.user, report)
    return {
        "top": report_top(report, comments=comments, with_changes=not editable),
        "all_comments": comments,
        "can_comment": can_review_report(request.user, report),
        "editable": editable,
    }


@report_view(READ, post=EDIT)
def report_header(request, report):
    form = HeaderForm(request.POST or None, instance=report)
    expected = part_version(report, "header")
    if request.method == "POST" and form.is_valid():
        try:
            report_save_header(
                report=report,
                by=request.user,
                data=form.cleaned_data,
                expected=_expected(request),
            )
        except EditConflict as exc:
            # The form wrote the typed values onto `report`; show the stored copy beside them.
            stored = Report.objects.get(pk=report.pk)
            return _conflict(
                request, report, "reports/report_header.html", form, str(exc), stored=stored
            )
        except ReportError as exc:
            return _refused(request, report, exc)
        return _saved(request, report, "header", "reports:report_header")
    return _render_part(
        request,
        report,
        "reports/report_header.html",
        form,
        expected,
        **reading_context(request, report),
    )


@report_view(READ, post=EDIT)
def report_section(request, report, code):
    outline = get_object_or_404(OutlineSection, version=report.template_version, code=code)
    section = report.sections.filter(outline=outline).first()
    form = SectionForm(
        request.POST or None, initial={"content": section.content if section else ""}
    )
    part = f"section:{code}"
    expected = part_version(report, part)
    if request.method == "POST" and form.is_valid():
        try:
            report_save_section(
                report=report,
                by=request.user,
                outline=outline,
                html=form.cleaned_data["content"],
                expected=_expected(request),
            )
        except EditConflict as exc:
            current = report.sections.get(outline=outline).content
            return _conflict(
                request,
                report,
                "reports/report_section.html",
                form,
                str(exc),
                outline=outline,
                current=current,
            )
        except ReportError as exc:
            return _refused(request, report, exc)
        return _saved(request, report, part, "reports:report_section", code=code)
    reading = reading_context(request, report)
    comments = [
        c for c in reading["all_comments"] if (c.target, c.target_code) == ("section", code)
    ]
    return _render_part(
        request,
        report,
        "reports/report_section.html",
        form,
        expected,
        outline=outline,
        comments=comments,
        **reading,
    )


def _appendix_forms(report, appendix, data=None, previous=None):
    """The entry form of one appendix; `previous` (PreviousColumn) adds the previous period's
    column."""
    if appendix.is_table:
        stored = table_rows(report, [appendix])[appendix.code]
        initial = [cells for _row_id, cells in stored["rows"]]
        return table_formset(appendix, list(appendix.columns.all()), data=data, rows=initial)
    rows, values = list(appendix.indicators.all()), stored_values(report)["indicators"]
    if data is None:  # the page as it loads: stored values into the cached skeleton, no fields
        return StoredEntry(appendix, rows, values=values, previous=previous)
    return IndicatorValuesForm(
        data,
        appendix=appendix,
        rows=rows,
        initial_values=values,
        previous=previous,
        prefix=appendix.code,
    )


def _previous_column(report, appendix, previous) -> PreviousColumn | None:
    """The previous report's values beside an indicator appendix's inputs, named as prev()
    reads them ("kỳ trước", "cùng kỳ năm trước")."""
    if previous is None or appendix.is_table:
        return None
    return PreviousColumn(
        appendix.indicators.all(),
        stored_values(previous)["indicators"],
        label=previous_period_label(report.period.kind),
        factor=report.template_version.outlier_factor,
    )


def _appendix_checks(report, appendices, appendix, previous, *, share=True):
    """(the checks the appendix's page lists, its blank required values)."""
    codes = {row.code for row in appendix.indicators.all()}
    concerning = [
        v
        for v in cached_violations(report, appendices=appendices, previous=previous, share=share)
        if _concerns(v, appendix, codes)
    ]
    return quiet_blanks(report, concerning)


@report_view(READ, post=EDIT)
def report_appendix(request, report, code):
    appendices = report_appendices(report)
    appendix = next((a for a in appendices if a.code == code), None)
    if appendix is None:
        raise Http404
    if not can_edit_report(request.user, report):
        return _appendix_read(request, report, appendices, appendix)
    previous = previous_report(report)
    if request.method == "POST" and _wants_delta(request) and not appendix.is_table:
        return _appendix_delta(request, report, appendices, appendix, previous)
    form = _appendix_forms(
        report,
        appendix,
        request.POST if request.method == "POST" else None,
        _previous_column(report, appendix, previous),
    )
    part = f"appendix:{code}"
    expected = part_version(report, part)
    conflict, complete = None, True
    if request.method == "POST":
        try:
            complete = save_appendix_form(
                report, appendix, form, by=request.user, expected=_expected(request)
            )
            expected = part_version(report, part)
        except EditConflict as exc:
            conflict = str(exc)
        except ReportError as exc:
            return _refused(request, report, exc)
    violations, blanks = _appendix_checks(
        report, appendices, appendix, previous, share=not _wants_json(request)
    )
    row_prefixes = _saved_row_prefixes(appendix, form)
    if _wants_json(request):
        return _appendix_json(
            appendix, form, violations, blanks, expected, conflict, complete, row_prefixes
        )
    if request.method == "POST" and complete and not conflict:
        messages.success(request, _("Đã lưu."))
        return redirect("reports:report_appendix", pk=report.pk, code=code)
    reading = reading_context(request, report, appendices)
    if not appendix.is_table:
        for comment in reading["all_comments"]:
            if comment.target in ("indicator", "row"):
                form.comments.setdefault(comment.target_code, []).append(comment)
    context = {
        "report": report,
        "appendix": appendix,
        "form": form,
        "part_version": expected,
        "conflict": conflict,
        "previous": previous,
        "violations": violations,
        "blanks": len(blanks),
        # the same marks autosave shows, so rule highlights are there on load, not only after typing
        "checks": {
            "violations": _violations_json(appendix, violations, row_prefixes),
            "blanks": _blank_fields(appendix, blanks, row_prefixes),
        },
        "differences": appendix_differences(report, appendix, form) if conflict else [],
        "history_url": _history_url(report),
        **reading,
    }
    context["row_comments"] = [
        c for c in reading["all_comments"] if c.target_code.startswith(f"{appendix.code}:")
    ]
    status = 409 if conflict else (200 if complete else 400)
    return render(request, "reports/report_appendix.html", context, status=status)


def _history_url(report) -> str:
    """The address of an indicator's history page, less the code (the template appends it)."""
    return reverse("reports:value_history", args=[report.pk, "x"])[:-2]


def _appendix_read(request, report, appendices, appendix):
    """The appendix as stored, for everyone who may read but not edit the report."""
    reading = reading_context(request, report, appendices)
    previous = previous_report(report)
    context = {
        "report": report,
        "appendix": appendix,
        "previous": previous,
        "violations": _appendix_checks(report, appendices, appendix, previous)[0],
        "history_url": _history_url(report),
        **reading,
    }
    if appendix.is_table:
        context["table"] = table_read(report, appendix, reading["all_comments"])
    else:
        context["rows"] = indicator_read_rows(report, appendix, previous, reading["all_comments"])
    return render(request, "reports/report_appendix.html", context)


def save_appendix_form(report, appendix, form, *, by, expected) -> bool:
    """Save what the form holds; True when everything was valid. An indicator form saves each
    value that parsed (the others stay on screen); a table is saved only whole."""
    if appendix.is_table:
        if not form.is_valid():
            return False
        rows = form.rows()
        total = column_sums(appendix, rows) if appendix.has_total_row else None
        report_save_table(
            report=report, by=by, appendix=appendix, rows=rows, total=total, expected=expected
        )
        return True
    complete = form.is_valid()
    report_save_values(
        report=report, by=by, appendix=appendix, values=form.values(), expected=expected
    )
    return complete


def _wants_delta(request) -> bool:
    return _wants_json(request) and request.headers.get("X-Autosave-Delta") == "1"


def _appendix_delta(request, report, appendices, appendix, previous):
    """Autosave of the indicator rows changed since the last save (`delta` names their codes;
    each comes with its value, "/" and note). Saves those rows only, under the part's version
    as a whole save would; a pasted block (`block` names its rows) is saved whole or not at
    all. Answers with the messages of those rows and of the rules that read them (`scope`
    lists the inputs whose marks the page replaces), their previous-period cells, the blank
    required values, and the appendix's panel of checks only when its list changed."""
    wanted = set(request.POST.getlist("delta"))
    rows = [r for r in appendix.indicators.all() if r.code in wanted and not r.is_heading]
    part = f"appendix:{appendix.code}"
    before, _blanks = _appendix_checks(report, appendices, appendix, previous)
    form = IndicatorValuesForm(
        request.POST,
        appendix=appendix,
        rows=rows,
        previous=_previous_column(report, appendix, previous),
        prefix=appendix.code,
    )
    complete = form.is_valid()
    values, errors = form.values(), _errors(form)
    block = set(request.POST.getlist("block"))
    refused = {
        row.code
        for row in rows
        if any(form.add_prefix(name) in errors for name in indicator_field_names(row))
    }
    if block & refused:  # nothing of a pasted block is saved while one of its cells is refused
        values = {code: value for code, value in values.items() if code not in block}
    try:
        report_save_values(
            report=report,
            by=request.user,
            appendix=appendix,
            values=values,
            expected=_expected(request),
        )
    except EditConflict as exc:
        return JsonResponse({"saved": False, "conflict": str(exc)}, status=409)
    except ReportError as exc:
        return _refused(request, report, exc)
    after, blanks = _appendix_checks(report, appendices, appendix, previous, share=False)
    sent = {row.code for row in rows}
    changed = after != before
    # Unchanged panel: the checks reading the sent rows (with their place in the panel, for the
    # marks' way back). Changed panel: every check, as the panel is rendered and linked anew.
    shown = [
        (index, v)
        for index, v in enumerate(after, start=1)
        if changed or sent & set(v.indicator_codes)
    ]
    scope = {form.add_prefix(name) for row in rows for name in indicator_field_names(row)}
    for v in before + after:
        if changed or sent & set(v.indicator_codes):
            scope.update(n for n in (_field_name(appendix, r, None) for r in v.refs) if n)
    answer = {
        "saved": complete,
        "conflict": None,
        "version": part_version(report, part),
        "errors": errors,
        "unsaved": sorted(sent - set(values)),
        "scope": sorted(scope),
        "violations": [
            {**item, "index": index}
            for (index, _v), item in zip(
                shown, _violations_json(appendix, [v for _i, v in shown], None), strict=True
            )
        ],
        "blanks": _blank_fields(appendix, blanks, None),
    }
    if form.previous is not None:
        answer["previous"] = {
            row.code: form.previous.cell(row, form.current(row), form.row_state(row).note)
            for row in rows
        }
    if changed:
        # A fragment without the request: the page's context processors would only cost queries.
        answer["violations_html"] = render_to_string(
            "reports/includes/violations.html", {"violations": after}
        )
    return JsonResponse(answer)


def _field_name(appendix, ref, row_prefixes) -> str | None:
    """The input a violation's reference points at. Saved table row N is the N-th row on
    screen, whose form prefix changed if the user reordered or removed rows before saving."""
    if isinstance(ref, str):
        return f"{appendix.code}-v-{ref}"
    table, row, column = ref
    if table != appendix.code or not isinstance(row, int):
        return None
    if row_prefixes is not None:
        return f"{row_prefixes[row - 1]}-{column}" if row <= len(row_prefixes) else None
    return f"t-{table}-{row - 1}-{column}"


def _saved_row_prefixes(appendix, form) -> list[str] | None:
    if not appendix.is_table or not form.is_bound or not form.is_valid():
        return None
    return [f.prefix for f in form.ordered_forms if not f.is_blank()]


def _appendix_json(appendix, form, violations, blanks, version, conflict, complete, row_prefixes):
    if appendix.is_table:
        errors = {
            f.add_prefix(name): messages_
            for f in form.forms
            for name, messages_ in f.errors.items()
        }
    else:
        errors = _errors(form)
    html = render_to_string("reports/includes/violations.html", {"violations": violations})
    return JsonResponse(
        {
            "saved": complete and not conflict,
            "conflict": conflict,
            "version": version,
            "errors": errors,
            "violations": _violations_json(appendix, violations, row_prefixes),
            "violations_html": html,
            "blanks": _blank_fields(appendix, blanks, row_prefixes),
        },
        status=409 if conflict else 200,
    )


def _blank_fields(appendix, blanks, row_prefixes) -> list[str]:
    """The inputs of the blank required values, in page order ("Chưa nhập" goes through them)."""
    return [
        name
        for v in blanks
        for name in (_field_name(appendix, r, row_prefixes) for r in v.refs)
        if name
    ]


def _violations_json(appendix, violations, row_prefixes) -> list[dict]:
    """What entry.js/autosave.js need to mark the inputs of each violation, in panel order."""
    return [
        {
            # Words for people (STT and label, formatted numbers); `fields` link the inputs.
            "message": v.text,
            "severity": v.severity,
            "severity_label": v.severity_label,
            "where": v.where,
            "evidence": [{"name": name, "value": value} for name, value in v.evidence],
            "fields": [n for n in (_field_name(appendix, r, row_prefixes) for r in v.refs) if n],
        }
        for v in violations
    ]


def _concerns(violation, appendix, codes) -> bool:
    return bool(set(violation.indicator_codes) & codes) or any(
        table == appendix.code for table, _row, _col in violation.cells
    )


def _expected(request) -> int:
    """The part's version the page was loaded at; a save without one (a script, a page kept
    from before versions) would overwrite whatever was saved since, so it is refused."""
    raw = request.POST.get("part_version", "")
    if not raw.isdigit() or len(raw) > 9:
        raise EditConflict(
            "Thiếu phiên bản của phần đang sửa nên không lưu được mà không ghi đè bản người khác "
            "có thể vừa lưu. Hãy tải lại trang (nội dung bạn gõ vẫn còn bên dưới), rồi lưu lại."
        )
    return int(raw)


def _saved(request, report, part, url_name, **kwargs):
    report.refresh_from_db(fields=["part_versions"])
    version = part_version(report, part)
    if _wants_json(request):
        return JsonResponse({"saved": True, "version": version})
    messages.success(request, _("Đã lưu."))
    return redirect(reverse(url_name, kwargs={"pk": report.pk, **kwargs}))


def _render_part(request, report, template, form, expected, status=None, **extra):
    extra.setdefault("editable", can_edit_report(request.user, report))
    if status is None:
        status = 400 if request.method == "POST" else 200
    if _wants_json(request):
        return JsonResponse(
            {"saved": False, "errors": _errors(form), "version": expected},
            status=status,
        )
    context = {"report": report, "form": form, "part_version": expected, **extra}
    return render(request, template, context, status=status)


def _conflict(request, report, template, form, message, **extra):
    if _wants_json(request):
        return JsonResponse({"saved": False, "conflict": message}, status=409)
    # Only editors reach a conflict (the POST needed EDIT): the form stays open.
    context = {"report": report, "form": form, "conflict": message, "editable": True, **extra}
    context["part_version"] = request.POST.get("part_version", "")
    return render(request, template, context, status=409)


def _errors(form) -> dict[str, list[str]]:
    """Field name on the page -> its messages, as plain text for autosave.js."""
    return {form.add_prefix(name): list(msgs) for name, msgs in form.errors.items()}


def _refused(request, report, exc):
    """The report stopped being editable between loading the page and saving it."""
    if _wants_json(request):
        report.refresh_from_db(fields=["state"])
        reason = str(exc) if report.is_editable else edit_refusal(report)
        # autosave.js stops saving and shows the reason; the typed values stay on the page.
        return JsonResponse({"saved": False, "refused": reason}, status=403)
    messages.error(request, str(exc))
    return redirect("reports:report_detail", pk=report.pk)


@report_view(EDIT)
def report_carry_over_view(request, report):
    previous = previous_report(report, approved=False)
    if previous is None:
        raise Http404
    if request.method == "POST":
        copied = report_carry_over(
            report=report,
            by=request.user,
            previous=previous,
            keys=set(request.POST.getlist("copy")),
            overwrite=set(request.POST.getlist("overwrite")),
        )
        if copied:
            messages.success(
                request, _("Đã chép từ báo cáo kỳ trước: %(parts)s.") % {"parts": "; ".join(copied)}
            )
        else:
            messages.info(request, _("Không chép phần nào."))
        return redirect("reports:report_detail", pk=report.pk)
    return render(
        request,
        "reports/report_carry_over.html",
        {"report": report, "previous": previous, "parts": carry_over_parts(report, previous)},
    )


@report_view(READ)
def report_validation(request, report):
    """Every violation of the report, each linked to the field or row it is about."""
    appendices = report_appendices(report)
    violations = cached_violations(report, appendices=appendices)
    explanations, _others = report_explanations(report, violations)
    return render(
        request,
        "reports/report_validation.html",
        {
            "report": report,
            "items": violation_links(report, appendices, violations),
            "explanations": explanations,
        },
    )
