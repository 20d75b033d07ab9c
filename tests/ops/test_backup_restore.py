"""scripts/backup and scripts/restore: a report and its history survive the round trip."""

import os
import re
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from reports.services.workflow import report_approve, report_return, report_submit
from tests.reports.test_workflow import fill

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"')


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def admin_sql(sql: str) -> None:
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"],
        port=db["PORT"] or 5432,
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def run(script, *args, env):
    result = subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def pages(client, report_pk) -> dict[str, str]:
    urls = [
        reverse("reports:report_detail", args=[report_pk]),
        reverse("reports:report_history", args=[report_pk]),
        reverse("reports:report_appendix", args=[report_pk, "pl1"]),
    ]
    rendered = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        rendered[url] = CSRF.sub(r'\1"-"', response.content.decode())
    return rendered


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_database_renders_the_same_report(
    client,
    cast,
    report,
    tmp_path,
):
    fill(report, so_nv=10, so_ht=8)
    report = report_submit(report=report, by=cast.leader)
    report = report_return(report=report, by=cast.reviewer, reason="Bổ sung số liệu")
    fill(report, so_nv=12, so_ht=9)
    report = report_submit(report=report, by=cast.leader)
    report = report_approve(report=report, by=cast.reviewer, comment="Đạt")
    media = tmp_path / "media"
    (media / "exports").mkdir(parents=True)
    (media / "exports" / "bao-cao.pdf").write_bytes(b"%PDF-1.7 stored")
    client.force_login(cast.reviewer)
    before = pages(client, report.pk)
    assert "Bổ sung số liệu" in before[reverse("reports:report_history", args=[report.pk])]

    source = settings.DATABASES["default"]["NAME"]
    target = f"{source}_restored"
    backups = tmp_path / "backups"
    env = {"DATABASE_URL": database_url(source), "MEDIA_ROOT": str(media), "BACKUP_KEEP": "2"}
    archive = Path(run("backup", str(backups), env=env).strip())
    assert re.fullmatch(r"cchc-\d{8}-\d{6}\.tar", archive.name) and archive.exists()
    admin_sql(f'DROP DATABASE IF EXISTS "{target}"')
    admin_sql(f'CREATE DATABASE "{target}"')
    restored_media = tmp_path / "restored-media"
    try:
        run(
            "restore",
            str(archive),
            env={"DATABASE_URL": database_url(target), "MEDIA_ROOT": str(restored_media)},
        )
        assert (restored_media / "exports" / "bao-cao.pdf").read_bytes() == b"%PDF-1.7 stored"
        # Restoring over data is refused.
        again = subprocess.run(
            [str(ROOT / "scripts" / "restore"), str(archive)],
            env={
                "PATH": os.environ["PATH"],
                "DATABASE_URL": database_url(target),
                "MEDIA_ROOT": str(restored_media),
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert again.returncode != 0 and "cơ sở dữ liệu trống" in again.stderr

        connection.close()
        connection.settings_dict["NAME"] = target
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_database()")
                assert cursor.fetchone()[0] == target
            after = pages(client, report.pk)
        finally:
            connection.close()
            connection.settings_dict["NAME"] = source
        assert after == before
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{target}"')


@pytest.mark.django_db(transaction=True)
def test_backup_keeps_the_newest_archives(cast, tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    for stamp in ["20250101-000000", "20250102-000000", "20250103-000000"]:
        (backups / f"cchc-{stamp}.tar").write_bytes(b"old")
    env = {
        "DATABASE_URL": database_url(settings.DATABASES["default"]["NAME"]),
        "MEDIA_ROOT": str(tmp_path / "none"),
        "BACKUP_KEEP": "2",
    }
    newest = Path(run("backup", str(backups), env=env).strip())
    assert sorted(p.name for p in backups.glob("cchc-*.tar")) == [
        "cchc-20250103-000000.tar",
        newest.name,
    ]
