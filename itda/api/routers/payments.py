"""Payment statements over the API, scoped exactly as the pages: staff their groups' (the
operator all), a company its wage support, a trainee their own. Another's statement answers 404
like a missing one; every look leaves a 접속기록 row; people's names are masked. Each statement
carries its arithmetic step by step, in the engine's own words."""

from __future__ import annotations

from datetime import date

from django.views.decorators.cache import never_cache
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from itda.accounts.access import personal_detail, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.api.auth import AUTH
from itda.api.dates import EraDate
from itda.api.routers.internships import Ref
from itda.api.routers.programs import _id, _page_param, _page_size_param, _registry_page
from itda.lib import masking
from itda.payments import selectors
from itda.payments.models import StatementKind, StatementState

router = Router()
STATEMENTS = ["지급 명세"]

_READERS = (*PROGRAMME_STAFF, Role.COMPANY, Role.TRAINEE)


class PayeeOut(Schema):
    type: str = Field(description="trainee(사람) 또는 company(기업)")
    id: int
    name: str = Field(description="사람은 성명 마스킹, 기업은 기업명")


class StatementOut(Schema):
    id: int
    programme: Ref
    operating_group: Ref
    kind: str
    kind_label: str
    month: date = Field(description="기준 월(기간 마지막 날이 속한 달)의 1일")
    period_start: date
    period_last_day: date = Field(description="기간 마지막 날 (포함)")
    payee: PayeeOut
    amount_krw: int = Field(description="금액(원); 환수 정정은 음수")
    state: str
    state_label: str
    corrects: int | None = Field(description="정정 대상 명세 ID (정정·환수 명세만)")
    rule_version: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_month(obj) -> date:
        return selectors.month_of(obj)

    @staticmethod
    def resolve_period_last_day(obj) -> date:
        return selectors.last_day(obj)

    @staticmethod
    def resolve_payee(obj) -> dict:
        if obj.company_id:
            return {"type": "company", "id": obj.company_id, "name": obj.company.name}
        return {
            "type": "trainee",
            "id": obj.trainee_id,
            "name": masking.mask_name(obj.trainee.name),
        }

    @staticmethod
    def resolve_corrects(obj) -> int | None:
        return obj.corrects_id


class ItemOut(Schema):
    label: str
    amount_krw: int
    steps: list[str] = Field(description="계산 과정 (순서대로)")


class StatementDetailOut(StatementOut):
    items: list[ItemOut] = Field(description="명세가 합한 산정 (훈련 단위기간, 인턴별 월)")
    correction: str = Field(description="정정 명세의 차액 계산 (정정이 아니면 빈 문자열)")


class StatementPage(Schema):
    items: list[StatementOut]
    count: int
    page: int
    pages: int


_month_param = Query(None, description="기준 월의 아무 날 (예: 2026-07-01)")
_kind_param = Query(None, description="구분")
_state_param = Query(None, description="상태")


@router.get(
    "/statements",
    response=StatementPage,
    auth=AUTH,
    tags=STATEMENTS,
    summary="지급 명세 목록 (내 범위, 기준 월·구분·상태로 거르기)",
)
@decorate_view(never_cache)
def statement_list(
    request,
    month: EraDate | None = _month_param,
    kind: StatementKind | None = _kind_param,
    state: StatementState | None = _state_param,
    page: int = _page_param,
    page_size: int = _page_size_param,
):
    require_role(request, *_READERS)
    rows = selectors.statement_rows(month=month, kind=kind or "", state=state or "")
    return _registry_page(request, rows, page_size)


@router.get(
    "/statements/{statement_id}",
    response=StatementDetailOut,
    auth=AUTH,
    tags=STATEMENTS,
    summary="지급 명세 상세 (계산 과정 포함)",
)
@decorate_view(never_cache)
def statement_detail(request, statement_id: int = _id("지급 명세 ID")):
    require_role(request, *_READERS)
    statement = personal_detail(request, selectors.statement_rows(), statement_id)
    explain = selectors.statements_explain([statement])[statement.pk]
    # The schema reads the model's fields from the object itself; these two are extra.
    statement.items = explain.items
    statement.correction = explain.correction
    return statement
