"""Internship agreements (협약) over the API, scoped exactly as the pages: a list and a detail for
the caller's scope (staff their group's, a company its own, a mentor their company's, a trainee
their own), and the parties' moves — accept the version read, decline with a reason (company or
intern), cancel with a reason (staff). Another's internship answers 404 like a missing one;
every look and move leaves a 접속기록 row; the intern's and people's names are masked.

A move the agreement rules refuse (a stale version, a state that does not allow it) answers 409
with the service's Korean message and changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.views.decorators.cache import never_cache
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import StringConstraints

from itda.accounts.access import personal_detail, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.api.auth import AUTH
from itda.api.errors import ErrorOut
from itda.api.routers.programs import (
    MAX_ID,
    _id,
    _page_param,
    _page_size_param,
    _registry_page,
)
from itda.internships import agreements, selectors
from itda.internships.models import Internship, InternshipState, Party
from itda.lib import masking

router = Router()
INTERNSHIPS = ["인턴십 협약"]

_READERS = (*PROGRAMME_STAFF, Role.COMPANY, Role.MENTOR, Role.TRAINEE)
# Who accepts for a party: staff for the group, a manager for the company, the intern.
_ACCEPTERS = (*PROGRAMME_STAFF, Role.COMPANY, Role.TRAINEE)
_DECLINERS = (Role.COMPANY, Role.TRAINEE)


class Ref(Schema):
    id: int
    name: str


class WaveRef(Schema):
    id: int
    label: str
    first_start: date
    last_start: date


class MentorOut(Schema):
    name: str = Field(description="멘토 성명 (마스킹)")
    title: str

    @staticmethod
    def resolve_name(obj) -> str:
        return masking.mask_name(obj.name)


class InternshipOut(Schema):
    id: int
    state: str
    state_label: str
    terms_version: int = Field(description="협약 버전: 수락은 이 버전에 대해서만 유효")
    programme: Ref
    wave: WaveRef
    company: Ref
    position: Ref
    intern: Ref = Field(description="인턴 (성명 마스킹)")
    starts_on: date
    ends_on: date
    workplace: str
    days_per_week: int
    hours_per_week: int
    mentor: MentorOut | None
    payee: str
    payee_label: str
    monthly_amount_krw: int | None

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_company(obj) -> dict:
        company = obj.placement.position.company
        return {"id": company.pk, "name": company.name}

    @staticmethod
    def resolve_position(obj) -> dict:
        position = obj.placement.position
        return {"id": position.pk, "name": position.title}

    @staticmethod
    def resolve_intern(obj) -> dict:
        trainee = obj.placement.trainee
        return {"id": trainee.pk, "name": masking.mask_name(trainee.name)}

    @staticmethod
    def resolve_payee_label(obj) -> str:
        return obj.get_payee_display()


class AcceptanceOut(Schema):
    party: str
    party_label: str
    accepted: bool
    accepted_at: datetime | None
    accepted_by: str | None = Field(description="수락한 사람 (성명 마스킹)")
    text_version: str | None = Field(description="수락한 협약서 판")


class InternshipDetailOut(InternshipOut):
    agreement_version: str = Field(description="지금 수락할 협약서 판과 버전")
    acceptances: list[AcceptanceOut] = Field(description="현재 버전의 기업·인턴·사업단 수락 현황")
    my_party: str | None = Field(description="호출한 사용자가 수락하는 당사자 (없으면 null)")

    @staticmethod
    def resolve_acceptances(obj) -> list[dict]:
        return obj.acceptances_now


class InternshipPage(Schema):
    items: list[InternshipOut]
    count: int
    page: int
    pages: int


class AcceptIn(Schema):
    version: int = Field(..., ge=1, le=MAX_ID, description="읽고 수락하는 협약 버전")


class ReasonIn(Schema):
    # The pages' ReasonForm bounds; control characters are refused as in the reveal reason.
    reason: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            min_length=2,
            max_length=250,
            pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$",
        ),
        Field(description="사유 (2자 이상)"),
    ]


def _detail(request, internship: Internship) -> Internship:
    """The agreement as its parties see it: terms, where acceptance stands, the caller's party."""
    accepted = agreements.current_acceptances(internship)
    party = agreements.party_of(internship, request.user)
    rows = []
    for p in Party:
        a = accepted.get(p.value)
        by = (a.user.display_name or a.user.get_username()) if a else None
        rows.append(
            {
                "party": p.value,
                "party_label": p.label,
                "accepted": a is not None,
                "accepted_at": a.at if a else None,
                "accepted_by": masking.mask_name(by) if by else None,
                "text_version": a.text_version if a else None,
            }
        )
    # The schema reads the model's fields from the object itself; these three are extra.
    internship.agreement_version = agreements.agreement_version(internship)
    internship.acceptances_now = rows
    internship.my_party = party.value if party else None
    return internship


