from django.urls import path

from .views import templates

app_name = "indicators"

urlpatterns = [
    path("", templates.template_list, name="template_list"),
]
