"""prev() and last() read different earlier reports: prev() the same kind of period a year
before, last() the latest report before this one (a predecessor unit's included)."""

import datetime

import pytest

from indicators.services import version_import, version_publish
from indicators.spec import AppendixSpec, IndicatorSpec, RuleSpec, TemplateSpec
from reports.access import OPERATOR
from reports.models import Report
from reports.selectors import latest_report, previous_report
from reports.services import report_create, report_save_values
from reports.validation import validate_report
from tests.factories import make_department, make_period, record_approved

RUNNING_TOTAL = "tthc_hieu_luc = last(tthc_hieu_luc) + tthc_moi - tthc_bai_bo"
SAME_KIND = "tthc_hieu_luc >= prev(tthc_hieu_luc)"


@pytest.fixture
def version(cast):
    spec = TemplateSpec(
        code="tthc",
        title="Thủ tục hành chính",
        period_kinds=["Y", "H1", "Q4"],
        applies_from=datetime.date(2020, 1, 1),
        appendices=[
            AppendixSpec(
                code="pl1",
                name="Phụ lục 1",
                title="TTHC",
                kind="indicators",
                indicators=[
                    IndicatorSpec("1", "TTHC còn hiệu lực", "TTHC", "tthc_hieu_luc", "integer"),
                    IndicatorSpec("2", "TTHC mới ban hành", "TTHC", "tthc_moi", "integer"),
                    IndicatorSpec("3", "TTHC bãi bỏ", "TTHC", "tthc_bai_bo", "integer"),
                ],
            )
        ],
        rules=[
            RuleSpec("cong_don", "error", RUNNING_TOTAL, "Số TTHC còn hiệu lực không khớp."),
            RuleSpec("cung_ky", "warning", SAME_KIND, "Số TTHC giảm so với cùng kỳ."),
        ],
    )
    return version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=spec))


def filed(unit, by, kind, year, hieu_luc, moi=0, bai_bo=0, *, approved=True) -> Report:
    """A report with its values; approved (what prev() and last() read) unless it is the one
    being checked."""
    period = make_period(kind, year, is_open=True)
    report = report_create(unit=unit, period=period, by=by)
    values = {"tthc_hieu_luc": (hieu_luc, ""), "tthc_moi": (moi, ""), "tthc_bai_bo": (bai_bo, "")}
    pl1 = report.template_version.appendices.get()
    report_save_values(by=OPERATOR, report=report, appendix=pl1, values=values, expected=None)
    return record_approved(report) if approved else report


def test_last_reads_the_annual_report_before_a_six_month_one(version, cast):
    predecessor = make_department(
        cast.province, "cu", "Sở cũ", valid_to=datetime.date(2021, 12, 31)
    )
    predecessor.successor = cast.department
    predecessor.save()
    filed(predecessor, OPERATOR, "H1", 2021, hieu_luc=40)
    annual = filed(predecessor, OPERATOR, "Y", 2021, hieu_luc=57)
    filed(predecessor, OPERATOR, "Q4", 2021, hieu_luc=99)  # same end, shorter: not chosen
    current = filed(
        cast.department, cast.staff, "H1", 2022, hieu_luc=59, moi=3, bai_bo=1, approved=False
    )

    assert latest_report(current) == annual
    assert previous_report(current).period.code == "2021-H1"
    found = {v.code: v for v in validate_report(current)}
    assert "cong_don" not in found  # 57 + 3 - 1 = 59
    assert "cung_ky" not in found  # 59 >= 40

    Report.objects.filter(pk=annual.pk).delete()
    found = {v.code: v for v in validate_report(current)}
    assert found["cong_don"].severity == "error"  # now the Q4 2021 report (99) is the latest
    assert found["cong_don"].seen["last(tthc_hieu_luc)"] == 99


def test_the_first_report_skips_last_with_a_notice(version, cast):
    first = filed(cast.department, cast.staff, "Y", 2021, hieu_luc=10, approved=False)
    notices = [v.message for v in validate_report(first) if v.code == "cong_don"]
    assert notices == [
        "Số TTHC còn hiệu lực không khớp. — bỏ qua: không có báo cáo nào trước báo cáo này."
    ]


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "resubmitted"])
def test_prev_and_last_read_approved_reports_only(version, cast, state):
    """A draft, a report under review or one returned for corrections is no answer to compare
    with: prev() and last() read the latest approved revision, or nothing."""
    approved = filed(cast.department, OPERATOR, "Y", 2020, hieu_luc=30)
    unapproved = filed(cast.department, OPERATOR, "Y", 2021, hieu_luc=99, approved=False)
    Report.objects.filter(pk=unapproved.pk).update(state=state)
    current = filed(cast.department, cast.staff, "Y", 2022, hieu_luc=31, moi=1, approved=False)
    assert previous_report(current) is None  # 2021's is not approved
    assert latest_report(current) == approved
    found = {v.code: v for v in validate_report(current)}
    assert "cong_don" not in found  # 30 + 1 = 31, not 99 + 1
    assert found["cung_ky"].severity == "notice"  # no approved 2021 report to compare with
    record_approved(unapproved)
    current.refresh_from_db()
    assert previous_report(current) == unapproved
    found = {v.code: v for v in validate_report(current)}
    assert found["cong_don"].seen["last(tthc_hieu_luc)"] == 99
    assert found["cung_ky"].severity == "warning"  # 31 < 99


def test_a_reopened_report_is_read_as_its_approved_revision(version, cast):
    from reports.services.workflow import report_reopen

    earlier = filed(cast.department, OPERATOR, "Y", 2021, hieu_luc=40)
    reopened = report_reopen(report=earlier, by=cast.admin, reason="Sửa số liệu")
    pl1 = reopened.template_version.appendices.get()
    values = {"tthc_hieu_luc": (77, "")}
    report_save_values(by=OPERATOR, report=reopened, appendix=pl1, values=values, expected=None)
    current = filed(cast.department, cast.staff, "Y", 2022, hieu_luc=40, approved=False)
    assert previous_report(current) == earlier and latest_report(current) == earlier
    assert previous_report(current, approved=False) == reopened  # what "Chép từ…" copies
