"""The province's own report: compiling it from the departments' reports, overriding a compiled
value with a note, and the leader's signing and sending.

Compiled values are written into the report's indicator values like any typed value (so the
template's rules, the exports and the history treat them as any report's); the compilation
keeps what was computed and from which reports, to tell when it is stale.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from indicators.models import ReportKind
from indicators.values import ValueParseError, parse_value
from lib.limits import NOTE_MAX_CHARS, too_long
from lib.text import xml_safe
from org.models import Unit, UnitKind
from reports.access import EDIT, OPERATOR, SIGN, require
from reports.models import Period, Report, ReportState, StateChange
from reports.selectors import report_appendices
from reports.services.compose import report_create, report_save_values
from reports.services.errors import ReportError
from reports.services.workflow import SubmissionRefused, missing_explanations, refusal_text
from reports.validation import ERROR, validate_report

from .access import require_compile
from .compilation import (
    Source,
    compiled_indicators,
    compute,
    fingerprint,
    overridden_figures,
    stored_text,
)
from .models import Compilation, ValueOverride


def province_header(province: Unit) -> dict:
    """The NĐ 30 header of a document UBND tỉnh issues: no parent line, "ỦY BAN NHÂN DÂN
    TỈNH …" as issuer, signed "TM. ỦY BAN NHÂN DÂN" by the chair (or a vice-chair, KT.)."""
    return {
        "parent_body": "",
        "issuing_body": province.name.upper(),
        "symbol": "BC-UBND",
        "recipients": "\n".join(
            [
                "Bộ Nội vụ;",
                "TT Tỉnh ủy; TT HĐND tỉnh;",
                "CT, các PCT UBND tỉnh;",
                "Sở Nội vụ;",
                "Lưu: VT, NC.",
            ]
        ),
        "signer_authority": "TM. ỦY BAN NHÂN DÂN",
        "signer_position": "CHỦ TỊCH",
    }


def province_report(*, province: Unit, period: Period) -> Report | None:
    return (
        Report.objects.filter(unit=province, period=period, kind__code=ReportKind.PROVINCE_CODE)
        .order_by("-revision")
        .first()
    )


@transaction.atomic
def compile_province_report(
    *, province: Unit, period: Period, by, include_submitted: bool = False
) -> Report:
    """Create the province's report for the period, or refresh its compiled values, from the
    approved (with `include_submitted`, also the submitted) department reports. Values a
    reviewer overrode stay as they were overridden."""
    if province.kind != UnitKind.PROVINCE:
        raise ReportError(f"{province.name} không phải là tỉnh, thành phố.")
    require_compile(by, province)
    report = province_report(province=province, period=period)
    if report is None:
        report = report_create(
            unit=province,
            period=period,
            by=by,
            kind=ReportKind.province(),
            header=province_header(province),
            historical=not period.is_open,
        )
    report = Report.objects.select_for_update().select_related("unit", "kind").get(pk=report.pk)
    if report.state != ReportState.DRAFT:
        raise ReportError(
            f"Báo cáo của tỉnh {report.get_state_display().lower()}, không tổng hợp lại được."
        )
    require(by, report, EDIT)
    indicators = compiled_indicators(report)
    overrides = overridden_figures(report)
    result = compute(
        report, include_submitted=include_submitted, indicators=indicators, overrides=overrides
    )
    _save_computed(report, by, result.values.values(), skip=set(overrides))
    Compilation.objects.update_or_create(
        report=report,
        defaults={
            "compiled_at": timezone.now(),
            "compiled_by": None if by is OPERATOR else by,
            "include_submitted": include_submitted,
            "sources": [source.as_json() for source in result.sources],
            "sources_fingerprint": fingerprint(province=province, period=period),
            "values": {code: c.as_json() for code, c in result.values.items()},
        },
    )
    return report


def _save_computed(report: Report, by, computed, *, skip) -> None:
    """Write computed values into the report, those overridden by hand (`skip`) aside."""
    by_appendix: dict[int, dict] = {}
    for c in computed:
        if c.indicator.code not in skip:
            by_appendix.setdefault(c.indicator.appendix_id, {})[c.indicator.code] = (c.value, "")
    for appendix in report_appendices(report):
        if appendix.pk in by_appendix:
            report_save_values(
                report=report,
                by=by,
                appendix=appendix,
                values=by_appendix[appendix.pk],
                expected=None,
            )


def _recompute_dependants(report: Report, by) -> None:
    """After an override is set or cleared: the compiled values that use the overridden figure
    (ratio of nv_hoan_thanh and nv_ke_hoach, …), recomputed over the same department reports
    as compiled, in the report and in the compilation."""
    compilation = Compilation.objects.select_for_update().get(report=report)
    overrides = overridden_figures(report)
    result = compute(
        report,
        indicators=compiled_indicators(report),
        sources=[Source.from_json(s) for s in compilation.sources],
        overrides=overrides,
    )
    changed = [
        c
        for code, c in result.values.items()
        if code not in overrides
        and compilation.values.get(code, {}).get("value")
        != stored_text(c.indicator.value_type, c.value)
    ]
    _save_computed(report, by, changed, skip=set(overrides))
    compilation.values = {code: c.as_json() for code, c in result.values.items()}
    compilation.save(update_fields=["values"])


