from django.contrib.auth import views as auth_views
from django.urls import path

from . import guardian_views, views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("verify/resend/", views.verify_resend, name="verify_resend"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_otp, name="login_otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/email/", views.email_change, name="email_change"),
    path("profile/email/cancel/", views.email_change_cancel, name="email_change_cancel"),
    path("email/confirm/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("status/", views.account_status, name="status"),
    path("status/guardian/", guardian_views.guardian_resend, name="guardian_resend"),
    path("guardian/<str:token>/", guardian_views.guardian_consent, name="guardian_consent"),
    path("two-factor/", views.two_factor_page, name="two_factor"),
    path("two-factor/start/", views.two_factor_start, name="two_factor_start"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
]
