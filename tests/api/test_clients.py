"""Registering client systems, their tokens (shown once, stored hashed, revocable, expiring),
the call log and the budget of calls per client."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import Call, Client, Token
from api.services import client_create, client_revoke, token_issue, token_revoke
from org.models import Role
from org.permissions import OPERATOR
from reports.models import ReportState
from tests.factories import PASSWORD


def test_create_api_client_prints_a_token_that_works_and_is_stored_only_hashed(cast, api):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_client",
        "Hệ thống một cửa điện tử tỉnh",
        "--province",
        cast.province.code,
        "--unit",
        cast.department.code,
        "--scope",
        "write",
        stdout=out,
        stderr=err,
    )
    token = out.getvalue().strip()
    assert token.startswith("cchc_") and len(token) > 40 and "\n" not in token
    assert "chỉ in một lần" in err.getvalue()
    client = Client.objects.get(name="Hệ thống một cửa điện tử tỉnh")
    assert client.scopes == ["read", "write"]
    assert list(client.units.all()) == [cast.department]
    stored = Token.objects.get(client=client)
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.prefix, stored.digest}
    me = api(token).get("me/")
    assert me.status_code == 200
    assert me.json()["writable_units"] == [cast.department.code]


def test_create_api_client_refuses_what_it_cannot_register(cast):
    with pytest.raises(CommandError, match="Không có tỉnh mã “khong-co”"):
        call_command("create_api_client", "X", "--province", "khong-co", stdout=StringIO())
    with pytest.raises(CommandError, match="Ghi --province"):
        call_command("create_api_client", "X", "--scope", "read", stdout=StringIO())
    with pytest.raises(CommandError, match="không thuộc tỉnh đã chọn"):
        call_command(
            "create_api_client",
            "X",
            "--province",
            cast.province.code,
            "--unit",
            cast.other_department.code,
            stdout=StringIO(),
        )
    assert not Client.objects.exists()


def test_a_client_writes_under_an_account_that_can_do_nothing_else(cast, make_client, client):
    registered, _token = make_client(provinces=[cast.province], writes=True)
    account = registered.user
    assert account.role == Role.SYSTEM and account.is_system
    assert str(account) == "Hệ thống thử"
    assert not account.is_active and not account.has_usable_password()
    assert not client.login(username=account.username, password=PASSWORD)


def test_only_administrators_register_clients(cast):
    with pytest.raises(PermissionDenied):
        client_create(
            name="X",
            purpose="X",
            provinces=[cast.province],
            expires_at=timezone.now(),
            by=cast.reviewer,
        )


def test_a_national_client_only_reads(cast):
    with pytest.raises(ValidationError, match="chỉ được đọc"):
        client_create(
            name="X",
            purpose="X",
            national=True,
            writes=True,
            expires_at=timezone.now(),
            by=OPERATOR,
        )


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer cchc_sai", "Token abc", "Bearer a b"])
def test_calls_without_a_valid_token_get_401_in_vietnamese(header, cast, api):
    headers = {"Authorization": header} if header else {}
    response = api().get("reports/", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="cchc"'
    assert response.json()["detail"].startswith(("Cần mã truy cập", "Mã truy cập", "Tiêu đề"))


def test_revoked_and_expired_tokens_stop_working(cast, make_client, api):
    registered, token = make_client(provinces=[cast.province])
    call = api(token)
    assert call.get("me/").status_code == 200
    Client.objects.filter(pk=registered.pk).update(expires_at=timezone.now())
    assert call.get("me/").status_code == 401
    Client.objects.filter(pk=registered.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert call.get("me/").status_code == 200
    token_revoke(token=Token.objects.get(client=registered), by=OPERATOR)
    assert call.get("me/").status_code == 401
    _new, fresh = token_issue(client=registered, by=OPERATOR)
    assert api(fresh).get("me/").status_code == 200
    client_revoke(client=registered, by=OPERATOR)
    assert api(fresh).get("me/").status_code == 401
    with pytest.raises(ValidationError, match="thu hồi"):
        token_issue(client=registered, by=OPERATOR)


def test_every_call_is_logged_with_its_client(cast, estate, make_client, api):
    registered, token = make_client(provinces=[cast.province])
    approved = estate[(cast.department.code, ReportState.APPROVED)]
    api(token).get(f"reports/{approved.pk}/values/")
    api(token).get("reports/999999/")
    api("cchc_khong-dung").get("reports/")
    calls = list(Call.objects.order_by("pk"))
    assert [(c.client, c.method, c.status, c.report_id) for c in calls] == [
        (registered, "GET", 200, approved.pk),
        (registered, "GET", 404, None),
        (None, "GET", 401, None),
    ]
    assert calls[0].path == f"/api/v1/reports/{approved.pk}/values/"
    assert calls[0].token_prefix == token[:12]
    assert calls[1].detail == "Không có báo cáo này."
    assert calls[2].token_prefix == "cchc_khong-d"


def test_the_audit_page_shows_api_calls_by_client(cast, make_client, api, client):
    make_client(name="Hệ thống một cửa", provinces=[cast.province])
    _other, other_token = make_client(name="Hệ thống khác", provinces=[cast.province])
    registered = Client.objects.get(name="Hệ thống một cửa")
    _token, raw = token_issue(client=registered, by=OPERATOR)
    api(raw).get("periods/")
    api(other_token).get("me/")
    client.force_login(cast.admin)
    page = client.get("/nhat-ky-he-thong/", {"username": "Hệ thống một cửa"}).content.decode()
    table = page[page.index('data-testid="audit-table"') :]
    assert "Gọi API" in table
    assert "GET /api/v1/periods/ → 200" in table
    assert "/api/v1/me/" not in table


def test_each_client_has_its_own_budget_of_calls(cast, make_client, api, settings):
    settings.API_RATE_PER_MINUTE = 3
    _a, token_a = make_client(name="A", provinces=[cast.province])
    registered_b, token_b = make_client(name="B", provinces=[cast.province])
    statuses = [api(token_a).get("periods/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api(token_a).get("periods/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"].startswith("Gọi quá nhiều lần")
    assert api(token_b).get("periods/").status_code == 200
    Client.objects.filter(pk=registered_b.pk).update(rate_per_minute=1)
    assert api(token_b).get("periods/").status_code == 429
    assert Call.objects.filter(status=429).count() == 3


def add_client(client, **fields):
    """The admin's "add a client" form, posted as a browser would."""
    data = {
        "name": "Hệ thống một cửa điện tử tỉnh",
        "purpose": "Ghi số hồ sơ tiếp nhận, giải quyết",
        "expires_at_0": "31/12/2027",
        "expires_at_1": "23:59:00",
        "tokens-TOTAL_FORMS": "0",
        "tokens-INITIAL_FORMS": "0",
        **fields,
    }
    return client.post("/quan-tri/api/client/add/", data)


