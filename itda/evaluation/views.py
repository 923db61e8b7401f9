"""Evaluator pages (score sheets arrive with the recruitment issue)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from itda.accounts.roles import Role
from itda.evaluation.models import Evaluator


@never_cache
def evaluator_home(request):
    """평가위원: their own pool record and the applications assigned to them."""
    if request.user.role != Role.EVALUATOR:
        raise PermissionDenied
    evaluator = Evaluator.objects.visible_to(request.user).select_related("region").first()
    return render(request, "evaluation/evaluator_home.html", {"evaluator": evaluator})
