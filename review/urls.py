from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("bang-theo-doi/", views.dashboard, name="dashboard"),
    path("bang-theo-doi/chi-tieu/<slug:code>/", views.dashboard_indicator, name="indicator"),
    path("bang-theo-doi/tong-hop.xlsx", views.dashboard_rollup, name="rollup"),
]
