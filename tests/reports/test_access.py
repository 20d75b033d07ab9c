import datetime
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from indicators.services import version_import, version_publish
from org.models import Role
from reports.access import (
    EDIT,
    OPERATOR,
    READ,
    SUBMIT,
    AccessRefused,
    ReportNotFound,
    report_for_user,
)
from reports.excel import write_report_workbook
from reports.models import Report, ReportState
from reports.services import (
    report_create,
    report_import_workbook,
    report_save_header,
    report_save_section,
    report_save_table,
    report_save_values,
)
from reports.services.carry_over import report_carry_over
from reports.services.workflow import (
    comment_add,
    comment_mark_addressed,
    explanations_save,
    report_approve,
    report_reopen,
    report_return,
    report_submit,
)
from signatures.access import signed_report_for_user
from tests.factories import PASSWORD, make_department, make_province, make_user
from tests.indicators.test_template_workbooks import base_spec


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(f"/don-vi/{cast.department.code}/")
    assert response.status_code == 302
    assert response.url.startswith("/dang-nhap/")


def test_staff_lands_on_own_unit(client, cast):
    login(client, cast.staff)
    response = client.get("/", follow=True)
    assert cast.department.name in response.text


@pytest.mark.parametrize("visitor", ["colleague", "outsider_staff", "outsider_reviewer"])
def test_other_units_people_get_404_on_a_department_page(client, cast, visitor):
    login(client, getattr(cast, visitor))
    assert client.get(f"/don-vi/{cast.department.code}/").status_code == 404


def test_reviewer_sees_own_province_only(client, cast):
    login(client, cast.reviewer)
    home = client.get("/", follow=True)
    assert cast.department.name in home.text
    assert cast.other_department.name not in home.text
    assert client.get(f"/don-vi/{cast.department.code}/").status_code == 200
    assert client.get(f"/don-vi/{cast.other_department.code}/").status_code == 404


def test_successor_province_reviewer_reaches_merged_province_history(client, cast):
    merged_on = datetime.date(2025, 6, 30)
    old = make_province("tinh-cu", "tỉnh Cũ", valid_to=merged_on, successor=cast.province)
    old_department = make_department(old, "skhcn", "Sở Khoa học và Công nghệ", valid_to=merged_on)
    login(client, cast.reviewer)
    assert client.get(f"/don-vi/{old_department.code}/").status_code == 200
    # ...but the old province's reviewers do not reach the successor's units.
    old_home_affairs = make_department(old, "snv", "Sở Nội vụ", is_home_affairs=True)
    old_reviewer = make_user("thamdinh-cu", Role.REVIEWER, old_home_affairs)
    login(client, old_reviewer)
    assert client.get(f"/don-vi/{cast.department.code}/").status_code == 404


def test_successor_department_shows_its_predecessor(client, cast):
    old = make_province("tinh-cu", "tỉnh Cũ", valid_to=datetime.date(2025, 6, 30))
    old_department = make_department(
        old,
        "skhcn",
        "Sở Khoa học cũ",
        valid_to=datetime.date(2025, 6, 30),
        successor=cast.department,
    )
    login(client, cast.staff)
    page = client.get(f"/don-vi/{cast.department.code}/")
    assert old_department.name in page.text
    assert client.get(f"/don-vi/{old_department.code}/").status_code == 200


@pytest.mark.parametrize("path", ["/ky-bao-cao/", "/mau/", "/quan-tri/org/unit/"])
@pytest.mark.parametrize("visitor", ["staff", "leader", "reviewer"])
def test_configuration_pages_are_for_administrators_only(client, cast, path, visitor):
    login(client, getattr(cast, visitor))
    response = client.get(path)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login/" in response.url


def test_administrator_reaches_configuration_pages(client, cast):
    login(client, cast.admin)
    for path in ["/", "/ky-bao-cao/", "/mau/", "/quan-tri/org/unit/"]:
        assert client.get(path).status_code == 200, path


# --- one way to reach a report (reports.access) -----------------------------------------------
#
# Every URL of the project that takes a report id is walked with a foreign report (another
# province's, in draft and submitted) for each role, and must give the one documented answer:
# login page for anonymous visitors, 404 for whoever may not know the report exists, 403 with
# the Vietnamese reason for whoever may read it but not do this. POSTs change nothing.
# A new URL with a report id is walked too, and must be built on reports.access.report_view.

