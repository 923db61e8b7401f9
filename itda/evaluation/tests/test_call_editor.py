"""The call editor: calls, documents and schemes written in the app in Korean, scoped to the
group that runs them, previewed, published; rules locked once anyone has applied."""

import pytest
from django.test import Client
from django.utils import timezone

from itda import factories
from itda.evaluation.models import Criterion, Scheme
from itda.recruitment.models import Call, DocumentRequirement

pytestmark = pytest.mark.django_db


def _call_post(**overrides):
    data = {
        "title": "2026 교육생 추가 모집",
        "description": "스마트공장 운영 인력 교육생을 모집합니다.",
        "opens_at": "2026-06-01T09:00",
        "closes_at": "2026-06-30T18:00",
        "appeal_days": "7",
        "consent_text": "개인정보 수집·이용에 동의합니다.",
        "consent_version": "v1",
        "source_note": "",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-0-name": "사업계획서",
        "documents-0-required": "on",
        "documents-0-allowed_kinds": ["pdf", "hwp"],
        "documents-0-max_size_mb": "10",
    }
    data.update(overrides)
    return data


def _scheme_post(weights=(40, 30, 30), **overrides):
    data = {
        "name": "교육생 선발 평가표",
        "method": "trimmed_mean",
        "evaluators_per_application": "3",
        "cutoff": "60",
        "total_seats": "20",
        "waitlist_size": "",
        "criteria-TOTAL_FORMS": str(len(weights)),
        "criteria-INITIAL_FORMS": "0",
        "quotas-TOTAL_FORMS": "0",
        "quotas-INITIAL_FORMS": "0",
    }
    for i, weight in enumerate(weights):
        data |= {
            f"criteria-{i}-code": f"c{i}",
            f"criteria-{i}-name": f"항목 {i}",
            f"criteria-{i}-description": "",
            f"criteria-{i}-weight": str(weight),
            f"criteria-{i}-max_points": str(weight),
            f"criteria-{i}-order": str(i),
        }
    data.update(overrides)
    return data


def test_the_operator_writes_a_company_call_with_ticked_file_kinds_then_publishes(
    cast, regions, login_as
):
    op = login_as(cast["admin"], Client())
    r = op.post(
        "/recruitment/calls/new/",
        _call_post(
            programme=regions["programme"].pk,
            kind="company",
            company_kinds=["smart_factory"],
            company_sizes=["small", "medium"],
            min_employees="5",
            regions=["11", "41"],
        ),
    )
    call = Call.objects.get(title="2026 교육생 추가 모집")
    assert r.status_code == 302 and r["Location"] == f"/recruitment/calls/{call.pk}/scheme/"
    assert call.eligibility == {
        "company_kinds": ["smart_factory"],
        "company_sizes": ["small", "medium"],
        "min_employees": 5,
        "regions": ["11", "41"],
    }
    assert DocumentRequirement.objects.get(call=call).allowed_kinds == ["pdf", "hwp"]
    # Unpublished: not on the public list, not open to applicants.
    assert call.published_at is None
    assert "2026 교육생 추가 모집" not in Client().get("/calls/").content.decode()
    assert Client().get(f"/calls/{call.pk}/").status_code == 404
    assert "작성 중인 공고" in op.get("/calls/").content.decode()

    refused = op.post(f"/recruitment/calls/{call.pk}/publish/", follow=True)
    assert "평가 기준표와 평가 항목을 먼저 저장하세요" in refused.content.decode()

    bad = op.post(f"/recruitment/calls/{call.pk}/scheme/", _scheme_post(weights=(40, 30, 20)))
    assert bad.status_code == 400
    assert "가중치의 합계는 100이어야 합니다 (지금 90)" in bad.content.decode()
    assert not Scheme.objects.filter(call=call).exists()

    good = op.post(f"/recruitment/calls/{call.pk}/scheme/", _scheme_post())
    assert good["Location"] == f"/recruitment/calls/{call.pk}/preview/"
    assert list(Criterion.objects.filter(scheme__call=call).values_list("weight", flat=True)) == [
        40,
        30,
        30,
    ]
    preview = op.get(f"/recruitment/calls/{call.pk}/preview/").content.decode()
    assert "미리보기" in preview and "항목 0" in preview and "사업계획서" in preview

    op.post(f"/recruitment/calls/{call.pk}/publish/")
    call.refresh_from_db()
    assert call.published_at is not None
    assert "2026 교육생 추가 모집" in Client().get("/calls/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"closes_at": "2026-05-31T18:00"}, "접수 마감은 접수 시작보다 늦어야 합니다."),
        ({"closes_at": "9999-12-31T18:00"}, "날짜는 "),
        ({"opens_at": "언젠가"}, "올바른 날짜"),
        ({"documents-0-allowed_kinds": []}, "허용할 파일 형식을 하나 이상 고르세요."),
        ({"documents-0-allowed_kinds": ["exe"]}, "올바르게 선택해 주세요"),
        ({"title": ""}, "공고명을 입력하세요."),
    ],
)
def test_bad_call_input_is_refused_in_korean_and_nothing_is_saved(
    cast, regions, login_as, overrides, message
):
    staff = login_as(cast["seoul_staff"], Client())
    data = _call_post(track=regions["track"].pk, **overrides)
    r = staff.post("/recruitment/calls/new/", data)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Call.objects.exists()


