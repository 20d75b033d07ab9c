"""Units closed before a period are not offered its report; units sharing a name are told apart
by their dates wherever they are listed."""

import datetime

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.services import version_import, version_publish
from org.models import Role, Unit
from reports.access import OPERATOR
from reports.services import report_create
from reports.services.errors import ReportError
from tests.factories import PASSWORD, make_period, make_user
from tests.indicators.test_template_workbooks import base_spec

OLD = "Ủy ban nhân dân tỉnh Quảng Trị (đến 30/06/2025)"


@pytest.fixture
def quang_tri(demo_units):
    """The old and the new UBND tỉnh Quảng Trị: same name, one closed on 30/06/2025."""
    old = Unit.objects.get(code="quang-tri")
    new = Unit.objects.get(code="quang-tri-moi")
    assert old.name == new.name == "Ủy ban nhân dân tỉnh Quảng Trị"
    return old, new


def test_units_sharing_a_name_show_their_dates_and_others_just_their_name(quang_tri):
    old, new = quang_tri
    assert old.display_name == OLD
    assert new.display_name == "Ủy ban nhân dân tỉnh Quảng Trị (từ 01/07/2025)"
    soc_trang = Unit.objects.get(code="soc-trang-skhcn")
    assert soc_trang.valid_to and soc_trang.display_name == soc_trang.name


def test_a_list_tells_units_apart_in_one_query(quang_tri):
    with CaptureQueriesContext(connection) as queries:
        names = [u.display_name for u in Unit.objects.with_shared_names()]
    assert len(queries) == 1
    assert OLD in names and "Ủy ban nhân dân tỉnh Quảng Trị (từ 01/07/2025)" in names
    same_name = Unit.objects.with_shared_names().filter(name=quang_tri[0].name).order_by("pk")
    field = forms.ModelChoiceField(queryset=same_name)  # labels are str(unit)
    assert {label for value, label in field.choices if value} == {
        OLD,
        "Ủy ban nhân dân tỉnh Quảng Trị (từ 01/07/2025)",
    }


@pytest.fixture
def year_2026(db):
    version_publish(
        by=OPERATOR,
        version=version_import(by=OPERATOR, spec=base_spec(applies_from=datetime.date(2019, 1, 1))),
    )
    return make_period("Y", 2026, is_open=True)


def test_a_unit_closed_before_the_period_is_not_offered_its_report(client, demo_units, year_2026):
    old = Unit.objects.get(code="quang-tri-skhcn")
    new = Unit.objects.get(code="quang-tri-moi-skhcn")
    for unit, offered in ((old, False), (new, True)):
        user = make_user(f"staff-{unit.code}", Role.STAFF, unit)
        assert client.login(username=user.username, password=PASSWORD)
        page = client.get(f"/don-vi/{unit.code}/").content.decode()
        assert ("Lập báo cáo năm 2026" in page) is offered
    assert "Sở Khoa học và Công nghệ tỉnh Quảng Trị (đến 30/06/2025)" in page  # the history list
    with pytest.raises(ReportError, match="không còn hoạt động"):
        report_create(unit=old, period=year_2026, by=OPERATOR)


def test_admin_and_the_template_form_tell_the_two_provinces_apart(client, quang_tri):
    admin_user = make_user("quantri", Role.ADMIN)
    assert client.login(username=admin_user.username, password=PASSWORD)
    units = client.get("/quan-tri/org/unit/?q=Quảng+Trị").content.decode()
    assert OLD in units and "Ủy ban nhân dân tỉnh Quảng Trị (từ 01/07/2025)" in units
    # The province column of a department of the old province names the old province.
    department = client.get("/quan-tri/org/unit/?q=quang-tri-skhcn").content.decode()
    assert OLD in department
    form = client.get("/mau/").content.decode()
    assert OLD in form and "Ủy ban nhân dân tỉnh Quảng Trị (từ 01/07/2025)" in form
