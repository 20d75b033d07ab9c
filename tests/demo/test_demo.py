import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from demo.loader import DEMO_PASSWORD, load_demo
from org.models import Role, Unit, User
from reports.models import Period, Report, ReportState
from tests.factories import explain_warnings, write_sections


def test_demo_has_every_role_and_the_seed_provinces_with_successors(db):
    users = load_demo(datetime.date(2026, 11, 22))
    roles = {User.objects.get(username=u).role for u, _role, _unit in users}
    assert roles == {Role.STAFF, Role.LEADER, Role.REVIEWER, Role.PROVINCE_LEADER, Role.ADMIN}
    assert User.objects.get(username="cantho.chuyenvien").check_password(DEMO_PASSWORD)
    soc_trang = Unit.objects.get(code="soc-trang")
    assert soc_trang.successor.code == "can-tho"
    assert soc_trang.valid_to == datetime.date(2025, 6, 30)
    for province in ["soc-trang", "quang-tri", "ba-ria-vung-tau", "binh-dinh"]:
        codes = set(Unit.objects.filter(province__code=province).values_list("code", flat=True))
        assert {f"{province}-skhcn", f"{province}-snv"} <= codes
    assert Unit.objects.get(code="soc-trang-skhcn").successor.code == "can-tho-skhcn"
    assert Period.objects.get(kind="Y", year=2026).is_open


def test_demo_loads_twice_without_duplicates(db):
    load_demo(datetime.date(2026, 11, 22))
    count = Unit.objects.count()
    load_demo(datetime.date(2026, 11, 22))
    assert Unit.objects.count() == count


def test_demo_compiles_the_province_reports_of_sóc_trăng_2021_and_cần_thơ(db):
    load_demo(datetime.date(2026, 11, 22))
    load_demo(datetime.date(2026, 11, 22))  # refreshed, not duplicated
    own = Report.objects.filter(kind__code="cchc-tinh")
    assert sorted(own.values_list("unit__code", "period__year")) == [
        ("can-tho", 2026),
        ("soc-trang", 2021),
    ]
    soc_trang = own.get(unit__code="soc-trang")
    assert [s["unit"] for s in soc_trang.compilation.sources if s["status"] == "included"] == [
        "Sở Khoa học và Công nghệ tỉnh Sóc Trăng"
    ]
    assert soc_trang.values.get(indicator__code="so_dv_bao_cao").number == 1
    can_tho = own.get(unit__code="can-tho")
    assert (
        can_tho.values.get(indicator__code="so_dv_bao_cao").number == 1
    )  # Sở Tư pháp, resubmitted


def test_demo_has_2026_reports_in_every_state_in_two_provinces(db):
    load_demo(datetime.date(2026, 11, 22))
    for province in ["can-tho", "gia-lai"]:
        reports = Report.objects.filter(unit__province__code=province, period__year=2026)
        states = {(r.state, r.revision) for r in reports}
        # "signed" is the end of the province's own report only (province.services)
        assert {s for s, _rev in states} == set(ReportState.values) - {ReportState.SIGNED}
        assert (ReportState.DRAFT, 2) in states  # reopened after approval
        draft = reports.get(unit__code=f"{province}-skhcn", period__kind="Y")
        appendices = draft.template_version.appendices.all()
        filled = {v.indicator.appendix.code for v in draft.values.select_related("indicator")}
        tables = {r.appendix.code for r in draft.table_rows.filter(position__gte=2)}
        assert filled | tables == {a.code for a in appendices}
        returned = reports.get(state=ReportState.RETURNED)
        assert returned.comments.count() == 3
        assert returned.state_changes.filter(target=ReportState.RETURNED).exclude(comment="")


def test_demo_starts_with_fresh_stored_aggregates(db):
    from review.aggregates import fresh_aggregates
    from review.models import PeriodAggregate

    load_demo(datetime.date(2026, 11, 22))
    can_tho = Unit.objects.get(code="can-tho")
    year = Period.objects.get(kind="Y", year=2026)
    stored = PeriodAggregate.objects.get(province=can_tho, period=year)
    assert stored.report_count > 0 and stored.rows.exists()
    assert fresh_aggregates(province=can_tho, period=year).computed_at == stored.computed_at


