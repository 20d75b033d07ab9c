from django.urls import path

from cchc_portal.urls import handler500, urlpatterns  # noqa: F401


def crash(request):
    raise RuntimeError("a test crash")


urlpatterns = [path("loi-thu/", crash), *urlpatterns]


def inline_style(request):
    from django.http import HttpResponse

    return HttpResponse('<!doctype html><p style="color: red">x</p>')


urlpatterns.append(path("csp-vi-pham/", inline_style))
