"""Evidence uploads told by their bytes, within limits; the criteria set's workbook both ways."""

import hashlib
import zipfile
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from lib.access import Refused
from org.permissions import OPERATOR
from parindex.evidence import EVIDENCE_MAX_BYTES, EVIDENCE_MAX_PER_CRITERION, EvidenceRejected
from parindex.models import Evidence
from parindex.services import (
    IndexProblem,
    assessment_start,
    criteria_set_import,
    evidence_add_file,
    evidence_remove,
)
from parindex.workbook import SpecError, read_workbook, write_workbook

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _office(parts: dict) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def assessment(cast, criteria_set):
    return assessment_start(by=cast.staff, criteria_set=criteria_set, unit=cast.department)


def _add(assessment, by, name, data):
    criterion = assessment.scores.first().criterion_id
    return evidence_add_file(
        by=by, assessment=assessment, criterion_id=criterion, name=name, data=data
    )


def test_accepted_files_are_stored_with_their_hash(cast, assessment):
    docx = _office({"word/document.xml": "<w:document/>"})
    for name, data, kind in [
        ("ke-hoach.pdf", PDF, "pdf"),
        ("anh.png", PNG, "png"),
        ("bien-ban.docx", docx, "docx"),
    ]:
        evidence = _add(assessment, cast.staff, name, data)
        assert (evidence.file_type, evidence.size) == (kind, len(data))
        assert evidence.sha256 == hashlib.sha256(data).hexdigest()
        evidence.file.open("rb")
        assert evidence.file.read() == data
        evidence.file.close()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\0" * 100, "nội dung tệp không thuộc"),
        ("anh.pdf", PNG, "nội dung là tệp PNG"),
        ("trang.html", b"<html><script>alert(1)</script>", "nội dung tệp không thuộc"),
        ("macro.docx", _office({"word/document.xml": "x", "word/vbaProject.bin": "x"}), "macro"),
        ("rong.pdf", b"", "rỗng"),
        ("lon.pdf", PDF + b"\0" * EVIDENCE_MAX_BYTES, "quá lớn"),
        ("zip.docx", _office({"other/file.txt": "x"}), "nội dung tệp không thuộc"),
    ],
)
def test_refused_files_say_why_and_leave_nothing(cast, assessment, name, data, message):
    with pytest.raises(EvidenceRejected, match=message):
        _add(assessment, cast.staff, name, data)
    assert not Evidence.objects.exists()


def test_evidence_count_per_criterion_and_who_may_add(cast, assessment):
    for i in range(EVIDENCE_MAX_PER_CRITERION):
        _add(assessment, cast.staff, f"{i}.pdf", PDF)
    with pytest.raises(IndexProblem, match="tối đa"):
        _add(assessment, cast.staff, "more.pdf", PDF)
    with pytest.raises(Refused):
        _add(assessment, cast.reviewer, "r.pdf", PDF)
    with pytest.raises(Refused):
        _add(assessment, cast.colleague, "c.pdf", PDF)
    evidence = Evidence.objects.first()
    evidence_remove(by=cast.staff, evidence=evidence)
    assert Evidence.objects.count() == EVIDENCE_MAX_PER_CRITERION - 1


def test_the_workbook_reads_back_what_it_wrote(cast, criteria_set):
    data = write_workbook(criteria_set)
    spec = read_workbook(data)
    assert (spec.title, spec.year, spec.unit_kind) == (criteria_set.title, 2025, "department")
    rows = {(r.code, r.title, r.max_points, r.expression) for r in spec.rows}
    stored = {(c.code, c.title, c.max_points, c.expression) for c in criteria_set.criteria.all()}
    stored |= {(f.code, f.title, f.max_points, "") for f in criteria_set.fields.all()}
    assert rows == stored
    # A formula-looking title stays text.
    criteria_set.criteria.filter(code="1.2").update(title='=HYPERLINK("x")')
    sheet = load_workbook(BytesIO(write_workbook(criteria_set))).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" for c in cells)


def _sheet(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bộ chỉ số"
    for row in [
        ["Tên bộ chỉ số", "Thử"],
        ["Năm đánh giá", 2025],
        ["Cấp đánh giá", "Cấp sở"],
        ["Mã", "Lĩnh vực, tiêu chí", "Điểm tối đa"],
        *rows,
    ]:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_bad_workbook_lists_every_problem_with_its_row():
    data = _sheet(
        [
            ["1", "Chỉ đạo", 5],
            ["1.1", "Kế hoạch", 3],
            ["1.2", "Kiểm tra", "ba"],
            ["x.1", "Sai mã", 1],
            ["2.1", "Không có lĩnh vực", 1],
        ]
    )
    with pytest.raises(SpecError) as caught:
        read_workbook(data)
    text = " | ".join(caught.value.problems)
    assert "Dòng 7: điểm tối đa “ba” không phải là số" in text
    assert "Dòng 8: mã “x.1”" in text
    with pytest.raises(SpecError) as caught:
        read_workbook(_sheet([["1", "Chỉ đạo", 5], ["1.1", "Kế hoạch", 3], ["2.1", "Mồ côi", 1]]))
    text = " | ".join(caught.value.problems)
    assert "chưa có dòng 2 đứng trước" in text
    assert "điểm tối đa 5 khác tổng điểm các dòng con (3)" in text
    with pytest.raises(SpecError, match="không mở được|Excel"):
        read_workbook(b"not a workbook")


def test_import_from_the_workbook_by_the_provinces_reviewer(cast):
    spec = read_workbook(_sheet([["1", "Chỉ đạo", 5], ["1.1", "Kế hoạch", 2], ["1.2", "KT", 3]]))
    created = criteria_set_import(by=cast.reviewer, province=cast.province, spec=spec)
    assert (created.year, created.version, created.max_total) == (2025, 1, 5)
    with pytest.raises(Refused):
        criteria_set_import(by=cast.staff, province=cast.province, spec=spec)
    assert criteria_set_import(by=OPERATOR, province=cast.province, spec=spec).pk == created.pk


def test_expressions_are_checked_against_the_published_templates(cast):
    from indicators.services import version_import, version_publish
    from tests.indicators.test_template_workbooks import base_spec

    version_publish(version=version_import(spec=base_spec(), by=OPERATOR), by=OPERATOR)
    rows = [
        ["1", "Chỉ đạo", 5],
        ["1.1", "Kế hoạch", 2, "", "so_nvv >= 1"],
        ["1.2", "KT", 3, "", "so_nv"],
        ["1.3", "Sai", 0, "", '"chữ"'],
    ]
    spec = read_workbook(_sheet(rows))
    with pytest.raises(SpecError) as caught:
        criteria_set_import(by=OPERATOR, province=cast.province, spec=spec)
    text = " | ".join(caught.value.problems)
    assert "Mã 1.1, biểu thức gợi ý" in text and "Có phải 'so_nv'?" in text
    assert "Mã 1.3" in text and "một điều kiện đúng/sai hoặc một số" in text
    assert "Mã 1.2" not in text  # a number: a share of the points


def test_the_import_command_loads_the_fixture_and_lists_problems(cast, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from parindex.sample import FIXTURE

    out = StringIO()
    call_command("import_index_criteria", str(FIXTURE), province="tinh-a", year=2025, stdout=out)
    assert "phiên bản 1" in out.getvalue()
    bad = tmp_path / "bo.xlsx"
    bad.write_bytes(_sheet([["1", "Chỉ đạo", 5], ["1.1", "Kế hoạch", 3]]))
    with pytest.raises(CommandError, match="khác tổng điểm"):
        call_command("import_index_criteria", str(bad), province="tinh-a")