def test_demo_has_signed_reports_that_verify_and_one_awaiting_its_signature(
    db, django_capture_on_commit_callbacks
):
    from signatures.models import Signature, SignatureEvent, SignedDocument
    from signatures.selectors import signing_status
    from signatures.trust import installed_trust
    from signatures.verify import verify_signed_pdf

    with django_capture_on_commit_callbacks(execute=True):  # the receipt follows the approval
        load_demo(datetime.date(2026, 11, 22))
    load_demo(datetime.date(2026, 11, 22))  # signed once, not twice
    signed = SignedDocument.objects.filter(report__unit__code="can-tho-skhcn")
    assert signed.count() == 2
    approved = signed.get(report__state=ReportState.APPROVED)
    roles = list(approved.signatures.values_list("role", flat=True))
    assert roles == [Signature.Role.LEADER, Signature.Role.SEAL, Signature.Role.RECEIPT]
    result = verify_signed_pdf(approved.file.open("rb").read(), trust=installed_trust())
    assert result.ok, result.reasons
    later = signed.get(report__state=ReportState.SUBMITTED)
    actions = list(later.report.signature_events.values_list("action", flat=True))
    assert actions[:2] == [SignatureEvent.Action.REFUSED, SignatureEvent.Action.ACCEPTED]
    waiting = Report.objects.get(
        unit__code="gia-lai-skhcn", period__kind="Q3", state=ReportState.SUBMITTED
    )
    assert signing_status(waiting).awaiting


def test_cần_thơ_2026_compiles_and_signs_once_its_departments_are_approved(db, client):
    """Issue 22: from a fresh demo, approve the Cần Thơ departments' reports of the year,
    compile, validate_report exits 0 and the leader signs on the sign page."""
    from django.core.management import call_command

    from indicators.models import ReportKind
    from province.checks import signing_checks
    from province.services import compile_province_report
    from reports.access import OPERATOR
    from reports.services.workflow import report_approve

    load_demo(datetime.date(2026, 11, 22))
    reviewer = User.objects.get(username="cantho.thamdinh")
    period = Period.objects.get(kind="Y", year=2026)
    under_review = Report.objects.filter(
        unit__province__code="can-tho",
        period=period,
        kind__code=ReportKind.DEFAULT_CODE,
        state__in=[ReportState.SUBMITTED, ReportState.RESUBMITTED],
    )
    assert under_review.exists()
    for report in under_review:
        report_approve(report=report, by=reviewer, comment="Đạt")
    province = Unit.objects.get(code="can-tho")
    report = compile_province_report(province=province, period=period, by=OPERATOR)
    # Figures alone do not make the report: Sở Nội vụ writes its required sections and explains
    # its warnings; until then validate_report and the sign page say so.
    with pytest.raises(SystemExit):
        call_command("validate_report", report.pk)
    assert not signing_checks(report).signable
    write_sections(report, by=reviewer)
    explain_warnings(report, by=reviewer)
    call_command("validate_report", report.pk)  # SystemExit(1) on any error
    # the departments report carried-over dossiers: returned exceeds received, not an error
    assert report.values.get(indicator__code="ty_le_hs_tra_ket_qua").number == Decimal("100.87")
    soc_trang = Report.objects.get(unit__code="soc-trang", kind__code=ReportKind.PROVINCE_CODE)
    # Sóc Trăng's figures block nothing: what remains is its narrative, each section linked.
    blocking = signing_checks(soc_trang).errors
    assert blocking and all("Mục bắt buộc của báo cáo chưa viết" in c.text for c in blocking)
    urls = [url for check in blocking for _label, url in check.links]
    assert urls and all(url.startswith(f"/bao-cao/{soc_trang.pk}/muc/") for url in urls)
    leader = User.objects.get(role=Role.PROVINCE_LEADER, unit=province)
    assert client.login(username=leader.username, password=DEMO_PASSWORD)
    url = f"/bao-cao/{report.pk}/tinh/ky-gui/"
    page = client.get(url).content.decode()
    assert 'data-testid="sign-ok"' in page and 'data-testid="sign-form"' in page
    today = timezone.localdate().strftime("%d/%m/%Y")
    client.post(url, {"number": "25", "issued_on": today})
    report.refresh_from_db()
    assert report.state == ReportState.SIGNED and report.number == "25"
