"""Writes of the indicators app: creating, importing, editing, publishing and cloning versions."""

import re
from dataclasses import replace
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from org.models import Unit
from org.permissions import require_admin

from .models import (
    Appendix,
    AppendixKind,
    Column,
    Indicator,
    IndicatorTemplate,
    OutlineSection,
    ReportKind,
    Rule,
    TemplateVersion,
    VersionStatus,
)
from .rule_checks import aggregate_problems, rule_problems
from .signals import template_version_published
from .spec import (
    CODE_RE,
    OUTLINE_SHEET,
    RULES_SHEET,
    AppendixSpec,
    ColumnSpec,
    IndicatorSpec,
    OutlineSpec,
    Problem,
    RuleSpec,
    TemplateSpec,
    Where,
    check_spec,
)
from .standard import STANDARD_OUTLINE
from .values import ValueParseError, format_choice_list, parse_value


class TemplateError(Exception):
    """A template change was refused; `problems` says why, in Vietnamese."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(Where("mẫu"), problems)]
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _province_for(code: str):
    if not code:
        return None
    return Unit.objects.provinces().filter(code=code).first()


def check_spec_fully(spec: TemplateSpec) -> list[Problem]:
    """Structure, rules and references to the database, all at once."""
    problems = check_spec(spec) + _numbering_problems(spec.appendices)
    if spec.province_code and _province_for(spec.province_code) is None:
        problems.append(Problem(Where("Mẫu"), f"Không có tỉnh mã “{spec.province_code}”."))
    known = {
        ReportKind.default().code,
        ReportKind.province().code,
        *ReportKind.objects.values_list("code", flat=True),
    }
    for code in spec.report_kinds:
        if code not in known:
            problems.append(
                Problem(
                    Where("Mẫu"),
                    f"Loại báo cáo “{code}” không có; "
                    f"các loại hiện có: {', '.join(sorted(known))}.",
                )
            )
    if not problems:
        problems += rule_problems(spec) + aggregate_problems(spec)
    return problems


@transaction.atomic
def version_import(*, by, spec: TemplateSpec) -> TemplateVersion:
    """Create a draft version from a spec: a new template, or the next version of an existing
    one. Refuses the whole spec when anything is wrong; nothing is half-created."""
    require_admin(by)
    problems = check_spec_fully(spec)
    if problems:
        raise TemplateError(problems)
    template, _created = IndicatorTemplate.objects.update_or_create(
        code=spec.code,
        defaults={
            "title": spec.title,
            "period_kinds": spec.period_kinds,
            "report_kinds": spec.report_kinds,
            "province": _province_for(spec.province_code),
            "notes": spec.notes,
        },
    )
    template = IndicatorTemplate.objects.select_for_update().get(pk=template.pk)
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = TemplateVersion.objects.create(
        template=template,
        number=number,
        applies_from=spec.applies_from,
        outlier_factor=spec.outlier_factor,
    )
    _write_structure(version, spec)
    return version


def _write_structure(version: TemplateVersion, spec: TemplateSpec):
    outline = spec.outline or STANDARD_OUTLINE
    _write_outline(version, outline)
    for position, a in enumerate(spec.appendices):
        appendix = Appendix.objects.create(
            version=version,
            position=position,
            kind=AppendixKind.TABLE if a.kind == "table" else AppendixKind.INDICATORS,
            **_appendix_fields(a),
        )
        _write_appendix_rows(appendix, a)
    _write_rules(version, spec.rules)


def _write_outline(version: TemplateVersion, outline: list[OutlineSpec]):
    OutlineSection.objects.bulk_create(
        OutlineSection(
            version=version,
            position=i,
            code=s.code,
            stt=s.stt,
            title=s.title,
            level=s.level,
            help_text=s.help_text,
            required=s.required,
        )
        for i, s in enumerate(outline)
    )


def _write_rules(version: TemplateVersion, rules: list[RuleSpec]):
    Rule.objects.bulk_create(
        Rule(
            version=version,
            position=i,
            code=r.code,
            severity=r.severity,
            expression=r.expression,
            message=r.message,
            missing=r.missing,
        )
        for i, r in enumerate(rules)
    )


def spec_from_version(version: TemplateVersion) -> TemplateSpec:
    """Read a version back into a spec (for export, cloning and round-trip checks)."""
    template = version.template
    appendices = []
    for a in version.appendices.prefetch_related("indicators", "columns"):
        appendices.append(
            AppendixSpec(
                code=a.code,
                name=a.name,
                title=a.title,
                kind="table" if a.is_table else "indicators",
                landscape=a.landscape,
                has_total_row=a.has_total_row,
                fixed_rows=a.fixed_rows,
                indicators=[
                    IndicatorSpec(
                        stt=r.stt,
                        label=r.label,
                        unit=r.unit,
                        code=r.code,
                        value_type=r.value_type,
                        required=r.required,
                        level=r.level,
                        help_text=r.help_text,
                        not_applicable=r.not_applicable,
                        aggregate=r.aggregate,
                        timing=r.timing,
                    )
                    for r in a.indicators.all()
                ],
                columns=[
                    ColumnSpec(
                        code=c.code,
                        header=c.header,
                        value_type=c.value_type,
                        group=c.group,
                        number=c.number,
                        required=c.required,
                        choice_text=format_choice_list(c.choices) if c.choices else "",
                    )
                    for c in a.columns.all()
                ],
            )
        )
    spec = TemplateSpec(
        code=template.code,
        title=template.title,
        period_kinds=list(template.period_kinds),
        report_kinds=list(template.report_kinds),
        applies_from=version.applies_from,
        outlier_factor=version.outlier_factor,
        province_code=template.province.code if template.province_id else "",
        notes=template.notes,
        outline=[
            OutlineSpec(
                code=s.code,
                stt=s.stt,
                title=s.title,
                level=s.level,
                help_text=s.help_text,
                required=s.required,
            )
            for s in version.outline.all()
        ],
        appendices=appendices,
        rules=[
            RuleSpec(
                code=r.code,
                severity=r.severity,
                expression=r.expression,
                message=r.message,
                missing=r.missing,
            )
            for r in version.rules.all()
        ],
    )
    _locate(spec)
    return spec


def _locate(spec: TemplateSpec):
    """Number items as the portal's editors and the exported workbook do, so that problems
    found later say where: the appendix name and the 1-based line."""
    for appendix in spec.appendices:
        appendix.where = Where(appendix.name)
        for line, item in enumerate(appendix.indicators + appendix.columns, start=1):
            item.where = Where(appendix.name, line)
    for line, section in enumerate(spec.outline, start=1):
        section.where = Where(OUTLINE_SHEET, line)
    for line, rule in enumerate(spec.rules, start=1):
        rule.where = Where(RULES_SHEET, line)


def _require_draft(version: TemplateVersion):
    if not version.is_draft:
        raise TemplateError(
            "Phiên bản đã công bố thì không sửa được; hãy tạo bản nháp mới từ phiên bản này."
        )


@transaction.atomic
def version_publish(*, by, version: TemplateVersion) -> TemplateVersion:
    require_admin(by)
    version = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    spec = spec_from_version(version)
    problems = check_spec_fully(spec)
    if not spec.appendices:
        problems.append(Problem(Where("mẫu"), "Phiên bản chưa có phụ lục nào."))
    if problems:
        raise TemplateError(problems)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    template_version_published.send(TemplateVersion, version=version, by=by)
    return version


@transaction.atomic
def version_clone(*, by, version: TemplateVersion) -> TemplateVersion:
    """A new draft with the same structure, for next year's changes."""
    require_admin(by)
    spec = spec_from_version(version)
    return version_import(spec=spec, by=by)


