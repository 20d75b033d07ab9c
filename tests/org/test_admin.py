"""A unit's end and successor belong to the merger service: the admin shows them, never edits
them, and offers the "Sáp nhập" action instead."""

import datetime

from django.urls import reverse

from org.models import Unit


def test_the_unit_form_cannot_set_a_successor_or_an_end(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:org_unit_change", args=[cast.department.pk])
    page = client.get(url).text
    assert 'name="successor"' not in page and 'name="valid_to"' not in page
    assert 'name="name"' in page
    data = {
        "code": cast.department.code,
        "name": cast.department.name,
        "short_name": cast.department.short_name,
        "header_name": cast.department.header_name,
        "kind": cast.department.kind,
        "parent": cast.province.pk,
        "province": cast.province.pk,
        "successor": cast.colleague_department.pk,
        "valid_to": "31/12/2025",
    }
    client.post(url, data)
    unit = Unit.objects.get(pk=cast.department.pk)
    assert unit.successor_id is None and unit.valid_to is None


def test_the_merger_action_sets_them_through_the_service(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:org_unit_changelist"),
        {
            "action": "succeed",
            "_selected_action": [cast.department.pk],
            "apply": "1",
            "successor": cast.colleague_department.pk,
            "on": "01/07/2025",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(pk=cast.department.pk)
    assert unit.successor == cast.colleague_department
    assert unit.valid_to == datetime.date(2025, 6, 30)
