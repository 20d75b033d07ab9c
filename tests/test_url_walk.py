"""Every URL pattern that names an object (an id or a code) reaches it through its kind's
access helper (lib.access.object_view) and gives the one refusal table's answer (lib/access.py):

- the login page for anonymous visitors;
- 404 for whoever may not know the object exists (another province's unit or report);
- 403 with the Vietnamese reason for whoever may see it but not do this;
- and a refused POST changes nothing.

A new pattern with an id or a code fails `test_every_pattern_with_an_id_or_code_is_walked`
until it is built on object_view and added to WALK below. The reports' own patterns are walked
in more depth (every need, both states, each reason) in tests/reports/test_access.py.
"""

import datetime
import re

import pytest
from django.urls import reverse

from indicators.models import Appendix, ReportKind, TemplateVersion
from indicators.services import version_clone, version_import, version_publish
from org.models import Role
from org.permissions import OPERATOR
from parindex.sample import FIXTURE as INDEX_FIXTURE
from parindex.services import (
    assessment_start,
    assessment_submit,
    criteria_set_import,
    evidence_add_file,
    score_save,
)
from parindex.workbook import read_fixture
from province.services import compile_province_report
from reports.models import Period, Report, StateChange
from tests.factories import make_user
from tests.indicators.test_template_workbooks import base_spec
from tests.reports.test_access import (  # noqa: F401 - fixtures
    POST_DATA,
    foreign,
    url_patterns,
    version,
)

# Patterns with a parameter that names no object of ours.
NOT_OBJECTS = {
    "password_reset_confirm": "a signed token of Django's password reset",
}
# The API answers systems with bearer tokens, not people with sessions: its own refusal table
# (401 instead of the login page; api/access.py), walked for every endpoint, kind of client and
# state in tests/api/test_isolation.py.
MACHINE_ROUTES = ("api/",)
ANONYMOUS = "anonymous"
# Who asks: the people of tỉnh An Giang (cast.staff, .reviewer) and of tỉnh Bắc Ninh (the
# objects' province: outsider_staff works in the foreign department), and the administrator.
PEOPLE = ["staff", "reviewer", "outsider_staff", "outsider_reviewer", "province_leader", "admin"]

ALLOWED = "allowed"  # access lets them through: anything but the login page, 403 or 404

# What each kind's object answers, by who asks (the oracle, written from the refusal table).
EXPECTED = {
    # a department of tỉnh Bắc Ninh: its people and province see it, others may not know it
    ("unit", "read"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": ALLOWED,
        "outsider_reviewer": ALLOWED,
        "province_leader": ALLOWED,
        "admin": ALLOWED,
    },
    ("unit", "create"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": ALLOWED,
        "outsider_reviewer": 403,
        "province_leader": 403,
        "admin": 403,
    },
    # tỉnh Bắc Ninh's submitted department report
    ("report", "read"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": 404,  # another department of the province
        "outsider_reviewer": ALLOWED,
        "province_leader": ALLOWED,
        "admin": ALLOWED,
    },
    # ... what its readers may not do with it
    ("report", "edit"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": 404,
        "outsider_reviewer": 403,
        "province_leader": 403,
        "admin": 403,
    },
    ("report", "submit"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": 404,
        "outsider_reviewer": 403,
        "province_leader": 403,
        "admin": 403,
    },
    ("report", "review"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": 404,
        "outsider_reviewer": ALLOWED,
        "province_leader": 403,
        "admin": 403,
    },
    ("report", "sign_pdf"): {  # its leader's digital signature
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": 404,
        "outsider_reviewer": 403,
        "province_leader": 403,
        "admin": 403,
    },
    ("report", "admin"): {  # reopening: only an approved report
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": 404,
        "outsider_reviewer": 403,
        "province_leader": 403,
        "admin": 403,
    },
    # tỉnh Bắc Ninh's own report, a draft compiled by its reviewer
    ("province_report", "read"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": 404,
        "outsider_reviewer": ALLOWED,
        "province_leader": ALLOWED,
        "admin": ALLOWED,
    },
    ("province_report", "edit"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": 404,
        "outsider_reviewer": ALLOWED,
        "province_leader": 403,
        "admin": 403,
    },
    ("province_report", "sign"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": 404,
        "outsider_reviewer": 403,
        "province_leader": ALLOWED,
        "admin": 403,
    },
    # templates are configured by administrators; a draft version and its appendix
    **{
        (kind, need): dict.fromkeys(PEOPLE, 403) | {"admin": ALLOWED}
        for kind in ("version", "appendix")
        for need in ("read", "edit", "admin")
    },
    ("period", "admin"): dict.fromkeys(PEOPLE, 403) | {"admin": ALLOWED},
    # tỉnh Bắc Ninh's PAR Index criteria set: its province sees it; its staff start on it
    ("index_set", "read"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": ALLOWED,
        "outsider_reviewer": ALLOWED,
        "province_leader": ALLOWED,
        "admin": ALLOWED,
    },
    ("index_set", "create"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": ALLOWED,
        "outsider_reviewer": 403,
        "province_leader": 403,
        "admin": 403,
    },
    # ... and its department's submitted self-assessment, and an evidence file of it
    **{
        (kind, "read"): {
            "staff": 404,
            "reviewer": 404,
            "outsider_staff": ALLOWED,
            "outsider_reviewer": ALLOWED,
            "province_leader": ALLOWED,
            "admin": ALLOWED,
        }
        for kind in ("assessment", "evidence")
    },
    **{
        (kind, need): {
            "staff": 404,
            "reviewer": 404,
            "outsider_staff": 403,
            "outsider_reviewer": 403,
            "province_leader": 403,
            "admin": 403,
        }
        for kind, need in (("assessment", "edit"), ("assessment", "submit"), ("evidence", "edit"))
    },
    ("assessment", "review"): {
        "staff": 404,
        "reviewer": 404,
        "outsider_staff": 403,
        "outsider_reviewer": ALLOWED,
        "province_leader": 403,
        "admin": 403,
    },
    # the dashboard's drill-down of an indicator of tỉnh Bắc Ninh
    ("indicator", "read"): {
        "staff": 403,
        "reviewer": 404,
        "outsider_staff": 403,
        "outsider_reviewer": ALLOWED,
        "province_leader": 403,
        "admin": ALLOWED,
    },
}

