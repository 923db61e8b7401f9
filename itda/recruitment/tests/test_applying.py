"""Applying: draft, submit, edit, withdraw; the deadline at the KST minute; duplicates."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from itda import factories
from itda.recruitment import services
from itda.recruitment.models import Application, ApplicationStatus, ApplicationTransition
from itda.recruitment.services import ApplicationError

KST = ZoneInfo("Asia/Seoul")


@pytest.fixture
def call(regions):
    return factories.call(programme=regions["programme"])


def _company_post(**overrides):
    data = {
        "profile-name": "잇다정밀",
        "profile-business_number": "220-81-62517",
        "profile-representative": "김대표",
        "profile-kind": "smart_factory",
        "profile-size": "small",
        "profile-industry": "자동차 부품",
        "profile-region": "",
        "profile-address": "서울특별시 구로구 디지털로 10",
        "profile-employees": "35",
        "profile-phone": "02-555-1234",
        "profile-smart_factory_level": "intermediate1",
        "profile-ksx9001_level": "3",
        "answers-motivation": "스마트공장 고도화 중",
        "answers-internship_plan": "MES 운영 보조",
        "answers-interns_wanted": "2",
        "answers-hiring_plan": "우수 인턴 정규직 전환",
        "answers-consent": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_company_registers_and_submits_on_the_web(cast, regions, login_as, client, call):
    from itda.programs.models import Company

    Company.objects.filter(managers=cast["company"]).delete()
    login_as(cast["company"])
    response = client.post(
        f"/calls/{call.pk}/apply/",
        _company_post(**{"profile-region": regions["seoul"].pk, "submit": "1"}),
    )
    application = Application.objects.get(call=call)
    assert response.status_code == 302 and response.url == f"/applications/{application.pk}/"
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.receipt_number.startswith(f"{call.pk:03d}-")
    assert application.company.business_number == "2208162517"
    assert application.company.managers.filter(pk=cast["company"].pk).exists()
    assert application.answers["interns_wanted"] == 2 and application.consent_version == "v1"
    assert ApplicationTransition.objects.filter(application=application, new="submitted").exists()


@pytest.mark.django_db
def test_bad_check_digit_is_refused_and_nothing_is_written(cast, regions, login_as, client, call):
    from itda.programs.models import Company

    Company.objects.filter(managers=cast["company"]).delete()
    login_as(cast["company"])
    response = client.post(
        f"/calls/{call.pk}/apply/",
        _company_post(
            **{"profile-region": regions["seoul"].pk, "profile-business_number": "220-81-62518"}
        ),
    )
    assert response.status_code == 200
    assert "사업자등록번호가 올바르지 않습니다 (검증번호 불일치)." in response.content.decode()
    assert (
        not Application.objects.exists()
        and not Company.objects.filter(business_number="2208162518").exists()
    )


@pytest.mark.django_db
def test_submission_sends_a_confirmation_email(
    cast, regions, call, django_capture_on_commit_callbacks
):
    company = factories.CompanyFactory(region=regions["seoul"])
    cast["company"].email = "manager@example.kr"
    app = services.application_save(
        call=call, actor=cast["company"], answers={}, consent=True, company=company
    )
    with django_capture_on_commit_callbacks(execute=True):
        app = services.application_submit(application=app, actor=cast["company"])
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["manager@example.kr"]
    assert app.receipt_number in mail.outbox[0].subject
    assert app.call.title in mail.outbox[0].body


def _at(y, m, d, hh, mm, ss=0):
    return datetime.datetime(y, m, d, hh, mm, ss, tzinfo=KST)


@pytest.mark.django_db
def test_the_deadline_is_the_stated_kst_minute(cast, regions):
    call = factories.call(programme=regions["programme"])
    call.opens_at = _at(2026, 5, 20, 9, 0)
    call.closes_at = _at(2026, 6, 12, 18, 0)
    call.save()
    company = factories.CompanyFactory(region=regions["seoul"])
    app = services.application_save(
        call=call,
        actor=cast["company"],
        answers={},
        consent=True,
        company=company,
        now=_at(2026, 6, 12, 17, 59, 59),
    )
    with pytest.raises(ApplicationError, match="접수가 마감되었습니다"):
        services.application_submit(
            application=app, actor=cast["company"], now=_at(2026, 6, 12, 18, 0, 0)
        )
    services.application_submit(
        application=app, actor=cast["company"], now=_at(2026, 6, 12, 17, 59, 59)
    )
    with pytest.raises(ApplicationError, match="아직 접수 기간이 아닙니다"):
        services.application_save(
            call=call,
            actor=cast["company"],
            answers={},
            consent=True,
            company=company,
            now=_at(2026, 5, 20, 8, 59),
        )
    # 09:00 KST is 00:00 UTC: the same instant, whichever zone the server runs in.
    assert call.is_open(datetime.datetime(2026, 5, 20, 0, 0, tzinfo=datetime.UTC))


@pytest.mark.django_db
def test_the_same_person_twice_under_variations_is_caught(cast, regions):
    call = factories.call(programme=regions["programme"], kind="trainee", track=regions["track"])
    first = factories.TraineeFactory(region=regions["seoul"], phone="010-1234-5678")
    services.application_save(
        call=call, actor=cast["trainee"], answers={}, consent=True, trainee=first
    )
    # Another record of the same mobile number, typed another way and born another day.
    twin = factories.TraineeFactory(
        region=regions["seoul"],
        phone="０１０ １２３４ ５６７８",
        birth_date=datetime.date(1999, 1, 1),
    )
    with pytest.raises(ApplicationError, match="중복 신청"):
        services.application_save(
            call=call, actor=cast["seoul_staff"], answers={}, consent=True, trainee=twin
        )
    assert Application.objects.filter(call=call).count() == 1


@pytest.mark.django_db
def test_withdraw_keeps_the_record_and_blocks_resubmission(cast, regions, call):
    company = factories.CompanyFactory(region=regions["seoul"])
    app = services.application_save(
        call=call, actor=cast["company"], answers={}, consent=True, company=company
    )
    services.application_withdraw(application=app, actor=cast["company"])
    app.refresh_from_db()
    assert app.status == ApplicationStatus.WITHDRAWN and app.withdrawn_at
    with pytest.raises(ApplicationError, match="철회한 신청"):
        services.application_save(
            call=call, actor=cast["company"], answers={}, consent=True, company=company
        )


@pytest.mark.django_db
def test_consent_is_required(cast, regions, call):
    company = factories.CompanyFactory(region=regions["seoul"])
    with pytest.raises(ApplicationError, match="동의해야"):
        services.application_save(
            call=call, actor=cast["company"], answers={}, consent=False, company=company
        )
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_screening_with_reasons_and_a_recorded_override(cast, regions, call):
    call.eligibility = {"min_employees": 10}
    call.save()
    small = factories.CompanyFactory(region=regions["seoul"], employees=3)
    big = factories.CompanyFactory(region=regions["seoul"], employees=50)
    a_small = factories.application(call=call, company=small)
    a_big = factories.application(call=call, company=big)
    factories.call_closed(call)
    counts = services.screening_run(call=call, actor=cast["admin"])
    assert counts == {"eligible": 1, "ineligible": 1, "kept": 0}
    a_small.refresh_from_db()
    assert a_small.screening == "ineligible"
    assert a_small.screening_reasons == ["상시근로자 10명 이상이어야 합니다 (현재 3명)."]
    services.screening_override(
        application=a_small,
        actor=cast["admin"],
        eligible=True,
        reason="신청일 기준 고용보험 가입자 12명 확인",
    )
    assert services.screening_run(call=call, actor=cast["admin"])["kept"] == 1
    a_small.refresh_from_db()
    assert a_small.screening == "eligible"
    assert ApplicationTransition.objects.filter(
        application=a_small, field="screening", note__startswith="수동 변경"
    ).exists()
    assert a_big.pk


@pytest.mark.django_db
def test_uploads_must_be_what_they_claim(cast, regions, call, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from itda.recruitment.models import DocumentRequirement

    settings.MEDIA_ROOT = tmp_path
    req = DocumentRequirement.objects.create(
        call=call, name="사업계획서", allowed_kinds=["pdf"], max_size_mb=1
    )
    company = factories.CompanyFactory(region=regions["seoul"])
    app = services.application_save(
        call=call, actor=cast["company"], answers={}, consent=True, company=company
    )
    fake = SimpleUploadedFile("plan.pdf", b"<html><script>", content_type="application/pdf")
    with pytest.raises(ApplicationError, match="PDF 파일만"):
        services.document_attach(
            application=app, requirement=req, upload=fake, actor=cast["company"]
        )
    big = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ApplicationError, match="1MB 이하"):
        services.document_attach(
            application=app, requirement=req, upload=big, actor=cast["company"]
        )
    with pytest.raises(ApplicationError, match="필수 서류가 없습니다: 사업계획서"):
        services.application_submit(application=app, actor=cast["company"])
    good = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\nhello")
    doc = services.document_attach(
        application=app, requirement=req, upload=good, actor=cast["company"]
    )
    assert doc.size == len(b"%PDF-1.7\nhello") and (tmp_path / doc.file.name).exists()
    services.application_submit(application=app, actor=cast["company"])


@pytest.mark.django_db
def test_documents_download_only_for_those_who_may_see_the_application(
    cast, regions, call, settings, tmp_path, login_as
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from itda.accounts.models import PersonalDataAccess
    from itda.evaluation.models import Assignment, ConflictOfInterest, Evaluator
    from itda.recruitment.models import DocumentRequirement

    settings.MEDIA_ROOT = tmp_path
    req = DocumentRequirement.objects.create(call=call, name="사업계획서", allowed_kinds=["pdf"])
    company = factories.CompanyFactory(region=regions["seoul"])
    company.managers.add(cast["company"])
    app = services.application_save(
        call=call, actor=cast["company"], answers={}, consent=True, company=company
    )
    doc = services.document_attach(
        application=app,
        requirement=req,
        actor=cast["company"],
        upload=SimpleUploadedFile("계획서.pdf", b"%PDF-1.7 plan"),
    )
    url = f"/applications/{app.pk}/files/{doc.pk}/"
    owner = login_as(cast["company"], Client()).get(url)
    assert owner.status_code == 200 and b"".join(owner.streaming_content) == b"%PDF-1.7 plan"
    # A real PDF opens in the browser, sandboxed (test_document_inline.py).
    assert owner["Content-Disposition"].startswith("inline")
    assert owner["Content-Security-Policy"].startswith("sandbox")
    assert login_as(cast["busan_staff"], Client()).get(url).status_code == 404
    evaluator = Evaluator.objects.get(user=cast["evaluator"])
    judge = login_as(cast["evaluator"], Client())
    assert judge.get(url).status_code == 404  # not assigned
    Assignment.objects.create(application=app, evaluator=evaluator)
    assert judge.get(url).status_code == 200
    ConflictOfInterest.objects.create(application=app, evaluator=evaluator, source="declared")
    assert judge.get(url).status_code == 404
    assert (
        PersonalDataAccess.objects.filter(
            action="export", subject_ids=[app.pk], reason="제출 서류 내려받기"
        ).count()
        == 2
    )
