from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("bao-cao/<int:pk>/tai-ve.pdf", views.report_pdf_download, name="report_pdf"),
    path("bao-cao/<int:pk>/tai-ve.docx", views.report_docx_download, name="report_docx"),
    path(
        "bao-cao/<int:pk>/tai-ve/<str:file_format>/trang-thai/",
        views.report_document_status,
        name="document_status",
    ),
]
