import pytest

from tests.processes import run_manage

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cchc_portal.settings",
    "SECRET_KEY": "a-production-secret-key-with-plenty-of-entropy-0123456789-abcdefghij",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "cchc.example.gov.vn",
    "SITE_URL": "https://cchc.example.gov.vn",
    "DATABASE_URL": "sqlite:////tmp/cchc-deploy-check.sqlite3",
}


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "site_url, expected",
    [
        (None, "ops.E001"),
        ("cchc.example.gov.vn", "ops.E002"),
        ("https://cchc.example.gov.vn/bao-cao", "ops.E002"),
        ("https://cchc.other.gov.vn", "ops.W001"),
        ("http://cchc.example.gov.vn", "ops.W002"),
    ],
)
def test_check_deploy_refuses_a_missing_or_wrong_site_url(site_url, expected):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
    if site_url is not None:
        env["SITE_URL"] = site_url
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_loader_refuses_outside_demo_mode():
    result = run_manage("load_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "DEMO_MODE=1" in result.stderr


def test_production_keeps_database_connections_open_and_checks_them():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = run_manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["600", "True"]


def test_systemd_restarts_web_and_workers_whatever_ends_them_and_never_gives_up():
    import configparser
    from pathlib import Path

    deploy = Path(__file__).resolve().parents[1] / "deploy"
    for name in ("cchc-web.service", "cchc-worker@.service"):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.read(deploy / name)
        assert unit["Service"]["Restart"] == "always", name
        assert unit["Unit"]["StartLimitIntervalSec"] == "0", name
        # A database restart must not stop them, nor the web stop with a worker.
        assert "Requires" not in unit["Unit"] and "BindsTo" not in unit["Unit"], name
        assert "PartOf" not in unit["Unit"], name
    web = configparser.ConfigParser(strict=False, interpolation=None)
    web.read(deploy / "cchc-web.service")
    assert "check --deploy --fail-level ERROR" in web["Service"]["ExecStartPre"]