# URL patterns with an id that is not a report's.
NOT_REPORT_IDS = {"reports:period_toggle", "reports:template_upgrade"}
REPORT_ROUTE = re.compile(r"(^|/)bao-cao/<int:pk>/")
# What a POST carries: enough for every form to be valid, so only access can stop it.
POST_DATA = {
    "decision": "approve",
    "comment": "Đồng ý",
    "target": "report",
    "text": "Nhận xét thử",
    "reason": "Bổ sung số liệu",
    "submit": "1",
    "part_version": "0",
    "content": "<p>Nội dung ghi đè</p>",
    "title": "Trích yếu ghi đè",
    "issuing_body": "SỞ GHI ĐÈ",
    "place": "Nơi khác",
    "pl1-v-so_nv": "99",
    "copy": ["section:chi_dao"],
}


def url_patterns(resolver=None, prefix="", namespace=""):
    """(full route, namespaced name, view) of every pattern of the project."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            inner = f"{namespace}:{ns}" if namespace and ns else namespace or ns
            yield from url_patterns(entry, route, inner)
        else:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield route, name, entry.callback


# Reach functions that answer for a report as reports.access does (the province report's
# pages answer 404 for a department's report: tests/test_url_walk.py walks them).
REPORT_REACHES = {report_for_user, signed_report_for_user}


def report_patterns():
    """Patterns of any report (the province report's own pages are walked in
    tests/test_url_walk.py with a province report)."""
    found = [
        (route, name, view)
        for route, name, view in url_patterns()
        if REPORT_ROUTE.search(route) and view.access.reach in REPORT_REACHES
    ]
    assert len(found) >= 17, "the walk lost the report URLs"
    return found


REPORT_PATTERNS = [pytest.param(name, id=name) for _route, name, _view in report_patterns()]


def test_every_url_with_a_report_id_reaches_it_as_a_report():
    """A pattern with an id served by the reports or documents app is a report's, unless
    listed above; every pattern under bao-cao/<int:pk>/ reaches its report through
    reports.access (the province report's pages through province.access, which answers 404
    for any other report)."""
    for route, name, view in url_patterns():
        has_id = re.search(r"<\w+:(pk|id|report_pk|report_id)>", route)
        app = view.__module__.split(".")[0]
        if has_id and app in ("reports", "documents") and name not in NOT_REPORT_IDS:
            assert REPORT_ROUTE.search(route), f"{route}: a report id outside bao-cao/<int:pk>/"
        if REPORT_ROUTE.search(route) and not name.startswith("province:"):
            assert view.access.reach in REPORT_REACHES, f"{name} does not reach its report"


@pytest.fixture
def version(cast):
    spec = base_spec(applies_from=datetime.date(2025, 1, 1))
    return version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))


def _fill(report, by):
    pl1 = report.template_version.appendices.get(code="pl1")
    report_save_values(
        report=report,
        by=by,
        appendix=pl1,
        values={"so_nv": (10, ""), "so_ht": (8, "Ghi chú")},
        expected=None,
    )
    table = report.template_version.appendices.get(code="bang")
    rows = [{"ten": "Thủ tục cấp phép", "so": 3}, {"ten": "Thủ tục <script>", "so": 1}]
    report_save_table(report=report, by=by, appendix=table, rows=rows, expected=None)
    outline = report.template_version.outline.get(code="chi_dao")
    report_save_section(
        report=report, by=by, outline=outline, html="<p>Đã ban hành kế hoạch</p>", expected=None
    )


@pytest.fixture
def foreign(cast, version):
    """Reports of tỉnh Bắc Ninh: one draft, one submitted with a reviewer's comment."""
    other_justice = make_department(cast.other_province, "stp", "Sở Tư pháp")
    leader_b = make_user("lanhdao-stp-b", Role.LEADER, other_justice)
    draft = report_create(unit=cast.other_department, period=cast.period, by=cast.outsider_staff)
    _fill(draft, cast.outsider_staff)
    sent = report_create(unit=other_justice, period=cast.period, by=leader_b)
    _fill(sent, leader_b)
    sent = report_submit(report=sent, by=leader_b)
    comment = comment_add(
        report=sent, by=cast.outsider_reviewer, target="report", target_code="", text="Bổ sung"
    )
    return {"draft": draft, "submitted": sent, "comment": comment}


def url_for(name, report, comment):
    kwargs = {"pk": report.pk}
    route = next(r for r, n, _v in report_patterns() if n == name)
    values = {
        "reports:report_section": {"code": "chi_dao"},
        "reports:report_appendix": {"code": "pl1"},
        "reports:value_history": {"code": "so_nv"},
        "province:breakdown": {"code": "so_nv"},
        "reports:comment_addressed": {"comment_pk": comment.pk},
        "documents:document_status": {"file_format": "pdf"},
    }
    kwargs |= values.get(name, {})
    for arg in re.findall(r"<\w+:(\w+)>", route):
        assert arg in kwargs, f"add a value for <{arg}> of {name} to url_for"
    return reverse(name, kwargs=kwargs)


