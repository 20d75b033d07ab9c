from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ops.views import ThrottledPasswordResetView

admin.site.site_header = "Quản trị cổng báo cáo CCHC"
admin.site.site_title = "Cổng báo cáo CCHC"

urlpatterns = [
    path("", include("home.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "quen-mat-khau/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("ops.urls")),
    path("", include("reports.urls")),
    path("", include("documents.urls")),
    path("", include("review.urls")),
    path("", include("province.urls")),
    path("", include("signatures.urls")),
    path("mau/", include("indicators.urls")),
    path("api/v1/", include("api.urls")),
    path("chi-so-cchc/", include("parindex.urls")),
    path("quan-tri/", admin.site.urls),
]

handler500 = "ops.views.server_error"
