"""접속기록: every view and list of personal data is logged; the log is append-only."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import ProgrammingError

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.programs.models import Trainee


@pytest.mark.django_db
def test_a_list_logs_exactly_the_rows_shown(cast, regions, login_as, client):
    factories.TraineeFactory(region=regions["gyeonggi"])
    factories.TraineeFactory(region=regions["busan"])
    login_as(cast["seoul_staff"])
    response = client.get("/registry/trainees/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    entry = PersonalDataAccess.objects.get(action="list")
    expected = set(
        Trainee.objects.filter(region__code__in=["11", "41"]).values_list("pk", flat=True)
    )
    assert set(entry.subject_ids) == expected and len(expected) == 2
    assert entry.actor == cast["seoul_staff"] and entry.ip_address == "10.1.2.3"
    assert entry.subject_type == "programs.trainee" and entry.path == "/registry/trainees/"


@pytest.mark.django_db
def test_list_is_masked(cast, regions, login_as, client):
    t = factories.TraineeFactory(region=regions["seoul"], name="김철수", phone="010-2222-3333")
    login_as(cast["seoul_staff"])
    body = client.get("/registry/trainees/").content.decode()
    assert "김*수" in body and "010-****-3333" in body
    assert "김철수" not in body and "2222" not in body
    assert t.pk


@pytest.mark.django_db
def test_reveal_needs_a_reason_and_is_logged_with_it(cast, regions, login_as, client):
    t = factories.TraineeFactory(region=regions["seoul"], phone="010-4444-5555")
    login_as(cast["seoul_staff"])
    refused = client.post(f"/registry/trainees/{t.pk}/reveal/", {"reason": ""})
    assert refused.status_code == 400 and "열람 사유를 입력하세요." in refused.content.decode()
    assert "010-4444-5555" not in refused.content.decode()
    assert not PersonalDataAccess.objects.filter(action="reveal").exists()
    shown = client.post(f"/registry/trainees/{t.pk}/reveal/", {"reason": "훈련수당 지급 확인"})
    assert "010-4444-5555" in shown.content.decode()
    entry = PersonalDataAccess.objects.get(action="reveal")
    assert entry.subject_ids == [t.pk] and entry.reason == "훈련수당 지급 확인"


@pytest.mark.django_db
def test_denied_attempt_is_logged(cast, regions, login_as, client):
    t = factories.TraineeFactory(region=regions["seoul"])
    login_as(cast["busan_staff"])
    assert client.get(f"/registry/trainees/{t.pk}/").status_code == 404
    entry = PersonalDataAccess.objects.get(action="denied")
    assert entry.subject_ids == [t.pk] and entry.actor == cast["busan_staff"]


@pytest.mark.django_db
def test_log_rows_cannot_be_changed_or_deleted(cast):
    row = PersonalDataAccess.objects.create(
        actor=cast["admin"],
        actor_username="admin",
        ip_address="127.0.0.1",
        action="view",
        subject_type="programs.trainee",
        subject_ids=[1],
        path="/",
    )
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=row.pk).update(reason="고침")
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM accounts_personaldataaccess")
    assert PersonalDataAccess.objects.get(pk=row.pk).reason == ""


@pytest.mark.django_db
def test_an_export_row_without_a_reason_is_refused_by_the_database(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalDataAccess.objects.create(
            actor=cast["admin"],
            actor_username="admin",
            ip_address="127.0.0.1",
            action="export",
            subject_type="programs.trainee",
            subject_ids=[1],
            path="/",
        )


@pytest.mark.django_db
def test_operator_searches_the_log_others_cannot(cast, regions, login_as, client):
    t = factories.TraineeFactory(region=regions["seoul"])
    staff = login_as(cast["seoul_staff"], client.__class__())
    staff.get(f"/registry/trainees/{t.pk}/")
    assert staff.get("/access-log/").status_code == 403
    login_as(cast["admin"])
    found = client.get("/access-log/", {"username": "seoul_staff", "subject_id": t.pk})
    body = found.content.decode()
    assert "seoul_staff" in body and "접속기록 1건" in body
    none = client.get("/access-log/", {"username": "busan_staff"})
    assert "접속기록 0건" in none.content.decode()
    bad = client.get("/access-log/", {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert "시작일이 종료일보다 늦습니다." in bad.content.decode()


@pytest.mark.django_db
def test_a_subject_id_beyond_bigint_is_a_korean_message(cast, login_as, client):
    login_as(cast["admin"])
    response = client.get("/access-log/", {"subject_id": "99999999999999999999"})
    assert response.status_code == 200
    assert "정보주체 ID가 너무 큽니다." in response.content.decode()