def snapshot(report) -> tuple:
    """Everything a POST could change about a report, and how many reports exist."""
    fresh = Report.objects.get(pk=report.pk)
    return (
        fresh.state,
        fresh.part_versions,
        fresh.updated_at,
        sorted(fresh.values.values_list("indicator__code", "number", "note")),
        sorted(fresh.table_rows.values_list("position", "is_total", "cells")),
        sorted(fresh.sections.values_list("outline__code", "content")),
        sorted(fresh.comments.values_list("text", "addressed_at")),
        fresh.state_changes.count(),
        sorted(fresh.explanations.values_list("key", "text")),
        Report.objects.count(),
    )


def offered_methods(client, url):
    """The methods the view answers at all (405 comes before any access check)."""
    client.logout()
    return [m for m in ("get", "post") if getattr(client, m)(url, POST_DATA).status_code != 405]


@pytest.mark.parametrize("state", ["draft", "submitted"])
@pytest.mark.parametrize("name", REPORT_PATTERNS)
def test_a_foreign_report_gives_the_one_documented_answer(client, cast, foreign, name, state):
    report = foreign[state]
    url = url_for(name, report, foreign["comment"])
    methods = offered_methods(client, url)
    assert methods, f"{name} answers neither GET nor POST"
    before = snapshot(report)
    for method in methods:
        client.logout()
        response = getattr(client, method)(url, POST_DATA)
        assert response.status_code == 302, (name, method, "anonymous")
        assert response.url.startswith(f"{reverse('login')}?next="), (name, method)
        # Department people and the reviewer of tỉnh An Giang may not know it exists.
        for who in ("staff", "leader", "colleague", "reviewer"):
            client.force_login(getattr(cast, who))
            response = getattr(client, method)(url, POST_DATA)
            assert response.status_code == 404, (name, method, who)
            assert 'data-testid="refusal-reason"' not in response.text
    assert snapshot(report) == before


# The reason a reader gets (403) for each need, by who they are and the report's state.
REFUSALS = {
    ("admin", "edit", "draft"): "Chỉ chuyên viên và lãnh đạo của đơn vị lập báo cáo",
    ("admin", "edit", "submitted"): "Chỉ chuyên viên và lãnh đạo của đơn vị lập báo cáo",
    ("admin", "review", "draft"): "Chỉ chuyên viên thẩm định của Sở Nội vụ tỉnh",
    ("admin", "review", "submitted"): "Chỉ chuyên viên thẩm định của Sở Nội vụ tỉnh",
    ("admin", "admin", "draft"): "Chỉ mở lại được báo cáo đã duyệt; báo cáo đang là bản nháp.",
    ("admin", "admin", "submitted"): "Chỉ mở lại được báo cáo đã duyệt; báo cáo đã gửi.",
    ("outsider_reviewer", "edit", "submitted"): "Chỉ chuyên viên và lãnh đạo của đơn vị",
    ("outsider_reviewer", "admin", "submitted"): "Chỉ quản trị hệ thống được mở lại",
    ("outsider_staff", "edit", "submitted"): "Báo cáo đã gửi, không thể chỉnh sửa.",
    ("outsider_staff", "review", "submitted"): "Chỉ chuyên viên thẩm định của Sở Nội vụ tỉnh",
    ("outsider_staff", "review", "draft"): "Chỉ chuyên viên thẩm định của Sở Nội vụ tỉnh",
    ("outsider_staff", "admin", "draft"): "Chỉ quản trị hệ thống được mở lại",
    ("outsider_staff", "admin", "submitted"): "Chỉ quản trị hệ thống được mở lại",
    # Only the province's own report is signed in the portal (province.services).
    ("admin", "sign", "draft"): "Chỉ báo cáo của tỉnh được ký gửi theo cách này.",
    ("admin", "sign", "submitted"): "Chỉ báo cáo của tỉnh được ký gửi theo cách này.",
    ("outsider_staff", "sign", "draft"): "Chỉ báo cáo của tỉnh được ký gửi theo cách này.",
    ("outsider_staff", "sign", "submitted"): "Chỉ báo cáo của tỉnh được ký gửi theo cách này.",
    # The leader's digital signature on a sent report (signatures.access).
    ("admin", "sign_pdf", "draft"): "Chỉ lãnh đạo đơn vị lập báo cáo được ký số báo cáo này.",
    ("admin", "sign_pdf", "submitted"): "Chỉ lãnh đạo đơn vị lập báo cáo được ký số báo cáo này.",
    ("outsider_staff", "sign_pdf", "draft"): "Chỉ lãnh đạo đơn vị lập báo cáo được ký số",
    ("outsider_staff", "sign_pdf", "submitted"): "Chỉ lãnh đạo đơn vị lập báo cáo được ký số",
    ("outsider_reviewer", "sign_pdf", "submitted"): "Chỉ lãnh đạo đơn vị lập báo cáo được ký số",
}


