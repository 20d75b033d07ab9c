"""Pages of the PAR Index: the criteria sets, a unit's self-assessment, Sở Nội vụ's appraisal
and the results. Thin: each names its object through parindex.access and writes through
parindex.services; a refused input comes back next to its criterion with what was typed."""

import datetime

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from lib.access import Refused, object_view, page_view
from lib.xlsx import XLSX_CONTENT_TYPE
from org.models import Unit, UnitKind
from org.permissions import is_admin, reviewed_province, units_visible_to
from reports.access import reports_visible_to
from reports.models import ReportState

from . import access, services
from .access import CREATE, EDIT, READ, REVIEW, SUBMIT
from .charts import results_chart
from .evidence import ACCEPTED, CONTENT_TYPES, EVIDENCE_MAX_BYTES, EvidenceRejected
from .exports import results_pdf, results_workbook
from .models import Assessment, AssessmentState, CriteriaSet, Event
from .results import year_results
from .suggestions import suggest
from .workbook import SpecError, read_workbook, write_workbook


def _visible_sets(user):
    sets = CriteriaSet.objects.select_related("province")
    if is_admin(user):
        return sets
    provinces = units_visible_to(user).filter(kind=UnitKind.PROVINCE)
    own = units_visible_to(user).exclude(province=None).values("province")
    return sets.filter(Q(province__in=provinces) | Q(province__in=own))


@page_view(None, methods=("GET", "HEAD"))
def index(request):
    user = request.user
    sets = list(_visible_sets(user).order_by("-year", "unit_kind", "-version"))
    mine = []
    if access.is_department_member(user) and user.unit_id:
        mine = list(
            Assessment.objects.filter(unit__in=user.unit.lineage()).select_related("criteria_set")
        )
    # One assessment per year and level, whatever version it started on; the newest version
    # of a year is the one offered.
    started = {(a.criteria_set.year, a.criteria_set.unit_kind) for a in mine}
    startable, offered = [], set()
    for s in sets:  # newest version first
        key = (s.year, s.unit_kind)
        if (
            user.unit_id
            and access.is_department_member(user)
            and s.unit_kind == user.unit.kind
            and s.province_id == user.unit.province_id
            and key not in started
            and key not in offered
        ):
            startable.append(s)
            offered.add(key)
    may_import = is_admin(user) or reviewed_province(user) is not None
    return render(
        request,
        "parindex/index.html",
        {"sets": sets, "mine": mine, "startable": startable, "may_import": may_import},
    )


def _require_importer(user):
    if not (is_admin(user) or reviewed_province(user) is not None):
        raise Refused("Chỉ Sở Nội vụ được nạp bộ chỉ số.")


@page_view(_require_importer)
def set_import(request):
    user = request.user
    own = reviewed_province(user)
    provinces = [own] if own else list(Unit.objects.provinces().active_on(datetime.date.today()))
    problems, values = [], {"year": datetime.date.today().year - 1}
    if request.method == "POST":
        values = {
            "year": request.POST.get("year", ""),
            "province": request.POST.get("province", ""),
        }
        province = next((p for p in provinces if p.code == values["province"]), own)
        upload = request.FILES.get("workbook")
        try:
            year = int(values["year"])
        except ValueError:
            year = None
            problems.append("Năm đánh giá phải là số, ví dụ 2025.")
        if province is None:
            problems.append("Hãy chọn tỉnh, thành phố.")
        if upload is None:
            problems.append("Hãy chọn tệp Excel bộ chỉ số.")
        if not problems:
            try:
                spec = read_workbook(upload)
                criteria_set = services.criteria_set_import(
                    by=user, province=province, spec=spec, year=year
                )
            except SpecError as exc:
                problems = exc.problems
            else:
                messages.success(request, f"Đã nạp {criteria_set}.")
                return redirect("parindex:set_detail", criteria_set.pk)
    return render(
        request,
        "parindex/set_import.html",
        {"provinces": provinces, "problems": problems, "values": values},
        status=400 if problems else 200,
    )


@object_view(access.criteria_set_for_user, READ)
def set_detail(request, criteria_set):
    fields = list(criteria_set.fields.prefetch_related("criteria"))
    user = request.user
    may_start = False
    try:
        access.criteria_set_for_user(user, criteria_set.pk, CREATE)
        may_start = True
    except Refused:
        pass
    context = {
        "set": criteria_set,
        "fields": fields,
        "may_start": may_start,
        "manages": access.manages_index(user, criteria_set.province),
    }
    return render(request, "parindex/set_detail.html", context)


@object_view(access.criteria_set_for_user, READ)
def set_workbook(request, criteria_set):
    name = f"bo-chi-so-{criteria_set.province.code}-{criteria_set.year}-v{criteria_set.version}"
    return HttpResponse(
        write_workbook(criteria_set),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, f"{name}.xlsx")},
    )


@object_view(access.criteria_set_for_user, CREATE, methods=("POST",))
def set_start(request, criteria_set):
    assessment = services.assessment_start(
        by=request.user, criteria_set=criteria_set, unit=request.user.unit
    )
    return redirect("parindex:assessment", assessment.pk)


