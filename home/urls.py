from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("viec-can-lam/nhac-don-vi-qua-han/", views.remind_late_units, name="remind_late_units"),
]
