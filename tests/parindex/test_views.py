"""The pages as each person sees them: the journey over HTTP, typed input kept on a refusal,
no leak across units and provinces (evidence files included), exports."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from org.models import Role
from org.permissions import OPERATOR
from parindex.models import Assessment, AssessmentState, Evidence
from parindex.sample import FIXTURE
from parindex.services import assessment_start, criteria_set_import, evidence_add_file
from parindex.workbook import read_fixture
from tests.factories import make_user

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client, name, assessment, data, **extra):
    return client.post(reverse(f"parindex:{name}", args=[assessment.pk]), data, **extra)


def _criterion(assessment, code):
    return assessment.scores.get(criterion__code=code).criterion_id


def test_the_journey_over_http(client, cast, criteria_set):
    client.force_login(cast.staff)
    response = client.post(reverse("parindex:set_start", args=[criteria_set.pk]))
    a = Assessment.objects.get(unit=cast.department)
    assert response.url == reverse("parindex:assessment", args=[a.pk])
    a.scores.filter(criterion__code__in=["1.2", "1.3", "1.4"]).update(suggested=2)
    for code in ("1.2", "1.3"):
        _post(client, "assessment_edit", a, {"do": "accept", "criterion": _criterion(a, code)})
    # Changed without a reason: refused next to the criterion, what was typed kept.
    data = {
        "do": "score",
        "criterion": _criterion(a, "1.4"),
        "points": "1,5",
        "note": "Ghi chú dài",
    }
    response = _post(client, "assessment_edit", a, data)
    assert response.status_code == 400
    assert "hãy ghi lý do" in response.text
    assert 'value="1,5"' in response.text and 'value="Ghi chú dài"' in response.text
    _post(client, "assessment_edit", a, {**data, "reason": "Hai nhiệm vụ quá hạn"})
    upload = SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")
    response = _post(
        client,
        "assessment_edit",
        a,
        {"do": "file", "criterion": _criterion(a, "1.2"), "file": upload},
    )
    assert response.status_code == 302
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00...", content_type="application/pdf")
    response = _post(
        client,
        "assessment_edit",
        a,
        {"do": "file", "criterion": _criterion(a, "1.2"), "file": fake},
    )
    assert response.status_code == 400 and "không thuộc các loại này" in response.text
    scores = {s.criterion.code: s for s in a.scores.select_related("criterion")}
    assert scores["1.2"].self_score == 2 and scores["1.4"].self_score == 1.5
    assert scores["1.4"].change_reason == "Hai nhiệm vụ quá hạn"
    for score in a.scores.filter(self_score__isnull=True):
        _post(
            client,
            "assessment_edit",
            a,
            {"do": "score", "criterion": score.criterion_id, "points": "1"},
        )
    assert _post(client, "assessment_submit", a, {}).status_code == 403  # staff
    client.force_login(cast.leader)
    assert _post(client, "assessment_submit", a, {}).status_code == 302
    client.force_login(cast.reviewer)
    page = client.get(reverse("parindex:assessment", args=[a.pk]))
    assert "ke-hoach.pdf" in page.text and "Hai nhiệm vụ quá hạn" in page.text
    _post(
        client,
        "assessment_review",
        a,
        {
            "do": "appraise",
            "criterion": _criterion(a, "1.2"),
            "points": "1",
            "ask": "Bổ sung biên bản",
        },
    )
    deadline = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    _post(client, "assessment_review", a, {"do": "return", "deadline": deadline})
    client.force_login(cast.staff)
    _post(
        client,
        "assessment_edit",
        a,
        {"do": "explain", "criterion": _criterion(a, "1.2"), "explanation": "Đã bổ sung"},
    )
    _post(client, "assessment_edit", a, {"do": "answer"})
    client.force_login(cast.reviewer)
    _post(client, "assessment_review", a, {"do": "finalise"})
    a.refresh_from_db()
    assert a.state == AssessmentState.FINALISED
    page = client.get(reverse("parindex:results", args=[criteria_set.pk]))
    assert 'data-testid="results-chart"' in page.text and "1/1" in page.text
    pdf = client.get(reverse("parindex:results_pdf", args=[criteria_set.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "ỦY BAN NHÂN DÂN" in text and "TỈNH AN GIANG" in text
    assert "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025" in text
    assert "Sở Khoa học và Công" in text
    xlsx = client.get(reverse("parindex:results_xlsx", args=[criteria_set.pk]))
    sheet = load_workbook(BytesIO(xlsx.content)).active
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert cast.department.name in names


@pytest.fixture
def other_assessment(cast):
    """tỉnh Bắc Ninh's set and its department's submitted assessment with an evidence file."""
    other_set = criteria_set_import(
        by=OPERATOR, province=cast.other_province, spec=read_fixture(FIXTURE), year=2025
    )
    a = assessment_start(by=OPERATOR, criteria_set=other_set, unit=cast.other_department)
    evidence_add_file(
        by=OPERATOR,
        assessment=a,
        criterion_id=a.scores.first().criterion_id,
        name="bi-mat.pdf",
        data=PDF,
    )
    return a


def test_nothing_leaks_across_units_and_provinces(client, cast, criteria_set, other_assessment):
    evidence = Evidence.objects.get(score__assessment=other_assessment)
    colleague = assessment_start(
        by=cast.colleague, criteria_set=criteria_set, unit=cast.colleague_department
    )
    urls = [
        reverse("parindex:assessment", args=[other_assessment.pk]),
        reverse("parindex:evidence", args=[evidence.pk]),
        reverse("parindex:set_detail", args=[other_assessment.criteria_set_id]),
        reverse("parindex:results", args=[other_assessment.criteria_set_id]),
        reverse("parindex:results_pdf", args=[other_assessment.criteria_set_id]),
    ]
    for person in (cast.staff, cast.leader, cast.reviewer):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
        # A colleague unit's draft: not even its existence.
        assert client.get(reverse("parindex:assessment", args=[colleague.pk])).status_code == 404
        index = client.get(reverse("parindex:index")).text
        assert "bi-mat" not in index and cast.other_province.name not in index
    # The reviewer of the province sees no draft either.
    client.force_login(make_user("thamdinh-2", Role.REVIEWER, cast.home_affairs))
    assert client.get(reverse("parindex:assessment", args=[colleague.pk])).status_code == 404


def test_a_unit_sees_its_own_row_only_and_the_province_all(client, cast, criteria_set):
    mine = assessment_start(by=cast.staff, criteria_set=criteria_set, unit=cast.department)
    assessment_start(by=cast.colleague, criteria_set=criteria_set, unit=cast.colleague_department)
    url = reverse("parindex:results", args=[criteria_set.pk])
    client.force_login(cast.staff)
    text = client.get(url).text
    assert cast.department.name in text and cast.colleague_department.name not in text
    xlsx = client.get(reverse("parindex:results_xlsx", args=[criteria_set.pk])).content
    cells = [
        c for row in load_workbook(BytesIO(xlsx)).active.iter_rows(values_only=True) for c in row
    ]
    assert cast.colleague_department.name not in cells
    client.force_login(cast.reviewer)
    text = client.get(url).text
    assert cast.department.name in text and cast.colleague_department.name in text
    # Both are drafts: named, not linked (the reviewer may not open them).
    assert reverse("parindex:assessment", args=[mine.pk]) not in text


def test_the_import_page_lists_problems_and_keeps_the_year(client, cast):
    client.force_login(cast.reviewer)
    bad = SimpleUploadedFile("bo.xlsx", b"not a workbook")
    response = client.post(
        reverse("parindex:set_import"),
        {"year": "2025", "province": cast.province.code, "workbook": bad},
    )
    assert response.status_code == 400
    assert 'data-testid="import-problems"' in response.text and 'value="2025"' in response.text
    client.force_login(cast.staff)
    assert client.get(reverse("parindex:set_import")).status_code == 403
