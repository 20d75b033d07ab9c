"""What reports keeps derived (reports.derived) follows the content, never a primary key alone:
a test database hands the same primary key to other content after a rollback (SQLite) or a
flush, and the kept values and checks must not leak from one to the other."""

import datetime

import pytest

from indicators.models import TemplateVersion
from indicators.services import version_import, version_publish
from reports.access import OPERATOR
from reports.models import Report
from reports.selectors import report_appendices, stored_values
from reports.services import report_create
from reports.validation import cached_violations, validate_report
from tests.indicators.test_template_workbooks import base_spec
from tests.review.test_dashboard import fill


@pytest.fixture
def version(cast):
    return version_publish(by=OPERATOR, version=version_import(by=OPERATOR, spec=base_spec()))


def texts(violations) -> list[str]:
    return [v.message for v in violations]


def test_a_report_with_a_repeated_primary_key_gets_its_own_values_and_checks(cast, version):
    first = report_create(unit=cast.department, period=cast.period, by=OPERATOR)
    fill(first, so_nv=3, so_ht=5)
    first = Report.objects.select_related("template_version").get(pk=first.pk)
    assert stored_values(first)["indicators"]["so_ht"] == (5, "")
    assert "Hoàn thành vượt kế hoạch" in texts(cached_violations(first))

    # The database gives the same key to another report, which reaches the same part versions.
    pk, part_versions = first.pk, first.part_versions
    first.delete()
    first.pk, first.part_versions = pk, {}
    first.save(force_insert=True)
    fill(first, so_nv=5, so_ht=4)
    second = Report.objects.select_related("template_version").get(pk=pk)
    assert second.part_versions == part_versions
    assert stored_values(second)["indicators"]["so_ht"] == (4, "")
    assert texts(cached_violations(second)) == texts(validate_report(second))
    assert "Hoàn thành vượt kế hoạch" not in texts(cached_violations(second))


def test_a_published_version_edited_in_place_is_read_again_once_published_anew(cast, version):
    report = report_create(unit=cast.department, period=cast.period, by=OPERATOR)
    assert [a.title for a in report_appendices(report)] == ["THỐNG KÊ", "BẢNG"]
    version.appendices.filter(code="bang").update(title="BẢNG MỚI")
    assert [a.title for a in report_appendices(report)][1] == "BẢNG"  # frozen: kept
    TemplateVersion.objects.filter(pk=version.pk).update(
        published_at=version.published_at + datetime.timedelta(microseconds=1)
    )
    report = Report.objects.select_related("template_version").get(pk=report.pk)
    assert [a.title for a in report_appendices(report)][1] == "BẢNG MỚI"
