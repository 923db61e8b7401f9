from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "itda.matching"
    label = "matching"
    verbose_name = "연계"
