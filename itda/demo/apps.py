from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "itda.demo"
    label = "demo"
    verbose_name = "데모 데이터"
