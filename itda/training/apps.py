from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "itda.training"
    label = "training"
    verbose_name = "교육"
