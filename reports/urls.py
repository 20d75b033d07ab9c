from django.urls import path

from .views import compose, periods, province, units, upgrade, workflow
from .views import dashboard as dashboard_views
from .views import excel as excel_views
from .views import exports as export_views

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
    path("bao-cao/<int:pk>/tai-ve.pdf", export_views.report_pdf_download, name="report_pdf"),
    path("bao-cao/<int:pk>/tai-ve.docx", export_views.report_docx_download, name="report_docx"),
    path(
        "bao-cao/<int:pk>/tai-ve/<str:file_format>/trang-thai/",
        export_views.report_document_status,
        name="document_status",
    ),
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
    path("bao-cao/<int:pk>/tinh/", province.province_panel, name="province_panel"),
    path(
        "bao-cao/<int:pk>/tinh/chi-tieu/<slug:code>/",
        province.province_breakdown,
        name="province_breakdown",
    ),
    path("bao-cao/<int:pk>/tinh/ky-gui/", province.province_sign, name="province_sign"),
    path(
        "bang-theo-doi/tong-hop-bao-cao-tinh/", province.province_compile, name="province_compile"
    ),
    path("thong-bao/", workflow.notifications, name="notifications"),
    path("bang-theo-doi/", dashboard_views.dashboard, name="dashboard"),
    path(
        "bang-theo-doi/chi-tieu/<slug:code>/",
        dashboard_views.dashboard_indicator,
        name="dashboard_indicator",
    ),
    path("bang-theo-doi/tong-hop.xlsx", dashboard_views.dashboard_rollup, name="dashboard_rollup"),
    # Under the template's address: the button sits on the version page.
    path(
        "mau/phien-ban/<int:pk>/chuyen-bao-cao/", upgrade.template_upgrade, name="template_upgrade"
    ),
    path("ky-bao-cao/", periods.period_list, name="period_list"),
    path("ky-bao-cao/<int:pk>/mo-dong/", periods.period_toggle, name="period_toggle"),
]
