"""Attendance corrections: a trainee's request before the deadline (end of the KST day), with
evidence checked like recruitment documents; staff of the region decide; approval rewrites the
record and the original stays in its history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.programs.models import Trainee
from itda.training import attendance as svc
from itda.training.models import Attendance, AttendanceCorrection

pytestmark = pytest.mark.django_db

KST = factories.KST
DAY = datetime.date(2026, 7, 1)  # the session: 09:00–18:00 KST; the rule's deadline is 1 day


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def mine(regions, trainee):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    (session,) = factories.sessions(cohort=cohort, days=[DAY])
    enrollment = factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=trainee))
    return session, enrollment


def pdf(name="진단서.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test evidence", content_type="application/pdf")


def request(session, enrollment, user, *, now, evidence=None, status="excused"):
    return svc.correction_request(
        enrollment=enrollment,
        session=session,
        requested_status=status,
        reason="illness",
        explanation="병원 진료",
        evidence=evidence,
        actor=user,
        now=now,
    )


def test_the_deadline_is_the_end_of_the_next_day_in_korea(mine, trainee):
    session, enrollment = mine
    last_second = datetime.datetime(2026, 7, 2, 23, 59, 59, tzinfo=KST)
    assert svc.correction_deadline(session) == datetime.datetime(2026, 7, 3, tzinfo=KST)
    with pytest.raises(svc.AttendanceError, match=r"정정 신청 기한\(2026-07-02 23:59:59\)이 지났"):
        request(session, enrollment, trainee, now=last_second + datetime.timedelta(seconds=1))
    assert not AttendanceCorrection.objects.exists()
    correction = request(session, enrollment, trainee, now=last_second, evidence=pdf())
    assert (correction.status_before, correction.requested_status, correction.status) == (
        "absent",
        "excused",
        "pending",
    )
    assert correction.evidence_name == "진단서.pdf" and correction.evidence.read().startswith(
        b"%PDF"
    )


def test_the_deadline_follows_the_rule(mine, trainee):
    session, enrollment = mine
    rule = session.cohort.rule
    rule.correction_deadline_days = 0
    rule.save()
    session.cohort.rule.refresh_from_db()
    with pytest.raises(svc.AttendanceError):
        request(session, enrollment, trainee, now=datetime.datetime(2026, 7, 2, tzinfo=KST))
    request(session, enrollment, trainee, now=datetime.datetime(2026, 7, 1, 23, 59, 59, tzinfo=KST))


def test_evidence_must_be_what_its_name_says(mine, trainee):
    session, enrollment = mine
    fake = SimpleUploadedFile("진단서.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(
        ValidationError, match="증빙: PDF, 이미지\\(JPG/PNG\\), 한글\\(HWP/HWPX\\) 파일만"
    ):
        request(
            session,
            enrollment,
            trainee,
            now=datetime.datetime(2026, 7, 1, 12, tzinfo=KST),
            evidence=fake,
        )
    assert not AttendanceCorrection.objects.exists()


def test_one_pending_request_per_session_and_it_must_change_something(mine, trainee):
    session, enrollment = mine
    now = datetime.datetime(2026, 7, 1, 19, tzinfo=KST)
    factories.attendance(enrollment=enrollment, session=session, status="late")
    with pytest.raises(svc.AttendanceError, match="다른 출결"):
        request(session, enrollment, trainee, now=now, status="late")
    request(session, enrollment, trainee, now=now, status="present")
    with pytest.raises(svc.AttendanceError, match="검토 중인 정정 신청이 이미"):
        request(session, enrollment, trainee, now=now, status="excused")
    assert AttendanceCorrection.objects.count() == 1


def test_approval_rewrites_the_record_and_history_keeps_the_original(mine, trainee, seoul_staff):
    session, enrollment = mine
    scanned = datetime.datetime(2026, 7, 1, 9, 25, tzinfo=KST)
    original = factories.attendance(
        enrollment=enrollment, session=session, status="late", checked_in_at=scanned, source="qr"
    )
    correction = request(
        session,
        enrollment,
        trainee,
        now=datetime.datetime(2026, 7, 1, 20, tzinfo=KST),
        status="present",
    )
    svc.correction_decide(correction=correction, approve=True, note="", actor=seoul_staff)
    row = Attendance.objects.get(pk=original.pk)
    assert (row.status, row.source, row.recorded_by, row.checked_in_at) == (
        "present",
        "correction",
        seoul_staff,
        scanned,
    )
    history = list(
        Attendance.pgh_event_model.objects.filter(pgh_obj_id=original.pk).order_by("pgh_id")
    )
    assert [(e.pgh_label, e.status, e.source) for e in history] == [
        ("insert", "late", "qr"),
        ("update", "present", "correction"),
    ]
    correction.refresh_from_db()
    assert (correction.status, correction.decided_by) == ("approved", seoul_staff)
    with pytest.raises(svc.AttendanceError, match="이미 처리된"):
        svc.correction_decide(correction=correction, approve=False, note="x", actor=seoul_staff)


def test_approving_a_session_without_a_record_creates_it(mine, trainee, seoul_staff):
    session, enrollment = mine
    correction = request(
        session, enrollment, trainee, now=datetime.datetime(2026, 7, 2, 9, tzinfo=KST)
    )
    svc.correction_decide(
        correction=correction, approve=True, note="진단서 확인", actor=seoul_staff
    )
    assert Attendance.objects.get(enrollment=enrollment, session=session).status == "excused"


def test_a_rejection_needs_a_note_and_changes_nothing(mine, trainee, seoul_staff):
    session, enrollment = mine
    factories.attendance(enrollment=enrollment, session=session, status="absent")
    correction = request(
        session, enrollment, trainee, now=datetime.datetime(2026, 7, 2, 9, tzinfo=KST)
    )
    with pytest.raises(svc.AttendanceError, match="반려 사유"):
        svc.correction_decide(correction=correction, approve=False, note=" ", actor=seoul_staff)
    svc.correction_decide(
        correction=correction, approve=False, note="증빙 불충분", actor=seoul_staff
    )
    assert Attendance.objects.get().status == "absent"
    assert AttendanceCorrection.objects.get().status == "rejected"


def test_only_ones_own_record(mine, regions, seoul_staff):
    session, enrollment = mine
    with pytest.raises(svc.AttendanceError, match="본인의 출결만"):
        request(session, enrollment, seoul_staff, now=datetime.datetime(2026, 7, 1, 12, tzinfo=KST))


# --- The pages -------------------------------------------------------------------------------


@pytest.fixture
def recent(regions, trainee):
    """A session that ended an hour ago: still within the deadline whenever the test runs."""
    from django.utils import timezone

    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    now = timezone.now()
    session = cohort.sessions.create(
        number=1,
        title="설비 보전",
        starts_at=now - datetime.timedelta(hours=2),
        ends_at=now - datetime.timedelta(hours=1),
    )
    enrollment = factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=trainee))
    return session, enrollment


def test_the_whole_story_through_the_pages(client, login_as, cast, recent):
    session, enrollment = recent
    trainee, staff = cast["trainee"], cast["seoul_staff"]
    login_as(trainee)
    assert (
        f"/training/sessions/{session.pk}/correction/"
        in client.get("/trainee/training/").content.decode()
    )
    response = client.post(
        f"/training/sessions/{session.pk}/correction/",
        {
            "requested_status": "excused",
            "reason": "reserve",
            "explanation": "예비군 훈련",
            "evidence": pdf("필증.pdf"),
        },
    )
    assert response.status_code == 302 and response.url == "/trainee/training/"
    correction = AttendanceCorrection.objects.get()
    # Busan's staff see nothing of it.
    client.logout()
    login_as(cast["busan_staff"])
    assert "필증" not in client.get("/training/corrections/").content.decode()
    assert client.get(f"/training/corrections/{correction.pk}/").status_code == 404
    assert client.get(f"/training/corrections/{correction.pk}/evidence/").status_code == 404
    assert (
        client.post(
            f"/training/corrections/{correction.pk}/decide/", {"decision": "approve"}
        ).status_code
        == 404
    )
    # Seoul's staff see it masked in the queue, open it and its evidence (logged), approve.
    client.logout()
    login_as(staff)
    queue = client.get("/training/corrections/").content.decode()
    assert enrollment.trainee.name not in queue and "예비군·민방위 훈련(필증)" in queue
    assert (
        enrollment.trainee.name
        in client.get(f"/training/corrections/{correction.pk}/").content.decode()
    )
    evidence = client.get(f"/training/corrections/{correction.pk}/evidence/")
    assert b"".join(evidence.streaming_content).startswith(b"%PDF")
    assert PersonalDataAccess.objects.filter(
        actor=staff,
        action="export",
        subject_type="training.attendancecorrection",
        subject_ids=[correction.pk],
    ).exists()
    response = client.post(
        f"/training/corrections/{correction.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 302
    assert Attendance.objects.get(session=session).status == "excused"
    # The trainee sees the outcome.
    client.logout()
    login_as(trainee)
    assert "<strong>승인</strong>" in client.get("/trainee/training/").content.decode()


def test_a_late_request_through_the_page_stores_nothing(client, login_as, trainee, regions):
    from django.utils import timezone

    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    old = timezone.now() - datetime.timedelta(days=3)
    session = cohort.sessions.create(
        number=1, title="지난 차시", starts_at=old, ends_at=old + datetime.timedelta(hours=1)
    )
    factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=trainee))
    login_as(trainee)
    response = client.post(
        f"/training/sessions/{session.pk}/correction/",
        {"requested_status": "excused", "reason": "illness", "explanation": "병원"},
    )
    assert (
        "정정 신청 기한" in response.content.decode() and "지났습니다" in response.content.decode()
    )
    assert not AttendanceCorrection.objects.exists()


def test_a_trainee_cannot_request_for_a_class_they_are_not_in(client, login_as, recent, regions):
    session, _ = recent
    from itda.accounts.roles import Role

    other = factories.user(username="other", role=Role.TRAINEE)
    factories.TraineeFactory(user=other, region=regions["seoul"])
    login_as(other)
    assert client.get(f"/training/sessions/{session.pk}/correction/").status_code == 404
