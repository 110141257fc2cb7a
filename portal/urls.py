from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import views

handler500 = (
    "portal.unavailable.server_error"  # the database briefly down: a 503 page that keeps the typed text
)

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("mat-khau/doi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("mat-khau/doi/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("mat-khau/quen/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("mat-khau/quen/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mat-khau/dat-lai/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mat-khau/dat-lai/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("xa/<str:code>/", views.commune_public, name="commune_public"),
    path("bang-dieu-khien/", views.staff_dashboard, name="staff_dashboard"),
    path("thon-cua-toi/", views.my_village, name="my_village"),
    path("mttq/", views.mttq_review, name="mttq_review"),
    path("cap-tren/", views.overseer_home, name="overseer_home"),
    path("thoi-han/", views.deadline_list, name="deadline_list"),
    path("thoi-han/<int:pk>/hoan-thanh/", views.deadline_resolve, name="deadline_resolve"),
    path("thoi-han/he-thong-tu-lam/", views.sweep_preview, name="sweep_preview"),
    path("thong-bao/", views.notification_list, name="notification_list"),
    path("thong-bao/da-doc/", views.notification_read, name="notification_read"),
    path("nhat-ky/", views.audit_list, name="audit_list"),
    path("lich-lam-viec/", views.workday_calendar, name="workday_calendar"),
    path("tra-cuu/", include("portal.intake.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("van-ban/", include("portal.documents.urls")),
    path("lay-y-kien/", include("consultations.urls")),
    path("doi-thoai/", include("dialogues.urls")),
    path("thi-dua/", include("campaigns.urls")),
    path("cong-khai/", include("portal.publicity.urls")),
    path("admin/", admin.site.urls),
]