# -- the assessment page ---------------------------------------------------------------------


def _report_choices(user, assessment):
    return list(
        reports_visible_to(user)
        .filter(unit__in=assessment.unit.lineage())
        .exclude(state=ReportState.DRAFT)
        .select_related("period", "kind")
        .order_by("-period__year", "-pk")[:30]
    )


def _assessment_page(request, assessment, *, errors=None, typed=None, status=200):
    user = request.user
    scores = list(
        assessment.scores.select_related("criterion__field", "criterion__parent")
        .prefetch_related("evidence__report__period")
        .order_by("criterion__position")
    )
    criteria = [s.criterion for s in scores]
    # Read again from the same approved report (a reopened report is a new revision; this one
    # stays as approved), to show what each stored suggestion read.
    suggestions = suggest(criteria, assessment.source_report)
    fields = []
    for score in scores:
        field = score.criterion.field
        if not fields or fields[-1]["field"].pk != field.pk:
            fields.append({"field": field, "scores": []})
        score.suggestion = suggestions.get(score.criterion_id)
        score.error = (errors or {}).get(score.criterion_id)
        score.typed = (typed or {}).get(score.criterion_id, {})
        fields[-1]["scores"].append(score)
    self_total = services.self_total(assessment)
    context = {
        "a": assessment,
        "set": assessment.criteria_set,
        "fields": fields,
        "self_total": self_total,
        "appraised_total": services.appraised_total(assessment),
        "events": Event.objects.filter(assessment=assessment).select_related("actor", "criterion"),
        "can_edit": access.can(user, assessment, EDIT),
        "can_submit": access.can(user, assessment, SUBMIT),
        "can_review": access.can(user, assessment, REVIEW),
        "returned": assessment.state == AssessmentState.RETURNED,
        "reports": _report_choices(user, assessment) if access.can(user, assessment, EDIT) else [],
        "accepted_types": ACCEPTED,
        "max_mb": EVIDENCE_MAX_BYTES // 1024 // 1024,
        "page_errors": (errors or {}).get(None),
        "tomorrow": datetime.date.today() + datetime.timedelta(days=7),
    }
    return render(request, "parindex/assessment.html", context, status=status)


@object_view(access.assessment_for_user, READ)
def assessment_detail(request, assessment):
    return _assessment_page(request, assessment)


