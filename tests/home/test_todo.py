""" "Việc cần làm": for each role one list across periods of what waits for them, on the demo's
reports in every state; its length beside "Việc cần làm" in the navigation; the reviewers'
reminder to every late unit. Expected lists are read from the database here, independently of
home.todo and reports.access."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.loader import DEMO_PASSWORD
from home.todo import todo_count, todo_for
from indicators.models import TemplateVersion, VersionStatus
from indicators.services import version_clone
from org.models import Role, Unit, User
from org.permissions import OPERATOR
from reports.models import Notification, Period, Report, ReportState
from reports.services.periods import period_create
from reports.services.workflow import report_return
from tests.crawl.conftest import DEMO_DAY
from tests.tasks import commit_and_run

pytestmark = pytest.mark.django_db


def items(user, today=DEMO_DAY) -> dict[str, list[str]]:
    return {g.key: [i.url or i.post for i in g.items] for g in todo_for(user, today)}


def urls(reports, suffix="") -> list[str]:
    return sorted(f"/bao-cao/{r.pk}/{suffix}" for r in reports)


def user(username) -> User:
    return User.objects.select_related("unit__province").get(username=username)


def department_reports(unit_code, *states):
    return Report.objects.filter(unit__code=unit_code, state__in=states)


EDITABLE = (ReportState.DRAFT, ReportState.RETURNED)


def test_staff_see_their_drafts_and_returned_reports_of_every_period(demo):
    todo = items(user("cantho.chuyenvien"))
    mine = department_reports("can-tho-skhcn", *EDITABLE)
    assert {r.period.kind for r in mine} == {"Y", "H1", "Q1"}  # across periods
    assert sorted(todo["write"]) == urls(mine)
    assert "sign" not in todo and "review" not in todo


def test_leaders_see_the_same_reports_to_sign(demo):
    todo = items(user("cantho.lanhdao"))
    mine = department_reports("can-tho-skhcn", *EDITABLE)
    assert sorted(todo["sign"]) == urls(mine, "gui/")
    assert "write" not in todo


def test_reviewers_see_every_submission_of_their_province_whatever_its_period(demo):
    todo = items(user("cantho.thamdinh"))
    waiting = Report.objects.filter(
        unit__province__code__in=["can-tho", "soc-trang"],
        state__in=[ReportState.SUBMITTED, ReportState.RESUBMITTED],
    ).exclude(unit__kind="province")
    assert {r.period.kind for r in waiting} == {"Q3", "Y"}  # the Q3 one is not hidden by Y
    assert sorted(todo["review"]) == urls(waiting)
    assert "write" not in todo  # the province's own draft is not "being written" by them


def test_the_province_leader_sees_the_province_reports_to_sign(demo):
    todo = items(user("cantho.lanhdaotinh"))
    # Cần Thơ's for 2026 and Sóc Trăng's for 2021 (the province it succeeded), both unsigned.
    drafts = Report.objects.filter(
        unit__code__in=["can-tho", "soc-trang"], kind__code="cchc-tinh", state=ReportState.DRAFT
    )
    assert drafts.count() == 2
    assert sorted(todo["sign"]) == urls(drafts, "tinh/ky-gui/")


def test_a_stale_province_report_waits_for_the_reviewer(demo):
    from reports.services.workflow import report_approve

    reviewer = user("cantho.thamdinh")
    assert "stale" not in items(reviewer)
    # The justice department's year report, under review: its approval changes the sources.
    submitted = department_reports("can-tho-stp", ReportState.RESUBMITTED).get()
    report_approve(report=submitted, by=reviewer)
    own = Report.objects.get(unit__code="can-tho", kind__code="cchc-tinh", period__year=2026)
    assert items(reviewer)["stale"] == [f"/bao-cao/{own.pk}/tinh/"]


def test_administrators_see_template_drafts(demo):
    admin = user("quantri")
    assert "drafts" not in items(admin)
    published = TemplateVersion.objects.filter(status=VersionStatus.PUBLISHED).first()
    draft = version_clone(version=published, by=admin)
    assert items(admin)["drafts"] == [f"/mau/phien-ban/{draft.pk}/"]
    assert "drafts" not in items(user("cantho.thamdinh"))


def test_an_open_period_without_the_units_report_is_there_to_create(demo):
    staff = user("cantho.chuyenvien")
    period = period_create(by=OPERATOR, kind="H1", year=2027)
    Period.objects.filter(pk=period.pk).update(is_open=True)
    todo = todo_for(staff, DEMO_DAY)
    created = next(g for g in todo if g.key == "create")
    assert [i.post for i in created.items] == [
        f"/don-vi/can-tho-skhcn/lap-bao-cao/{period.pk}/cchc/"
    ]
    assert "còn" in created.items[0].detail


def test_a_role_with_nothing_waiting_sees_an_empty_list(demo, client):
    assert items(user("cantho.tuphap")) == {}  # resubmitted and approved: nothing to do
    assert client.login(username="cantho.tuphap", password=DEMO_PASSWORD)
    page = client.get("/").content.decode()
    assert "Không có việc nào đang chờ bạn." in page
    assert 'data-testid="todo-count"' not in page


@pytest.mark.parametrize("username", ["cantho.chuyenvien", "cantho.lanhdao", "cantho.thamdinh"])
def test_the_navigation_shows_how_many_things_wait_on_every_page(demo, client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    expected = todo_count(todo_for(user(username), datetime.date.today()))
    assert expected > 0
    for url in ["/", "/thong-bao/"]:
        page = client.get(url).content.decode()
        count = re.search(r'data-testid="todo-count">(\d+)<', page)
        assert count and int(count.group(1)) == expected, url
    home = client.get("/").content.decode()
    assert home.count('data-testid="todo-item"') == expected


def nav_count(client, url="/thong-bao/") -> int:
    count = re.search(r'data-testid="todo-count">(\d+)<', client.get(url).content.decode())
    return int(count.group(1)) if count else 0


def test_the_navigation_count_follows_what_somebody_else_does(demo, client):
    staff = user("cantho.chuyenvien")
    assert client.login(username=staff.username, password=DEMO_PASSWORD)
    before = nav_count(client)
    submitted = department_reports("can-tho-skhcn", ReportState.SUBMITTED).first()
    report_return(report=submitted, by=user("cantho.thamdinh"), reason="Bổ sung số liệu.")
    # The returned report is the staff's to write again, on the next page they open.
    assert nav_count(client) == before + 1 == todo_count(todo_for(staff, datetime.date.today()))


def test_the_navigation_count_is_not_computed_again_while_nothing_changes(demo, client):
    assert client.login(username="cantho.thamdinh", password=DEMO_PASSWORD)
    first = nav_count(client)
    with CaptureQueriesContext(connection) as queries:
        assert nav_count(client) == first
    # One cache lookup for the epoch; none of the to-do list's report, period or kind queries.
    touched = " ".join(q["sql"] for q in queries.captured_queries)
    assert "reports_period" not in touched and "indicators_reportkind" not in touched
    assert "cchc_cache" in touched


# --- late units ----------------------------------------------------------------------------------


@pytest.fixture
def overdue(demo):
    """Last year's year report, open and past its deadline; a finance department with staff."""
    today = datetime.date.today()
    period = Period.objects.filter(kind="Y", year=today.year - 1).first() or period_create(
        by=OPERATOR, kind="Y", year=today.year - 1
    )
    period.is_open = True
    period.save(update_fields=["is_open"])
    finance = Unit.objects.get(code="can-tho-stc")
    staff = User.objects.create_user(
        "cantho.taichinh", "taichinh@demo.invalid", "x", role=Role.STAFF, unit=finance
    )
    return period, staff


