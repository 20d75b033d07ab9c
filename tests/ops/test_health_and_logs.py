"""/healthz, the request log, and the Content-Security-Policy header."""

import json
import logging

from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ops.logging import JsonFormatter, request_id


def test_healthz_answers_without_login(client, worker_alive):
    response = client.get("/healthz")
    assert response.status_code == 200
    answer = response.json()
    assert (answer["status"], answer["database"], answer["tasks"]) == ("ok", "ok", "ok")
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_a_load_balancer_probing_a_node_over_plain_http(
    client, worker_alive, settings
):
    settings.ALLOWED_HOSTS = ["cchc.example.gov.vn"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.12:8000")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    # Every other page still insists on HTTPS and a known host.
    assert client.get("/dang-nhap/", HTTP_HOST="cchc.example.gov.vn").status_code == 301
    assert client.get("/dang-nhap/", HTTP_HOST="10.0.0.12:8000").status_code == 400


def test_healthz_answers_503_when_the_task_queue_is_unreachable(client, worker_alive):
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {DBTaskResult._meta.db_table} RENAME TO gone")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["tasks"] == "error" and response.json()["status"] == "error"


def test_each_request_is_logged_on_one_line_with_user_unit_status_and_time(client, cast, caplog):
    client.force_login(cast.staff)
    with caplog.at_level(logging.INFO, logger="cchc.request"):
        response = client.get(reverse("reports:notifications"))
    [record] = [r for r in caplog.records if r.name == "cchc.request"]
    line = record.getMessage()
    assert line.startswith(f"GET {reverse('reports:notifications')} 200 ")
    assert f"user={cast.staff.username} unit={cast.staff.unit_id}" in line
    assert record.duration_ms >= 0
    assert response["X-Request-ID"]


def test_a_server_error_shows_and_logs_its_request_id(cast, caplog, settings):
    from django.test import Client

    settings.ROOT_URLCONF = "tests.ops.urls"
    crashing = Client(raise_request_exception=False)
    crashing.force_login(cast.staff)
    with caplog.at_level(logging.INFO, logger="cchc.request"):
        response = crashing.get("/loi-thu/")
    assert response.status_code == 500
    rid = response["X-Request-ID"]
    assert f"mã lỗi <code>{rid}</code>" in response.content.decode()
    record = next(r for r in caplog.records if r.name == "cchc.request")
    assert record.levelname == "ERROR" and f"id={rid}" in record.getMessage()
    token = request_id.set(rid)
    try:
        entry = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert entry["request_id"] == rid and entry["status"] == 500
    assert entry["user"] == cast.staff.username and entry["path"] == "/loi-thu/"


def test_pages_carry_a_strict_content_security_policy(client, cast):
    client.force_login(cast.staff)
    for url in ["/dang-nhap/", "/"]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert "unsafe-inline" not in policy and "http" not in policy
