"""Every page a user sees speaks Vietnamese: the admin's list, add and change pages of every
registered model, and each role's main portal pages, scanned for common English words."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from demo.loader import load_periods, load_seed_reports, load_templates, load_units, load_users
from reports.models import Report
from tests.english import english_words_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_units()
    load_periods(datetime.date(2026, 11, 22))
    load_templates()
    load_seed_reports()
    load_users_with_password()
    return Report.objects.select_related("unit").get(period__kind="H1", period__year=2022)


def load_users_with_password():
    from org.models import User

    load_users()
    users = list(User.objects.all())
    for user in users:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return users


def _english(client, url: str) -> list[str]:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return [f"{url} → {word}" for word in english_words_in(response.content.decode())]


def test_the_scanner_finds_english_only_in_visible_text():
    html = (
        '<html><head><title>Trang</title><script>var Save = "None";</script></head><body>'
        '<label for="id_x">Decision*</label><input name="Save" value="Delete">'
        '<button title="Lưu">Save</button><code>Outline</code><p>Tệp PDF, Excel</p>'
        '<p data-x="History">so_tt: <span class="d-none">Filter</span></p></body></html>'
    )
    assert [found.split(":")[0] for found in english_words_in(html)] == ["Decision", "Save"]
    assert english_words_in("<p>Lưu · Xóa · Thêm · Mẫu phụ lục</p>") == []


def test_admin_pages_of_every_model_are_in_vietnamese(client, demo):
    assert client.login(username="quantri", password=PASSWORD)
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if model_admin.has_add_permission(_request(client, "quantri")):
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        instance = model_admin.get_queryset(_request(client, "quantri")).order_by("pk").first()
        if instance is not None:
            urls.append(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])
            )
            urls.append(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[instance.pk])
            )
    found = [word for url in urls for word in _english(client, url)]
    assert found == [], "\n".join(found)


def _request(client, username):
    from django.test import RequestFactory

    from org.models import User

    request = RequestFactory().get("/")
    request.user = User.objects.get(username=username)
    return request


PAGES = {
    # username: the pages that role opens every day (the crawler covers the rest)
    "gialai.chuyenvien": ["/", "/don-vi/gia-lai-skhcn/", "/thong-bao/", "/bao-cao/{report}/"],
    "gialai.lanhdao": ["/", "/don-vi/gia-lai-skhcn/"],
    "gialai.thamdinh": [
        "/",
        "/bang-theo-doi/",
        "/bao-cao/{report}/",
        "/bao-cao/{report}/kiem-tra/",
        "/bao-cao/{report}/lich-su/",
    ],
    "quantri": ["/", "/ky-bao-cao/", "/mau/", "/mau/phien-ban/{version}/"],
}


@pytest.mark.parametrize("username", PAGES)
def test_portal_pages_of_each_role_are_in_vietnamese(client, demo, username):
    assert client.login(username=username, password=PASSWORD)
    found = [
        word
        for url in PAGES[username]
        for word in _english(client, url.format(report=demo.pk, version=demo.template_version_id))
    ]
    assert found == [], "\n".join(found)


def test_login_page_is_in_vietnamese(client, db):
    assert _english(client, reverse("login")) == []
