"""Export of a call's applications: reason first, scoped, masked by default, logged."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from itda import factories
from itda.accounts.models import PersonalDataAccess

# The urlconf of the import page tests also holds the Excel pages.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("itda.recruitment.tests.test_import_views"),
]

MAY_20_0930_KST = datetime.datetime(2026, 5, 20, 0, 30, tzinfo=datetime.UTC)


@pytest.fixture
def trainee_call(regions):
    call = factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
    )
    park = factories.TraineeFactory(
        region=regions["seoul"],
        name="박지민",
        phone="010-3333-4444",
        birth_date=datetime.date(2001, 3, 5),
        major='=HYPERLINK("x")',
    )
    applied = factories.application(call=call, trainee=park)
    applied.submitted_at = MAY_20_0930_KST
    applied.save(update_fields=["submitted_at"])
    factories.application(call=call, trainee=factories.TraineeFactory(region=regions["gyeonggi"]))
    busan = factories.TraineeFactory(region=regions["busan"], name="부산사람")
    factories.application(call=call, trainee=busan)
    return call


def _export(client, call, data):
    return client.post(f"/recruitment/calls/{call.pk}/excel/export/", data)


def _rows(response) -> list[dict]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_export_is_scoped_masked_and_logged_with_its_reason(
    seoul_staff, login_as, client, trainee_call
):
    login_as(seoul_staff)
    response = _export(client, trainee_call, {"reason": "교육생 선발 심사 자료"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="call-{trainee_call.pk}-applications-'
    )
    rows = _rows(response)
    # The capital group runs the call, so every applicant to it is its own, a Busan one too
    # (the applicant's region does not decide who handles the application).
    assert len(rows) == 3
    park = next(r for r in rows if r["성명"] == "박*민")
    assert park["휴대전화"] == "010-****-4444" and park["생년월일"] == "2001-**-**"
    assert park["제출 일시(KST)"] == "2026-05-20 09:30"
    assert park["상태"] == "제출" and park["자격 검토"] == "검토 전" and park["결과"] == "심사 중"
    assert park["접수번호"].startswith("T-") and park["전공"] == '\'=HYPERLINK("x")'
    assert "부**람" in {r["성명"] for r in rows}
    entry = PersonalDataAccess.objects.get(action="export")
    assert entry.reason == "교육생 선발 심사 자료 [마스킹]"
    assert entry.subject_type == "recruitment.application" and len(entry.subject_ids) == 3
    assert entry.actor == seoul_staff


def test_full_values_need_the_choice_and_are_logged_as_such(admin, login_as, client, trainee_call):
    login_as(admin)
    response = _export(client, trainee_call, {"reason": "훈련수당 지급 확인", "full_values": "on"})
    rows = _rows(response)
    assert len(rows) == 3
    assert {"박지민", "부산사람"} <= {r["성명"] for r in rows}
    assert "010-3333-4444" in {r["휴대전화"] for r in rows}
    assert PersonalDataAccess.objects.filter(
        action="export", reason="훈련수당 지급 확인 [전체 정보]"
    ).exists()


def test_no_reason_no_file_no_log(seoul_staff, login_as, client, trainee_call):
    login_as(seoul_staff)
    response = _export(client, trainee_call, {"reason": ""})
    assert response.status_code == 400 and "열람 사유를 입력하세요." in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert not PersonalDataAccess.objects.filter(action="export").exists()


def test_company_call_export_masks_the_representative(admin, login_as, client, regions):
    call = factories.call(programme=regions["programme"])
    company = factories.CompanyFactory(region=regions["seoul"], representative="김대표")
    factories.application(call=call, company=company)
    login_as(admin)
    rows = _rows(_export(client, call, {"reason": "참여기업 선정 검토"}))
    assert rows == [
        {
            "접수번호": f"T-{company.pk}-Company",
            "상태": "제출",
            "자격 검토": "검토 전",
            "결과": "심사 중",
            "제출 일시(KST)": rows[0]["제출 일시(KST)"],
            "기업명": company.name,
            "사업자등록번호": company.business_number,
            "대표자": "김*표",
            "기업유형": "스마트공장 도입 제조기업",
            "규모": "소기업",
            "시·도": "서울특별시",
            "상시근로자 수": 40,
            "대표전화": "02-123-4567",
        }
    ]


@pytest.mark.parametrize("who", ["viewer", "company", "trainee"])
def test_roles_without_lists_cannot_export(cast, login_as, client, trainee_call, who):
    login_as(cast[who])
    assert _export(client, trainee_call, {"reason": "궁금해서 봅니다"}).status_code == 403
    assert not PersonalDataAccess.objects.filter(action="export").exists()


def test_busan_staff_cannot_export_a_capital_call(busan_staff, login_as, client, trainee_call):
    login_as(busan_staff)
    assert _export(client, trainee_call, {"reason": "궁금해서 봅니다"}).status_code == 404
    assert not PersonalDataAccess.objects.filter(action="export").exists()