@transaction.atomic
def template_create(
    *,
    by,
    code: str,
    title: str,
    period_kinds: list[str],
    applies_from,
    province=None,
    report_kinds: list[str] | None = None,
):
    """An empty template with a first draft version holding the standard outline."""
    require_admin(by)
    spec = TemplateSpec(
        code=code,
        title=title,
        period_kinds=period_kinds,
        applies_from=applies_from,
        province_code=province.code if province else "",
        report_kinds=list(report_kinds or [ReportKind.DEFAULT_CODE]),
    )
    problems = check_spec(spec)
    if IndicatorTemplate.objects.filter(code=code).exists():
        problems.append(Problem(Where("mẫu"), f"Mã mẫu “{code}” đã có."))
    if problems:
        raise TemplateError(problems)
    return version_import(spec=spec, by=by)


@transaction.atomic
def version_delete(*, by, version: TemplateVersion):
    require_admin(by)
    _require_draft(version)
    version.delete()


# --- editing a draft in the portal -----------------------------------------------------------
# The portal's editors change one part of a draft at a time (metadata, one appendix, the outline
# or the rules). Each change is checked with the whole version, by the same checks as an Excel
# import, before anything is written; problems are located the way the editors number lines.


def _is_empty(appendix: AppendixSpec) -> bool:
    return not (appendix.columns if appendix.kind == "table" else appendix.indicators)


