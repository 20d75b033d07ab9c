from django.urls import path

from .views import periods, units

app_name = "reports"

urlpatterns = [
    path("don-vi/<slug:code>/", units.unit_detail, name="unit_detail"),
    path("ky-bao-cao/", periods.period_list, name="period_list"),
    path("ky-bao-cao/<int:pk>/mo-dong/", periods.period_toggle, name="period_toggle"),
]
