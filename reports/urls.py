from django.urls import path

from .views import compose, periods, units, upgrade, workflow
from .views import excel as excel_views

app_name = "reports"

urlpatterns = [
    path("don-vi/<slug:code>/", units.unit_detail, name="unit_detail"),
    path(
        "don-vi/<slug:code>/lap-bao-cao/<int:period_pk>/<slug:kind>/",
        compose.report_new,
        name="report_new",
    ),
    path("bao-cao/<int:pk>/", compose.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/thong-tin-chung/", compose.report_header, name="report_header"),
    path("bao-cao/<int:pk>/muc/<slug:code>/", compose.report_section, name="report_section"),
    path("bao-cao/<int:pk>/phu-luc/<slug:code>/", compose.report_appendix, name="report_appendix"),
    path("bao-cao/<int:pk>/excel/", excel_views.report_excel, name="report_excel"),
    path(
        "bao-cao/<int:pk>/excel/tai-ve/",
        excel_views.report_excel_download,
        name="report_excel_download",
    ),
    path(
        "bao-cao/<int:pk>/chep-ky-truoc/", compose.report_carry_over_view, name="report_carry_over"
    ),
    path("bao-cao/<int:pk>/kiem-tra/", compose.report_validation, name="report_validation"),
    path("bao-cao/<int:pk>/gui/", workflow.report_submit_page, name="report_submit"),
    path("bao-cao/<int:pk>/nhan-xet/", workflow.report_comment, name="report_comment"),
    path(
        "bao-cao/<int:pk>/nhan-xet/<int:comment_pk>/da-xu-ly/",
        workflow.comment_addressed,
        name="comment_addressed",
    ),
    path("bao-cao/<int:pk>/tham-dinh/", workflow.report_decide, name="report_decide"),
    path("bao-cao/<int:pk>/mo-lai/", workflow.report_reopen_view, name="report_reopen"),
    path("bao-cao/<int:pk>/lich-su/", workflow.report_history, name="report_history"),
    path(
        "bao-cao/<int:pk>/lich-su/chi-tieu/<slug:code>/",
        workflow.report_value_history,
        name="value_history",
    ),
    path("thong-bao/", workflow.notifications, name="notifications"),
    # Under the template's address: the button sits on the version page.
    path(
        "mau/phien-ban/<int:pk>/chuyen-bao-cao/", upgrade.template_upgrade, name="template_upgrade"
    ),
    path("ky-bao-cao/", periods.period_list, name="period_list"),
    path("ky-bao-cao/<int:pk>/mo-dong/", periods.period_toggle, name="period_toggle"),
]
