from django.urls import path

from itda.notifications import views

app_name = "notifications"

# Under /me/ with the profile pages: each person's own, past the second factor.
urlpatterns = [
    path("me/inbox/", views.inbox, name="inbox"),
    path("me/inbox/read-all/", views.read_all, name="read_all"),
    path("me/inbox/<int:pk>/", views.notification_detail, name="detail"),
]