# pattern name -> the kind of object it names
WALK = {
    "reports:unit_detail": "unit",
    "reports:report_new": "unit",
    **dict.fromkeys(
        [
            "reports:report_detail",
            "reports:report_header",
            "reports:report_section",
            "reports:report_appendix",
            "reports:report_excel",
            "reports:report_excel_download",
            "reports:report_carry_over",
            "reports:report_validation",
            "reports:report_submit",
            "reports:report_comment",
            "reports:comment_addressed",
            "reports:report_decide",
            "reports:report_reopen",
            "reports:report_history",
            "reports:value_history",
            "documents:report_pdf",
            "documents:report_docx",
            "documents:document_status",
            "signatures:signing",
            "signatures:copy",
            "signatures:verify",
        ],
        "report",
    ),
    "province:panel": "province_report",
    "province:breakdown": "province_report",
    "province:sign": "province_report",
    "reports:template_upgrade": "version",
    "reports:period_toggle": "period",
    "review:indicator": "indicator",
    **{
        f"indicators:{name}": "version"
        for name in [
            "version_detail",
            "version_preview",
            "version_export",
            "version_edit",
            "version_publish",
            "version_clone",
            "version_delete",
            "outline_edit",
            "rules_edit",
            "appendix_new",
        ]
    },
    **{
        f"indicators:{name}": "appendix"
        for name in ["appendix_edit", "appendix_move", "appendix_delete"]
    },
    **{
        f"parindex:{name}": "index_set"
        for name in [
            "set_detail",
            "set_workbook",
            "set_start",
            "results",
            "results_pdf",
            "results_xlsx",
        ]
    },
    **{
        f"parindex:{name}": "assessment"
        for name in ["assessment", "assessment_edit", "assessment_submit", "assessment_review"]
    },
    "parindex:evidence": "evidence",
    "parindex:evidence_remove": "evidence",
}


def named_patterns():
    return [
        (route, name, view)
        for route, name, view in url_patterns()
        if "<" in route
        and not route.startswith(("quan-tri/", *MACHINE_ROUTES))
        and name not in NOT_OBJECTS
    ]


def test_every_pattern_with_an_id_or_code_is_walked():
    for route, name, view in named_patterns():
        access = getattr(view, "access", None)
        assert access is not None and access.reach is not None, f"{route}: not an object_view"
        assert name in WALK, f"{name} ({route}): add it to WALK with the kind it names"
    assert {name for _r, name, _v in named_patterns()} == set(WALK)


@pytest.fixture
def world(cast, foreign):  # noqa: F811
    """tỉnh Bắc Ninh's objects, and a province leader for it."""
    leader = make_user("lanhdaotinh-b", Role.PROVINCE_LEADER, cast.other_province)
    sent = foreign["submitted"]
    province_template = base_spec(code="mau-tinh", report_kinds=[ReportKind.PROVINCE_CODE])
    province_template.appendices[0].indicators[1].aggregate = "sum(so_nv)"
    version_publish(version=version_import(spec=province_template, by=OPERATOR), by=OPERATOR)
    own = compile_province_report(
        province=cast.other_province, period=cast.period, by=cast.outsider_reviewer
    )
    draft = version_clone(version=sent.template_version, by=OPERATOR)
    index_spec = read_fixture(INDEX_FIXTURE)
    for row in index_spec.rows:  # its codes are not those of this test's template
        row.expression = ""
    index_set = criteria_set_import(
        by=OPERATOR, province=cast.other_province, spec=index_spec, year=2025
    )
    assessment = assessment_start(by=OPERATOR, criteria_set=index_set, unit=cast.other_department)
    for score in assessment.scores.all():
        score_save(by=OPERATOR, assessment=assessment, criterion_id=score.criterion_id, points=1)
    evidence = evidence_add_file(
        by=OPERATOR,
        assessment=assessment,
        criterion_id=assessment.scores.first().criterion_id,
        name="ke-hoach.pdf",
        data=b"%PDF-1.7\n%%EOF\n",
    )
    assessment = assessment_submit(by=OPERATOR, assessment=assessment)
    return {
        "index_set": index_set,
        "assessment": assessment,
        "evidence": evidence,
        "unit": cast.other_department,
        "report": sent,
        "comment": foreign["comment"],
        "province_report": own,
        "version": draft,
        "appendix": draft.appendices.first(),
        "period": cast.period,
        "indicator": "so_nv",
        "province_leader": leader,
    }