def shown_token(response) -> str:
    assert response.status_code == 200, response.content.decode()[:3000]
    return response.content.decode().split('data-testid="api-token">')[1].split("<")[0]


def test_an_administrator_registers_a_client_and_sees_its_token_once(cast, client):
    client.force_login(cast.admin)
    response = add_client(
        client, provinces=[cast.province.pk], units=[cast.department.pk], writes="on"
    )
    shown = shown_token(response)
    assert "no-store" in response["Cache-Control"]  # the admin's never_cache: not kept
    registered = Client.objects.get()
    assert registered.writes and list(registered.units.all()) == [cast.department]
    assert registered.user.first_name == "Hệ thống một cửa điện tử tỉnh"
    assert Token.objects.get().digest == hashlib.sha256(shown.encode()).hexdigest()
    change = client.get(f"/quan-tri/api/client/{registered.pk}/change/").content.decode()
    assert shown not in change and shown[:12] in change


def test_the_admin_form_refuses_a_unit_of_another_province(cast, client):
    client.force_login(cast.admin)
    response = add_client(client, provinces=[cast.province.pk], units=[cast.other_department.pk])
    assert response.status_code == 200
    assert "Đơn vị không thuộc tỉnh đã chọn" in response.content.decode()
    assert not Client.objects.exists()


def test_the_admin_issues_a_new_token_and_revokes_a_client(cast, client, api):
    client.force_login(cast.admin)
    first = shown_token(add_client(client, provinces=[cast.province.pk]))
    registered = Client.objects.get()
    action = {"_selected_action": [registered.pk], "index": 0}
    second = shown_token(client.post("/quan-tri/api/client/", {**action, "action": "issue_token"}))
    assert first != second
    assert api(first).get("me/").status_code == api(second).get("me/").status_code == 200
    client.post("/quan-tri/api/client/", {**action, "action": "revoke"})
    assert api(first).get("me/").status_code == api(second).get("me/").status_code == 401
    assert Client.objects.get().revoked_at is not None
