from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "itda.programs"
    label = "programs"
