import pytest

from org.permissions import OPERATOR
from parindex.sample import FIXTURE
from parindex.services import criteria_set_import
from parindex.workbook import read_fixture


@pytest.fixture
def criteria_set(cast):
    """The shipped cấp sở set loaded for the cast's first province, year 2025."""
    return criteria_set_import(
        by=OPERATOR, province=cast.province, spec=read_fixture(FIXTURE), year=2025
    )
