import pytest
from django.db import transaction

from demo.loader import load_demo
from tests.crawl.conftest import DEMO_DAY


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the package, rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(DEMO_DAY)
        yield
        transaction.set_rollback(True)
