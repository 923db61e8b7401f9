"""Histories, the access log and the access review read in Korean: no page of them shows a
model label ("training.enrollment", "recruitment.applicationevent"), a raw status code
("draft", "submitted") or pghistory's event names ("insert", "update")."""

import re
from html import unescape

import pytest
from django.apps import apps
from django.test import Client
from pghistory.models import Events

from itda import factories
from itda.accounts.history import diff_lines
from itda.accounts.models import AccessAction, PersonalDataAccess
from itda.programs.models import Trainee
from itda.recruitment.models import Application, ApplicationStatus, CallKind

pytestmark = pytest.mark.django_db

_LABELS = "|".join(
    re.escape(label)
    for model in apps.get_models()
    for label in (model._meta.label_lower, model._meta.label)
)
MODEL_LABELS = re.compile(rf"\b(?:{_LABELS})\b")
RAW_CODES = re.compile(r"\b(?:draft|submitted|withdrawn|insert|update|delete|pending)\b")


def _text(html: str) -> str:
    """What a person reads on the page: no scripts, styles, tags or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def world(cast, regions):
    """An application drafted, submitted and withdrawn (events of each kind), and access rows
    about an enrolment and an application."""
    call = factories.call(
        programme=regions["programme"], kind=CallKind.TRAINEE, track=regions["track"]
    )
    trainee = Trainee.objects.get(user=cast["trainee"])
    application = factories.application(call=call, trainee=trainee)
    for status in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.WITHDRAWN,
    ):
        Application.objects.filter(pk=application.pk).update(status=status)
    application.transitions.create(old="draft", new="submitted", actor=cast["trainee"])
    for subject_type in ("training.enrollment", "recruitment.application"):
        PersonalDataAccess.objects.create(
            actor=cast["admin"],
            actor_username="admin",
            ip_address="127.0.0.1",
            action=AccessAction.EXPORT,
            subject_type=subject_type,
            subject_ids=[application.pk],
            path="/registry/trainees/export/",
            reason="점검",
        )
    return application


def _assert_korean(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    text = _text(response.content.decode())
    assert not MODEL_LABELS.findall(text), (url, MODEL_LABELS.findall(text))
    assert not RAW_CODES.findall(text), (url, RAW_CODES.findall(text))
    return text


def test_the_change_history_reads_in_korean(admin, world, login_as):
    client = login_as(admin, Client())
    event = Events.objects.filter(
        pgh_obj_model="recruitment.Application", pgh_label="update"
    ).first()
    assert event is not None
    text = _assert_korean(client, "/admin/pghistory/events/")
    assert "상태: 작성 중 → 제출" in text and "신청" in text and "변경" in text
    # The filters by kind of record and of event are named in Korean too.
    assert "기록 종류" in text and "생성" in text
    _assert_korean(client, "/admin/pghistory/events/?label=update")
    detail = _assert_korean(client, f"/admin/pghistory/events/{event.pk}/change/")
    assert "공모" in detail  # the call, by its verbose name


def test_the_access_log_pages_read_in_korean(admin, world, login_as):
    client = login_as(admin, Client())
    # The in-app pages first: the log shows each request's path, which for the admin's filter
    # below holds the label as a URL parameter.
    for url in (
        "/access-log/",
        "/privacy/access-review/?month=" + world.created_at.strftime("%Y-%m"),
        "/admin/accounts/personaldataaccess/",
        "/admin/accounts/personaldataaccess/?subject_type=training.enrollment",
        f"/admin/accounts/personaldataaccess/{PersonalDataAccess.objects.first().pk}/change/",
    ):
        _assert_korean(client, url)
    assert "수강" in _assert_korean(client, "/admin/accounts/personaldataaccess/")


def test_an_applications_trail_reads_in_korean(cast, world, login_as, client):
    login_as(cast["seoul_staff"])
    text = _assert_korean(client, f"/applications/{world.pk}/")
    assert "상태: 작성 중 → 제출" in text


def test_personal_values_in_a_diff_are_not_shown():
    lines = diff_lines("programs.Trainee", {"phone": ["010-1234-5678", "010-9999-8888"]})
    assert lines == ["휴대전화: (개인정보, 표시하지 않음) → (개인정보, 표시하지 않음)"]
