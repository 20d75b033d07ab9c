from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"
urlpatterns = [
    path("", views.index, name="index"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
    path("periods/", views.PeriodsView.as_view(), name="periods"),
    path("units/", views.UnitsView.as_view(), name="units"),
    path("units/<slug:code>/", views.UnitView.as_view(), name="unit"),
    path("templates/", views.TemplatesView.as_view(), name="templates"),
    path(
        "templates/<str:code>/versions/<int:number>/",
        views.VersionView.as_view(),
        name="version",
    ),
    path("reports/", views.ReportsView.as_view(), name="reports"),
    path("reports/<int:pk>/", views.ReportView.as_view(), name="report"),
    path("reports/<int:pk>/values/", views.ValuesView.as_view(), name="values"),
    path("reports/<int:pk>/tables/", views.TablesView.as_view(), name="tables"),
    path("reports/<int:pk>/tables/<slug:code>/", views.TableView.as_view(), name="table"),
    path("reports/<int:pk>/history/", views.HistoryView.as_view(), name="history"),
    path("reports/<int:pk>/compilation/", views.CompilationView.as_view(), name="compilation"),
    path("export/<str:period>/", views.ExportView.as_view(), name="export"),
]
