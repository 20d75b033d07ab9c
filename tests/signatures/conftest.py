import datetime

import pytest

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