def kwargs_for(route: str, kind: str, world) -> dict:
    obj = world[kind]
    values = {
        "pk": getattr(obj, "pk", None),
        "code": {"unit": getattr(obj, "code", ""), "indicator": obj}.get(kind, "so_nv"),
        "comment_pk": world["comment"].pk,
        "file_format": "pdf",
        "period_pk": world["period"].pk,
        "kind": "cchc",
    }
    if kind == "report":
        values["code"] = {"muc": "chi_dao", "phu-luc": "pl1"}.get(
            next((p for p in ("muc", "phu-luc") if f"/{p}/" in route), ""), "so_nv"
        )
    return {arg: values[arg] for arg in re.findall(r"<\w+:(\w+)>", route)}


def snapshot() -> tuple:
    return (
        Report.objects.count(),
        StateChange.objects.count(),
        sorted(Report.objects.values_list("pk", "state", "updated_at")),
        sorted(TemplateVersion.objects.values_list("pk", "status", "applies_from")),
        Appendix.objects.count(),
        sorted(Period.objects.values_list("pk", "is_open")),
    )


def ask(client, method, url):
    return client.post(url, POST_DATA) if method == "post" else client.get(url)


def refused_or_allowed(response) -> object:
    if response.status_code in (403, 404):
        return response.status_code
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return ANONYMOUS
    return ALLOWED


@pytest.mark.parametrize("name", sorted(WALK))
def test_each_pattern_gives_the_refusal_tables_answer(client, cast, world, name):
    route, view = next((r, v) for r, n, v in named_patterns() if n == name)
    kind = WALK[name]
    url = reverse(name, kwargs=kwargs_for(route, kind, world))
    if kind == "indicator":
        url += f"?province={cast.other_province.code}&period={cast.period.code}"
    client.logout()
    methods = [m for m in ("get", "post") if ask(client, m, url).status_code != 405]
    assert methods, f"{name} answers neither GET nor POST"
    people = {person: getattr(cast, person, None) for person in PEOPLE}
    people["province_leader"] = world["province_leader"]
    for method in methods:
        need = (view.access.post if method == "post" else None) or view.access.need
        expected = EXPECTED[(kind, need.value)]
        client.logout()
        assert refused_or_allowed(ask(client, method, url)) == ANONYMOUS, name
        for person, user in people.items():
            client.force_login(user)
            before = snapshot()
            response = ask(client, method, url)
            answer = refused_or_allowed(response)
            assert answer == expected[person], (name, method, person, response.status_code)
            if answer == 403:
                assert 'data-testid="refusal-reason"' in response.text, (name, person)
            if answer in (403, 404) and method == "post":
                assert snapshot() == before, (name, person)


@pytest.mark.parametrize("kind", ["unit", "report", "version", "appendix", "period"])
def test_an_object_that_does_not_exist_answers_404_even_to_the_administrator(
    client, cast, world, kind
):
    name = {
        "unit": "reports:unit_detail",
        "report": "reports:report_detail",
        "version": "indicators:version_detail",
        "appendix": "indicators:appendix_edit",
        "period": "reports:period_toggle",
    }[kind]
    route = next(r for r, n, _v in named_patterns() if n == name)
    kwargs = kwargs_for(route, kind, world)
    kwargs = {k: (999999 if isinstance(v, int) else "khong-co") for k, v in kwargs.items()}
    client.force_login(cast.admin)
    method = client.post if kind == "period" else client.get
    assert method(reverse(name, kwargs=kwargs)).status_code == 404


def test_a_published_version_answers_403_with_the_way_forward(client, cast, world):
    published = version_publish(
        version=version_import(spec=base_spec(applies_from=datetime.date(2030, 1, 1)), by=OPERATOR),
        by=OPERATOR,
    )
    client.force_login(cast.admin)
    response = client.get(reverse("indicators:version_edit", args=[published.pk]))
    assert response.status_code == 403
    assert "đã công bố nên không sửa được" in response.text
