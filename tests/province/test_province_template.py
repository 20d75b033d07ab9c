"""The province-wide template (fixtures/templates/chung-2025.xlsx) fits any department of any
province since 01/07/2025: no text of the unit it was drawn from, the two-level government,
and the report's headings come from the unit that files it."""

import datetime
import re

from demo.loader import FIXTURES, load_templates
from indicators.workbook import read_template_workbook
from org.models import Unit
from reports.services import report_create
from tests.factories import make_period, make_user

UNIT_SPECIFIC = re.compile(r"sóc trăng|soctrang|khoa học và công nghệ|kh&cn|huyện", re.I)


def texts(spec):
    yield spec.title
    yield spec.notes
    for section in spec.outline:
        yield from (section.title, section.help_text)
    for appendix in spec.appendices:
        yield from (appendix.name, appendix.title)
        for row in appendix.indicators:
            yield from (row.label, row.unit, row.help_text)
        for column in appendix.columns:
            yield from (column.header, column.group)
        for fixed in appendix.fixed_rows:
            yield from (str(v) for v in fixed.values())
    for rule in spec.rules:
        yield from (rule.expression, rule.message)


def test_the_province_wide_template_names_no_unit_and_no_district_level():
    spec = read_template_workbook(FIXTURES / "templates" / "chung-2025.xlsx")
    assert spec.applies_from == datetime.date(2025, 7, 1) and spec.province_code == ""
    found = [text for text in texts(spec) if text and UNIT_SPECIFIC.search(text)]
    assert found == []
    assert [a.name for a in spec.appendices] == ["Liên hệ", "Phụ lục 1"]


def test_a_department_of_a_successor_province_files_on_it_under_its_own_headings(demo_units):
    load_templates()
    unit = Unit.objects.get(code="gia-lai-stp")
    staff = make_user("gialai.tp", "staff", unit)
    report = report_create(unit=unit, period=make_period("Y", 2026, is_open=True), by=staff)
    assert report.template_version.template.code == "cchc-chung"
    assert report.issuing_body == unit.header_name
    assert report.parent_body == unit.province.header_name
