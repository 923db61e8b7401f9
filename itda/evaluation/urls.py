from django.urls import path

from itda.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("evaluator/", views.evaluator_home, name="evaluator_home"),
    path("evaluator/relations/", views.relation_add, name="relation_add"),
    path(
        "evaluator/conflicts/<int:pk>/withdraw/",
        views.conflict_withdraw,
        name="conflict_withdraw",
    ),
    path("evaluation/panels/<int:pk>/close/", views.panel_close, name="panel_close"),
    path("evaluation/assignments/<int:pk>/", views.sheet, name="sheet"),
    path(
        "evaluation/assignments/<int:pk>/conflict/",
        views.conflict_declare,
        name="conflict_declare",
    ),
]
