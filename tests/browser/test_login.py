import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.parametrize(
    ("who", "shortcut", "path"),
    [
        ("staff", "Báo cáo của đơn vị", "/don-vi/"),
        ("leader", "Báo cáo của đơn vị", "/don-vi/"),
        ("reviewer", "Mở bảng theo dõi", "/bang-theo-doi/"),
        ("admin", "Mở danh sách mẫu", "/mau/"),
    ],
)
def test_each_role_logs_in_and_lands_on_its_home_page(page, live_server, cast, who, shortcut, path):
    user = getattr(cast, who)
    log_in(page, live_server, user.username)
    assert page.get_by_test_id("page-title").inner_text() == "Việc cần làm"
    page.get_by_test_id("shortcuts").get_by_role("link", name=shortcut).click()
    page.wait_for_url(f"{live_server.url}{path}**")
    assert user.username in page.get_by_test_id("current-user").inner_text()
    page.get_by_role("button", name="Đăng xuất").click()
    assert "/dang-nhap/" in page.url


def test_wrong_password_shows_vietnamese_message(page, live_server, cast):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(cast.staff.username)
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    assert "mật khẩu chính xác" in page.content()