def _posted_need(view) -> str:
    return (view.access.post or view.access.need).value


@pytest.mark.parametrize("state", ["draft", "submitted"])
@pytest.mark.parametrize("name", REPORT_PATTERNS)
def test_a_reader_who_may_not_act_gets_403_with_the_reason(client, cast, foreign, name, state):
    """Readers of tỉnh Bắc Ninh's reports (and the administrator) POST what they may not do."""
    report = foreign[state]
    readers = ("admin", "outsider_staff", "outsider_reviewer")
    # Staff of the report's own unit (the draft is Sở Khoa học's, the sent one Sở Tư pháp's).
    cast.outsider_staff.unit = report.unit
    cast.outsider_staff.save()
    url = url_for(name, report, foreign["comment"])
    view = next(v for _r, n, v in report_patterns() if n == name)
    need = _posted_need(view)
    if need == "read" or "post" not in offered_methods(client, url):
        pytest.skip("nothing to refuse: the page only reads")
    before = snapshot(report)
    checked = 0
    for who in readers:
        reason = REFUSALS.get((who, need, state))
        if reason is None:
            continue  # allowed (staff editing their draft, a reviewer reviewing) or unreadable
        client.force_login(getattr(cast, who))
        response = client.post(url, POST_DATA)
        assert response.status_code == 403, (name, who)
        assert 'data-testid="refusal-reason"' in response.text
        assert reason in response.text, (name, who)
        checked += 1
    assert snapshot(report) == before
    assert checked


def test_staff_whose_leader_signs_are_told_so(client, cast, version):
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    client.force_login(cast.staff)
    response = client.post(reverse("reports:report_submit", args=[report.pk]), {"submit": "1"})
    assert response.status_code == 403
    assert "Chỉ lãnh đạo đơn vị được ký gửi báo cáo." in response.text
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT


def test_a_sent_report_opens_read_only_for_its_department(client, cast, version):
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    _fill(report, cast.staff)
    report_submit(report=report, by=cast.leader)
    client.force_login(cast.staff)
    header = client.get(reverse("reports:report_header", args=[report.pk]))
    assert header.status_code == 200 and 'data-testid="read-view"' in header.text
    assert "data-autosave" not in header.text and 'name="title"' not in header.text
    section = client.get(reverse("reports:report_section", args=[report.pk, "chi_dao"]))
    assert 'data-testid="section-content"' in section.text
    assert "Đã ban hành kế hoạch" in section.text and "data-autosave" not in section.text
    response = client.post(reverse("reports:report_header", args=[report.pk]), POST_DATA)
    assert response.status_code == 403
    assert "Báo cáo đã gửi, không thể chỉnh sửa." in response.text


# --- services refuse a wrong `by` themselves ---------------------------------------------------


def _workbook(report):
    return io.BytesIO(write_report_workbook(report))


SERVICE_CALLS = {
    "report_create": lambda c, r, s: report_create(
        unit=c.department, period=c.period, by=c.colleague
    ),
    "report_save_header": lambda c, r, s: report_save_header(
        report=r, by=c.reviewer, data={"title": "Ghi đè"}, expected=None
    ),
    "report_save_section": lambda c, r, s: report_save_section(
        report=r,
        by=c.colleague,
        outline=r.template_version.outline.get(code="chi_dao"),
        html="<p>x</p>",
        expected=None,
    ),
    "report_save_values": lambda c, r, s: report_save_values(
        report=r,
        by=c.admin,
        appendix=r.template_version.appendices.get(code="pl1"),
        values={"so_nv": (1, "")},
        expected=None,
    ),
    "report_save_table": lambda c, r, s: report_save_table(
        report=r,
        by=c.outsider_staff,
        appendix=r.template_version.appendices.get(code="bang"),
        rows=[],
        expected=None,
    ),
    "report_import_workbook": lambda c, r, s: report_import_workbook(
        report=r, by=c.reviewer, file=_workbook(r)
    ),
    "report_carry_over": lambda c, r, s: report_carry_over(
        report=r, by=c.colleague, previous=r, keys={"section:chi_dao"}, overwrite=set()
    ),
    "explanations_save": lambda c, r, s: explanations_save(
        report=r, by=c.reviewer, explanations={"x": "y"}
    ),
    "report_submit by staff": lambda c, r, s: report_submit(report=r, by=c.staff),
    "report_submit by another unit": lambda c, r, s: report_submit(report=r, by=c.colleague),
    "report_approve": lambda c, r, s: report_approve(report=s, by=c.leader),
    "report_return": lambda c, r, s: report_return(report=s, by=c.outsider_reviewer, reason="x"),
    "comment_add": lambda c, r, s: comment_add(
        report=s, by=c.staff, target="report", target_code="", text="x"
    ),
    "comment_mark_addressed": lambda c, r, s: comment_mark_addressed(
        comment=s.comments.get(), by=c.reviewer
    ),
}


