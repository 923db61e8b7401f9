"""The password check, closed while the account is locked."""

from django.contrib.auth.backends import ModelBackend

from itda.accounts.selectors import account_locked_until


class LockoutAwareModelBackend(ModelBackend):
    """Django's password check; a locked account (accounts.LoginThrottle) is refused even with
    the right password, whichever login form is used."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and account_locked_until(user.get_username()):
            return None
        return user