def draft_problems(spec: TemplateSpec, *, editing: AppendixSpec | None = None) -> list[Problem]:
    """check_spec_fully for a draft being built in the portal.

    An appendix just added has no rows yet; until it is filled in (it is not `editing`) it is
    left out of the structure checks, so an administrator may add several appendices before
    filling them. Its code must still be valid and unused. Publishing checks everything."""
    kept, pending = [], []
    for appendix in spec.appendices:
        (pending if appendix is not editing and _is_empty(appendix) else kept).append(appendix)
    checked = replace(spec, appendices=kept)
    return (
        _appendix_label_problems(spec.appendices)
        + check_spec_fully(checked)
        + _pending_code_problems(pending, kept)
        + _rule_text_problems(spec.rules)
        + _fixed_row_problems(kept)
        + (
            []
            if spec.outline
            else [Problem(Where(OUTLINE_SHEET), "Đề cương phải có ít nhất một mục.")]
        )
    )


def _appendix_label_problems(appendices: list[AppendixSpec]) -> list[Problem]:
    problems, names = [], set()
    for appendix in appendices:
        if not appendix.name:
            problems.append(Problem(appendix.where, "Thiếu tên phụ lục (ví dụ “Phụ lục 2”)."))
        elif appendix.name in names:
            problems.append(
                Problem(appendix.where, f"Tên phụ lục “{appendix.name}” đã dùng cho phụ lục khác.")
            )
        names.add(appendix.name)
        if not appendix.title:
            problems.append(Problem(appendix.where, "Thiếu tiêu đề phụ lục."))
    return problems


_APPENDIX_NUMBER = re.compile(r"^phụ lục\s+(\S+?)\.?$", re.IGNORECASE)


def _numbering_problems(appendices: list[AppendixSpec]) -> list[Problem]:
    """The printed names number the Phụ lục one way: "Phụ lục 1, 2…" or "Phụ lục I, II…"."""
    schemes = {}
    for appendix in appendices:
        match = _APPENDIX_NUMBER.match(appendix.name.strip())
        if match:
            roman = set(match.group(1).upper()) <= set("IVXLC")
            schemes.setdefault("I, II, III" if roman else "1, 2, 3", appendix)
    if len(schemes) < 2:
        return []
    second = list(schemes.values())[1]
    return [
        Problem(
            second.where,
            f"“{second.name}” đánh số khác các phụ lục trước; một báo cáo chỉ dùng một cách "
            "đánh số phụ lục (“Phụ lục 1, 2, 3” hoặc “Phụ lục I, II, III”).",
        )
    ]


def _pending_code_problems(pending: list[AppendixSpec], kept: list[AppendixSpec]) -> list[Problem]:
    used: dict[str, Where] = {}
    for appendix in kept:
        used.setdefault(appendix.code, appendix.where)
        for row in appendix.indicators:
            if row.code:
                used.setdefault(row.code, row.where)
    problems = []
    for appendix in pending:
        if not CODE_RE.match(appendix.code or ""):
            problems.append(
                Problem(
                    appendix.where,
                    f"Mã bảng “{appendix.code}” không hợp lệ: chữ thường không dấu, chữ số, "
                    "dấu gạch dưới, bắt đầu bằng chữ cái.",
                )
            )
        elif appendix.code in used:
            problems.append(
                Problem(
                    appendix.where, f"Mã bảng “{appendix.code}” đã dùng ở {used[appendix.code]}."
                )
            )
        else:
            used[appendix.code] = appendix.where
    return problems


