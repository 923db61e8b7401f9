"""A URLconf with one broken page, for the test that the live server's 500s are seen."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path


@login_not_required
def broken(request):
    raise RuntimeError("a broken page")


urlpatterns = [path("broken/", broken)]
