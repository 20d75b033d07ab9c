"""What indicators derives from a template version and keeps (lib.derived; docs/decisions/0011).

A published version is frozen (services and the admin refuse to change it), so its primary key
and publication moment name its content. A draft changes without a stamp: nothing derived from
it is kept, it is derived again on every call.
"""

from dataclasses import dataclass

from lib.derived import Derived, stamp

from .models import Rule, TemplateVersion
from .rules import RuleCompileError, Schema, compile_rule
from .types import ValueType

# The rows of an indicator appendix's entry table rendered once (indicators.forms.entry_skeleton),
# per appendix of a published version. Holds rendered widgets: kept in each process.
ENTRY_SKELETONS = Derived("indicators.entry_skeleton", maxsize=128)
# A version's rules compiled against its schema (compiled_rules). Compiled programs are not
# worth pickling: compiling the largest rule set takes a few milliseconds.
COMPILED_RULES = Derived("indicators.compiled_rules", maxsize=64)


def version_stamp(version: TemplateVersion) -> str | None:
    """A published version's stamp; None for a draft."""
    if version.published_at is None:
        return None
    return stamp(version.pk, version.published_at)


@dataclass(frozen=True)
class CompiledVersion:
    schema: Schema
    rules: tuple  # ((code, severity, message, missing), CompiledRule | None)


def compiled_rules(version: TemplateVersion) -> CompiledVersion:
    """The version's rules compiled once per published version in each process; a draft's
    anew on each call (its rules and structure change while it is edited)."""
    return COMPILED_RULES.get(version.pk, version_stamp(version), lambda: _compile(version.pk))


def _compile(version_id: int) -> CompiledVersion:
    version = TemplateVersion.objects.get(pk=version_id)
    appendices = list(version.appendices.prefetch_related("indicators", "columns"))
    schema = Schema(
        indicators={
            row.code: row.value_type
            for a in appendices
            for row in a.indicators.all()
            if row.code and row.value_type != ValueType.HEADING
        },
        tables={
            a.code: {c.code: c.value_type for c in a.columns.all()}
            for a in appendices
            if a.is_table
        },
    )
    compiled = []
    for rule in Rule.objects.filter(version_id=version_id):
        try:
            program = compile_rule(rule.expression, schema)
        except RuleCompileError:
            program = None  # saved before a structure change; reported as a notice
        compiled.append(((rule.code, rule.severity, rule.message, rule.missing), program))
    return CompiledVersion(schema=schema, rules=tuple(compiled))
