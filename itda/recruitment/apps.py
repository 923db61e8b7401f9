from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "itda.recruitment"
    label = "recruitment"
