import datetime

import pytest

from org.models import Role
from tests.factories import PASSWORD, make_department, make_province, make_user


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
