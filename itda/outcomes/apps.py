from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "itda.outcomes"
    label = "outcomes"
    verbose_name = "성과"
