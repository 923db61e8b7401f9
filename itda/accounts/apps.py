from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "itda.accounts"
    label = "accounts"

    def ready(self):
        from itda.accounts import signals  # noqa: F401 - connects the login counters
