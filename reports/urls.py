from django.urls import path

from .views import compose, periods, units

app_name = "reports"

urlpatterns = [
    path("don-vi/<slug:code>/", units.unit_detail, name="unit_detail"),
    path("don-vi/<slug:code>/lap-bao-cao/<int:period_pk>/", compose.report_new, name="report_new"),
    path("bao-cao/<int:pk>/", compose.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/thong-tin-chung/", compose.report_header, name="report_header"),
    path("bao-cao/<int:pk>/muc/<slug:code>/", compose.report_section, name="report_section"),
    path("bao-cao/<int:pk>/phu-luc/<slug:code>/", compose.report_appendix, name="report_appendix"),
    path("ky-bao-cao/", periods.period_list, name="period_list"),
    path("ky-bao-cao/<int:pk>/mo-dong/", periods.period_toggle, name="period_toggle"),
]
