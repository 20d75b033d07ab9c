from django.urls import path

from cchc_portal.urls import handler500, urlpatterns  # noqa: F401


def crash(request):
    raise RuntimeError("a test crash")


urlpatterns = [path("loi-thu/", crash), *urlpatterns]