def test_staff_write_trainee_calls_of_their_own_group_only(cast, regions, login_as):
    staff = login_as(cast["seoul_staff"], Client())
    # Whatever is posted for the kind, the group or the programme, the call is the group's.
    staff.post(
        "/recruitment/calls/new/",
        _call_post(
            track=regions["track"].pk, kind="company", operating_group=regions["dongnam_group"].pk
        ),
    )
    call = Call.objects.get()
    assert (call.kind, call.operating_group) == ("trainee", regions["capital_group"])

    busan = login_as(cast["busan_staff"], Client())
    national = factories.call(programme=regions["programme"])
    for target in (call, national):
        for page in ("edit", "scheme", "preview"):
            assert busan.get(f"/recruitment/calls/{target.pk}/{page}/").status_code == 404
        assert busan.post(f"/recruitment/calls/{target.pk}/publish/").status_code == 404
        edit = busan.post(f"/recruitment/calls/{target.pk}/edit/", _call_post(title="남의 공고"))
        assert edit.status_code == 404
    assert not Call.objects.filter(title="남의 공고").exists()
    # Seoul's staff cannot edit a national call either: the operator decides those.
    assert staff.get(f"/recruitment/calls/{national.pk}/edit/").status_code == 404
    assert login_as(cast["company"], Client()).get("/recruitment/calls/new/").status_code == 403


def test_once_anyone_applied_the_rules_they_applied_under_are_locked(cast, regions, login_as):
    call = factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
        eligibility={"max_age": 34},
        days_open=3,  # inside the programme's period, which the edit checks again
    )
    scheme = Scheme.objects.create(call=call, name="평가표", method="mean")
    Criterion.objects.create(scheme=scheme, code="c", name="역량", weight=100, max_points=100)
    trainee = factories.TraineeFactory(region=regions["seoul"])
    factories.application(call=call, trainee=trainee)
    staff = login_as(cast["seoul_staff"], Client())
    base = {
        "title": call.title,
        "track": call.track_id,
        "description": "",
        "opens_at": "",
        "closes_at": "",
        "appeal_days": "7",
        "consent_text": call.consent_text,
        "consent_version": call.consent_version,
        "source_note": "",
        "max_age": "34",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }
    base["opens_at"] = timezone.localtime(call.opens_at).strftime("%Y-%m-%dT%H:%M")
    base["closes_at"] = timezone.localtime(call.closes_at).strftime("%Y-%m-%dT%H:%M")

    refused = staff.post(f"/recruitment/calls/{call.pk}/edit/", {**base, "max_age": "29"})
    assert refused.status_code == 400
    assert "신청자가 신청한 조건(신청 자격)은 바꿀 수 없습니다" in refused.content.decode()
    call.refresh_from_db()
    assert call.eligibility == {"max_age": 34}

    fixed = staff.post(f"/recruitment/calls/{call.pk}/edit/", {**base, "title": "오타 고친 공고명"})
    assert fixed.status_code == 302
    call.refresh_from_db()
    assert call.title == "오타 고친 공고명"

    weights = staff.post(f"/recruitment/calls/{call.pk}/scheme/", _scheme_post(weights=(50, 50)))
    assert "공고된 평가 기준" in weights.content.decode()
    assert list(scheme.criteria.values_list("code", flat=True)) == ["c"]