def _rule_text_problems(rules: list[RuleSpec]) -> list[Problem]:
    problems = []
    for rule in rules:
        if not CODE_RE.match(rule.code or ""):
            problems.append(
                Problem(
                    rule.where,
                    f"Mã quy tắc “{rule.code}” không hợp lệ: chữ thường không dấu, chữ số, "
                    "dấu gạch dưới, bắt đầu bằng chữ cái.",
                )
            )
        if not rule.expression.strip():
            problems.append(Problem(rule.where, "Thiếu biểu thức."))
        if not rule.message.strip():
            problems.append(Problem(rule.where, "Thiếu thông báo cho người dùng."))
    return problems


def _fixed_row_problems(appendices: list[AppendixSpec]) -> list[Problem]:
    """A fixed row's values are what every report starts with, so they must read as values."""
    problems = []
    for appendix in appendices:
        columns = {column.code: column for column in appendix.columns}
        for index, row in enumerate(appendix.fixed_rows, start=1):
            for code, text in row.items():
                column = columns.get(code)
                if column is None:
                    continue  # unknown codes are check_spec's
                try:
                    parse_value(column.value_type, text, choices=column.choices)
                except ValueParseError as exc:
                    problems.append(
                        Problem(
                            appendix.where,
                            f"Dòng cố định thứ {index}, cột “{column.header}”: {exc.message}",
                        )
                    )
    return problems


def _locked_draft(version: TemplateVersion) -> TemplateVersion:
    version = (
        TemplateVersion.objects.select_for_update().select_related("template").get(pk=version.pk)
    )
    _require_draft(version)
    return version


def _refuse(problems: list[Problem]):
    if problems:
        raise TemplateError(problems)


def version_problems(version: TemplateVersion) -> list[Problem]:
    """What stops a version from being published or cloned, located as the editors show it."""
    spec = spec_from_version(version)
    problems = check_spec_fully(spec)
    if not spec.appendices:
        problems.append(Problem(Where("mẫu"), "Phiên bản chưa có phụ lục nào."))
    return problems


@transaction.atomic
def version_update(
    *,
    by,
    version: TemplateVersion,
    title: str,
    period_kinds: list[str],
    applies_from,
    report_kinds: list[str] | None = None,
    outlier_factor: Decimal | None = None,
) -> TemplateVersion:
    """Change a draft's metadata. Title and kinds belong to the template, so they show on its
    other versions too (as with an import of a new version)."""
    require_admin(by)
    version = _locked_draft(version)
    spec = spec_from_version(version)
    spec.title, spec.period_kinds, spec.applies_from = title, list(period_kinds), applies_from
    if outlier_factor is not None:
        spec.outlier_factor = outlier_factor
    if report_kinds is not None:
        spec.report_kinds = list(report_kinds)
    _refuse(draft_problems(spec))
    template = version.template
    template.title, template.period_kinds = title, list(period_kinds)
    template.report_kinds = spec.report_kinds
    template.save(update_fields=["title", "period_kinds", "report_kinds"])
    version.applies_from, version.outlier_factor = applies_from, spec.outlier_factor
    version.full_clean()
    version.save(update_fields=["applies_from", "outlier_factor"])
    return version


def _appendix_fields(spec: AppendixSpec) -> dict:
    return {
        "code": spec.code,
        "name": spec.name,
        "title": spec.title,
        "landscape": spec.landscape,
        "has_total_row": spec.has_total_row and spec.kind == "table",
        "fixed_rows": spec.fixed_rows if spec.kind == "table" else [],
    }


def _write_appendix_rows(appendix: Appendix, spec: AppendixSpec):
    Indicator.objects.bulk_create(
        Indicator(
            appendix=appendix,
            position=i,
            level=r.level,
            stt=r.stt,
            label=r.label,
            unit=r.unit,
            code=r.code,
            value_type=r.value_type,
            choices=r.choices,
            required=r.required,
            not_applicable=r.not_applicable,
            help_text=r.help_text,
            aggregate=r.aggregate,
            timing=r.timing,
        )
        for i, r in enumerate(spec.indicators)
    )
    Column.objects.bulk_create(
        Column(
            appendix=appendix,
            position=i,
            code=c.code,
            header=c.header,
            group=c.group,
            number=c.number,
            value_type=c.value_type,
            choices=c.choices,
            required=c.required,
        )
        for i, c in enumerate(spec.columns)
    )


