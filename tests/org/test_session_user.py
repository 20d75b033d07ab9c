"""The logged-in user as every request loads it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.models import User
from tests.factories import PASSWORD


def test_a_request_reads_the_user_with_unit_and_province_in_one_query(client, cast):
    """The access checks and the page header read the unit (reviewers also its province) on
    every request; they come with the user, not as two more queries."""
    client.login(username=cast.reviewer.username, password=PASSWORD)
    with CaptureQueriesContext(connection) as queries:
        user = client.get("/thong-bao/").wsgi_request.user
        assert user.unit.province.name  # read without a query of its own
    user_reads = [q["sql"] for q in queries if 'FROM "org_user"' in q["sql"]]
    unit_reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "org_unit"')]
    assert len(user_reads) == 1 and 'JOIN "org_unit"' in user_reads[0]
    assert unit_reads == []


def test_a_deactivated_user_is_logged_out_on_the_next_request(client, cast):
    client.login(username=cast.staff.username, password=PASSWORD)
    User.objects.filter(pk=cast.staff.pk).update(is_active=False)
    response = client.get("/thong-bao/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
