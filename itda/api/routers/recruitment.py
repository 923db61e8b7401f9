"""Calls (public) and applications (scoped: an evaluator sees only what is assigned to them
and free of conflicts, exactly as in the UI)."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from ninja import Router, Schema
from ninja.decorators import decorate_view

from itda.accounts.access import personal_detail, require_role
from itda.accounts.roles import Role
from itda.api.auth import AUTH
from itda.api.routers.programs import _id, _page_param, _page_size_param, _registry_page
from itda.lib import masking
from itda.recruitment import selectors
from itda.recruitment.models import Application

router = Router()
CALLS = ["공모"]
APPLICATIONS = ["신청"]


class CallOut(Schema):
    id: int
    title: str
    kind: str
    programme_code: str
    track_code: str | None
    opens_at: datetime
    closes_at: datetime

    @staticmethod
    def resolve_programme_code(obj) -> str:
        return obj.programme.code

    @staticmethod
    def resolve_track_code(obj) -> str | None:
        return obj.track.code if obj.track_id else None


class ApplicationOut(Schema):
    id: int
    call_id: int
    receipt_number: str | None
    status: str
    screening: str
    result: str
    region: str
    applicant: str
    submitted_at: datetime | None

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_applicant(obj) -> str:
        # A person's name is masked; a company or organisation is not personal data.
        return masking.mask_name(obj.trainee.name) if obj.trainee_id else obj.applicant_name


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    count: int
    page: int
    pages: int


@router.get("/calls", response=list[CallOut], auth=None, tags=CALLS, summary="공모 목록")
def call_list(request):
    return list(selectors.call_list())


@router.get("/calls/{call_id}", response=CallOut, auth=None, tags=CALLS, summary="공모 상세")
def call_detail(request, call_id: int = _id("공모 ID")):
    return get_object_or_404(selectors.call_list(), pk=call_id)


def _applications():
    return Application.objects.select_related("company", "trainee", "region").order_by("pk")


_APPLICATION_ROLES = (Role.OPERATOR, Role.GROUP_STAFF, Role.COMPANY, Role.TRAINEE, Role.EVALUATOR)


@router.get(
    "/applications",
    response=ApplicationPage,
    auth=AUTH,
    tags=APPLICATIONS,
    summary="신청 목록 (내 범위)",
)
@decorate_view(never_cache)
def application_list(request, page: int = _page_param, page_size: int = _page_size_param):
    require_role(request, *_APPLICATION_ROLES)
    return _registry_page(request, _applications(), page_size)


@router.get(
    "/applications/{application_id}",
    response=ApplicationOut,
    auth=AUTH,
    tags=APPLICATIONS,
    summary="신청 상세",
)
@decorate_view(never_cache)
def application_detail(request, application_id: int = _id("신청 ID")):
    require_role(request, *_APPLICATION_ROLES)
    return personal_detail(request, _applications(), application_id)