def _internship(request, internship_id: int, *, action: str = "view") -> Internship:
    """One internship in the caller's scope, its look logged; otherwise 404."""
    return personal_detail(request, selectors.internship_rows(), internship_id, action=action)


def _move(request, internship_id: int, service, **data) -> Internship:
    internship = _internship(request, internship_id, action="update")
    try:
        moved = service(internship=internship, actor=request.user, **data)
    except agreements.AgreementError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return _detail(request, _internship_fresh(moved.pk))


def _internship_fresh(pk: int) -> Internship:
    return selectors.internship_rows().get(pk=pk)


_state_param = Query(None, description="상태")
_programme_param = Query(None, ge=1, le=MAX_ID, description="사업 ID")
_wave_param = Query(None, ge=1, le=MAX_ID, description="시작 차수 ID")


@router.get(
    "/internships",
    response=InternshipPage,
    auth=AUTH,
    tags=INTERNSHIPS,
    summary="인턴십 목록 (내 범위, 상태·사업·시작 차수로 거르기)",
)
@decorate_view(never_cache)
def internship_list(
    request,
    state: InternshipState | None = _state_param,
    programme: int | None = _programme_param,
    wave: int | None = _wave_param,
    page: int = _page_param,
    page_size: int = _page_size_param,
):
    require_role(request, *_READERS)
    rows = selectors.internship_rows(state=state or "", programme=programme, wave=wave)
    return _registry_page(request, rows, page_size)


@router.get(
    "/internships/{internship_id}",
    response=InternshipDetailOut,
    auth=AUTH,
    tags=INTERNSHIPS,
    summary="인턴십 협약 상세 (조건·수락 현황·멘토)",
)
@decorate_view(never_cache)
def internship_detail(request, internship_id: int = _id("인턴십 ID")):
    require_role(request, *_READERS)
    return _detail(request, _internship(request, internship_id))


@router.post(
    "/internships/{internship_id}/accept",
    response={200: InternshipDetailOut, 409: ErrorOut},
    auth=AUTH,
    tags=INTERNSHIPS,
    summary="협약 수락 (읽은 버전으로; 버전이 바뀌었으면 409)",
)
@decorate_view(never_cache)
def internship_accept(request, body: AcceptIn, internship_id: int = _id("인턴십 ID")):
    require_role(request, *_ACCEPTERS)
    return _move(request, internship_id, agreements.internship_accept, version=body.version)


@router.post(
    "/internships/{internship_id}/decline",
    response={200: InternshipDetailOut, 409: ErrorOut},
    auth=AUTH,
    tags=INTERNSHIPS,
    summary="협약 거절 (기업·인턴, 사유와 함께)",
)
@decorate_view(never_cache)
def internship_decline(request, body: ReasonIn, internship_id: int = _id("인턴십 ID")):
    require_role(request, *_DECLINERS)
    return _move(request, internship_id, agreements.internship_decline, reason=body.reason)


@router.post(
    "/internships/{internship_id}/cancel",
    response={200: InternshipDetailOut, 409: ErrorOut},
    auth=AUTH,
    tags=INTERNSHIPS,
    summary="협약 제안 취소 (사업단, 사유와 함께)",
)
@decorate_view(never_cache)
def internship_cancel(request, body: ReasonIn, internship_id: int = _id("인턴십 ID")):
    require_role(request, *PROGRAMME_STAFF)
    return _move(request, internship_id, agreements.internship_cancel, reason=body.reason)
