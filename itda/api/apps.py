from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "itda.api"
    label = "api"
    verbose_name = "API"
