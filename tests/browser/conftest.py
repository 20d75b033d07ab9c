import datetime

import pytest

from indicators.services import version_import, version_publish
from indicators.spec import AppendixSpec, ColumnSpec, IndicatorSpec, RuleSpec, TemplateSpec
from org.permissions import OPERATOR
from tests.browser.a11y import assert_accessible, audit, watch_a11y
from tests.browser.csp import assert_no_csp_violations, watch_csp
from tests.factories import PASSWORD


@pytest.fixture
def context(context):
    """Every browser test fails on a Content-Security-Policy violation in any of its pages, and
    on a WCAG 2.1 A/AA violation axe-core finds in a page when it has loaded or at the end."""
    violations = watch_csp(context)
    a11y = watch_a11y(context)
    yield context
    for page in context.pages:
        if not page.is_closed():
            audit(page, a11y)
    assert_no_csp_violations(violations)
    assert_accessible(a11y)


def log_in(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


@pytest.fixture
def journey_template(cast):
    """A published template with twelve indicators, a rule, and a three-column table."""
    counts = [
        IndicatorSpec(str(i), f"Chỉ tiêu số {i}", "Văn bản", f"ct_{i}", "integer", level=2)
        for i in range(3, 13)
    ]
    spec = TemplateSpec(
        code="mau-hanh-trinh",
        title="Thống kê CCHC",
        period_kinds=["Y"],
        applies_from=datetime.date(2025, 1, 1),
        appendices=[
            AppendixSpec(
                code="pl1",
                name="Phụ lục 1",
                title="THỐNG KÊ SỐ LIỆU",
                kind="indicators",
                indicators=[
                    IndicatorSpec("I", "Chỉ đạo điều hành", "", "", "heading", level=1),
                    IndicatorSpec(
                        "1", "Số nhiệm vụ đề ra", "Nhiệm vụ", "so_nv", "integer", level=2
                    ),
                    IndicatorSpec(
                        "2", "Số nhiệm vụ hoàn thành", "Nhiệm vụ", "so_ht", "integer", level=2
                    ),
                    *counts,
                ],
            ),
            AppendixSpec(
                code="ke_hoach",
                name="Phụ lục 2",
                title="KẾT QUẢ THỰC HIỆN CÁC KẾ HOẠCH",
                kind="table",
                has_total_row=True,
                columns=[
                    ColumnSpec("ten", "Kế hoạch", "text"),
                    ColumnSpec("so_nv", "Số nhiệm vụ", "integer"),
                    ColumnSpec("so_ht", "Số hoàn thành", "integer"),
                ],
            ),
        ],
        rules=[
            RuleSpec("ht_le_nv", "error", "so_ht <= so_nv", "Số nhiệm vụ hoàn thành vượt số đề ra")
        ],
    )
    return version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))
