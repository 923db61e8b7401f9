from django.urls import path

from itda.internships import views

app_name = "internships"

urlpatterns = [
    path("company/positions/", views.my_positions, name="my_positions"),
    path("company/positions/new/", views.position_edit, name="position_new"),
    path("company/positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("positions/review/", views.review_queue, name="review_queue"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("positions/<int:pk>/<str:action>/", views.position_move, name="position_move"),
]
