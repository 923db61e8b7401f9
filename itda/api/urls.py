from django.urls import path

from itda.api.api import api

urlpatterns = [path("v1/", api.urls)]
