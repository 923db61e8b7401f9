from django.urls import path

from itda.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("evaluator/", views.evaluator_home, name="evaluator_home"),
]