@pytest.mark.parametrize("call", list(SERVICE_CALLS), ids=list(SERVICE_CALLS))
def test_write_services_refuse_a_wrong_by(cast, version, call):
    draft = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    _fill(draft, cast.staff)
    sent_unit = make_department(cast.province, "sxd", "Sở Xây dựng")
    sent_leader = make_user("lanhdao-sxd", Role.LEADER, sent_unit)
    sent = report_create(unit=sent_unit, period=cast.period, by=sent_leader)
    sent = report_submit(report=sent, by=sent_leader)
    comment_add(report=sent, by=cast.reviewer, target="report", target_code="", text="Xem lại")
    if call == "comment_mark_addressed":
        sent = report_return(report=sent, by=cast.reviewer, reason="Sửa")
    before = (snapshot(draft), snapshot(sent))
    with pytest.raises(AccessRefused) as refused:
        SERVICE_CALLS[call](cast, Report.objects.get(pk=draft.pk), Report.objects.get(pk=sent.pk))
    assert str(refused.value).startswith("Chỉ ")
    assert (snapshot(draft), snapshot(sent)) == before


def test_reopening_is_for_administrators_only(cast, version):
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    report = report_approve(report=report_submit(report=report, by=cast.leader), by=cast.reviewer)
    with pytest.raises(AccessRefused, match="Chỉ quản trị hệ thống"):
        report_reopen(report=report, by=cast.leader, reason="Bổ sung")
    assert report_reopen(report=report, by=cast.admin, reason="Bổ sung").revision == 2


def test_submission_locks_the_report_before_validating(cast, version, monkeypatch):
    """Validation reads the locked row: a part saved meanwhile cannot slip past it."""
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    queries_before_validation = []

    def validate(locked, **kwargs):
        queries_before_validation.extend(q["sql"] for q in captured.captured_queries)
        return []

    monkeypatch.setattr("reports.services.workflow.validate_report", validate)
    with CaptureQueriesContext(connection) as captured:
        report_submit(report=report, by=cast.leader)
    assert any("FOR UPDATE" in sql for sql in queries_before_validation)


def test_commands_reach_reports_through_the_same_function(cast, foreign, tmp_path):
    out = tmp_path / "bao-cao.pdf"
    report = foreign["submitted"]
    assert report_for_user(OPERATOR, report.pk, READ) == report
    with pytest.raises(ReportNotFound):
        report_for_user(cast.staff, report.pk, READ)
    with pytest.raises(AccessRefused, match="đã gửi, không thể chỉnh sửa"):
        report_for_user(OPERATOR, report.pk, EDIT)
    with pytest.raises(CommandError, match="Báo cáo đã gửi, không thể chỉnh sửa."):
        call_command("import_report_values", str(report.pk), str(out))


def test_for_update_locks_only_the_report_row_and_keeps_what_pages_need(cast, version):
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        locked = report_for_user(cast.leader, report.pk, SUBMIT, for_update=True)
    with CaptureQueriesContext(connection) as later:
        assert (locked.unit.province, locked.period, locked.kind.code) == (
            cast.province,
            cast.period,
            "cchc",
        )
    assert later.captured_queries == []  # joined by report_for_user
    assert any('FOR UPDATE OF "reports_report"' in q["sql"] for q in captured.captured_queries)


def test_a_service_given_no_user_refuses(cast, version):
    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    outline = report.template_version.outline.get(code="chi_dao")
    for nobody in (None, AnonymousUser()):
        with pytest.raises(AccessRefused, match="Hãy đăng nhập"):
            report_save_section(report=report, by=nobody, outline=outline, html="x", expected=None)
    assert report.sections.get(outline=outline).content == ""
