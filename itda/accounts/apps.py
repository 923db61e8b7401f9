from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "itda.accounts"
    label = "accounts"
