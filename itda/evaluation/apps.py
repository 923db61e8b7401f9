from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "itda.evaluation"
    label = "evaluation"
