"""What reports derives from stamped content and keeps (lib.derived; docs/decisions/0011).

The published-version reads are shared by every report on the version: treat them as read-only.
A report's stored values and its validation are kept under the report's stamp: every write
bumps a part version and `updated_at` (services.compose.lock_part), a transition saves
`updated_at`, an upgrade changes the template version.
"""

from indicators.derived import version_stamp
from lib.derived import Derived, stamp

# A published version's appendices with their rows and columns (selectors.report_appendices)
# and its level-1 outline sections (selectors.report_tabs).
APPENDICES = Derived("reports.appendices", maxsize=32)
OUTLINE = Derived("reports.outline", maxsize=32)
# A report's stored values (selectors.stored_values), put by the save that changes them
# (selectors.stored_values_saved). A miss costs the two reads a shared cache's round trip
# would: kept in each process only.
VALUES = Derived("reports.values", maxsize=256)
# What systems wrote into a report (selectors.system_writes): two history reads per report page.
SYSTEM_WRITES = Derived("reports.system_writes", maxsize=256)
# validate_report's answer (validation.cached_violations): every process's pages ask for it.
VIOLATIONS = Derived("reports.violations", maxsize=256, shared_seconds=24 * 3600)


def report_stamp(report) -> str:
    """What a report's stored content depends on. Reads only the report's own row."""
    parts = sorted(report.part_versions.items())
    return stamp(report.pk, report.template_version_id, report.updated_at, parts)


def content_stamp(report) -> str | None:
    """The report's stamp, or None on a draft template version, whose rows change without one."""
    if version_stamp(report.template_version) is None:
        return None
    return report_stamp(report)


def violations_stamp(report, previous, latest) -> str | None:
    """What validation depends on: the version, the report, the reports its rules compare it
    with (previous period, latest before it; None when there is none or no rule reads it)."""
    version = version_stamp(report.template_version)
    if version is None:
        return None
    reports = (report_stamp(r) if r is not None else None for r in (report, previous, latest))
    return stamp(version, *reports)
