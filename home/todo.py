"""What waits for a person, across periods: one list on the home page, its length in the
navigation.

Read through the apps below; who may do what is asked of them (reports.access,
org.permissions), never of the role field:

- reports to write (drafts, returned) and reports to sign and send: reports.access
- open periods still without the unit's report: reports.selectors.creatable_reports
- submissions to review: reports.access
- the province's report gone stale since it was compiled: province.compilation
- units late with a report (with one button to remind them all): review.dashboard
- template versions still drafts: indicators.selectors
- the PAR Index's assessments to score, explain or appraise: parindex.todo
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.selectors import draft_versions
from org.models import Unit
from org.permissions import is_admin, reviewed_province
from parindex.todo import index_awaiting
from province.compilation import is_stale
from reports.access import (
    EDIT,
    REVIEW,
    SIGN,
    can_create_report,
    can_submit_report,
    is_province_report,
    reports_awaiting,
)
from reports.models import ReportState
from reports.selectors import creatable_reports
from review.dashboard import late_units


@dataclass(frozen=True)
class Item:
    title: str
    detail: str = ""
    url: str = ""  # where the work is done
    action: str = ""  # the link's (or button's) words
    post: str = ""  # a form posts here instead (creating a report)
    overdue: bool = False


@dataclass
class Group:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    remind: bool = False  # the reviewers' button that reminds every late unit


def todo_for(user, today: datetime.date) -> list[Group]:
    """The groups of what waits for `user` that are not empty, in the order they are shown."""
    editing = list(_ordered(reports_awaiting(user, EDIT)))
    # Whoever may send a report may also edit it: no second query.
    sending = [report for report in editing if can_submit_report(user, report)]
    groups = [
        _to_create(user, today),
        _to_sign(user, today, sending),
        _to_write(today, editing, sending),
        _to_review(user),
        _stale_province_reports(editing),
        _late_units(user, today),
        _template_drafts(user),
        _index(user),
    ]
    return [group for group in groups if group.items]


def todo_count(groups: list[Group]) -> int:
    return sum(len(group.items) for group in groups)


def _due(period, today: datetime.date) -> tuple[str, bool]:
    days = (period.deadline - today).days
    deadline = period.deadline.strftime("%d/%m/%Y")
    if days < 0:
        return _("hạn gửi %(d)s, đã quá %(n)s ngày") % {"d": deadline, "n": -days}, True
    return _("hạn gửi %(d)s, còn %(n)s ngày") % {"d": deadline, "n": days}, False


def _report_item(report, today, action: str, url: str = "") -> Item:
    due, overdue = _due(report.period, today)
    state = report.get_state_display().lower()
    return Item(
        title=f"{report.title} – {report.unit.display_name}",
        detail=f"{state}; {due}",
        url=url or reverse("reports:report_detail", args=[report.pk]),
        action=action,
        overdue=overdue and report.state != ReportState.SIGNED,
    )


def _to_create(user, today) -> Group:
    group = Group("create", _("Kỳ báo cáo chưa lập báo cáo"))
    unit = getattr(user, "unit", None)
    if unit is None or not can_create_report(user, unit):
        return group
    filed = unit.reports.all()
    for period, kind in creatable_reports(unit, filed):
        due, overdue = _due(period, today)
        group.items.append(
            Item(
                title=_("Báo cáo %(period)s – %(kind)s") % {"period": period.label, "kind": kind},
                detail=due,
                # The period in the button: several periods may wait, each with its own button.
                action=_("Lập báo cáo %(period)s") % {"period": period.label},
                post=reverse("reports:report_new", args=[unit.code, period.pk, kind.code]),
                overdue=overdue,
            )
        )
    return group


def _ordered(reports):
    """By deadline, each unit able to print its display name without a query."""
    units = Prefetch("unit", queryset=Unit.objects.with_shared_names().select_related("province"))
    # The unit by prefetch, not by join: a joined unit would be left without the annotation.
    reports = reports.select_related(None).select_related("period", "kind")
    return reports.order_by("period__deadline", "unit__name", "pk").prefetch_related(units)


def _to_sign(user, today, sending) -> Group:
    """Reports the user may sign and send: a department's, or the province's own."""
    group = Group("sign", _("Chờ ký và gửi"))
    for report in sending:
        url = reverse("reports:report_submit", args=[report.pk])
        group.items.append(_report_item(report, today, _("Ký và gửi"), url))
    for report in _ordered(reports_awaiting(user, SIGN)):
        url = reverse("province:sign", args=[report.pk])
        group.items.append(_report_item(report, today, _("Ký và gửi"), url))
    return group


def _to_write(today, editing, sending) -> Group:
    """Drafts and returned reports the user writes but may not send."""
    group = Group("write", _("Đang soạn, bị trả lại"))
    for report in editing:
        if report in sending or is_province_report(report):
            continue
        action = _("Sửa theo nhận xét") if report.state == ReportState.RETURNED else _("Soạn tiếp")
        group.items.append(_report_item(report, today, action))
    return group


def _to_review(user) -> Group:
    group = Group("review", _("Chờ thẩm định"))
    waiting = _ordered(reports_awaiting(user, REVIEW)).order_by("submitted_at", "pk")
    for report in waiting:
        sent = report.submitted_at.strftime("%d/%m/%Y") if report.submitted_at else ""
        again = report.state == ReportState.RESUBMITTED
        detail = (_("gửi lại, lần gửi đầu %(d)s") if again else _("gửi ngày %(d)s")) % {"d": sent}
        group.items.append(
            Item(
                title=f"{report.title} – {report.unit.display_name}",
                detail=detail,
                url=reverse("reports:report_detail", args=[report.pk]),
                action=_("Thẩm định"),
            )
        )
    return group


def _stale_province_reports(editing) -> Group:
    group = Group("stale", _("Báo cáo của tỉnh cần tổng hợp lại"))
    for report in editing:
        if is_province_report(report) and is_stale(report):
            group.items.append(
                Item(
                    title=f"{report.title} – {report.unit.display_name}",
                    detail=_("báo cáo của các đơn vị đã thay đổi sau lần tổng hợp"),
                    url=reverse("province:panel", args=[report.pk]),
                    action=_("Xem và tổng hợp lại"),
                )
            )
    return group


def _late_units(user, today) -> Group:
    group = Group("late", _("Đơn vị quá hạn chưa gửi báo cáo"), remind=True)
    province = reviewed_province(user)
    if province is None:
        return group
    for late in late_units(province=province, today=today):
        names = ", ".join(unit.display_name for unit in late.units)
        group.items.append(
            Item(
                title=ngettext(
                    "Báo cáo %(period)s: %(n)s đơn vị chưa gửi",
                    "Báo cáo %(period)s: %(n)s đơn vị chưa gửi",
                    len(late.units),
                )
                % {"period": late.period.label, "n": len(late.units)},
                detail=_("quá hạn %(d)s ngày: %(names)s") % {"d": late.days, "names": names},
                url=reverse("review:dashboard") + f"?period={late.period.code}",
                action=_("Xem trên bảng theo dõi"),
                overdue=True,
            )
        )
    return group


def _template_drafts(user) -> Group:
    group = Group("drafts", _("Bản nháp mẫu chưa công bố"))
    if not is_admin(user):
        return group
    for version in draft_versions():
        group.items.append(
            Item(
                title=f"{version.template.title} v{version.number}",
                detail=_("tạo ngày %(d)s") % {"d": version.created_at.strftime("%d/%m/%Y")},
                url=reverse("indicators:version_detail", args=[version.pk]),
                action=_("Xem, sửa và công bố"),
            )
        )
    return group


def _index(user) -> Group:
    group = Group("index", _("Chỉ số CCHC"))
    for waiting in index_awaiting(user):
        a = waiting.assessment
        group.items.append(
            Item(
                title=f"Chỉ số CCHC năm {a.criteria_set.year} – {a.unit.display_name}",
                detail=waiting.detail,
                url=reverse("parindex:assessment", args=[a.pk]),
                action=waiting.action,
            )
        )
    return group