OVERRIDE_PREFIX = "Điều chỉnh: "


@transaction.atomic
def value_override(*, report: Report, by, code: str, text: str, note: str) -> ValueOverride:
    """Replace a compiled value by hand; the note says why and is printed with the value."""
    note = xml_safe(note).strip()
    text = xml_safe(text).strip()
    indicator = next((i for i in compiled_indicators(report) if i.code == code), None)
    if indicator is None:
        raise ReportError("Chỉ điều chỉnh được số liệu tổng hợp.")
    if not note:
        raise ReportError("Hãy ghi lý do điều chỉnh số liệu tổng hợp.")
    # Printed in the note column after OVERRIDE_PREFIX, within an indicator note's limit.
    if message := too_long(note, NOTE_MAX_CHARS - len(OVERRIDE_PREFIX)):
        raise ReportError(f"Lý do điều chỉnh: {message}")
    try:
        value = parse_value(indicator.value_type, text, choices=indicator.choices)
    except ValueParseError as exc:
        raise ReportError(f"{indicator.label}: {exc.message}") from exc
    report_save_values(
        report=report,
        by=by,
        appendix=indicator.appendix,
        values={code: (value, f"{OVERRIDE_PREFIX}{note}")},
        expected=None,
    )
    override, _created = ValueOverride.objects.update_or_create(
        report=report, code=code, defaults={"note": note, "by": by}
    )
    if getattr(report, "compilation", None) is not None:
        _recompute_dependants(report, by)
    return override


@transaction.atomic
def override_clear(*, report: Report, by, code: str) -> None:
    """Back to the compiled value."""
    indicator = next((i for i in compiled_indicators(report) if i.code == code), None)
    compilation = getattr(report, "compilation", None)
    if indicator is None or compilation is None:
        raise ReportError("Chỉ điều chỉnh được số liệu tổng hợp.")
    stored = compilation.values.get(code, {}).get("value", "")
    value = None
    if stored:
        value = parse_value(indicator.value_type, stored.replace(".", ","))
    report_save_values(
        report=report,
        by=by,
        appendix=indicator.appendix,
        values={code: (value, "")},
        expected=None,
    )
    ValueOverride.objects.filter(report=report, code=code).delete()
    _recompute_dependants(report, by)


@transaction.atomic
def sign_and_send(*, report: Report, by, number: str, issued_on: datetime.date) -> Report:
    """The province leader signs the report and it is recorded as sent, with its number and
    date; it is frozen from then on."""
    locked = Report.objects.select_for_update().select_related("unit", "kind").get(pk=report.pk)
    require(by, locked, SIGN)
    number = xml_safe(number).strip()
    if not number:
        raise ReportError("Hãy ghi số văn bản.")
    if len(number) > Report._meta.get_field("number").max_length:
        raise ReportError("Số văn bản quá dài.")
    if issued_on is None:
        raise ReportError("Hãy ghi ngày ký.")
    # As for a department's report: signed today or earlier, never dated ahead.
    today = timezone.localdate()
    if issued_on > today:
        raise ReportError(
            f"Ngày ký {issued_on:%d/%m/%Y} chưa tới: ngày ký không được sau hôm nay "
            f"({today:%d/%m/%Y})."
        )
    violations = validate_report(locked)
    errors = [v for v in violations if v.severity == ERROR]
    if errors:
        raise SubmissionRefused(refusal_text(errors, "ký"), errors)
    unexplained = missing_explanations(locked, violations)
    if unexplained:
        raise SubmissionRefused(
            f"Chưa ký được: {len(unexplained)} cảnh báo chưa có giải trình "
            "(Sở Nội vụ giải trình ở trang “Giải trình cảnh báo”).",
            unexplained,
        )
    source = locked.state
    locked.sign_and_send()
    locked.number = number
    locked.issued_on = issued_on
    if not locked.signer_name and by is not OPERATOR:
        locked.signer_name = by.get_full_name() or by.username
    locked.save(update_fields=["state", "number", "issued_on", "signer_name", "updated_at"])
    StateChange.objects.create(
        report=locked,
        by=by,
        source=source,
        target=ReportState.SIGNED,
        comment=f"Số {locked.number_and_symbol} ngày {issued_on:%d/%m/%Y}",
    )
    return locked


__all__ = [
    "compile_province_report",
    "override_clear",
    "province_header",
    "province_report",
    "sign_and_send",
    "value_override",
]