def _criterion_id(request):
    raw = request.POST.get("criterion", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@object_view(access.assessment_for_user, EDIT, methods=("POST",))
def assessment_edit(request, assessment):
    """The unit's writes: a score (or the suggestion accepted), evidence, an explanation, the
    answer to Sở Nội vụ."""
    post, user = request.POST, request.user
    action = post.get("do", "")
    criterion = _criterion_id(request)
    try:
        if action in ("score", "accept"):
            services.score_save(
                by=user,
                assessment=assessment,
                criterion_id=criterion,
                points=post.get("points", ""),
                note=post.get("note", ""),
                reason=post.get("reason", ""),
                accept=action == "accept",
            )
            message = "Đã lưu điểm tự chấm."
        elif action == "file":
            upload = request.FILES.get("file")
            if upload is None:
                raise services.IndexProblem("Hãy chọn tệp tài liệu kiểm chứng.")
            if upload.size > EVIDENCE_MAX_BYTES:
                raise EvidenceRejected(
                    f"Tệp quá lớn: mỗi tài liệu kiểm chứng tối đa "
                    f"{EVIDENCE_MAX_BYTES // 1024 // 1024} MB."
                )
            services.evidence_add_file(
                by=user,
                assessment=assessment,
                criterion_id=criterion,
                name=upload.name,
                data=upload.read(),
                description=post.get("description", ""),
            )
            message = "Đã thêm tài liệu kiểm chứng."
        elif action == "link":
            raw = post.get("report", "")
            services.evidence_add_report(
                by=user,
                assessment=assessment,
                criterion_id=criterion,
                report_id=int(raw) if raw.isdigit() and len(raw) < 10 else 0,
                part=post.get("part", ""),
            )
            message = "Đã gắn báo cáo làm tài liệu kiểm chứng."
        elif action == "explain":
            services.explanation_save(
                by=user,
                assessment=assessment,
                criterion_id=criterion,
                text=post.get("explanation", ""),
            )
            if post.get("points", "").strip():
                services.score_save(
                    by=user,
                    assessment=assessment,
                    criterion_id=criterion,
                    points=post.get("points", ""),
                    note=post.get("note", ""),
                    reason=post.get("reason", "") or post.get("explanation", ""),
                )
            message = "Đã lưu giải trình."
        elif action == "answer":
            services.assessment_answer(by=user, assessment=assessment)
            message = "Đã gửi giải trình cho Sở Nội vụ."
            criterion = None
        else:
            raise services.IndexProblem("Thao tác không hợp lệ.")
    except (services.IndexProblem, EvidenceRejected) as exc:
        typed = {criterion: dict(post.items())} if criterion else {}
        return _assessment_page(
            request, assessment, errors={criterion: str(exc)}, typed=typed, status=400
        )
    messages.success(request, message)
    anchor = f"#c{criterion}" if criterion else ""
    return redirect(reverse("parindex:assessment", args=[assessment.pk]) + anchor)


@object_view(access.assessment_for_user, SUBMIT, methods=("POST",))
def assessment_submit(request, assessment):
    try:
        services.assessment_submit(by=request.user, assessment=assessment)
    except services.IndexProblem as exc:
        return _assessment_page(request, assessment, errors={None: str(exc)}, status=400)
    messages.success(request, "Đã gửi bản tự đánh giá cho Sở Nội vụ thẩm định.")
    return redirect("parindex:assessment", assessment.pk)


@object_view(access.assessment_for_user, REVIEW, methods=("POST",))
def assessment_review(request, assessment):
    """Sở Nội vụ's writes: a criterion's appraisal, the return for explanation, finalising."""
    post, user = request.POST, request.user
    action = post.get("do", "")
    criterion = _criterion_id(request)
    try:
        if action == "appraise":
            services.appraise(
                by=user,
                assessment=assessment,
                criterion_id=criterion,
                points=post.get("points", ""),
                comment=post.get("comment", ""),
                ask=post.get("ask", ""),
            )
            message = "Đã lưu điểm thẩm định."
        elif action == "return":
            criterion = None
            try:
                deadline = datetime.datetime.strptime(post.get("deadline", ""), "%Y-%m-%d").date()
            except ValueError:
                raise services.IndexProblem("Hạn giải trình không hợp lệ.") from None
            services.assessment_return(by=user, assessment=assessment, deadline=deadline)
            message = "Đã gửi yêu cầu giải trình."
        elif action == "finalise":
            criterion = None
            services.assessment_finalise(by=user, assessment=assessment)
            message = "Đã chốt điểm."
        else:
            raise services.IndexProblem("Thao tác không hợp lệ.")
    except services.IndexProblem as exc:
        typed = {criterion: dict(post.items())} if criterion else {}
        return _assessment_page(
            request, assessment, errors={criterion: str(exc)}, typed=typed, status=400
        )
    messages.success(request, message)
    anchor = f"#c{criterion}" if criterion else ""
    return redirect(reverse("parindex:assessment", args=[assessment.pk]) + anchor)


@object_view(access.evidence_for_user, READ)
def evidence_download(request, evidence):
    if evidence.report_id:
        return redirect("reports:report_detail", evidence.report_id)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.file_name,
        content_type=CONTENT_TYPES.get(evidence.file_type, "application/octet-stream"),
    )


@object_view(access.evidence_for_user, EDIT, methods=("POST",))
def evidence_remove(request, evidence):
    assessment = evidence.score.assessment
    try:
        services.evidence_remove(by=request.user, evidence=evidence)
    except services.IndexProblem as exc:
        return _assessment_page(request, assessment, errors={None: str(exc)}, status=400)
    messages.success(request, "Đã gỡ tài liệu kiểm chứng.")
    return redirect("parindex:assessment", assessment.pk)


# -- results ---------------------------------------------------------------------------------


def _results_for(user, criteria_set):
    """Everything for the province's people; a unit's own row only for the unit."""
    results = year_results(criteria_set)
    if access.manages_index(user, criteria_set.province) or access.may_see_all_results(
        user, criteria_set.province
    ):
        return results, True
    unit = getattr(user, "unit", None)
    own = results.row_of(unit) if unit is not None else None
    results.rows = [own] if own is not None else []
    return results, False


@object_view(access.criteria_set_for_user, READ)
def set_results(request, criteria_set):
    results, everyone = _results_for(request.user, criteria_set)
    for row in results.rows:  # a link only to what the user may open (a draft is the unit's)
        row.linked = row.assessment is not None and access.may_see_assessment(
            request.user, row.assessment
        )
    chart = results_chart(results) if everyone else None
    return render(
        request,
        "parindex/results.html",
        {"set": criteria_set, "results": results, "everyone": everyone, "chart": chart},
    )


def _export_name(criteria_set, extension):
    return f"ket-qua-chi-so-cchc-{criteria_set.province.code}-{criteria_set.year}.{extension}"


@object_view(access.criteria_set_for_user, READ)
def set_results_pdf(request, criteria_set):
    results, _everyone = _results_for(request.user, criteria_set)
    return HttpResponse(
        results_pdf(results),
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(
                True, _export_name(criteria_set, "pdf")
            )
        },
    )


@object_view(access.criteria_set_for_user, READ)
def set_results_xlsx(request, criteria_set):
    results, _everyone = _results_for(request.user, criteria_set)
    return HttpResponse(
        results_workbook(results),
        content_type=XLSX_CONTENT_TYPE,
        headers={
            "Content-Disposition": content_disposition_header(
                True, _export_name(criteria_set, "xlsx")
            )
        },
    )
