import datetime

import pytest

from lib.periods import (
    default_deadline,
    default_window,
    parse_period_code,
    period_label,
    previous_period,
)
from reports.models import Period
from tests.factories import PASSWORD

D = datetime.date


@pytest.mark.parametrize(
    ("kind", "year", "label"),
    [
        ("H1", 2022, "6 tháng đầu năm 2022"),
        ("Y", 2021, "năm 2021"),
        ("Q3", 2023, "quý III năm 2023"),
        ("M9", 2024, "9 tháng năm 2024"),
    ],
)
def test_period_labels_read_as_departments_write_them(kind, year, label):
    assert period_label(kind, year) == label


@pytest.mark.parametrize(
    ("kind", "window"),
    [
        ("Q1", (D(2021, 12, 15), D(2022, 3, 14))),
        ("H1", (D(2021, 12, 15), D(2022, 6, 14))),
        ("Q3", (D(2022, 6, 15), D(2022, 9, 14))),
        ("M9", (D(2021, 12, 15), D(2022, 9, 14))),
        ("Y", (D(2021, 12, 15), D(2022, 12, 14))),
    ],
)
def test_default_windows_follow_decree_09_2019(kind, window):
    assert default_window(kind, 2022) == window
    assert default_deadline(kind, 2022) > window[1]


def test_previous_period_of_first_quarter_is_last_years_fourth():
    assert previous_period("Q1", 2023) == ("Q4", 2022)
    assert previous_period("Y", 2023) == ("Y", 2022)


def test_bad_period_code_is_refused_in_vietnamese():
    assert parse_period_code("2022-H1") == ("H1", 2022)
    with pytest.raises(ValueError, match="không hợp lệ"):
        parse_period_code("H1-2022")


def test_admin_creates_period_with_default_window(client, cast):
    client.login(username=cast.admin.username, password=PASSWORD)
    response = client.post("/ky-bao-cao/", {"kind": "H1", "year": "2027", "is_open": "on"})
    assert response.status_code == 302
    period = Period.objects.get(kind="H1", year=2027)
    assert (period.window_start, period.window_end) == (D(2026, 12, 15), D(2027, 6, 14))
    assert period.is_open


def test_duplicate_period_is_refused_with_message_and_input_kept(client, cast):
    client.login(username=cast.admin.username, password=PASSWORD)
    response = client.post("/ky-bao-cao/", {"kind": "Y", "year": "2026"})
    assert response.status_code == 200
    assert "Kỳ báo cáo này đã có." in response.text
    assert 'value="2026"' in response.text


def test_deadline_before_cutoff_is_refused(client, cast):
    client.login(username=cast.admin.username, password=PASSWORD)
    response = client.post("/ky-bao-cao/", {"kind": "Q3", "year": "2027", "deadline": "01/09/2027"})
    assert "Hạn gửi báo cáo phải sau ngày chốt số liệu." in response.text
    assert not Period.objects.filter(kind="Q3", year=2027).exists()


def test_staff_cannot_open_or_close_periods(client, cast):
    client.login(username=cast.staff.username, password=PASSWORD)
    response = client.post(f"/ky-bao-cao/{cast.period.pk}/mo-dong/")
    assert response.status_code == 403
    cast.period.refresh_from_db()
    assert cast.period.is_open


def test_admin_closes_period_by_post_only(client, cast):
    client.login(username=cast.admin.username, password=PASSWORD)
    assert client.get(f"/ky-bao-cao/{cast.period.pk}/mo-dong/").status_code == 405
    client.post(f"/ky-bao-cao/{cast.period.pk}/mo-dong/")
    cast.period.refresh_from_db()
    assert not cast.period.is_open
