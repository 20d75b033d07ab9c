"""Reaching a province to compile its report (the refusal table of lib/access.py). The
province's report itself is a report: reports.access reaches it (EDIT for its reviewers while
it is a draft, SIGN for the province leader)."""

from lib.access import COMPILE, READ, Need, NotFound, Refused
from org.models import Unit, UnitKind
from org.permissions import reviews, units_visible_to
from reports.access import OPERATOR, ReportNotFound, is_province_report, report_for_user
from reports.models import Report


def require_compile(user, province: Unit) -> None:
    """For the compile service: Sở Nội vụ's reviewers of the province (or the operator)."""
    if user is not OPERATOR and not reviews(user, province):
        raise Refused("Chỉ chuyên viên thẩm định của Sở Nội vụ tỉnh được tổng hợp báo cáo.")


def province_for_user(user, code: str, need: Need = COMPILE) -> Unit:
    province = units_visible_to(user).filter(kind=UnitKind.PROVINCE, code=code).first()
    if province is None:
        raise NotFound("Không có tỉnh, thành phố này.")
    if need != COMPILE:
        raise ValueError(need)
    require_compile(user, province)
    return province


def province_report_for_user(user, pk, need: Need = READ) -> Report:
    """A province's own report, reached as any report (reports.access); another report's id
    answers 404 on the province report's pages."""
    report = report_for_user(user, pk, need)
    if not is_province_report(report):
        raise ReportNotFound("Không phải báo cáo của tỉnh.")
    return report
