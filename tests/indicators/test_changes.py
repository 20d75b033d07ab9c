"""The change of a value against the previous period's and the outlier flag (indicators/changes.py),
checked against an oracle written with fractions, on generated values; the template's factor in
its workbook and its editor."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.changes import DEFAULT_OUTLIER_FACTOR, value_change
from indicators.models import TemplateVersion
from indicators.services import version_import
from indicators.spec import check_spec
from indicators.types import NOT_APPLICABLE
from indicators.types import ValueType as T
from lib.periods import PeriodKind, previous_period_label
from org.permissions import OPERATOR
from tests.indicators.test_template_workbooks import (
    base_spec,
    import_file,
    problems_of,
    workbook_bytes,
)

numbers = st.one_of(
    st.integers(min_value=-10_000, max_value=10**9),
    st.decimals(min_value=-1000, max_value=10**7, places=2, allow_nan=False),
)
factors = st.sampled_from([Decimal("1.1"), Decimal("1.5"), Decimal(2), Decimal(3), Decimal(10)])


def oracle_outlier(current, previous, factor) -> bool:
    """Flagged: both non-zero, same sign, and one more than `factor` times the other."""
    c, p, f = Fraction(str(current)), Fraction(str(previous)), Fraction(str(factor))
    if c == 0 or p == 0 or (c > 0) != (p > 0):
        return False
    return c / p > f or p / c > f


def vietnamese(number: Fraction, places: int) -> str:
    """The oracle's own formatting: rounded half up, thousands with ".", decimals with ","."""
    scaled = abs(number) * 10**places
    rounded = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    whole, fraction = divmod(rounded, 10**places)
    text = f"{whole:,}".replace(",", ".")
    digits = str(fraction).rjust(places, "0").rstrip("0") if places else ""
    return text + ("," + digits if digits else "")


@given(current=numbers, previous=numbers, factor=factors)
def test_change_and_flag_agree_with_an_oracle(current, previous, factor):
    change = value_change(T.INTEGER, current, previous, factor=factor)
    c, p = Fraction(str(current)), Fraction(str(previous))
    if c == p:
        assert change == ("không đổi", "")
        return
    sign = "+" if c > p else "−"
    expected = sign + vietnamese(c - p, 2)
    if p != 0:
        expected += f" ({sign}{vietnamese(abs(c - p) / abs(p) * 100, 1)}%)"
    assert change.text == expected
    assert bool(change.outlier) == oracle_outlier(current, previous, factor)
    if change.outlier.startswith("gấp"):
        assert change.outlier == f"gấp {vietnamese(c / p, 1)} lần"
    elif change.outlier:
        assert change.outlier == f"chỉ bằng {vietnamese(c / p * 100, 1)}%"


def test_examples_read_as_people_write_them():
    three = DEFAULT_OUTLIER_FACTOR
    assert value_change(T.INTEGER, 2986, 812, factor=three) == (
        "+2.174 (+267,7%)",
        "gấp 3,7 lần",
    )
    assert value_change(T.INTEGER, 30, 10, factor=three) == ("+20 (+200%)", "")  # x3: not more
    assert value_change(T.INTEGER, 2, 10, factor=three) == ("−8 (−80%)", "chỉ bằng 20%")
    assert value_change(T.PERCENT, Decimal("97.5"), Decimal("92.3"), factor=three) == (
        "+5,2 điểm %",
        "",
    )
    assert value_change(T.INTEGER, 5, 0, factor=three) == ("+5", "")  # from nothing: no ratio
    # Only numbers compare: "/", blanks, texts and codes have no change.
    assert value_change(T.INTEGER, NOT_APPLICABLE, 5, factor=three) is None
    assert value_change(T.INTEGER, None, 5, factor=three) is None
    assert value_change(T.CHOICE, 1, 0, factor=three) is None
    assert value_change(T.TEXT, "a", "b", factor=three) is None


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("Q1", "kỳ trước"),
        ("Q3", "kỳ trước"),
        ("Y", "kỳ trước"),
        ("H1", "cùng kỳ năm trước"),
        ("M9", "cùng kỳ năm trước"),
    ],
)
def test_the_previous_report_is_named_as_prev_reads_it(kind, label):
    assert previous_period_label(kind) == label
    assert {previous_period_label(k) for k in PeriodKind} == {"kỳ trước", "cùng kỳ năm trước"}


# --- the template's factor ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_factor_goes_through_the_workbook_and_defaults_to_three():
    assert import_file(workbook_bytes(base_spec())).outlier_factor == 3
    version = import_file(workbook_bytes(base_spec(outlier_factor=Decimal("2.5"))))
    assert version.outlier_factor == Decimal("2.5")


@pytest.mark.django_db
def test_a_factor_that_is_no_number_or_not_above_one_is_refused():
    def set_factor(text):
        def edit(workbook):
            sheet = workbook["Mẫu"]
            row = next(r for r in sheet.iter_rows() if r[0].value == "Hệ số thay đổi bất thường")
            row[1].value = text

        return edit

    assert any("“ba”" in p for p in problems_of(workbook_bytes(base_spec(), set_factor("ba"))))
    assert any(
        "Hệ số thay đổi bất thường" in p
        for p in problems_of(workbook_bytes(base_spec(), set_factor("1")))
    )
    assert any("Hệ số" in p.message for p in check_spec(base_spec(outlier_factor=Decimal(1))))
    assert not TemplateVersion.objects.exists()


@pytest.mark.django_db
def test_the_administrator_sets_the_factor_of_a_draft(client, cast):
    version = version_import(by=OPERATOR, spec=base_spec())
    client.force_login(cast.admin)
    response = client.post(
        f"/mau/phien-ban/{version.pk}/sua/",
        {
            "title": "Mẫu thử",
            "period_kinds": ["Y"],
            "applies_from": "01/01/2026",
            "outlier_factor": "2,5",
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.outlier_factor == Decimal("2.5")
    page = client.get(f"/mau/phien-ban/{version.pk}/").text
    assert "gấp hơn 2,5 lần hoặc chỉ còn dưới 1/2,5" in page
    refused = client.post(
        f"/mau/phien-ban/{version.pk}/sua/",
        {
            "title": "Mẫu thử",
            "period_kinds": ["Y"],
            "applies_from": "01/01/2026",
            "outlier_factor": "0,5",
        },
    )
    assert refused.status_code == 200
    assert "Hệ số thay đổi bất thường phải từ 1,1" in refused.text
    version.refresh_from_db()
    assert version.outlier_factor == Decimal("2.5")