@transaction.atomic
def appendix_add(*, by, version: TemplateVersion, spec: AppendixSpec) -> Appendix:
    """Append an appendix (usually still empty) to a draft."""
    require_admin(by)
    version = _locked_draft(version)
    full = spec_from_version(version)
    spec.where = Where(spec.name)
    full.appendices.append(spec)
    _refuse(draft_problems(full))
    last = version.appendices.aggregate(n=Max("position"))["n"]
    appendix = Appendix.objects.create(
        version=version,
        position=0 if last is None else last + 1,
        kind=AppendixKind.TABLE if spec.kind == "table" else AppendixKind.INDICATORS,
        **_appendix_fields(spec),
    )
    _write_appendix_rows(appendix, spec)
    return appendix


@transaction.atomic
def appendix_replace(*, by, version: TemplateVersion, appendix: Appendix, spec: AppendixSpec):
    """Replace an appendix of a draft (its metadata and all its rows, columns and fixed rows)
    when the whole version still checks; otherwise TemplateError lists every problem, located
    by the `where` of the spec's items."""
    require_admin(by)
    version = _locked_draft(version)
    appendix = version.appendices.get(pk=appendix.pk)
    if spec.kind != ("table" if appendix.is_table else "indicators"):
        raise TemplateError("Không đổi được loại của phụ lục.")
    # The portal's editor has no "Tổng hợp" field yet: rows keep their aggregate by code.
    aggregates = dict(appendix.indicators.exclude(aggregate="").values_list("code", "aggregate"))
    for row in spec.indicators:
        row.aggregate = row.aggregate or aggregates.get(row.code, "")
    full = spec_from_version(version)
    index = list(version.appendices.values_list("pk", flat=True)).index(appendix.pk)
    full.appendices[index] = spec
    _refuse(draft_problems(full, editing=spec))
    for name, value in _appendix_fields(spec).items():
        setattr(appendix, name, value)
    appendix.save()
    appendix.indicators.all().delete()
    appendix.columns.all().delete()
    _write_appendix_rows(appendix, spec)
    return appendix


@transaction.atomic
def appendix_delete(*, by, appendix: Appendix):
    """Remove an appendix from a draft, unless rules still use its codes."""
    require_admin(by)
    version = _locked_draft(appendix.version)
    spec = spec_from_version(version)
    spec.appendices = [a for a in spec.appendices if a.code != appendix.code]
    _refuse(draft_problems(spec))
    version.appendices.filter(pk=appendix.pk).delete()


@transaction.atomic
def appendix_move(*, by, appendix: Appendix, offset: int):
    """Move an appendix up (offset -1) or down (+1) in its draft; at either end nothing moves."""
    require_admin(by)
    version = _locked_draft(appendix.version)
    appendices = list(version.appendices.all())
    index = next(i for i, a in enumerate(appendices) if a.pk == appendix.pk)
    other = index + offset
    if offset not in (-1, 1) or not 0 <= other < len(appendices):
        return
    first, second = appendices[index], appendices[other]
    first_position, second_position = first.position, second.position
    # Positions are unique per version: park one appendix past the end while swapping.
    first.position = max(a.position for a in appendices) + 1
    first.save(update_fields=["position"])
    second.position = first_position
    second.save(update_fields=["position"])
    first.position = second_position
    first.save(update_fields=["position"])


@transaction.atomic
def version_outline_replace(*, by, version: TemplateVersion, outline: list[OutlineSpec]):
    require_admin(by)
    version = _locked_draft(version)
    spec = spec_from_version(version)
    spec.outline = outline
    _refuse(draft_problems(spec))
    version.outline.all().delete()
    _write_outline(version, outline)


@transaction.atomic
def version_rules_replace(*, by, version: TemplateVersion, rules: list[RuleSpec]):
    """Replace a draft's rules once every rule compiles against the version's codes."""
    require_admin(by)
    version = _locked_draft(version)
    spec = spec_from_version(version)
    spec.rules = rules
    _refuse(draft_problems(spec))
    version.rules.all().delete()
    _write_rules(version, rules)


@transaction.atomic
def draft_discard(*, by, version: TemplateVersion) -> bool:
    """Delete a draft version; the template goes too when that was its only version (so its
    code can be used again). True when the template was deleted."""
    require_admin(by)
    template = version.template
    version_delete(version=version, by=by)
    # Asked of the database: the caller's version may come with its template's versions
    # prefetched, the deleted one among them.
    if TemplateVersion.objects.filter(template=template).exists():
        return False
    template.delete()
    return True
