from django.apps import AppConfig


class InternshipsConfig(AppConfig):
    name = "itda.internships"
    label = "internships"
    verbose_name = "인턴십"
