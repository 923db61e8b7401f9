"""The caller: who they are and what their role ties them to."""

from __future__ import annotations

from django.views.decorators.cache import never_cache
from ninja import Router, Schema
from ninja.decorators import decorate_view

from itda.accounts.roles import Role
from itda.api.auth import AUTH
from itda.programs.models import Trainee

router = Router(tags=["계정"])


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    operating_groups: list[str]
    company_ids: list[int]
    trainee_id: int | None


@router.get("/me", response=MeOut, auth=AUTH, summary="현재 사용자")
@decorate_view(never_cache)
def me(request):
    user = request.user
    groups: list[str] = []
    company_ids: list[int] = []
    trainee_id = None
    if user.role == Role.GROUP_STAFF:
        groups = list(user.operating_groups.order_by("name").values_list("name", flat=True))
    elif user.role == Role.COMPANY:
        company_ids = list(user.companies.order_by("pk").values_list("pk", flat=True))
    elif user.role == Role.TRAINEE:
        trainee_id = Trainee.objects.filter(user=user).values_list("pk", flat=True).first()
    return {
        "id": user.pk,
        "username": user.get_username(),
        "display_name": user.display_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "operating_groups": groups,
        "company_ids": company_ids,
        "trainee_id": trainee_id,
    }
