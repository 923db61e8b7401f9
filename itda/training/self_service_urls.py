from django.urls import path

from itda.training import self_service_views as views

app_name = "my_training"

urlpatterns = [
    path("trainee/training/", views.my_training, name="my_training"),
]
