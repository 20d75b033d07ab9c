import datetime
from datetime import date

import pytest

from org.permissions import OPERATOR
from signatures.throwaway_ca import ThrowawayCA


@pytest.fixture(scope="session")
def ca() -> ThrowawayCA:
    return ThrowawayCA("CA thử nghiệm của các bài kiểm thử")


@pytest.fixture(scope="session")
def leader_cert(ca):
    return ca.issue("Trần Thị Lãnh Đạo", organization="Sở Khoa học và Công nghệ")


@pytest.fixture(scope="session")
def simple_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>BÁO CÁO</h1><p>Kết quả cải cách hành chính năm 2026.</p>").write_pdf()


@pytest.fixture(scope="session")
def other_rendering() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>BÁO CÁO</h1><p>Kết quả cải cách hành chính năm 2027.</p>").write_pdf()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def trust_dir(settings, tmp_path, ca):
    """The test CA installed as the portal's only trust anchor; media and seals in tmp."""
    folder = tmp_path / "trust"
    folder.mkdir()
    (folder / "ca.pem").write_bytes(ca.pem)
    settings.SIGNATURE_TRUST_DIR = folder
    settings.SIGNATURE_SEAL_DIR = tmp_path / "seals"
    settings.MEDIA_ROOT = tmp_path / "media"
    return folder


@pytest.fixture
def version(cast):
    from indicators.services import version_import, version_publish
    from tests.indicators.test_template_workbooks import base_spec

    return version_publish(
        by=OPERATOR,
        version=version_import(by=OPERATOR, spec=base_spec(applies_from=date(2025, 1, 1))),
    )


@pytest.fixture
def sent(cast, version, trust_dir):
    """Sở Khoa học's report, filled and sent by its leader."""
    from reports.services import report_create
    from reports.services.workflow import report_submit
    from tests.reports.test_access import _fill

    report = report_create(unit=cast.department, period=cast.period, by=cast.staff)
    _fill(report, cast.staff)
    return report_submit(report=report, by=cast.leader)


@pytest.fixture
def registered(cast, leader_cert):
    from signatures.signers import signer_certificate_register

    return signer_certificate_register(user=cast.leader, data=leader_cert.pem, by=cast.admin)
