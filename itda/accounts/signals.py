"""Per-account login counting, fed by Django's login signals so that every login path counts
(django-axes counts per address through the same signal)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from itda.accounts import services


@receiver(user_login_failed, dispatch_uid="itda_login_failure_count")
def login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if username:
        ip = services.client_ip(request) if request is not None else "0.0.0.0"  # noqa: S104
        services.login_failure_record(username=username, ip_address=ip)


@receiver(user_logged_in, dispatch_uid="itda_login_failure_reset")
def logged_in(sender, request, user, **kwargs):
    services.login_success_record(user=user)