def _quota_rows(*rows):
    data = {"quotas-TOTAL_FORMS": str(len(rows)), "quotas-INITIAL_FORMS": "0"}
    for i, (target, seats) in enumerate(rows):
        data |= {f"quotas-{i}-target": target, f"quotas-{i}-seats": seats}
    return data


def test_quotas_are_rows_of_a_target_and_seats_not_typed_json(cast, regions, login_as):
    op = login_as(cast["admin"], Client())
    call = factories.call(programme=regions["programme"])
    url = f"/recruitment/calls/{call.pk}/scheme/"
    page = op.get(url).content.decode()
    # The targets are chosen from a list: each 권역, the programme's tracks, each kind of company.
    assert 'value="region:capital"' in page and "수도권" in page
    assert f'value="track:{regions["track"].code}"' in page
    assert 'value="company_type:smart_factory"' in page
    assert 'name="quotas"' not in page  # no JSON box

    duplicate = op.post(
        url, _scheme_post(**_quota_rows(("region:capital", "3"), ("region:capital", "2")))
    )
    assert duplicate.status_code == 400
    assert "같은 대상의 정원이 두 번 있습니다" in duplicate.content.decode()
    zero = op.post(url, _scheme_post(**_quota_rows(("region:capital", "0"))))
    assert "정원은 1명 이상이어야 합니다." in zero.content.decode()
    forged = op.post(url, _scheme_post(**_quota_rows(("region:atlantis", "3"))))
    assert forged.status_code == 400
    assert not Scheme.objects.filter(call=call).exists()

    saved = op.post(
        url,
        _scheme_post(
            **_quota_rows(
                ("track:" + regions["track"].code, "5"), ("region:dongnam", "2"), ("", "")
            )
        ),
    )
    assert saved.status_code == 302
    scheme = Scheme.objects.get(call=call)
    assert scheme.quotas == [
        {"dimension": "region", "value": "dongnam", "seats": 2},
        {"dimension": "track", "value": regions["track"].code, "seats": 5},
    ]
    # Shown again as rows, and removed by ticking 삭제.
    page = op.get(url).content.decode()
    assert 'value="region:dongnam" selected' in page
    again = _scheme_post(
        **_quota_rows(("track:" + regions["track"].code, "5"), ("region:dongnam", "2")),
        **{"quotas-1-DELETE": "on", "criteria-INITIAL_FORMS": "3"},
    )
    # The saved criteria are posted back as the page shows them.
    for i, criterion in enumerate(scheme.criteria.order_by("order")):
        again |= {f"criteria-{i}-id": criterion.pk, f"criteria-{i}-scheme": scheme.pk}
    removed = op.post(url, again)
    assert removed.status_code == 302
    scheme.refresh_from_db()
    assert scheme.quotas == [{"dimension": "track", "value": regions["track"].code, "seats": 5}]


def test_quotas_are_locked_once_anyone_applied(cast, regions, login_as):
    op = login_as(cast["admin"], Client())
    call = factories.call(programme=regions["programme"])
    url = f"/recruitment/calls/{call.pk}/scheme/"
    assert op.post(url, _scheme_post(**_quota_rows(("region:capital", "3")))).status_code == 302
    company = factories.CompanyFactory(region=regions["seoul"])
    factories.application(call=call, company=company)
    refused = op.post(url, _scheme_post(**_quota_rows(("region:capital", "9"))))
    assert "정원)은 바꿀 수 없습니다" in refused.content.decode()
    assert Scheme.objects.get(call=call).quotas[0]["seats"] == 3
