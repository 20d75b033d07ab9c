from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("nhat-ky-he-thong/", views.audit_log, name="audit"),
]
