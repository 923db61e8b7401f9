from django.urls import path

from itda.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/otp/", views.otp_view, name="otp"),
    path("accounts/otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password-reset/", views.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/complete/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("home/", views.home, name="home"),
    path("access-log/", views.access_log, name="access_log"),
    path("login-lockouts/", views.lockouts, name="lockouts"),
    path("login-lockouts/<int:pk>/release/", views.lockout_release, name="lockout_release"),
    # Under /me/, not /accounts/: the second-factor middleware keeps a password-only session out.
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/otp/remove/", views.otp_remove, name="otp_remove"),
    path("me/api-tokens/", views.api_tokens, name="api_tokens"),
    path("me/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
