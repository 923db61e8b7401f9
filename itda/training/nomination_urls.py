from django.urls import path

from itda.training import nomination_views as views

app_name = "nominations"

urlpatterns = [
    path("nominations/", views.company_nominations, name="company"),
    path("nominations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("nominations/review/", views.review, name="review"),
    path("nominations/<int:pk>/code/", views.code_issue, name="code_issue"),
    path("nominations/<int:pk>/code/revoke/", views.code_revoke, name="code_revoke"),
    path("nominations/<int:pk>/<str:action>/", views.decide, name="decide"),
]
