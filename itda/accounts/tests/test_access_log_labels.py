"""The 접속기록 reads in Korean: kinds of record by their names, not model labels."""

import pytest

from itda.accounts.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def test_the_access_log_names_kinds_of_record_in_korean(client, login_as, admin):
    for subject_type in ("training.enrollment", "programs.trainee"):
        PersonalDataAccess.objects.create(
            actor=admin,
            actor_username="admin",
            ip_address="127.0.0.1",
            action="list",
            subject_type=subject_type,
            subject_ids=[1],
            path="/x/",
        )
    login_as(admin)
    html = client.get("/access-log/").content.decode()
    rows = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "수강" in rows and "교육생 1건" in rows and "목록 조회" in rows
    assert "training.enrollment" not in rows and "programs.trainee" not in rows


def test_the_access_log_is_searched_by_kind_of_record_chosen_by_name(client, login_as, admin):
    PersonalDataAccess.objects.create(
        actor=admin,
        actor_username="admin",
        ip_address="127.0.0.1",
        action="view",
        subject_type="programs.trainee",
        subject_ids=[7],
        path="/x/",
    )
    login_as(admin)
    html = client.get("/access-log/", {"subject_type": "training.enrollment"}).content.decode()
    assert '<option value="programs.trainee">교육생</option>' in html
    assert "조건에 맞는 기록이 없습니다." in html
