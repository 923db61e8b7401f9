from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "itda.evaluation"
    label = "evaluation"
    verbose_name = "평가·선정"
