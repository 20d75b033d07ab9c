"""Suggested scores on the demo's approved year report, against hand computations from the
report's stored values; the demo's assessments in every state and index_results."""

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from demo.loader import load_demo
from org.models import User
from parindex.models import Assessment, AssessmentState
from reports.models import Report, ReportState

DAY = datetime.date(2026, 11, 22)


def _number(report, code):
    value = report.values.get(indicator__code=code)
    return Decimal(value.number)


def _share(points, numerator, denominator):
    share = min(max(numerator / denominator, Decimal(0)), Decimal(1))
    return (Decimal(points) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_suggestions_match_hand_computations_on_the_approved_year_report(db, client):
    load_demo(DAY)
    assessment = Assessment.objects.get(unit__code="can-tho-skhcn")
    report = Report.objects.get(
        unit__code="can-tho-skhcn", period__kind="Y", period__year=2025, state=ReportState.APPROVED
    )
    assert assessment.source_report == report
    n = lambda code: _number(report, code)  # noqa: E731
    expected = {
        "1.1.2": _share(4, n("so_nv_hoan_thanh"), n("so_nv_ke_hoach")),
        "1.4": _share(3, n("nv_ubnd_dung_han"), n("nv_ubnd_giao")),
        "2.1": _share(4, n("vbqppl_dung_tien_do"), n("vbqppl_tham_muu")),
        "2.2": Decimal(3) if n("vbqppl_da_ra_soat") >= n("vbqppl_phai_ra_soat") else Decimal(0),
        "3.1": Decimal(4) if n("tthc_mot_cua_cong_khai") >= n("tthc_hieu_luc") else Decimal(0),
        "3.2": _share(6, n("ty_le_hs_dung_han"), Decimal(100)),
        "4.2": Decimal(3) if n("bien_che_co_mat") <= n("bien_che_giao") else Decimal(0),
        "7.3": _share(6, n("tthc_dvc_md34"), n("tthc_cong_dvc")),
    }
    # The demo's last-year values: 17 of 20 tasks done, so 4 * 17 / 20.
    assert expected["1.1.2"] == Decimal("3.40")
    scores = {s.criterion.code: s.suggested for s in assessment.scores.select_related("criterion")}
    for code, value in expected.items():
        assert scores[code] == value, code
    # No expression: no suggestion.
    assert scores["4.1"] is None
    # The page names what the suggestion read.
    client.force_login(User.objects.get(username="cantho.chuyenvien"))
    page = client.get(reverse("parindex:assessment", args=[assessment.pk])).text
    assert "Số nhiệm vụ đã hoàn thành (so_nv_hoan_thanh) = 17" in page


def test_the_demo_has_an_assessment_in_every_state_and_prints_its_results(db):
    load_demo(DAY)
    load_demo(DAY)  # not duplicated
    states = set(
        Assessment.objects.filter(unit__province__code="can-tho").values_list("state", flat=True)
    )
    assert states == set(AssessmentState.values)
    assert Assessment.objects.count() == 5
    out = StringIO()
    call_command("index_results", province="can-tho", year=2025, json=True, stdout=out)
    rows = {row["unit"]: row for row in json.loads(out.getvalue())}
    # Sóc Trăng's departments, merged into Cần Thơ's mid-year, are scored as their successors.
    assert set(rows) == {f"can-tho-{s}" for s in ("snv", "skhcn", "stp", "stc", "syt")}
    finalised = Assessment.objects.get(state=AssessmentState.FINALISED)
    assert rows[finalised.unit.code]["rank"] == 1
    assert rows["can-tho-skhcn"]["rank"] is None
    assert rows["can-tho-skhcn"]["appraised_total"] is None
    total = sum(s.appraised_score for s in finalised.scores.all())
    assert rows[finalised.unit.code]["appraised_total"] == f"{total:.2f}"
