from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "itda.accounts"
    label = "accounts"
    verbose_name = "계정·접속기록"

    def ready(self):
        from itda.accounts import signals  # noqa: F401 - connects the login counters
