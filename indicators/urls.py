from django.urls import path

from .views import appendices, structure, templates, versions

app_name = "indicators"

urlpatterns = [
    path("", templates.template_list, name="template_list"),
    path("tao-moi/", templates.template_new, name="template_new"),
    path("nhap-excel/", templates.template_upload, name="template_upload"),
    path("phien-ban/<int:pk>/", versions.version_detail, name="version_detail"),
    path("phien-ban/<int:pk>/xem-truoc/", versions.version_preview, name="version_preview"),
    path("phien-ban/<int:pk>/tai-excel/", versions.version_export, name="version_export"),
    path("phien-ban/<int:pk>/sua/", versions.version_edit, name="version_edit"),
    path("phien-ban/<int:pk>/cong-bo/", versions.version_publish, name="version_publish"),
    path(
        "phien-ban/<int:pk>/chuyen-bao-cao/",
        versions.version_upgrade_reports,
        name="version_upgrade_reports",
    ),
    path("phien-ban/<int:pk>/tao-ban-nhap/", versions.version_clone, name="version_clone"),
    path("phien-ban/<int:pk>/xoa/", versions.version_delete, name="version_delete"),
    path("phien-ban/<int:pk>/de-cuong/", structure.outline_edit, name="outline_edit"),
    path("phien-ban/<int:pk>/quy-tac/", structure.rules_edit, name="rules_edit"),
    path("phien-ban/<int:pk>/them-phu-luc/", appendices.appendix_new, name="appendix_new"),
    path("phu-luc/<int:pk>/", appendices.appendix_edit, name="appendix_edit"),
    path("phu-luc/<int:pk>/di-chuyen/", appendices.appendix_move_view, name="appendix_move"),
    path("phu-luc/<int:pk>/xoa/", appendices.appendix_delete_view, name="appendix_delete"),
]
