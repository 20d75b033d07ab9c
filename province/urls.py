from django.urls import path

from . import views

app_name = "province"

urlpatterns = [
    path("bao-cao/<int:pk>/tinh/", views.province_panel, name="panel"),
    path("bao-cao/<int:pk>/tinh/chi-tieu/<slug:code>/", views.province_breakdown, name="breakdown"),
    path("bao-cao/<int:pk>/tinh/ky-gui/", views.province_sign, name="sign"),
    path("bang-theo-doi/tong-hop-bao-cao-tinh/", views.province_compile, name="compile"),
]
