from django.urls import path

from . import views

app_name = "parindex"
urlpatterns = [
    path("", views.index, name="index"),
    path("bo-chi-so/nap/", views.set_import, name="set_import"),
    path("bo-chi-so/<int:pk>/", views.set_detail, name="set_detail"),
    path("bo-chi-so/<int:pk>/excel/", views.set_workbook, name="set_workbook"),
    path("bo-chi-so/<int:pk>/tu-cham/", views.set_start, name="set_start"),
    path("bo-chi-so/<int:pk>/ket-qua/", views.set_results, name="results"),
    path("bo-chi-so/<int:pk>/ket-qua/pdf/", views.set_results_pdf, name="results_pdf"),
    path("bo-chi-so/<int:pk>/ket-qua/excel/", views.set_results_xlsx, name="results_xlsx"),
    path("danh-gia/<int:pk>/", views.assessment_detail, name="assessment"),
    path("danh-gia/<int:pk>/tu-cham/", views.assessment_edit, name="assessment_edit"),
    path("danh-gia/<int:pk>/gui/", views.assessment_submit, name="assessment_submit"),
    path("danh-gia/<int:pk>/tham-dinh/", views.assessment_review, name="assessment_review"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence"),
    path("minh-chung/<int:pk>/go/", views.evidence_remove, name="evidence_remove"),
]
