"""A job seeker signs up, gives the minimum the call needs, and applies to a track's call."""

import pytest
from django.test import Client

from itda import factories
from itda.accounts.models import User
from itda.programs.models import Trainee
from itda.recruitment.models import Application


@pytest.mark.django_db
def test_signup_then_apply_to_a_trainee_call(argon2, regions):
    call = factories.call(programme=regions["programme"], kind="trainee", track=regions["track"])
    client = Client()
    bad = client.post(
        "/accounts/signup/",
        {
            "role": "trainee",
            "username": "Ab",
            "display_name": "박교육",
            "email": "x@example.kr",
            "password1": "12345678",
            "password2": "1234",
        },
    )
    assert "아이디는 영문 소문자·숫자 4~30자입니다." in bad.content.decode()
    assert not User.objects.filter(display_name="박교육").exists()
    response = client.post(
        "/accounts/signup/",
        {
            "role": "trainee",
            "username": "park2026",
            "display_name": "박교육",
            "email": "park@example.kr",
            "password1": "blue-river-2026!",
            "password2": "blue-river-2026!",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="park2026")
    assert user.role == "trainee" and user.password.startswith("argon2")

    form = client.get(f"/calls/{call.pk}/apply/").content.decode()
    assert "주민등록번호는 받지 않습니다" in form and "주민등록번호</label>" not in form
    response = client.post(
        f"/calls/{call.pk}/apply/",
        {
            "profile-name": "박교육",
            "profile-birth_date": "2001-04-05",
            "profile-phone": "010 2345 6789",
            "profile-email": "park@example.kr",
            "profile-region": regions["seoul"].pk,
            "profile-address": "서울특별시 마포구 월드컵로 1",
            "profile-education": "college",
            "profile-major": "기계공학",
            "answers-certificates": "전기기능사",
            "answers-motivation": "스마트공장 운영을 배우고 싶습니다",
            "answers-employment_status": "job_seeker",
            "answers-consent": "on",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    trainee = Trainee.objects.get(user=user)
    assert trainee.phone == "010-2345-6789" and trainee.preferred_track == regions["track"]
    application = Application.objects.get(call=call, trainee=trainee)
    assert application.status == "submitted" and application.answers["certificates"] == "전기기능사"
    # The employment status is its own column (the allowance depends on it), not an answer.
    assert application.employment_status == "job_seeker"
    assert "employment_status" not in application.answers


@pytest.mark.django_db
def test_a_company_manager_cannot_use_a_trainee_call(cast, regions, login_as, client):
    call = factories.call(programme=regions["programme"], kind="trainee", track=regions["track"])
    login_as(cast["company"])
    assert client.get(f"/calls/{call.pk}/apply/").status_code == 403