def late_cantho_units(period):
    """Cần Thơ's departments and communes without a submitted report for the period."""
    sent = Report.objects.filter(
        period=period, state__in=[ReportState.SUBMITTED, ReportState.RESUBMITTED, "approved"]
    )
    return (
        Unit.objects.filter(province__code="can-tho")
        .exclude(kind="province")
        .exclude(pk__in=sent.values("unit_id"))
    )


def test_reviewers_see_the_units_late_with_a_report(overdue):
    period, _staff = overdue
    todo = todo_for(user("cantho.thamdinh"), datetime.date.today())
    late = next(g for g in todo if g.key == "late")
    expected = late_cantho_units(period)
    assert len(late.items) == 1 and late.remind
    assert f"{expected.count()} đơn vị chưa gửi" in late.items[0].title
    assert period.label in late.items[0].title
    assert "Sở Tài chính" in late.items[0].detail


def test_one_click_reminds_every_late_unit_once_a_day(overdue, client):
    period, staff = overdue
    assert client.login(username="cantho.thamdinh", password=DEMO_PASSWORD)
    mail.outbox.clear()
    response = commit_and_run(client.post, "/viec-can-lam/nhac-don-vi-qua-han/", follow=True)
    page = response.content.decode()
    late_people = User.objects.filter(
        unit__in=late_cantho_units(period), role__in=[Role.STAFF, Role.LEADER], is_active=True
    )
    assert f"Đã nhắc {late_people.count()} người" in page
    told = Notification.objects.filter(message__contains=f"Báo cáo {period.label} đã quá hạn")
    assert set(told.values_list("user__username", flat=True)) == set(
        late_people.values_list("username", flat=True)
    )
    assert staff.email in {m.to[0] for m in mail.outbox}
    again = client.post("/viec-can-lam/nhac-don-vi-qua-han/", follow=True).content.decode()
    assert "Đã nhắc 0 người" in again and "không nhắc lại" in again
    assert told.count() == late_people.count()
    # The late staff find the period on their own list, to create the report.
    assert client.login(username="cantho.taichinh", password="x")
    assert "Lập báo cáo" in client.get("/").content.decode()


@pytest.mark.parametrize("username", ["cantho.chuyenvien", "cantho.lanhdaotinh", "quantri"])
def test_only_reviewers_may_remind_late_units(overdue, client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.post("/viec-can-lam/nhac-don-vi-qua-han/").status_code == 403
    assert client.get("/viec-can-lam/nhac-don-vi-qua-han/").status_code == 405
    assert not Notification.objects.filter(message__contains="đã quá hạn").exists()


def test_a_department_is_offered_its_own_report_never_the_provinces(demo, client):
    """Hồ Chí Minh's science department has no 2026 report yet: one button, for its report."""
    todo = items(user("hochiminh.chuyenvien"))
    assert [url.rsplit("/", 2)[-2] for url in todo["create"]] == ["cchc"]
    assert client.login(username="hochiminh.chuyenvien", password=DEMO_PASSWORD)
    unit_page = client.get("/don-vi/ho-chi-minh-skhcn/").content.decode()
    assert "/cchc/" in unit_page and "cchc-tinh" not in unit_page
