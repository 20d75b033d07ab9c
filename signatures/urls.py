from django.urls import path

from . import views

app_name = "signatures"

urlpatterns = [
    path("bao-cao/<int:pk>/ky-so/", views.signing_page, name="signing"),
    path("bao-cao/<int:pk>/ky-so/ban-de-ky.pdf", views.signing_copy_download, name="copy"),
    path("bao-cao/<int:pk>/ky-so/kiem-tra/", views.verify_page, name="verify"),
]
