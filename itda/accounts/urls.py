from django.urls import path

from itda.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/otp/", views.otp_view, name="otp"),
    path("accounts/otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("home/", views.home, name="home"),
    path("access-log/", views.access_log, name="access_log"),
    path("login-lockouts/", views.lockouts, name="lockouts"),
    path("login-lockouts/<int:pk>/release/", views.lockout_release, name="lockout_release"),
    # Under /me/, not /accounts/: the second-factor middleware keeps a password-only session out.
    path("me/otp/remove/", views.otp_remove, name="otp_remove"),
    path("me/api-tokens/", views.api_tokens, name="api_tokens"),
    path("me/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
