"""Login throttling (django-axes) and password reset by e-mail."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD
from tests.tasks import commit_and_run, run_queued_tasks

LOGIN = "/dang-nhap/"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def attempt(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_username_is_locked_after_repeated_failures_even_with_the_right_password(client, cast):
    for _ in range(2):
        response = attempt(client, cast.staff.username, "sai-mat-khau")
        assert response.status_code == 200  # the form again, with its error
    response = attempt(client, cast.staff.username, "sai-mat-khau")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page and "Hãy thử lại sau 15 phút" in page
    response = attempt(client, cast.staff.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_address_and_other_users_still_log_in(client, cast):
    for _ in range(3):
        attempt(client, cast.staff.username, "sai")
    # Another address (a colleague in another office) and another user are not locked.
    assert attempt(client, cast.staff.username, PASSWORD, address="198.51.100.2").status_code == 302
    client.logout()
    assert attempt(client, cast.leader.username, PASSWORD).status_code == 302


def test_an_administrator_unlocks_in_the_admin(client, cast):
    for _ in range(3):
        attempt(client, cast.staff.username, "sai")
    assert attempt(client, cast.staff.username, PASSWORD).status_code == 429
    admin = client.__class__()
    admin.force_login(cast.admin)
    changelist = admin.get(reverse("admin:ops_failedlogincount_changelist"))
    assert cast.staff.username in changelist.content.decode()
    record = AccessAttempt.objects.get(username=cast.staff.username)
    response = admin.post(
        reverse("admin:ops_failedlogincount_changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert attempt(client, cast.staff.username, PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, cast):
    for _ in range(2):
        attempt(client, cast.staff.username, "sai")
    assert attempt(client, cast.staff.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        attempt(client, cast.staff.username, "sai")
    assert attempt(client, cast.staff.username, PASSWORD).status_code == 302


def test_password_reset_by_email_sets_a_new_password(client, cast):
    page = client.get(LOGIN).content.decode()
    assert reverse("password_reset") in page
    form = client.get(reverse("password_reset")).content.decode()
    assert "Quên mật khẩu" in form
    response = commit_and_run(client.post, reverse("password_reset"), {"email": cast.staff.email})
    assert response.status_code == 302
    assert "Đã gửi e-mail" in client.get(response.url).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.staff.email] and message.subject == "[CCHC] Đặt lại mật khẩu"
    # The link is on the portal's address, whatever Host the request came with.
    link = re.search(r"https://cchc.example.gov.vn(/dat-lai-mat-khau/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    new = "Mat-khau-moi-2026!"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Đã đặt mật khẩu mới" in done.content.decode()
    assert attempt(client, cast.staff.username, new).status_code == 302
    # The link works once.
    assert "không còn hiệu lực" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, cast):
    response = commit_and_run(client.post, reverse("password_reset"), {"email": "ai@nowhere.vn"})
    assert response.status_code == 302
    assert run_queued_tasks() == 0 and mail.outbox == []


# Django's Vietnamese refusal of a wrong username or password.
WRONG = "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác"


def test_password_spraying_from_one_address_locks_the_address(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 20
    # 15 usernames, 4 wrong passwords each: under the per-username limit every time.
    answers = [attempt(client, f"nguoi{i}", "sai").status_code for i in range(15) for _ in range(4)]
    assert answers[:19] == [200] * 19 and set(answers[19:]) == {429}
    response = attempt(client, cast.staff.username, PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    # Another address is not concerned.
    assert attempt(client, cast.staff.username, PASSWORD, address="198.51.100.2").status_code == 302


def test_a_forwarded_address_counts_only_through_a_trusted_proxy(client, cast, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for i in range(3):
        # Straight to gunicorn with a new forged header each time: all one address.
        client.post(
            LOGIN,
            {"username": cast.staff.username, "password": "sai"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
        )
    assert attempt(client, cast.staff.username, PASSWORD).status_code == 429
    # Through the proxy, the address it appended (the last before itself) is the client's; what
    # the client wrote before it is ignored.
    for i in range(3):
        response = client.post(
            LOGIN,
            {"username": cast.leader.username, "password": "sai"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 198.51.100.9, 10.0.0.4",
        )
    assert response.status_code == 429
    assert set(
        AccessAttempt.objects.filter(username=cast.leader.username).values_list(
            "ip_address", flat=True
        )
    ) == {"198.51.100.9"}


@pytest.mark.parametrize("length", [151, 255, 256, 1000, 100_000])
def test_a_username_of_any_length_gets_the_usual_refusal_and_is_recorded(client, db, length):
    from axes.models import AccessFailureLog

    response = client.post(LOGIN, {"username": "u" * length, "password": "x"})
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    [failure] = AccessFailureLog.objects.all()
    assert failure.username == "u" * min(length, 255)


def test_password_reset_is_throttled_per_address(client, cast, settings):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 3
    settings.PASSWORD_RESET_ACCOUNT_LIMIT = 100
    for i in range(3):
        response = client.post(reverse("password_reset"), {"email": f"ai{i}@nowhere.vn"})
        assert response.status_code == 302
    response = client.post(reverse("password_reset"), {"email": cast.staff.email})
    assert response.status_code == 429
    assert "quá nhiều yêu cầu đặt lại mật khẩu" in response.content.decode()
    assert run_queued_tasks() == 0
    other = client.post(
        reverse("password_reset"), {"email": cast.staff.email}, REMOTE_ADDR="198.51.100.2"
    )
    assert other.status_code == 302


def test_password_reset_mails_an_account_at_most_the_limit_an_hour(client, cast, settings):
    settings.PASSWORD_RESET_ACCOUNT_LIMIT = 3
    for i in range(20):
        # From many addresses: each answered the same way, so nobody learns anything.
        response = commit_and_run(
            client.post,
            reverse("password_reset"),
            {"email": cast.staff.email},
            REMOTE_ADDR=f"192.0.2.{i}",
        )
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [[cast.staff.email]] * 3
